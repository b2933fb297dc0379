package snapshot

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// DefaultURL is the document URL of a snapshot that names none (plain HTML
// without Override.URL, a bare rrweb node without a <base>). The reserved
// .invalid TLD never resolves, so relative URLs in such a document load
// nothing instead of something on the renderer's own network.
const DefaultURL = "https://snapshot.invalid/"

// Default window when the input records none.
const (
	DefaultWidth  = 1280
	DefaultHeight = 800
)

// Override holds values that replace what the input says (the CLI's --url,
// --width, --height, --dpr, --scroll-x, --scroll-y, --mobile). A zero field
// or nil pointer is not set.
type Override struct {
	URL           string // absolute http(s); also rewrites the document's <base href>
	Width, Height int
	DPR           float64
	ScrollX       *int
	ScrollY       *int
	Mobile        *bool
}

// Options control Parse.
type Options struct {
	// Name is the input's file name, if any; a name ending in .html or
	// .htm (optionally .gz) marks the input as HTML.
	Name string
	// Limits bound the input; zero fields take DefaultLimits values.
	Limits Limits
	// Override replaces values read from the input.
	Override Override
	// Mask lists extra CSS selectors whose elements are masked (project
	// configuration), on top of the input's own "mask" field.
	Mask []string
	// Block lists CSS selectors whose elements are blocked (emptied to a
	// box of their size, like rr-block), from project configuration.
	Block []string
	// Sprite, when set, returns the SVG file a <use> of the document
	// references by a URL that is not among its resources (the replay
	// mirror's stored assets, by reference): sprites are inlined from
	// either (sprite.go).
	Sprite func(url string) (Resource, bool)
	// Defined holds custom element names (lower case) the page had
	// defined, for FromNode: their elements are marked AttrDefined, as
	// the nodes rrweb recorded isCustom are. The replay mirror sets it
	// from a recording's CustomElement events: an element recorded
	// before its name was defined is not isCustom. It is only read.
	Defined map[string]bool
}

// document is what a format reader hands to the common normalization.
type document struct {
	source    Source
	root      *html.Node // parsed document
	url       string     // document URL; "" means unknown
	viewport  Viewport   // zero fields take defaults
	scroll    Scroll
	resources []Resource
	mask      []string
	warnings  []string
}

// Parse reads a snapshot in any supported format (detected as Detect does),
// applies opts.Override, checks opts.Limits and returns the normalized
// Snapshot. Errors wrap exactly one of ErrInvalid, ErrUnsupported and
// ErrTooLarge, and never quote page content. Parse never panics.
func Parse(data []byte, opts Options) (*Snapshot, error) {
	return safely(func() (*Snapshot, error) {
		lim := opts.Limits.WithDefaults()
		data, name, err := prepare(data, opts.Name, lim)
		if err != nil {
			return nil, err
		}
		src, fields, err := detect(data, name)
		if err != nil {
			return nil, err
		}
		var doc *document
		switch src {
		case SourceHTML:
			doc, err = readHTML(data, lim)
		case SourceKiln:
			doc, err = readKiln(fields, lim)
		case SourceGleap:
			doc, err = readGleap(data, fields, lim)
		case SourceRRWeb:
			doc, err = readRRWeb(data, fields, lim)
		}
		if err != nil {
			return nil, err
		}
		return finish(doc, opts, lim)
	})
}

// safely runs f, turning a panic into ErrInvalid: defence in depth, a bug
// on a hostile input must not take the process down. The message names no
// input content.
func safely(f func() (*Snapshot, error)) (snap *Snapshot, err error) {
	defer func() {
		if r := recover(); r != nil {
			snap, err = nil, invalidf("internal error while reading input")
		}
	}()
	return f()
}

// Detect names the format of data without fully reading it. name is the
// input's file name (may be empty). Gzip input is decompressed first (up to
// DefaultMaxInputBytes). Unknown formats give ErrUnsupported; malformed JSON
// gives ErrInvalid.
func Detect(data []byte, name string) (Source, error) {
	data, name, err := prepare(data, name, DefaultLimits())
	if err != nil {
		return "", err
	}
	src, _, err := detect(data, name)
	return src, err
}

var gzipMagic = []byte{0x1f, 0x8b}

// prepare checks the size, decompresses gzip and strips a UTF-8 BOM.
func prepare(data []byte, name string, lim Limits) ([]byte, string, error) {
	if int64(len(data)) > lim.MaxInputBytes {
		return nil, "", tooLargef("input: over %d bytes", lim.MaxInputBytes)
	}
	lname := strings.ToLower(name)
	if bytes.HasPrefix(data, gzipMagic) {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, "", invalidf("gzip: bad header")
		}
		out, err := io.ReadAll(io.LimitReader(zr, lim.MaxInputBytes+1))
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, "", invalidf("gzip: truncated")
			}
			return nil, "", invalidf("gzip: corrupt")
		}
		if int64(len(out)) > lim.MaxInputBytes {
			return nil, "", tooLargef("input: over %d bytes after gzip decompression", lim.MaxInputBytes)
		}
		if bytes.HasPrefix(out, gzipMagic) {
			return nil, "", unsupportedf("gzip: nested compression")
		}
		data = out
		lname = strings.TrimSuffix(lname, ".gz")
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	return data, lname, nil
}

