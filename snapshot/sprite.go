package snapshot

import (
	"bytes"
	"encoding/xml"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// SVG sprites. An icon set often comes as one SVG file whose symbols a
// page draws with <use href="icons.svg#star">. A browser draws such an
// external reference only from the document's own origin, and the
// renderer's document has none (it is written into a blank page), so a
// snapshot gets the sprites its resources hold inline: each file's content
// in a hidden <svg> at the end of <body>, its ids prefixed, and each <use>
// pointing at its symbol by fragment. The copy then goes through the same
// rules as the rest of the document, and loads nothing of its own.

// Bounds of the sprites inlined into one document.
const (
	maxSprites        = 32
	maxSpriteBytes    = 4 << 20 // all sprites of a document
	maxSpriteElements = 20000   // all sprites of a document
)

// remoteUse finds, in normalized HTML, a <use> whose href is not a
// fragment of the document itself: a sprite file not inlined.
var remoteUse = regexp.MustCompile(`<use\b[^>]*\shref="[^"#]`)

// InlineSprites inlines into s the sprite files its <use> elements still
// reference by URL (none among its resources: normalization inlined
// those), as get returns them: the renderer's fetcher, which a snapshot
// cannot use when it is parsed. The copies then go through the
// normalization rules (s.Mask included) like the rest of the document.
// It reports how many files it inlined; with none, s is left as it was.
// lim bounds the parse (zero fields: DefaultLimits).
func InlineSprites(s *Snapshot, get func(url string) (Resource, bool), lim Limits) (int, error) {
	if !remoteUse.Match(s.HTML) {
		return 0, nil // most documents: no parse
	}
	var inlined int
	_, err := safely(func() (*Snapshot, error) {
		lim = lim.WithDefaults()
		root, err := parseHTML(s.HTML, lim, "html")
		if err != nil {
			return nil, err
		}
		base, err := url.Parse(s.URL)
		if err != nil {
			return nil, invalidf("url: unreadable")
		}
		refBase := base
		if b := baseHref(root); b != "" {
			if u, err := base.Parse(b); err == nil {
				refBase = u
			}
		}
		// Another prefix than normalization's: its copies are in s.
		n := inlineSprites(root, refBase, s.Resources, get, lim, "kiln-sprite-f")
		if n == 0 {
			return nil, nil
		}
		sels, err := compileMasks(s.Mask)
		if err != nil {
			return nil, err
		}
		nz := &normalizer{lim: lim, base: base, masks: sels}
		if err := nz.document(root, false); err != nil {
			return nil, err
		}
		out, err := nz.render(root)
		if err != nil {
			return nil, err
		}
		inlined = n
		s.HTML, s.Nodes = out, nz.nodes
		s.Warnings = append(s.Warnings, nz.warnings()...)
		return s, nil
	})
	return inlined, err
}

// inlineSprites inlines, into the parsed document root (base: its URL),
// the sprite files among resources (or that more finds) that its <use>
// elements reference, and returns how many files it inlined.
// Their ids take the prefix idPrefix + the file's number + "-".
func inlineSprites(root *html.Node, base *url.URL, resources []Resource, more func(string) (Resource, bool), lim Limits, idPrefix string) int {
	byKey := map[string]Resource{}
	for _, r := range resources {
		if strings.HasPrefix(r.ContentType, "image/svg+xml") {
			byKey[resourceKey(r.URL)] = r
		}
	}
	if base == nil || len(byKey) == 0 && more == nil {
		return 0 // most documents: no walk
	}
	var uses []*html.Node
	var body *html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch {
			case n.Namespace == "svg" && n.Data == "use":
				uses = append(uses, n)
			case n.Namespace == "" && n.DataAtom == atom.Body && body == nil:
				body = n
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	if len(uses) == 0 || body == nil {
		return 0
	}
	prefixes := map[string]string{} // resource key -> the prefix of its ids
	var sprites []*Node
	budget, size := maxSpriteElements, 0
	for _, u := range uses {
		for i, a := range u.Attr {
			if a.Key != "href" || (a.Namespace != "" && a.Namespace != "xlink") {
				continue
			}
			ref, err := url.Parse(strings.TrimSpace(a.Val))
			if err != nil || ref.Fragment == "" || !PlainFragment(ref.Fragment) || a.Val == "" || strings.HasPrefix(strings.TrimSpace(a.Val), "#") {
				continue
			}
			abs := base.ResolveReference(ref)
			frag := abs.Fragment
			abs.Fragment, abs.RawFragment = "", ""
			key := resourceKey(abs.String())
			prefix, seen := prefixes[key]
			if !seen {
				r, ok := byKey[key]
				if !ok && more != nil {
					r, ok = more(abs.String())
				}
				if !ok || !strings.HasPrefix(r.ContentType, "image/svg+xml") || len(sprites) == maxSprites || size+len(r.Data) > maxSpriteBytes {
					continue
				}
				size += len(r.Data)
				prefix = idPrefix + itoa(len(prefixes)) + "-"
				n := SpriteNode(r.Data, prefix, &budget)
				if n == nil {
					continue
				}
				prefixes[key] = prefix
				sprites = append(sprites, n)
			}
			u.Attr[i].Val = "#" + prefix + frag
		}
	}
	c := &rrConv{lim: lim, field: "sprite"}
	for i, n := range sprites {
		if c.element(n, body, 1, 0) != nil {
			return i
		}
	}
	return len(sprites)
}

// PlainFragment reports a fragment made of an element id's characters,
// which a reference carries whatever quotes it (an attribute, CSS url()
// quoted or not).
func PlainFragment(f string) bool {
	if f == "" || len(f) > 128 {
		return false
	}
	for i := 0; i < len(f); i++ {
		c := f[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

// svgNS are the namespaces an SVG file's attributes use, by the prefix
// they are written with in a document.
var svgNS = map[string]string{"http://www.w3.org/1999/xlink": "xlink:", "http://www.w3.org/XML/1998/namespace": "xml:"}

// SpriteNode reads an SVG file into a hidden <svg> element (rrweb's node
// model) holding its root's content (its <defs>, <symbol>s, gradients:
// what the symbols reference by id), its ids and the references to them
// (href="#id", url(#id)) prefixed, spending at most *budget elements.
// The copy loads nothing: scripts, foreign content, event handlers and
// every reference out of the file are left out. nil when it is not an SVG
// document or is over the budget.
func SpriteNode(data []byte, prefix string, budget *int) *Node {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	var stack []*Node
	var root *Node
	skip := 0 // depth inside an element not copied (foreignObject, script)
	for {
		tok, err := d.Token()
		if err != nil {
			break // io.EOF, or a malformed file: what was read so far
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root == nil && t.Name.Local != "svg" {
				return nil
			}
			if skip > 0 {
				skip++
				continue
			}
			if t.Name.Local == "foreignObject" || t.Name.Local == "script" {
				skip = 1
				continue
			}
			if *budget--; *budget < 0 {
				return nil
			}
			n := &Node{Type: NodeElement, TagName: t.Name.Local, IsSVG: true, Attributes: map[string]any{}}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
					continue
				}
				v := a.Value
				switch {
				case a.Name.Local == "href" && !strings.HasPrefix(strings.TrimSpace(v), "#"),
					a.Name.Local == "src", strings.HasPrefix(strings.ToLower(a.Name.Local), "on"),
					loadsURL(v):
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
			p.ChildNodes = append(p.ChildNodes, &Node{Type: NodeText, TextContent: string(t)})
		}
	}
	return root
}

// loadsURL reports CSS or an attribute value that references something
// other than an id of its own document: url(), image-set() or @import.
func loadsURL(v string) bool {
	l := strings.ToLower(v)
	l = strings.ReplaceAll(l, "url(#", "")
	l = strings.ReplaceAll(l, `url("#`, "")
	l = strings.ReplaceAll(l, "url('#", "")
	return strings.Contains(l, "url(") || strings.Contains(l, "@import") || strings.Contains(l, "image-set(")
}
