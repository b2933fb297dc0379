// Package imgcmp compares images for Kiln's tests and benchmarks: SSIM on
// luma, with regions that can be left out of the comparison.
package imgcmp

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // decoders for Decode
	_ "image/png"
	"os"
)

// Decode decodes PNG or JPEG bytes. (Lossy WebP is not decoded here:
// golang.org/x/image/webp gets its colour range wrong.)
func Decode(b []byte) (image.Image, error) {
	img, _, err := image.Decode(bytes.NewReader(b))
	return img, err
}

// Load decodes an image file.
func Load(path string) (image.Image, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Decode(b)
}

// SSIM returns the mean structural similarity of the luma of a and b over
// 8x8 windows (stride 4), ignoring windows that touch any of the excluded
// rectangles. The images must have the same size.
func SSIM(a, b image.Image, exclude ...image.Rectangle) (float64, error) {
	ab, bb := a.Bounds(), b.Bounds()
	if ab.Dx() != bb.Dx() || ab.Dy() != bb.Dy() {
		return 0, fmt.Errorf("ssim: sizes differ: %dx%d vs %dx%d", ab.Dx(), ab.Dy(), bb.Dx(), bb.Dy())
	}
	w, h := ab.Dx(), ab.Dy()
	la, lb := luma(a), luma(b)
	const (
		win = 8
		c1  = (0.01 * 255) * (0.01 * 255)
		c2  = (0.03 * 255) * (0.03 * 255)
	)
	var sum float64
	n := 0
	for y := 0; y+win <= h; y += 4 {
		for x := 0; x+win <= w; x += 4 {
			r := image.Rect(x, y, x+win, y+win)
			skip := false
			for _, e := range exclude {
				if r.Overlaps(e) {
					skip = true
					break
				}
			}
			if skip {
				continue
			}
			var ma, mb float64
			for j := y; j < y+win; j++ {
				for i := x; i < x+win; i++ {
					ma += la[j*w+i]
					mb += lb[j*w+i]
				}
			}
			const np = win * win
			ma /= np
			mb /= np
			var va, vb, cov float64
			for j := y; j < y+win; j++ {
				for i := x; i < x+win; i++ {
					da, db := la[j*w+i]-ma, lb[j*w+i]-mb
					va += da * da
					vb += db * db
					cov += da * db
				}
			}
			va /= np - 1
			vb /= np - 1
			cov /= np - 1
			sum += ((2*ma*mb + c1) * (2*cov + c2)) / ((ma*ma + mb*mb + c1) * (va + vb + c2))
			n++
		}
	}
	if n == 0 {
		return 0, fmt.Errorf("ssim: nothing to compare")
	}
	return sum / float64(n), nil
}

func luma(img image.Image) []float64 {
	b := img.Bounds()
	out := make([]float64, b.Dx()*b.Dy())
	i := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			out[i] = (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)) / 257
			i++
		}
	}
	return out
}
