package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// readRRWeb reads an rrweb event array (the last FullSnapshot is rendered,
// with the last Meta before it) or a bare full-snapshot node (fields !=
// nil). Events are read with the EventDecoder replays use, so both paths
// accept the same events under the same limits.
func readRRWeb(data []byte, fields map[string]json.RawMessage, lim Limits) (*document, error) {
	if fields != nil {
		n, err := decodeNode(data, lim, "rrweb")
		if err != nil {
			return nil, err
		}
		doc, err := nodeDocument(n, lim, nil)
		if err != nil {
			return nil, err
		}
		doc.scroll = rootScroll(n)
		return doc, nil
	}
	dec := NewEventDecoder(bytes.NewReader(data), lim)
	var meta, pending, full Event
	found, hasMeta, hasPending := false, false, false
	for {
		ev, err := dec.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("parse snapshot: rrweb: %w", err)
		}
		switch ev.Type {
		case EventMeta:
			pending, hasPending = ev, true
		case EventFullSnapshot:
			full, found = ev, true
			meta, hasMeta = pending, hasPending
		}
	}
	if !found {
		if dec.Events() > 0 {
			return nil, invalidf("rrweb: events: no full snapshot")
		}
		return nil, unsupportedf("rrweb: events: empty")
	}
	fs, err := full.FullSnapshot()
	if err != nil {
		return nil, fmt.Errorf("parse snapshot: rrweb: %w", err)
	}
	doc, err := nodeDocument(fs.Node, lim, nil)
	if err != nil {
		return nil, err
	}
	doc.scroll = Scroll{X: roundScroll(fs.InitialOffset.Left), Y: roundScroll(fs.InitialOffset.Top)}
	if hasMeta {
		m, err := meta.Meta()
		if err != nil {
			return nil, fmt.Errorf("parse snapshot: rrweb: %w", err)
		}
		if m.Width < 0 || m.Height < 0 || m.Width > 1e6 || m.Height > 1e6 {
			return nil, invalidf("rrweb: meta: width/height out of range")
		}
		doc.viewport.Width = int(math.Round(m.Width))
		doc.viewport.Height = int(math.Round(m.Height))
		if m.Href != "" {
			doc.url = m.Href
		}
	}
	return doc, nil
}

// FromNode turns an rrweb document node (a FullSnapshot's node, or the
// replay mirror's live tree) into a normalized Snapshot: the same
// conversion and normalization Parse applies to an rrweb input, without
// encoding the tree to JSON and reading it again. n is only read. Its URL
// is opts.Override.URL, else the document's <base href>, else DefaultURL;
// the window comes from opts.Override or the defaults. Errors wrap exactly
// one of ErrInvalid, ErrUnsupported and ErrTooLarge, as Parse's do, and
// FromNode never panics.
func FromNode(n *Node, opts Options) (*Snapshot, error) {
	return safely(func() (*Snapshot, error) {
		lim := opts.Limits.WithDefaults()
		if n == nil {
			return nil, invalidf("rrweb: no node")
		}
		doc, err := nodeDocument(n, lim, opts.Defined)
		if err != nil {
			return nil, err
		}
		return finish(doc, opts, lim)
	})
}

// nodeDocument converts an rrweb document node into a parsed document;
// elements named in defined are marked as custom elements the page had
// defined (AttrDefined), as isCustom ones are.
func nodeDocument(n *Node, lim Limits, defined map[string]bool) (*document, error) {
	b, err := nodeHTML(n, lim, "rrweb", defined)
	if err != nil {
		return nil, err
	}
	root, err := parseHTML(b, lim, "rrweb")
	if err != nil {
		return nil, err
	}
	return &document{source: SourceRRWeb, root: root, url: baseHref(root)}, nil
}

func roundScroll(f float64) int {
	if math.IsNaN(f) || f > maxScroll || f < -maxScroll {
		return maxScroll + 1 // checkScroll rejects it
	}
	return int(math.Round(f))
}

// rrwebNodeHTML converts the JSON of an rrweb document node to HTML.
func rrwebNodeHTML(raw json.RawMessage, lim Limits, field string) ([]byte, error) {
	n, err := decodeNode(raw, lim, field)
	if err != nil {
		return nil, err
	}
	return nodeHTML(n, lim, field, nil)
}

// nodeHTML converts an rrweb document node to HTML of at most
// lim.MaxInputBytes (defined: see nodeDocument).
func nodeHTML(n *Node, lim Limits, field string, defined map[string]bool) ([]byte, error) {
	if n.Type != NodeDocument {
		return nil, invalidf("%s: root must be a document node (type 0)", field)
	}
	c := &rrConv{lim: lim, field: field, defined: defined}
	root, err := c.document(n, 0, 0)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := html.Render(&buf, root); err != nil {
		return nil, invalidf("%s: cannot serialize", field)
	}
	if int64(buf.Len()) > lim.MaxInputBytes {
		return nil, tooLargef("%s: converted HTML over %d bytes", field, lim.MaxInputBytes)
	}
	return buf.Bytes(), nil
}

type rrConv struct {
	lim     Limits
	field   string
	nodes   int
	defined map[string]bool // custom element names defined besides isCustom's (lower case)
}

func (c *rrConv) document(n *Node, depth, level int) (*html.Node, error) {
	doc := &html.Node{Type: html.DocumentNode}
	for _, ch := range n.ChildNodes {
		if ch == nil {
			continue
		}
		if err := c.node(ch, doc, depth, level); err != nil {
			return nil, err
		}
	}
	return doc, nil
}

