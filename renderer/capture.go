package renderer

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The capture step.

// capture takes the screenshot in the requested format, encoded by
// Chromium itself (no decode/encode in Go), at the device pixel ratio.
func (t *tab) capture(ctx context.Context, r *rendering) error {
	s, opts, pr, res := r.snap, r.opts, r.pr, r.res
	dpr := s.Viewport.DeviceScaleFactor
	if dpr == 0 {
		dpr = 1
	}
	// Chromium 156 here captures device pixels with clip scale 1 (measured:
	// scale = DPR gives DPR² the size).
	clip := page.Viewport{X: pr.ScrollX, Y: pr.ScrollY, Width: float64(s.Viewport.Width), Height: float64(s.Viewport.Height), Scale: 1}
	beyond := false
	if opts.FullPage {
		h := math.Max(pr.DocHeight, float64(s.Viewport.Height))
		maxH := float64(t.p.cfg.MaxFullPageHeight)
		// WebP stores at most 16383 pixels a side; Chromium returns an empty
		// JPEG past 65535 device pixels.
		limit := 65535.0
		if opts.Format == FormatWebP {
			limit = 16383
		}
		maxH = math.Min(maxH, math.Floor(limit/dpr))
		if h > maxH {
			h = maxH
			res.Warnings = append(res.Warnings, fmt.Sprintf("full page cut at %d px", int(maxH)))
		}
		clip = page.Viewport{X: 0, Y: 0, Width: float64(s.Viewport.Width), Height: h, Scale: 1}
		beyond = true
	}
	params := page.CaptureScreenshotParams{Clip: &clip, CaptureBeyondViewport: ptr(beyond), OptimizeForSpeed: ptr(true)}
	switch opts.Format {
	case FormatPNG:
		params.Format = page.CaptureScreenshotFormatPng
		res.ContentType = "image/png"
	case FormatJPEG:
		params.Format = page.CaptureScreenshotFormatJpeg
		params.Quality = ptr(int64(opts.Quality))
		res.ContentType = "image/jpeg"
	default:
		params.Format = page.CaptureScreenshotFormatWebp
		params.Quality = ptr(int64(opts.Quality))
		res.ContentType = "image/webp"
	}
	out, err := chromedp.Call(ctx, page.CaptureScreenshot, params)
	if err != nil {
		return err
	}
	if len(out.Data) == 0 {
		return errors.New("capture: empty image")
	}
	r.clip = clip
	res.Image = out.Data
	res.Width = int(math.Round(clip.Width * dpr))
	res.Height = int(math.Round(clip.Height * dpr))
	return nil
}
