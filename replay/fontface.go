package replay

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/kilnrender/kiln/snapshot"
)

// Web fonts a page added with the FontFace API (document.fonts.add)
// reach a recording as font events (source 10), not as style sheet
// rules: rrweb's player adds them to its document again, but a picture
// is a document without scripts. Pictures get them as @font-face rules
// in a <style> at the end of <head>, which the snapshot rules sanitize
// like any other sheet: the sources were resolved and captured when the
// event was applied (cleanFont), and a font given as bytes becomes a
// data: URL.

// fontFaceCSS returns the @font-face rules of the mirror's fonts, "" when
// there are none.
func (m *Mirror) fontFaceCSS() string {
	var b strings.Builder
	for _, f := range m.fonts {
		var d struct {
			Family      string         `json:"family"`
			FontSource  string         `json:"fontSource"`
			Buffer      bool           `json:"buffer"`
			Descriptors map[string]any `json:"descriptors"`
		}
		if json.Unmarshal(f.Data, &d) != nil || d.Family == "" || d.FontSource == "" {
			continue
		}
		src := d.FontSource
		if d.Buffer {
			var bytes []byte
			var ints []int
			if json.Unmarshal([]byte(d.FontSource), &ints) != nil || len(ints) == 0 {
				continue
			}
			bytes = make([]byte, len(ints))
			for i, v := range ints {
				bytes[i] = byte(v)
			}
			src = "url(data:" + fontType(bytes) + ";base64," + base64.StdEncoding.EncodeToString(bytes) + ")"
		}
		b.WriteString("@font-face{font-family:")
		b.WriteString(snapshot.CSSQuote(d.Family))
		b.WriteString(";src:")
		b.WriteString(src)
		for _, k := range sortedKeys(d.Descriptors) {
			prop, ok := fontDescriptors[k]
			v, isText := d.Descriptors[k].(string)
			if !ok || !isText || !plainDescriptor(v) {
				continue
			}
			b.WriteString(";" + prop + ":" + v)
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// fontDescriptors maps FontFace's descriptor names to @font-face's.
var fontDescriptors = map[string]string{
	"style": "font-style", "weight": "font-weight", "stretch": "font-stretch",
	"unicodeRange": "unicode-range", "featureSettings": "font-feature-settings",
	"variationSettings": "font-variation-settings", "display": "font-display",
	"ascentOverride": "ascent-override", "descentOverride": "descent-override",
	"lineGapOverride": "line-gap-override", "sizeAdjust": "size-adjust",
}

// plainDescriptor reports whether v can stand as a descriptor's value
// without ending its declaration or rule: keywords, numbers, percentages,
// unicode ranges, quoted feature tags.
func plainDescriptor(v string) bool {
	if v == "" || len(v) > 512 {
		return false
	}
	for _, c := range v {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.ContainsRune(" ,.+-%?\"'", c):
		default:
			return false
		}
	}
	return strings.Count(v, `"`)%2 == 0 && strings.Count(v, "'")%2 == 0
}

// fontType is the media type of a font's bytes, by their signature.
func fontType(b []byte) string {
	switch {
	case len(b) >= 4 && string(b[:4]) == "wOF2":
		return "font/woff2"
	case len(b) >= 4 && string(b[:4]) == "wOFF":
		return "font/woff"
	case len(b) >= 4 && string(b[:4]) == "OTTO":
		return "font/otf"
	}
	return "font/ttf"
}

// withFontFaces adds the fonts' <style> to the document's <head> (or
// <html>) for the time of f.
func (m *Mirror) withFontFaces(f func() error) error {
	css := m.fontFaceCSS()
	host := m.head()
	if css == "" || host == nil {
		return f()
	}
	st := &snapshot.Node{Type: snapshot.NodeElement, ID: m.synthID - 1, TagName: "style", Attributes: map[string]any{},
		ChildNodes: []*snapshot.Node{{Type: snapshot.NodeText, ID: m.synthID - 2, TextContent: css}}}
	kids := host.ChildNodes
	host.ChildNodes = append(kids[:len(kids):len(kids)], st)
	defer func() { host.ChildNodes = kids }()
	return f()
}

// head is the document's <head>, else its <html>, else nil.
func (m *Mirror) head() *snapshot.Node {
	var html *snapshot.Node
	for _, c := range m.doc.ChildNodes {
		if c != nil && c.Type == snapshot.NodeElement && strings.EqualFold(c.TagName, "html") {
			html = c
		}
	}
	if html == nil {
		return nil
	}
	for _, c := range html.ChildNodes {
		if c != nil && c.Type == snapshot.NodeElement && strings.EqualFold(c.TagName, "head") {
			return c
		}
	}
	return html
}