// detect names the format. For a JSON object it also returns its top-level
// fields so readers do not decode the input twice.
func detect(data []byte, name string) (Source, map[string]json.RawMessage, error) {
	trimmed := bytes.TrimLeft(data, " \t\r\n\f")
	if len(trimmed) == 0 {
		return "", nil, invalidf("input: empty")
	}
	if strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".htm") || trimmed[0] == '<' {
		return SourceHTML, nil, nil
	}
	switch trimmed[0] {
	case '[':
		if !json.Valid(trimmed) {
			return "", nil, invalidf("input: malformed JSON")
		}
		return SourceRRWeb, nil, nil
	case '{':
		fields, ok := objectFields(trimmed)
		if !ok {
			if err := json.Unmarshal(trimmed, &fields); err != nil {
				return "", nil, invalidf("input: malformed JSON")
			}
		}
		src := detectObject(fields)
		if src == "" {
			return "", nil, unsupportedf("input: JSON object of no known snapshot format")
		}
		return src, fields, nil
	}
	if json.Valid(trimmed) {
		return "", nil, unsupportedf("input: JSON is neither an object nor an array")
	}
	return "", nil, unsupportedf("input: neither HTML nor JSON")
}

func detectObject(f map[string]json.RawMessage) Source {
	has := func(k string) bool { _, ok := f[k]; return ok }
	switch {
	case has("screenshotData"):
		return SourceGleap
	case has("version") || (has("url") && (has("html") || has("rrweb"))):
		return SourceKiln
	case has("html") && has("baseUrl"):
		return SourceGleap // bare screenshotData
	case has("childNodes") && string(bytes.TrimSpace(f["type"])) == "0":
		return SourceRRWeb // bare full-snapshot node
	case has("html") || has("rrweb"):
		return SourceKiln
	}
	return ""
}

// checkURL validates an absolute http(s) URL and returns its normal form.
func checkURL(field, raw string) (string, error) {
	if len(raw) > maxURLLen {
		return "", invalidf("%s: longer than %d bytes", field, maxURLLen)
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || !u.IsAbs() || u.Host == "" {
		return "", invalidf("%s: must be an absolute http(s) URL", field)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", invalidf("%s: scheme must be http or https", field)
	}
	if u.User != nil {
		return "", invalidf("%s: must not carry credentials", field)
	}
	return u.String(), nil
}

const maxURLLen = 8 << 10

// finish applies overrides and limits and normalizes the document.
func finish(doc *document, opts Options, lim Limits) (*Snapshot, error) {
	s := &Snapshot{Source: doc.source, Warnings: doc.warnings}

	// Document URL.
	var err error
	baseOverride := false
	switch {
	case opts.Override.URL != "":
		if s.URL, err = checkURL("override.url", opts.Override.URL); err != nil {
			return nil, err
		}
		baseOverride = true
	case doc.url != "":
		if s.URL, err = checkURL("url", doc.url); err != nil {
			return nil, err
		}
	default:
		s.URL = DefaultURL
	}

	// Viewport and scroll.
	v := doc.viewport
	if v.Width == 0 {
		v.Width = DefaultWidth
	}
	if v.Height == 0 {
		v.Height = DefaultHeight
	}
	if v.DeviceScaleFactor == 0 {
		v.DeviceScaleFactor = 1
	}
	o := opts.Override
	if o.Width != 0 {
		v.Width = o.Width
	}
	if o.Height != 0 {
		v.Height = o.Height
	}
	if o.DPR != 0 {
		v.DeviceScaleFactor = o.DPR
	}
	if o.Mobile != nil {
		v.Mobile = *o.Mobile
	}
	if err := lim.checkViewport(v); err != nil {
		return nil, err
	}
	s.Viewport = v
	s.Scroll = doc.scroll
	if o.ScrollX != nil {
		s.Scroll.X = *o.ScrollX
	}
	if o.ScrollY != nil {
		s.Scroll.Y = *o.ScrollY
	}
	if err := checkScroll(s.Scroll); err != nil {
		return nil, err
	}

	// Resources.
	if err := checkResources(doc.resources, lim); err != nil {
		return nil, err
	}
	s.Resources = doc.resources

	// Masks.
	s.Mask = append(append([]string(nil), doc.mask...), opts.Mask...)
	sels, err := compileMasks(s.Mask)
	if err != nil {
		return nil, err
	}
	blocks, err := CompileSelectors("block", opts.Block)
	if err != nil {
		return nil, err
	}

	base, _ := url.Parse(s.URL)
	// Sprites first: the rules then judge the copies like the rest.
	refBase := base
	if b := baseHref(doc.root); b != "" && !baseOverride && base != nil {
		if u, err := base.Parse(b); err == nil {
			refBase = u
		}
	}
	inlineSprites(doc.root, refBase, s.Resources, opts.Sprite, lim, "kiln-sprite-")
	nz := &normalizer{lim: lim, base: base, masks: sels, blocks: blocks}
	if err := nz.document(doc.root, baseOverride); err != nil {
		return nil, err
	}
	out, err := nz.render(doc.root)
	if err != nil {
		return nil, err
	}
	s.HTML = out
	s.Nodes = nz.nodes
	s.Warnings = append(s.Warnings, nz.warnings()...)
	return s, nil
}
