package snapshot

import "fmt"

// Limits bound what Parse accepts. Every input is untrusted: the limits keep
// one request from exhausting the parser, the browser or the object store.
// A zero field takes its value from DefaultLimits.
type Limits struct {
	// MaxInputBytes bounds the raw input and, for gzip input, the
	// decompressed bytes.
	MaxInputBytes int64
	// MaxNodes bounds the number of elements in the document (iframe
	// srcdoc documents included).
	MaxNodes int
	// MaxDepth bounds element nesting.
	MaxDepth int
	// MaxViewportWidth and MaxViewportHeight bound the window in CSS pixels.
	MaxViewportWidth, MaxViewportHeight int
	// MaxDPR bounds the device pixel ratio.
	MaxDPR float64
	// MaxPixels bounds the device pixels of one capture:
	// width × height × DPR².
	MaxPixels int64
	// MaxResources bounds the number of resources supplied with a snapshot.
	MaxResources int
	// MaxResourceBytes bounds the decoded bytes of all resources together.
	MaxResourceBytes int64
}

// Default limits and why they have their value.
const (
	// 64 MiB: a Gleap payload from a local host inlines every image and
	// font as a data: URL (the test shop's is 0.6 MB; pages with photos
	// reach tens of MB). Beyond this, parsing alone costs seconds.
	DefaultMaxInputBytes = 64 << 20
	// 200k elements: real pages rarely pass 30k; Chromium needs ~0.75 s to
	// lay out a 2000-row table (~10k elements), so 200k is already a
	// render of many seconds.
	DefaultMaxNodes = 200_000
	// 512: Chromium's HTML parser stops nesting at 512 levels
	// (kMaximumHTMLParserDOMTreeDepth); deeper input cannot be what the
	// user saw.
	DefaultMaxDepth = 512
	// 4096 CSS px covers 4K monitors (3840x2160) in either orientation.
	DefaultMaxViewportWidth  = 4096
	DefaultMaxViewportHeight = 4096
	// 4: the highest device pixel ratio shipped by phones is 3.5-4.
	DefaultMaxDPR = 4
	// 2^25 device pixels (128 MiB of RGBA): a 4K window at DPR 2 fits,
	// a 4096x4096 window at DPR 4 (1 GiB of pixels) does not.
	DefaultMaxPixels = 1 << 25
	// 1000 resources: the largest corpus page needs ~50.
	DefaultMaxResources = 1000
	// 48 MiB decoded: base64 in a 64 MiB input cannot carry more.
	DefaultMaxResourceBytes = 48 << 20
)

// DefaultLimits returns the limits used when Options.Limits is zero; see the
// Default* constants for the reasoning behind each value.
func DefaultLimits() Limits {
	return Limits{
		MaxInputBytes:     DefaultMaxInputBytes,
		MaxNodes:          DefaultMaxNodes,
		MaxDepth:          DefaultMaxDepth,
		MaxViewportWidth:  DefaultMaxViewportWidth,
		MaxViewportHeight: DefaultMaxViewportHeight,
		MaxDPR:            DefaultMaxDPR,
		MaxPixels:         DefaultMaxPixels,
		MaxResources:      DefaultMaxResources,
		MaxResourceBytes:  DefaultMaxResourceBytes,
	}
}

// withDefaults fills zero fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxInputBytes <= 0 {
		l.MaxInputBytes = d.MaxInputBytes
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = d.MaxNodes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxViewportWidth <= 0 {
		l.MaxViewportWidth = d.MaxViewportWidth
	}
	if l.MaxViewportHeight <= 0 {
		l.MaxViewportHeight = d.MaxViewportHeight
	}
	if !(l.MaxDPR > 0) {
		l.MaxDPR = d.MaxDPR
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = d.MaxPixels
	}
	if l.MaxResources <= 0 {
		l.MaxResources = d.MaxResources
	}
	if l.MaxResourceBytes <= 0 {
		l.MaxResourceBytes = d.MaxResourceBytes
	}
	return l
}

// checkViewport validates the final viewport against l.
func (l Limits) checkViewport(v Viewport) error {
	if v.Width < 1 || v.Width > l.MaxViewportWidth {
		return invalidf("viewport.width: must be 1..%d", l.MaxViewportWidth)
	}
	if v.Height < 1 || v.Height > l.MaxViewportHeight {
		return invalidf("viewport.height: must be 1..%d", l.MaxViewportHeight)
	}
	dpr := v.DeviceScaleFactor
	if !(dpr >= 0.25 && dpr <= l.MaxDPR) { // also rejects NaN
		return invalidf("viewport.deviceScaleFactor: must be 0.25..%g", l.MaxDPR)
	}
	px := float64(v.Width) * float64(v.Height) * dpr * dpr
	if px > float64(l.MaxPixels) {
		return tooLargef("viewport: %dx%d at DPR %g is over %d device pixels", v.Width, v.Height, dpr, l.MaxPixels)
	}
	return nil
}

// maxScroll bounds scroll offsets (CSS px); Chromium clamps layout
// coordinates far below this.
const maxScroll = 10_000_000

func checkScroll(s Scroll) error {
	if s.X < -maxScroll || s.X > maxScroll {
		return invalidf("scroll.x: must be within ±%d", maxScroll)
	}
	if s.Y < -maxScroll || s.Y > maxScroll {
		return invalidf("scroll.y: must be within ±%d", maxScroll)
	}
	return nil
}

func invalidf(format string, args ...any) error {
	return fmt.Errorf("parse snapshot: "+format+": %w", append(args, ErrInvalid)...)
}

func unsupportedf(format string, args ...any) error {
	return fmt.Errorf("parse snapshot: "+format+": %w", append(args, ErrUnsupported)...)
}

func tooLargef(format string, args ...any) error {
	return fmt.Errorf("parse snapshot: "+format+": %w", append(args, ErrTooLarge)...)
}