func (c *rrConv) node(n *Node, parent *html.Node, depth, level int) error {
	switch n.Type {
	case NodeDocumentType:
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
	case NodeText, NodeCDATA:
		text := n.TextContent
		if parent.Type == html.ElementNode && parent.Namespace == "" && literalText[parent.DataAtom] {
			if parent.DataAtom == atom.Style {
				// rrweb writes a <style>'s text as the CSSOM serializes it.
				text = RestoreNumbers(text)
			}
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
	case NodeElement:
		return c.element(n, parent, depth+1, level)
	case NodeDocument, NodeComment:
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

func (c *rrConv) element(n *Node, parent *html.Node, depth, level int) error {
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
	cssText, hasCSS := attrText(n.Attributes["_cssText"])
	if hasCSS {
		cssText = RestoreNumbers(cssText) // serialized by the CSSOM
	}
	// Sorted: the output does not depend on the map's order (rr_dataURL
	// wins over src and srcset whichever comes first).
	for _, k := range sortedKeys(n.Attributes) {
		val, ok := attrText(n.Attributes[k])
		if !ok {
			continue // false, null, objects: absent
		}
		switch {
		case k == "_cssText", k == AttrDefined:
			// AttrDefined: rrweb says it with isCustom (below).
		case k == "checked" && e.DataAtom == atom.Input && checkable(n):
			// rrweb writes a checked box's state as true over the markup's
			// attribute, and leaves the attribute (a string) on one the
			// user unchecked: only true is checked.
			if b, isBool := n.Attributes[k].(bool); isBool && b {
				e.Attr = append(e.Attr, html.Attribute{Key: "checked"})
			}
		case k == "rr_dataURL":
			if !strings.HasPrefix(val, "data:image/") {
				continue
			}
			switch e.DataAtom {
			case atom.Canvas:
				e.Attr = append(e.Attr, html.Attribute{Key: AttrCanvas, Val: val})
			case atom.Img:
				setAttr(e, "src", val)
			}
		case k == "rr_scrollTop", k == "rr_scrollLeft":
			if isNumber(val) && val != "0" {
				key := AttrScrollTop
				if k == "rr_scrollLeft" {
					key = AttrScrollLeft
				}
				e.Attr = append(e.Attr, html.Attribute{Key: key, Val: val})
			}
		case k == "rr_width", k == "rr_height":
			if l := cssLength(val); l != "" {
				style = append(style, strings.TrimPrefix(k, "rr_")+":"+l)
			}
		case k == "rr_open_mode":
			if val == "modal" && e.DataAtom == atom.Dialog {
				e.Attr = append(e.Attr, html.Attribute{Key: AttrModal})
			}
		case strings.HasPrefix(k, "rr_"):
			// rr_src (an iframe rrweb could not read), rr_media*: dropped.
		case !validAttrName(k):
		case k == "src" && e.DataAtom == atom.Img && hasAttr(e, "src"):
			// rr_dataURL came first and wins.
		case k == "srcset" && e.DataAtom == atom.Img && hasDataURL(n):
			// The inlined pixels win over the original candidates.
		case k == "value" && !n.IsSVG && (e.DataAtom == atom.Textarea || e.DataAtom == atom.Select):
			if e.DataAtom == atom.Textarea {
				e.AppendChild(&html.Node{Type: html.TextNode, Data: val})
			}
		default:
			if n.IsSVG && strings.HasPrefix(k, "xlink:") {
				e.Attr = append(e.Attr, html.Attribute{Namespace: "xlink", Key: k[len("xlink:"):], Val: val})
				continue
			}
			e.Attr = append(e.Attr, html.Attribute{Key: k, Val: val})
		}
	}
	if len(style) > 0 {
		appendStyle(e, strings.Join(style, ";"))
	}
	if (n.IsCustom || c.defined[e.Data]) && !n.IsSVG && strings.Contains(e.Data, "-") {
		e.Attr = append(e.Attr, html.Attribute{Key: AttrDefined})
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
	// shadow root, the host's first child. A host whose shadow root was
	// attached after it was recorded is not isShadowHost; its children
	// added since are isShadow (rrweb's Replayer attaches the root then).
	var shadow *html.Node
	if n.IsShadowHost || slices.ContainsFunc(n.ChildNodes, func(c *Node) bool { return c != nil && c.IsShadow }) {
		shadow = &html.Node{Type: html.ElementNode, Data: "template", DataAtom: atom.Template,
			Attr: []html.Attribute{{Key: "shadowrootmode", Val: "open"}}}
		e.AppendChild(shadow)
	}
	for _, ch := range n.ChildNodes {
		if ch == nil {
			continue
		}
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
func (c *rrConv) iframe(n *Node, e *html.Node, depth, level int) error {
	for _, ch := range n.ChildNodes {
		if ch == nil || ch.Type != NodeDocument {
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

// checkable reports a checkbox or radio input.
func checkable(n *Node) bool {
	t, _ := n.Attributes["type"].(string)
	t = strings.ToLower(strings.TrimSpace(t))
	return t == "checkbox" || t == "radio"
}

// rootScroll is the window scroll an rrweb document node records on its
// root element (rr_scrollLeft/Top of <html>, the document's scrolling
// element), for a node given without a FullSnapshot's initialOffset.
func rootScroll(n *Node) Scroll {
	var sc Scroll
	for _, c := range n.ChildNodes {
		if c == nil || c.Type != NodeElement || !strings.EqualFold(c.TagName, "html") {
			continue
		}
		for k, p := range map[string]*int{"rr_scrollLeft": &sc.X, "rr_scrollTop": &sc.Y} {
			if v, ok := attrText(c.Attributes[k]); ok && isNumber(v) {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					*p = roundScroll(f)
				}
			}
		}
	}
	return sc
}

func hasDataURL(n *Node) bool {
	v, ok := n.Attributes["rr_dataURL"].(string)
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
