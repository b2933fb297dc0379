package snapshot

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// rrweb event and node types (rrweb 2.x).
const (
	rrEventFullSnapshot = 2
	rrEventMeta         = 4

	rrDocument     = 0
	rrDocumentType = 1
	rrElement      = 2
	rrText         = 3
	rrCDATA        = 4
	rrComment      = 5
)

type rrNode struct {
	Type         int      `json:"type"`
	TagName      string   `json:"tagName"`
	Attributes   rrAttrs  `json:"attributes"`
	ChildNodes   []rrNode `json:"childNodes"`
	IsSVG        bool     `json:"isSVG"`
	TextContent  string   `json:"textContent"`
	Name         string   `json:"name"`
	PublicID     string   `json:"publicId"`
	SystemID     string   `json:"systemId"`
	IsShadowHost bool     `json:"isShadowHost"`
	IsShadow     bool     `json:"isShadow"`
}

type rrAttr struct{ key, val string }

// rrAttrs keeps attributes in recorded order, so output is deterministic.
// Values are strings, numbers or booleans; false and null mean absent.
type rrAttrs []rrAttr

func (a *rrAttrs) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		*a = nil
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return errors.New("attributes: not an object")
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := t.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return err
		}
		switch v := v.(type) {
		case string:
			*a = append(*a, rrAttr{key, v})
		case json.Number:
			*a = append(*a, rrAttr{key, v.String()})
		case bool:
			if v {
				*a = append(*a, rrAttr{key, ""})
			}
		}
	}
	return nil
}

func (a rrAttrs) get(key string) (string, bool) {
	for _, at := range a {
		if at.key == key {
			return at.val, true
		}
	}
	return "", false
}

type rrEvent struct {
	Type *int            `json:"type"`
	Data json.RawMessage `json:"data"`
}

