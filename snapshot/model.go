package snapshot

import "errors"

// FormatVersion is the version of Kiln's snapshot JSON this package reads and
// writes (field "version"; absent means 1).
const FormatVersion = 1

// Source names the input format a Snapshot was parsed from.
type Source string

// Input formats, detected by Parse.
const (
	SourceKiln  Source = "kiln"  // Kiln snapshot JSON
	SourceGleap Source = "gleap" // Gleap feedback body or its screenshotData
	SourceRRWeb Source = "rrweb" // rrweb event array or bare full-snapshot node
	SourceHTML  Source = "html"  // a plain HTML document
)

// Viewport is the user's window in CSS pixels.
type Viewport struct {
	Width             int     `json:"width"`
	Height            int     `json:"height"`
	DeviceScaleFactor float64 `json:"deviceScaleFactor"`
	Mobile            bool    `json:"mobile"`
}

// Scroll is the window scroll offset in CSS pixels.
type Scroll struct {
	X int `json:"x"`
	Y int `json:"y"`
}

// Resource is a subresource supplied with the snapshot, served to the browser
// from memory at URL (absolute http or https).
type Resource struct {
	URL         string `json:"url"`
	ContentType string `json:"contentType"`
	Data        []byte `json:"data"`
}

// Snapshot is one page to render, normalized from any input format.
//
// HTML is sanitized and self-describing (see doc.go for the contract): no
// scripts, no event handlers, no javascript: URLs, no <noscript>, no meta
// refresh; form state written into attributes; password values removed;
// masked values and text replaced by same-length placeholders; blocked
// elements replaced by boxes of their recorded size; shadow roots as
// declarative <template shadowrootmode>; runtime state the browser must apply
// after layout carried in data-kiln-* attributes.
type Snapshot struct {
	Source    Source     `json:"source"`
	URL       string     `json:"url"` // document URL, http(s); base for relative URLs
	HTML      []byte     `json:"-"`
	Viewport  Viewport   `json:"viewport"`
	Scroll    Scroll     `json:"scroll"`
	Resources []Resource `json:"-"`
	Mask      []string   `json:"mask,omitempty"` // CSS selectors, already applied to HTML
	Nodes     int        `json:"nodes"`          // element count after normalization
	Warnings  []string   `json:"warnings,omitempty"`
}

// Attributes of the normalized HTML that carry state the browser applies
// after layout (the renderer's prepare step reads them).
const (
	AttrCanvas = "data-kiln-canvas" // on <canvas>: data: URL of its pixels
	// AttrCanvasCommands, on <canvas>: rrweb 2D canvas commands
	// ({property, args, setter}), one JSON object per line, to draw after
	// AttrCanvas's pixels (its name is AttrCanvas + "-commands"). The
	// replay mirror sets it from what a recording drew; the Sanitizer
	// removes it from recorded nodes, so an event cannot set it directly.
	// Like AttrCanvas, other inputs may carry it: the renderer applies
	// only whitelisted context methods and setters with plain arguments.
	AttrCanvasCommands = "data-kiln-canvas-commands"
	AttrScrollTop      = "data-kiln-scroll-top"  // element scroll offsets, CSS px
	AttrScrollLeft     = "data-kiln-scroll-left" //
	// AttrModal, on an open <dialog>: it was opened with showModal()
	// (rrweb's rr_open_mode "modal"), so it is shown in the top layer over
	// its ::backdrop, the rest of the page inert, as on the live page.
	AttrModal = "data-kiln-modal"
	// AttrPointer: "X Y", where the mouse pointer was, in CSS pixels of
	// the viewport of the document holding the element that carries it:
	// the element under the pointer, or the document's root element when
	// that is not known. Earlier positions of its way there may come
	// first ("x y x y ... X Y", at most 16 pairs in all). The renderer
	// moves its mouse through them and there after layout (then by way of
	// the element's ancestors when it is not under the point: a menu
	// opened by hovering), so :hover shows as on the live page, and what
	// the way kept open (a menu its button's hover opened) stays open.
	// The replay mirror sets it from the recorded mouse positions; the
	// Sanitizer removes it from recorded nodes. Other inputs may carry it.
	AttrPointer = "data-kiln-pointer"
	// AttrDefined, on an element whose name is a custom element's: the
	// page had defined it (customElements.define), so it matches
	// :defined. When any element of an input carries it, exactly those
	// names are defined; when none does (the input does not say: HTML
	// snapshots, recorders before rrweb 2), every element with a valid
	// custom element name is, as the scripts of a captured page had run.
	// The renderer defines each name with an empty class of its own
	// (nothing of the page runs). rrweb's isCustom sets it; the replay
	// mirror also sets isCustom from CustomElement events; the Sanitizer
	// removes it from recorded nodes. Other inputs may carry it.
	AttrDefined = "data-kiln-defined"
	// AttrSelection marks the ends of the page's text selection: "start J
	// N" on the element holding its start, "end J N" on the one holding
	// its end (both in one value when they share it), J the element
	// children of that element before the end and N the offset, in UTF-16
	// units, into the text after the last of them. The renderer selects
	// that range, painted as on the live (focused) page. The replay mirror
	// sets it from the last Selection event; the Sanitizer removes it from
	// recorded nodes. Other inputs may carry it.
	AttrSelection = "data-kiln-selection"
	// AttrMedia, on a <video> that played or was seeked: "T" or "T loop",
	// the time into it in seconds at the picture's moment (modulo its
	// duration when it loops). The renderer pauses it and shows that
	// frame. The replay mirror sets it from the recorded media state; the
	// Sanitizer removes it from recorded nodes. Other inputs may carry it.
	AttrMedia = "data-kiln-media"
)

// Errors. Every error Parse returns wraps exactly one of these; the text
// after it names the field or limit at fault and never quotes page content.
var (
	ErrInvalid     = errors.New("invalid snapshot")     // malformed input
	ErrUnsupported = errors.New("unsupported snapshot") // well-formed but not a format Kiln reads
	ErrTooLarge    = errors.New("snapshot too large")   // over a limit
)
