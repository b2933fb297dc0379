package snapshot

import "fmt"

// Limits bound what Parse and FromNode accept and what an EventDecoder
// reads; the replay package bounds its recordings with the same values.
// Every input is untrusted: the limits keep one request from exhausting
// the parser, the browser or the object store. A zero (or negative) field
// takes its value from DefaultLimits.
type Limits struct {
	// MaxInputBytes bounds the raw input, the decompressed bytes of gzip
	// input and the HTML converted from an rrweb node tree.
	MaxInputBytes int64
	// MaxNodes bounds the number of elements in the document (iframe
	// srcdoc documents included). The replay mirror counts every live node
	// against it, text included: a stricter count, so any state it holds
	// converts.
	MaxNodes int
	// MaxDepth bounds element nesting, in parsed HTML, in an rrweb node
	// tree and in the replay mirror's DOM.
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

	// MaxRecordingBytes bounds the bytes an EventDecoder reads: a whole
	// recording (or the Gleap body around it), before packed events are
	// inflated.
	MaxRecordingBytes int64
	// MaxEvents bounds the events of one recording or event array.
	MaxEvents int
	// MaxEventBytes bounds one event's JSON, both as read (a packed event's
	// string) and after inflating a packed event (a zlib bomb stops here).
	MaxEventBytes int
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
	// 512 MiB: a few hours of a busy page (rrweb users report about 4 MB
	// per 90 s). The decoder holds one event at a time, so this bounds the
	// work of one job, not its memory.
	DefaultMaxRecordingBytes = 512 << 20
	// 2M events: the corpus recordings have 8 to 18 events per second
	// (rrweb batches mouse moves), so 2M is hours even at 200 events per
	// second, and a 512 MiB recording of tiny events stops here.
	DefaultMaxEvents = 2_000_000
	// 64 MiB: one event can be a full snapshot, that is one page, so it
	// gets the bound of one snapshot input (DefaultMaxInputBytes).
	DefaultMaxEventBytes = 64 << 20
)

// DefaultLimits returns the limits used for zero fields of Limits; see the
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
		MaxRecordingBytes: DefaultMaxRecordingBytes,
		MaxEvents:         DefaultMaxEvents,
		MaxEventBytes:     DefaultMaxEventBytes,
	}
}

// WithDefaults returns l with its zero and negative fields taken from
// DefaultLimits.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits()
	l.MaxInputBytes = positive(l.MaxInputBytes, d.MaxInputBytes)
	l.MaxNodes = positive(l.MaxNodes, d.MaxNodes)
	l.MaxDepth = positive(l.MaxDepth, d.MaxDepth)
	l.MaxViewportWidth = positive(l.MaxViewportWidth, d.MaxViewportWidth)
	l.MaxViewportHeight = positive(l.MaxViewportHeight, d.MaxViewportHeight)
	l.MaxDPR = positive(l.MaxDPR, d.MaxDPR)
	l.MaxPixels = positive(l.MaxPixels, d.MaxPixels)
	l.MaxResources = positive(l.MaxResources, d.MaxResources)
	l.MaxResourceBytes = positive(l.MaxResourceBytes, d.MaxResourceBytes)
	l.MaxRecordingBytes = positive(l.MaxRecordingBytes, d.MaxRecordingBytes)
	l.MaxEvents = positive(l.MaxEvents, d.MaxEvents)
	l.MaxEventBytes = positive(l.MaxEventBytes, d.MaxEventBytes)
	return l
}

// positive is v when it is above zero, else def (also for a NaN v).
func positive[T int | int64 | float64](v, def T) T {
	if v > 0 {
		return v
	}
	return def
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