type rrMeta struct {
	Href   string  `json:"href"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

type rrFull struct {
	Node          json.RawMessage `json:"node"`
	InitialOffset struct {
		Left float64 `json:"left"`
		Top  float64 `json:"top"`
	} `json:"initialOffset"`
}

// readRRWeb reads an rrweb event array (the last Meta + FullSnapshot pair
// is rendered) or a bare full-snapshot node (fields != nil).
func readRRWeb(data []byte, fields map[string]json.RawMessage, lim Limits) (*document, error) {
	doc := &document{source: SourceRRWeb}
	node := json.RawMessage(data)
	if fields == nil {
		var events []json.RawMessage
		if err := json.Unmarshal(data, &events); err != nil {
			return nil, invalidf("rrweb: events: must be an array")
		}
		full, meta := -1, -1
		var parsed []rrEvent
		for i, raw := range events {
			ev, err := decodeEvent(raw, lim)
			if err != nil {
				return nil, invalidf("rrweb: events[%d]: %s", i, err.Error())
			}
			parsed = append(parsed, ev)
			switch *ev.Type {
			case rrEventFullSnapshot:
				full = i
			}
		}
		if full < 0 {
			if len(events) > 0 {
				return nil, invalidf("rrweb: events: no full snapshot")
			}
			return nil, unsupportedf("rrweb: events: empty")
		}
		for i := full - 1; i >= 0; i-- {
			if *parsed[i].Type == rrEventMeta {
				meta = i
				break
			}
		}
		var fs rrFull
		if err := json.Unmarshal(parsed[full].Data, &fs); err != nil || fs.Node == nil {
			return nil, invalidf("rrweb: events[%d]: full snapshot without node", full)
		}
		node = fs.Node
		doc.scroll = Scroll{X: roundScroll(fs.InitialOffset.Left), Y: roundScroll(fs.InitialOffset.Top)}
		if meta >= 0 {
			var m rrMeta
			if err := json.Unmarshal(parsed[meta].Data, &m); err != nil {
				return nil, invalidf("rrweb: events[%d]: meta: %s", meta, jsonProblem(err))
			}
			doc.url = m.Href
			if m.Width < 0 || m.Height < 0 || m.Width > 1e6 || m.Height > 1e6 {
				return nil, invalidf("rrweb: events[%d]: meta: width/height out of range", meta)
			}
			doc.viewport.Width = int(math.Round(m.Width))
			doc.viewport.Height = int(math.Round(m.Height))
		}
	}
	b, err := rrwebNodeHTML(node, lim, "rrweb")
	if err != nil {
		return nil, err
	}
	root, err := parseHTML(b, lim, "rrweb")
	if err != nil {
		return nil, err
	}
	doc.root = root
	if doc.url == "" {
		doc.url = baseHref(root)
	}
	return doc, nil
}

func roundScroll(f float64) int {
	if math.IsNaN(f) || f > maxScroll || f < -maxScroll {
		return maxScroll + 1 // checkScroll rejects it
	}
	return int(math.Round(f))
}

// decodeEvent reads one event; a JSON string is a packed event (Gleap's
// webReplay: zlib-compressed JSON, one character per byte).
func decodeEvent(raw json.RawMessage, lim Limits) (rrEvent, error) {
	var ev rrEvent
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return ev, errors.New("bad packed event")
		}
		b := make([]byte, 0, len(s))
		for _, r := range s {
			if r > 0xff {
				return ev, errors.New("bad packed event")
			}
			b = append(b, byte(r))
		}
		zr, err := zlib.NewReader(bytes.NewReader(b))
		if err != nil {
			return ev, errors.New("bad packed event")
		}
		out, err := io.ReadAll(io.LimitReader(zr, lim.MaxInputBytes+1))
		if err != nil || int64(len(out)) > lim.MaxInputBytes {
			return ev, errors.New("bad or oversized packed event")
		}
		raw = out
	}
	if err := json.Unmarshal(raw, &ev); err != nil || ev.Type == nil {
		return ev, errors.New("not an rrweb event")
	}
	return ev, nil
}

// rrwebNodeHTML converts an rrweb full-snapshot document node to HTML.
func rrwebNodeHTML(raw json.RawMessage, lim Limits, field string) ([]byte, error) {
	var n rrNode
	if err := json.Unmarshal(raw, &n); err != nil {
		if strings.Contains(err.Error(), "exceeded max depth") {
			return nil, tooLargef("%s: nesting deeper than %d", field, lim.MaxDepth)
		}
		return nil, invalidf("%s: %s", field, jsonProblem(err))
	}
	if n.Type != rrDocument {
		return nil, invalidf("%s: root must be a document node (type 0)", field)
	}
	c := &rrConv{lim: lim, field: field}
	root, err := c.document(&n, 0, 0)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := html.Render(&buf, root); err != nil {
		return nil, invalidf("%s: cannot serialize", field)
	}
	return buf.Bytes(), nil
}

type rrConv struct {
	lim   Limits
	field string
	nodes int
}

func (c *rrConv) document(n *rrNode, depth, level int) (*html.Node, error) {
	doc := &html.Node{Type: html.DocumentNode}
	for i := range n.ChildNodes {
		if err := c.node(&n.ChildNodes[i], doc, depth, level); err != nil {
			return nil, err
		}
	}
	return doc, nil
}

func (c *rrConv) node(n *rrNode, parent *html.Node, depth, level int) error {
	switch n.Type {
	case rrDocumentType:
		if parent.Type != html.DocumentNode {
			return nil
		}
		name := strings.ToLower(n.Name)
		if !validName(name) {
			name = "html"
		}
		dt := &html.Node{Type: html.DoctypeNode, Data: name}
		for _, id := range [][2]string{{"public", n.PublicID}, {"system", n.SystemID}} {
			if id[1] != "" && !(strings.Contains(id[1], `"`) && strings.Contains(id[1], `'`)) {
				dt.Attr = append(dt.Attr, html.Attribute{Key: id[0], Val: id[1]})
			}
		}
		parent.AppendChild(dt)
	case rrText, rrCDATA:
		text := n.TextContent
		if parent.Type == html.ElementNode && parent.Namespace == "" && literalText[parent.DataAtom] {
			// Raw text ends at "</": keep CSS intact and the element closed.
			text = strings.ReplaceAll(text, "</", `<\/`)
		}
		if parent.Type == html.ElementNode && voidElements[parent.DataAtom] && parent.Namespace == "" {
			return nil
		}
		if parent.Type == html.DocumentNode {
			return nil
		}
		parent.AppendChild(&html.Node{Type: html.TextNode, Data: text})
	case rrElement:
		return c.element(n, parent, depth+1, level)
	case rrDocument, rrComment:
		// Documents only appear under iframes (handled there); comments
		// are invisible.
	default:
		return invalidf("%s: unknown node type %d", c.field, n.Type)
	}
	return nil
}

// literalText are elements whose text the serializer writes unescaped.
var literalText = map[atom.Atom]bool{
	atom.Style: true, atom.Script: true, atom.Xmp: true, atom.Iframe: true,
	atom.Noembed: true, atom.Noframes: true, atom.Noscript: true, atom.Plaintext: true,
}

