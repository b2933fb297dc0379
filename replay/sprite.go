package replay

import (
	"bytes"
	"encoding/xml"
	"strings"

	"github.com/kilnrender/kiln/snapshot"
)

// SVG sprites. An icon set often comes as one SVG file whose symbols the
// page draws with <use href="icons.svg#star">. A browser draws such an
// external reference only from the document's own origin, and a picture's
// document has none (it is written into a blank page; its assets come
// from another host), so pictures get the sprite inline: its content in a
// hidden <svg> at the end of <body>, and each <use> pointing at the
// symbol by fragment, for the time of the snapshot's conversion, whose
// rules then sanitize the copy like the rest of the page. rrweb's player
// (Kiln's player and videos) loads the file as the page did.

// Bounds of the sprites inlined into one picture.
const (
	maxSprites        = 32
	maxSpriteBytes    = 4 << 20 // all sprites of a picture
	maxSpriteElements = 20000   // all sprites of a picture
)

// withSprites inlines the sprite files the document's <use> elements
// reference (stored SVG assets with a fragment) for the time of f.
func (m *Mirror) withSprites(f func() error) error {
	if m.res == nil || len(m.res.kept) == 0 {
		return f()
	}
	type was struct {
		n    *snapshot.Node
		k, v string
	}
	var restore []was
	sprites := map[string]string{} // sha256 -> the prefix of its ids
	var order []string
	size := 0
	m.doc.Walk(func(x *snapshot.Node) bool {
		if x.Type != snapshot.NodeElement || x.TagName != "use" {
			return true
		}
		for _, k := range []string{"href", "xlink:href"} {
			v, _ := x.Attributes[k].(string)
			ref, ok := strings.CutPrefix(v, assetScheme)
			if !ok && m.cfg.AssetBaseURL != "" {
				ref, ok = strings.CutPrefix(v, m.cfg.AssetBaseURL)
			}
			sha, frag, hasFrag := strings.Cut(ref, "#")
			if !ok || !hasFrag || frag == "" || len(sha) != 64 {
				continue
			}
			r, kept := m.res.kept[sha]
			if !kept || !strings.HasPrefix(r.ContentType, "image/svg+xml") {
				continue
			}
			prefix, seen := sprites[sha]
			if !seen {
				if len(order) == maxSprites || size+len(r.Data) > maxSpriteBytes {
					continue
				}
				size += len(r.Data)
				// Its ids are the sprite's own: neither another sprite's
				// nor the page's can take a reference.
				prefix = "kiln-sprite-" + sha[:12] + "-"
				sprites[sha] = prefix
				order = append(order, sha)
			}
			restore = append(restore, was{x, k, v})
			x.Attributes[k] = "#" + prefix + frag
		}
		return true
	})
	if len(order) == 0 {
		return f()
	}
	defer func() {
		for _, r := range restore {
			r.n.Attributes[r.k] = r.v
		}
	}()
	host := m.body()
	if host == nil {
		return f()
	}
	budget := maxSpriteElements
	var kids []*snapshot.Node
	for _, sha := range order {
		if n := m.parseSprite(m.res.kept[sha].Data, sprites[sha], &budget); n != nil {
			kids = append(kids, n)
		}
	}
	old := host.ChildNodes
	host.ChildNodes = append(old[:len(old):len(old)], kids...)
	defer func() { host.ChildNodes = old }()
	return f()
}

// body is the document's <body>, else its <head> or <html>, else nil.
func (m *Mirror) body() *snapshot.Node {
	h := m.head()
	if h == nil || !strings.EqualFold(h.TagName, "head") {
		return h
	}
	for _, c := range m.parents[h].ChildNodes {
		if c != nil && c.Type == snapshot.NodeElement && strings.EqualFold(c.TagName, "body") {
			return c
		}
	}
	return h
}

// svgNS are the namespaces an SVG file's attributes use, by the prefix
// they are written with in a document.
var svgNS = map[string]string{"http://www.w3.org/1999/xlink": "xlink:", "http://www.w3.org/XML/1998/namespace": "xml:"}

// parseSprite reads an SVG file into a hidden <svg> element holding its
// root's content (its <defs>, <symbol>s, gradients: what the symbols
// reference by id), its ids and the references to them (href="#id",
// url(#id)) prefixed, spending at most *budget elements; nil when it is
// not an SVG document or is over the budget.
func (m *Mirror) parseSprite(data []byte, prefix string, budget *int) *snapshot.Node {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	var stack []*snapshot.Node
	var root *snapshot.Node
	skip := 0 // depth inside an element not copied (foreignObject, script)
	for {
		tok, err := d.Token()
		if err != nil {
			break // io.EOF, or a malformed file: what was read so far
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 || (root == nil && t.Name.Local != "svg") {
				skip++
				if root == nil {
					return nil
				}
				continue
			}
			if t.Name.Local == "foreignObject" || t.Name.Local == "script" {
				skip = 1
				continue
			}
			if *budget--; *budget < 0 {
				return nil
			}
			m.synthID--
			n := &snapshot.Node{Type: snapshot.NodeElement, ID: m.synthID, TagName: t.Name.Local, IsSVG: true, Attributes: map[string]any{}}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
					continue
				}
				v := a.Value
				switch {
				case a.Name.Local == "href" && !strings.HasPrefix(strings.TrimSpace(v), "#"),
					a.Name.Local == "src", strings.HasPrefix(strings.ToLower(a.Name.Local), "on"),
					loadsURL(v):
					// The copy loads nothing: its references stay inside it
					// (the recording's own URLs went through asset capture;
					// these did not).
					continue
				case a.Name.Local == "id" && a.Name.Space == "":
					v = prefix + v
				case strings.HasPrefix(v, "#") && a.Name.Local == "href":
					v = "#" + prefix + v[1:]
				case strings.Contains(v, "url(#"):
					v = strings.ReplaceAll(v, "url(#", "url(#"+prefix)
				}
				n.Attributes[svgNS[a.Name.Space]+a.Name.Local] = v
			}
			if root == nil {
				root = n
				// Hidden, but not display:none (which would drop the
				// gradients and clip paths symbols reference).
				n.Attributes = map[string]any{"aria-hidden": "true", "width": "0", "height": "0",
					"style": "position:absolute;width:0;height:0;overflow:hidden"}
			} else {
				p := stack[len(stack)-1]
				p.ChildNodes = append(p.ChildNodes, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if skip > 0 || len(stack) < 2 {
				continue // the root's own text is whitespace between elements
			}
			p := stack[len(stack)-1]
			if p.TagName == "style" && loadsURL(string(t)) {
				continue
			}
			m.synthID--
			p.ChildNodes = append(p.ChildNodes, &snapshot.Node{Type: snapshot.NodeText, ID: m.synthID, TextContent: string(t)})
		}
	}
	return root
}

// loadsURL reports CSS or an attribute value that references something
// other than an id of its own document: url() or @import of a URL.
func loadsURL(v string) bool {
	l := strings.ToLower(v)
	l = strings.ReplaceAll(l, "url(#", "")
	l = strings.ReplaceAll(l, `url("#`, "")
	l = strings.ReplaceAll(l, "url('#", "")
	return strings.Contains(l, "url(") || strings.Contains(l, "@import") || strings.Contains(l, "image-set(")
}
