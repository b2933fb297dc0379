package imgcmp

import (
	"image"
	"image/color"
	"testing"
)

func fill(w, h int, f func(x, y int) color.Gray) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetGray(x, y, f(x, y))
		}
	}
	return img
}

func TestSSIM(t *testing.T) {
	stripes := fill(64, 64, func(x, y int) color.Gray { return color.Gray{uint8((x / 4 % 2) * 255)} })
	flat := fill(64, 64, func(x, y int) color.Gray { return color.Gray{128} })
	if s, err := SSIM(stripes, stripes); err != nil || s < 0.9999 {
		t.Fatalf("identical images: ssim %v, %v", s, err)
	}
	if s, _ := SSIM(stripes, flat); s > 0.2 {
		t.Fatalf("stripes vs flat: ssim %v, want low", s)
	}
	// Excluding the whole differing area makes them equal.
	half := fill(64, 64, func(x, y int) color.Gray {
		if x < 32 {
			return stripes.GrayAt(x, y)
		}
		return color.Gray{128}
	})
	if s, _ := SSIM(stripes, half, image.Rect(28, 0, 64, 64)); s < 0.9999 {
		t.Fatalf("excluded region still counted: %v", s)
	}
	if _, err := SSIM(stripes, image.NewGray(image.Rect(0, 0, 10, 10))); err == nil {
		t.Fatal("size mismatch not reported")
	}
}