func (c *rrConv) element(n *rrNode, parent *html.Node, depth, level int) error {
	c.nodes++
	if c.nodes > c.lim.MaxNodes {
		return tooLargef("%s: more than %d elements", c.field, c.lim.MaxNodes)
	}
	if depth > c.lim.MaxDepth {
		return tooLargef("%s: nesting deeper than %d", c.field, c.lim.MaxDepth)
	}
	tag := n.TagName
	if !validName(tag) {
		return nil // cannot be written as a tag; drop it and its subtree
	}
	e := &html.Node{Type: html.ElementNode}
	if n.IsSVG {
		e.Data, e.Namespace = tag, "svg"
	} else {
		e.Data = strings.ToLower(tag)
		e.DataAtom = atom.Lookup([]byte(e.Data))
	}
	var style []string // declarations appended to the inline style
	cssText, hasCSS := n.Attributes.get("_cssText")
	for _, a := range n.Attributes {
		k := a.key
		switch {
		case k == "_cssText":
		case k == "rr_dataURL":
			if !strings.HasPrefix(a.val, "data:image/") {
				continue
			}
			switch e.DataAtom {
			case atom.Canvas:
				e.Attr = append(e.Attr, html.Attribute{Key: AttrCanvas, Val: a.val})
			case atom.Img:
				setAttr(e, "src", a.val)
			}
		case k == "rr_scrollTop", k == "rr_scrollLeft":
			if isNumber(a.val) && a.val != "0" {
				key := AttrScrollTop
				if k == "rr_scrollLeft" {
					key = AttrScrollLeft
				}
				e.Attr = append(e.Attr, html.Attribute{Key: key, Val: a.val})
			}
		case k == "rr_width", k == "rr_height":
			if l := cssLength(a.val); l != "" {
				style = append(style, strings.TrimPrefix(k, "rr_")+":"+l)
			}
		case strings.HasPrefix(k, "rr_"):
			// rr_src (an iframe rrweb could not read), rr_media*: dropped.
		case !validAttrName(k):
		case k == "src" && e.DataAtom == atom.Img && hasAttr(e, "src"):
			// rr_dataURL came first and wins.
		case k == "srcset" && e.DataAtom == atom.Img && hasDataURL(n.Attributes):
			// The inlined pixels win over the original candidates.
		case k == "value" && !n.IsSVG && (e.DataAtom == atom.Textarea || e.DataAtom == atom.Select):
			if e.DataAtom == atom.Textarea {
				e.AppendChild(&html.Node{Type: html.TextNode, Data: a.val})
			}
		default:
			if n.IsSVG && strings.HasPrefix(k, "xlink:") {
				e.Attr = append(e.Attr, html.Attribute{Namespace: "xlink", Key: k[len("xlink:"):], Val: a.val})
				continue
			}
			e.Attr = append(e.Attr, html.Attribute{Key: k, Val: a.val})
		}
	}
	if len(style) > 0 {
		appendStyle(e, strings.Join(style, ";"))
	}

	switch {
	case hasCSS && e.DataAtom == atom.Link:
		// The inlined stylesheet replaces the <link>.
		st := &html.Node{Type: html.ElementNode, Data: "style", DataAtom: atom.Style}
		if m, ok := attrOK(e, "media"); ok {
			st.Attr = append(st.Attr, html.Attribute{Key: "media", Val: m})
		}
		st.AppendChild(&html.Node{Type: html.TextNode, Data: strings.ReplaceAll(cssText, "</", `<\/`)})
		parent.AppendChild(st)
		return nil
	case hasCSS && e.DataAtom == atom.Style:
		e.AppendChild(&html.Node{Type: html.TextNode, Data: strings.ReplaceAll(cssText, "</", `<\/`)})
		parent.AppendChild(e)
		return nil
	}
	parent.AppendChild(e)
	if voidElements[e.DataAtom] && e.Namespace == "" {
		return nil
	}
	if e.DataAtom == atom.Iframe && e.Namespace == "" {
		return c.iframe(n, e, depth, level)
	}

	// Shadow DOM: children recorded as isShadow go into a declarative
	// shadow root, the host's first child.
	var shadow *html.Node
	if n.IsShadowHost {
		shadow = &html.Node{Type: html.ElementNode, Data: "template", DataAtom: atom.Template,
			Attr: []html.Attribute{{Key: "shadowrootmode", Val: "open"}}}
		e.AppendChild(shadow)
	}
	for i := range n.ChildNodes {
		ch := &n.ChildNodes[i]
		dst := e
		if shadow != nil && ch.IsShadow {
			dst = shadow
		}
		if err := c.node(ch, dst, depth, level); err != nil {
			return err
		}
	}
	if shadow != nil && shadow.FirstChild == nil {
		e.RemoveChild(shadow)
	}
	return nil
}

// iframe turns recorded frame content into srcdoc.
func (c *rrConv) iframe(n *rrNode, e *html.Node, depth, level int) error {
	for i := range n.ChildNodes {
		ch := &n.ChildNodes[i]
		if ch.Type != rrDocument {
			continue
		}
		if level >= maxSrcdocLevel {
			return nil
		}
		doc, err := c.document(ch, depth, level+1)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := html.Render(&buf, doc); err != nil {
			return invalidf("%s: cannot serialize iframe content", c.field)
		}
		setAttr(e, "srcdoc", buf.String())
		return nil
	}
	return nil
}

func hasAttr(n *html.Node, key string) bool { _, ok := attrOK(n, key); return ok }

func hasDataURL(a rrAttrs) bool {
	v, ok := a.get("rr_dataURL")
	return ok && strings.HasPrefix(v, "data:image/")
}

// validName accepts tag names the serializer can write and the parser reads
// back as the same tag.
func validName(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':'):
		default:
			return false
		}
	}
	return true
}

// validAttrName accepts attribute names that serialize unambiguously.
func validAttrName(s string) bool {
	if s == "" || len(s) > 256 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= 0x20 || c == 0x7f || c == '"' || c == '\'' || c == '>' || c == '<' || c == '/' || c == '=' || c == '`' {
			return false
		}
	}
	return true
}

func itoa(i int) string { return strconv.Itoa(i) }

func asType[T error](err error, target *T) bool { return errors.As(err, target) }
