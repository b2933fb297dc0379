package renderer

import "time"

// Image formats.
const (
	FormatWebP = "webp"
	FormatJPEG = "jpeg"
	FormatPNG  = "png"
)

// Options select what one render produces.
type Options struct {
	Format     string // FormatWebP (default), FormatJPEG or FormatPNG
	Quality    int    // 1..100 for WebP and JPEG; 0 means 80
	ThumbWidth int    // thumbnail width in CSS px, JPEG; 0 means none
	FullPage   bool   // capture the whole document, capped by Config.MaxFullPageHeight
}

// Step is one timed stage of a render (queue, load, settle, capture, thumb).
type Step struct {
	Name     string        `json:"name"`
	Duration time.Duration `json:"ns"`
}

// Blocked is a request the browser made that Kiln did not serve.
type Blocked struct {
	URL    string `json:"url"`
	Reason string `json:"reason"`
}

// Result is one rendered page.
type Result struct {
	Image       []byte    `json:"-"`
	ContentType string    `json:"contentType"`
	Width       int       `json:"width"`  // image pixels
	Height      int       `json:"height"` // image pixels
	Thumb       []byte    `json:"-"`
	ThumbWidth  int       `json:"thumbWidth,omitempty"`
	ThumbHeight int       `json:"thumbHeight,omitempty"`
	Steps       []Step    `json:"steps"`
	Warnings    []string  `json:"warnings,omitempty"`
	Blocked     []Blocked `json:"blocked,omitempty"`
	Fetched     int       `json:"fetched"` // resources fetched from the network by Kiln
	Served      int       `json:"served"`  // resources served from the snapshot
}
