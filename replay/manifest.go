package replay

import "fmt"

// Bundle format.
const (
	BundleFormat  = "kiln-replay"
	BundleVersion = 1
	// assetScheme prefixes the sha256 of a stored asset in events when
	// Config.AssetBaseURL is empty; a player replaces it by the URL of the
	// bundle's assets/ folder.
	assetScheme = "kiln-asset:"
)

// Manifest describes a bundle (manifest.json). Times ending in Ms are
// milliseconds from StartTime.
type Manifest struct {
	Format     string         `json:"format"`
	Version    int            `json:"version"`
	Input      InputInfo      `json:"input"`
	StartTime  int64          `json:"startTime"` // Unix ms of the first kept event
	Start      string         `json:"start"`     // StartTime in RFC 3339
	DurationMs int64          `json:"durationMs"`
	Viewports  []ViewportAt   `json:"viewports"`
	Pages      []PageAt       `json:"pages"`
	Events     map[string]int `json:"events"` // recorded events kept, by kind
	Segments   []Segment      `json:"segments"`
	Keyframes  []Keyframe     `json:"keyframes"`
	Poster     *Keyframe      `json:"poster,omitempty"`
	Assets     Assets         `json:"assets"`
	// Timeline, when the recording belongs to a feedback item, is where
	// the item's timeline is (console, network, custom events, clicks,
	// inputs, navigations, on this recording's clock: the API's
	// GET /v1/items/{id}), for a player to show beside the replay.
	Timeline string `json:"timeline,omitempty"`
	// Video, when the bundle's job made one, is that file (beside the
	// manifest); the manifest is then written after it.
	Video    *Video   `json:"video,omitempty"`
	Warnings []string `json:"warnings"`
}

// Video is a video of the bundle (RenderVideo), stored beside it.
type Video struct {
	Name        string `json:"name"` // e.g. "video.mp4"
	ContentType string `json:"contentType"`
	Bytes       int64  `json:"bytes"`
	// Skipped are the spans of the session the video leaves out (asked
	// for with skip-inactive), in session time: video time t maps back by
	// adding the length of every span that starts before it.
	Skipped []VideoSpan `json:"skipped,omitempty"`
}

// Encode is the manifest as the bundle stores it (manifest.json).
func (m *Manifest) Encode() ([]byte, error) { return marshalIndent(m) }

// InputInfo describes what was read.
type InputInfo struct {
	Format  string `json:"format"` // "rrweb" or "gleap" (snapshot.SourceRRWeb, SourceGleap)
	Bytes   int64  `json:"bytes"`
	Events  int    `json:"events"`  // events read
	Dropped int    `json:"dropped"` // events not in the bundle
	// Added counts events Kiln added after the event that implied them
	// (an Input event emptying a field the page emptied without one,
	// docs/replay.md "Fidelity"); they are in Events and the segments'.
	Added int `json:"added,omitempty"`
}

// ViewportAt is a window size from AtMs on.
type ViewportAt struct {
	AtMs   int64 `json:"atMs"`
	Width  int   `json:"width"`
	Height int   `json:"height"`
}

// PageAt is a page visited from AtMs on.
type PageAt struct {
	AtMs int64  `json:"atMs"`
	Href string `json:"href"`
}

// Segment is one gzip-compressed JSON array of rrweb events covering
// [StartMs, EndMs]. It starts with a Meta and a FullSnapshot (Synthetic
// when Kiln built them from the state at StartMs), so a player can start
// at any segment.
type Segment struct {
	Name      string `json:"name"`
	StartMs   int64  `json:"startMs"`
	EndMs     int64  `json:"endMs"`
	Events    int    `json:"events"`    // recorded events in the segment
	Synthetic int    `json:"synthetic"` // events Kiln added at its start
	Bytes     int    `json:"bytes"`     // compressed
	RawBytes  int    `json:"rawBytes"`  // JSON before compression
	SHA256    string `json:"sha256"`    // of the compressed bytes
	Encoding  string `json:"encoding"`  // "gzip"
}

// Keyframe is a picture of the state at AtMs. Image is empty when no
// Shooter was configured or the render failed (see warnings).
type Keyframe struct {
	AtMs        int64  `json:"atMs"`
	Reason      string `json:"reason"` // "start", "interval", "navigation", "resize", "poster"
	Image       string `json:"image,omitempty"`
	ContentType string `json:"contentType,omitempty"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
	Thumb       string `json:"thumb,omitempty"`
	SHA256      string `json:"sha256,omitempty"`
}

// Assets lists stored subresources, and the URLs the bundle does not
// hold.
type Assets struct {
	// Base is Config.AssetBaseURL; when empty, events reference assets as
	// Scheme+sha256 and a player substitutes the URL of assets/.
	Base   string        `json:"base,omitempty"`
	Scheme string        `json:"scheme,omitempty"`
	Items  []Asset       `json:"items"`
	Failed []FailedAsset `json:"failed"`
	// Removed lists the URLs that were replaced in events because no
	// stored asset stands for them (links, fetches refused or failed,
	// asset capture off, data URLs of active types), one entry per URL,
	// at most maxRemovedListed. RemovedCount counts every replacement,
	// listed or not. Script URLs are not listed: the warnings count them.
	Removed      []RemovedURL `json:"removed"`
	RemovedCount int          `json:"removedCount"`
}

// maxRemovedListed bounds Assets.Removed: a page of a thousand links
// would otherwise list them all.
const maxRemovedListed = 500

// RemovedURL is a URL the bundle no longer holds. URL is for people
// reading the manifest, never a link: without credentials, query or
// fragment, at most maxShownURL bytes (data URLs show their type only).
type RemovedURL struct {
	URL    string `json:"url"`
	Reason string `json:"reason"`
	Count  int    `json:"count"` // replacements in events
}

// Asset maps an original URL to its stored copy assets/<Name>.
type Asset struct {
	URL         string `json:"url"`
	Name        string `json:"name"` // sha256 hex of the stored bytes
	ContentType string `json:"contentType"`
	Bytes       int    `json:"bytes"` // stored
	// Encoding is "gzip" when the stored bytes are gzip-compressed: the
	// store serves them with Content-Encoding: gzip (style sheets Kiln
	// moved out of the recording), else "".
	Encoding string `json:"encoding,omitempty"`
}

// FailedAsset is a URL whose fetch failed; events no longer reference it
// (it is listed in Assets.Removed too).
type FailedAsset struct {
	URL    string `json:"url"`
	Reason string `json:"reason"`
}

// warnings collects deduplicated warnings with counts.
type warnings struct {
	order []string
	count map[string]int
}

func (w *warnings) add(s string) {
	if w.count == nil {
		w.count = make(map[string]int)
	}
	if _, ok := w.count[s]; !ok {
		if len(w.order) >= 100 {
			return
		}
		w.order = append(w.order, s)
	}
	w.count[s]++
}

func (w *warnings) list() []string {
	out := make([]string, 0, len(w.order))
	for _, s := range w.order {
		if n := w.count[s]; n > 1 {
			s = fmt.Sprintf("%s (%d times)", s, n)
		}
		out = append(out, s)
	}
	return out
}
