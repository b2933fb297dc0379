package renderer

// The thumb step: the thumbnail, and the blank-render check.

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	_ "image/png" // decodes PNG captures

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/disintegration/imaging"

	"github.com/kilnrender/kiln/snapshot"
)

// thumbQuality is the JPEG quality of thumbnails: at 320 px, 82 is
// indistinguishable from 95 at half the bytes.
const thumbQuality = 82

// thumbnailGo decodes a PNG or JPEG image, scales it to width w with a
// linear filter (Lanczos costs 2.4× for no visible gain at this size) and
// encodes a JPEG.
func thumbnailGo(src []byte, w int) ([]byte, image.Image, error) {
	img, _, err := image.Decode(bytes.NewReader(src))
	if err != nil {
		return nil, nil, fmt.Errorf("thumbnail: decode: %w", err)
	}
	th := imaging.Resize(img, w, 0, imaging.Linear)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, th, &jpeg.Options{Quality: thumbQuality}); err != nil {
		return nil, nil, fmt.Errorf("thumbnail: encode: %w", err)
	}
	return buf.Bytes(), th, nil
}

// thumb makes the thumbnail and checks it for a blank render. A PNG or
// JPEG capture is decoded and scaled in Go with imaging (cheaper than a
// second capture, see BenchmarkThumbnail); Chromium's WebP cannot be
// decoded faithfully in Go, so for WebP Chromium scales the same clip.
// Without a thumbnail a tiny capture serves the blank check.
func (t *tab) thumb(ctx context.Context, r *rendering) error {
	s, opts, res := r.snap, r.opts, r.res
	w := opts.ThumbWidth
	check := w == 0
	if check {
		w = 64
	}
	var (
		img  image.Image
		data []byte
		err  error
	)
	if !check && opts.Format != FormatWebP {
		data, img, err = thumbnailGo(res.Image, w)
	} else {
		data, img, err = t.thumbnailChromium(ctx, s, opts, r.clip, w)
	}
	if err != nil {
		return err
	}
	if r.pr.Content && uniform(img) {
		res.Warnings = append(res.Warnings, "blank render")
	}
	if !check {
		res.Thumb = data
		res.ThumbWidth = img.Bounds().Dx()
		res.ThumbHeight = img.Bounds().Dy()
	}
	return nil
}

// thumbnailChromium captures clip again, scaled to width w, as JPEG.
func (t *tab) thumbnailChromium(ctx context.Context, s *snapshot.Snapshot, opts Options, clip page.Viewport, w int) ([]byte, image.Image, error) {
	dpr := s.Viewport.DeviceScaleFactor
	if dpr == 0 {
		dpr = 1
	}
	tc := clip
	tc.Scale = float64(w) / (clip.Width * dpr)
	out, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format: page.CaptureScreenshotFormatJpeg, Quality: ptr(int64(thumbQuality)), Clip: &tc,
		CaptureBeyondViewport: ptr(opts.FullPage), OptimizeForSpeed: ptr(true),
	})
	if err != nil {
		return nil, nil, err
	}
	img, err := jpeg.Decode(bytes.NewReader(out.Data))
	if err != nil {
		return nil, nil, fmt.Errorf("thumbnail: %w", err)
	}
	return out.Data, img, nil
}
