package e2e

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/kilnrender/kiln/internal/imgcmp"
)

// webpSize reads the canvas size from a WebP header (VP8, VP8L or VP8X).
func webpSize(b []byte) (int, int, error) {
	if len(b) < 30 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return 0, 0, fmt.Errorf("not a WebP file")
	}
	switch string(b[12:16]) {
	case "VP8 ":
		return int(binary.LittleEndian.Uint16(b[26:28]) & 0x3fff), int(binary.LittleEndian.Uint16(b[28:30]) & 0x3fff), nil
	case "VP8L":
		v := binary.LittleEndian.Uint32(b[21:25])
		return int(v&0x3fff) + 1, int((v>>14)&0x3fff) + 1, nil
	case "VP8X":
		w := int(b[24]) | int(b[25])<<8 | int(b[26])<<16
		h := int(b[27]) | int(b[28])<<8 | int(b[29])<<16
		return w + 1, h + 1, nil
	}
	return 0, 0, fmt.Errorf("unknown WebP chunk %q", b[12:16])
}

// The real thing: a Gleap SDK payload goes in through `kiln api`, `kiln
// worker` renders it in Chromium, and the signed result URL serves an image of
// the page's size in device pixels (1280x800 CSS px at DPR 2).
func TestEndToEndChromium(t *testing.T) {
	f := startFarm(t)
	body := gz(fixture(t, "corpus/gleap-local/feedback.json.gz"))
	for _, tc := range []struct {
		query string
		check func(b []byte) (int, int, error)
	}{
		{"?format=png", func(b []byte) (int, int, error) {
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				return 0, 0, err
			}
			// The result matches Chromium's screenshot of the live page,
			// outside the SDK's own widget (right), which Kiln hides.
			ref, err := imgcmp.Load("../testdata/corpus/gleap-local/reference.png")
			if err != nil {
				return 0, 0, err
			}
			score, err := imgcmp.SSIM(img, ref, image.Rect(1680, 0, 2560, 1600))
			if err != nil {
				return 0, 0, err
			}
			t.Logf("SSIM %.4f vs the live page", score)
			if score < 0.97 {
				return 0, 0, fmt.Errorf("SSIM %.4f vs the live page, want >= 0.97", score)
			}
			return img.Bounds().Dx(), img.Bounds().Dy(), nil
		}},
		{"?format=webp&thumbWidth=320", webpSize},
	} {
		st, b := f.do(t, "POST", "/v1/screenshots"+tc.query, body, map[string]string{"Content-Encoding": "gzip"})
		if st != 202 {
			t.Fatalf("%s: POST %d %s", tc.query, st, b)
		}
		m := f.job(t, field(t, b, "id"), 60*time.Second)
		if m["state"] != "done" {
			t.Fatalf("%s: job %v", tc.query, m)
		}
		res := m["results"].([]any)[0].(map[string]any)
		r, err := http.Get(res["url"].(string))
		if err != nil {
			t.Fatal(err)
		}
		img, _ := io.ReadAll(r.Body)
		r.Body.Close()
		w, h, err := tc.check(img)
		if err != nil || w != 2560 || h != 1600 {
			t.Fatalf("%s: image %dx%d (%v), want 2560x1600", tc.query, w, h, err)
		}
		if int(res["width"].(float64)) != w || int(res["size"].(float64)) != len(img) {
			t.Fatalf("%s: reported %v", tc.query, res)
		}
		t.Logf("%s: %d bytes, results %d", tc.query, len(img), len(m["results"].([]any)))
	}
}
