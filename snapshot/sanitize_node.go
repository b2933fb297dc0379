package snapshot

import (
	"bytes"
	"encoding/json"
	"strings"

	"golang.org/x/net/html"
)

// NeutralURL replaces a URL that must not stay where a value is still
// needed (a srcset candidate, a CSS url()): it names nothing and loads
// nothing.
const NeutralURL = "about:invalid"

// ScriptURL reports a javascript:, vbscript: or livescript: URL the way a
// browser parses it: ASCII tab and newlines are removed everywhere,
// leading C0 controls and spaces are skipped, and the scheme is
// case-insensitive.
func ScriptURL(v string) bool { return scriptURL(v) }

// URLKind says how a browser uses a URL a Sanitizer found.
type URLKind int

const (
	// URLResource is loaded without anyone clicking: src, srcset, poster
	// and background attributes, a stylesheet link's href, SVG href
	// (other than on <a>), CSS url(), @import, image-set().
	URLResource URLKind = iota
	// URLLink is only followed on a click or a submit, or never: href of
	// <a>, <area>, <base> and other links, form action and formaction,
	// cite, longdesc, usemap.
	URLLink
	// URLNamespace is the name of a CSS @namespace: never fetched.
	URLNamespace
)

// Sanitizer applies the rules that Parse enforces on HTML documents (see
// the package documentation: the same element and attribute tables) to
// rrweb nodes, attribute values and style sheet text, for a consumer that
// hands recorded content to a browser other than Kiln's renderer (the
// replay package's bundles). On top of those rules it finds the URLs a
// browser would load or follow, so that URL can decide what each becomes.
//
// Element rules: <script> (any namespace), <noscript>, <meta
// http-equiv=refresh|set-cookie>, resource-hint <link>s, <base> with a
// non-http(s) URL (relative ones included: a Sanitizer knows no base),
// <portal>, <fencedframe> and SVG animations of href are removed with
// their subtree; <object>, <embed> and <applet> become an empty <div> box
// of their declared size (removed when none is known). Attribute rules:
// on* handlers, autofocus, ping and loading are removed; so are script
// URLs in URL attributes, an iframe's or frame's src and rrweb's rr_src;
// rr_dataURL stays only as a data:image URL; an iframe's srcdoc is
// normalized as Parse normalizes it; style, _cssText, SVG presentation
// attributes that take url() and the text of <style> elements are style
// sheet text (CSS), and _cssText and <style> text, which rrweb records as
// the CSSOM wrote them, get their shortened fractions back
// (RestoreNumbers).
//
// A Sanitizer is not safe for concurrent use; its zero value is ready.
type Sanitizer struct {
	// URL, when not nil, is called for every URL that survives the rules
	// (attribute values, srcset candidates, CSS url(), @import and
	// image-set() targets, also inside srcdoc documents) and returns what
	// to write instead, or ref itself to keep it. Script URLs never reach
	// it: in attributes they are removed, in srcset and CSS replaced by
	// NeutralURL. CSS hands it the URL with escapes decoded.
	URL func(kind URLKind, ref string) string

	c       counts
	changed bool
}

// Warnings describes what the Sanitizer removed so far, in the words of
// Snapshot.Warnings ("removed 3 scripts").
func (s *Sanitizer) Warnings() []string { return s.c.warnings() }

// Node sanitizes n's subtree in place. It returns the roots of the
// subtrees it removed (n itself first when n must go: its parent must
// drop it) and whether it changed anything. Removed subtrees are detached
// from their parents; an element turned into a box keeps its ID.
func (s *Sanitizer) Node(n *Node) (removed []*Node, changed bool) {
	s.changed = false
	if !s.node(n, nil, &removed) {
		removed = append([]*Node{n}, removed...)
		s.changed = true
	}
	return removed, s.changed
}

// Keep reports whether element n may stay as it is now (after an
// attribute change: a link that became a preload, a meta that became a
// refresh). Non-elements are always kept.
func (s *Sanitizer) Keep(n *Node) bool {
	if n.Type != NodeElement {
		return true
	}
	e := nodeElement(n)
	if elementRule(e, nil) == actKeep {
		return true
	}
	s.c.removal(e)
	return false
}

// Attr returns the value attribute key (as recorded: "href",
// "xlink:href") of element n may hold instead of val, or keep false when
// the attribute must go. n gives the context (tag, namespace, rel) and is
// not changed.
func (s *Sanitizer) Attr(n *Node, key, val string) (string, bool) {
	switch attrRule(key, val) {
	case dropHandler:
		s.c.handlers++
		return "", false
	case dropScript:
		s.c.jsURLs++
		if linkHref(n.TagName, key) {
			return NeutralURL, true
		}
		return "", false
	case dropQuiet:
		return "", false
	}
	tag, svg := strings.ToLower(n.TagName), n.IsSVG
	k := strings.ToLower(key)
	switch {
	case mirrorAttr(k):
		return "", false
	case k == "_csstext":
		return s.CSS(RestoreNumbers(val)), true // the recorder's CSSOM text
	case k == "style" || svg && svgCSSAttrs[k]:
		return s.CSS(val), true
	case k == "rr_dataurl":
		return val, strings.HasPrefix(val, "data:image/")
	case k == "rr_src", k == "src" && !svg && (tag == "iframe" || tag == "frame"):
		s.c.frames++
		return "", false
	case k == "srcdoc" && !svg && tag == "iframe":
		return s.srcdoc(val)
	case k == "srcset" || k == "imagesrcset":
		return s.srcset(val), true
	}
	if kind, ok := attrURLKind(tag, svg, k, n.Attr("rel")); ok && s.URL != nil {
		return s.URL(kind, val), true
	}
	return val, true
}

// CSS returns style sheet text (a sheet, a rule, a declaration block or
// one value) with its script URLs replaced by NeutralURL and its other
// URLs by what the URL hook says.
func (s *Sanitizer) CSS(css string) string {
	return rewriteCSS(css, func(kind URLKind, ref string) string {
		if s.URL == nil {
			return ref
		}
		return s.URL(kind, ref)
	})
}

// svgCSSAttrs are SVG attributes whose value may hold url(): presentation
// attributes that reference resources, and the values an animation sets.
var svgCSSAttrs = map[string]bool{
	"fill": true, "stroke": true, "filter": true, "clip-path": true, "mask": true, "cursor": true,
	"marker-start": true, "marker-mid": true, "marker-end": true,
	"to": true, "from": true, "by": true, "values": true,
}

// resourceAttrs are the URL attributes a browser loads from (see
// urlAttrs; the others are links).
var resourceAttrs = map[string]bool{
	"src": true, "poster": true, "background": true, "lowsrc": true, "dynsrc": true, "data": true,
}

// attrURLKind says whether attribute k of a tag element holds a URL, and
// of which kind.
func attrURLKind(tag string, svg bool, k, rel string) (URLKind, bool) {
	switch {
	case k == "href" || k == "xlink:href":
		switch {
		case svg && tag != "a":
			return URLResource, true // <image>, <use>, <feImage>, gradients
		case !svg && tag == "link" && hasToken(rel, "stylesheet"):
			return URLResource, true
		}
		return URLLink, true
	case resourceAttrs[k]:
		return URLResource, true
	case urlAttrs[k]:
		return URLLink, true
	}
	return 0, false
}

func hasToken(list, token string) bool {
	for _, t := range strings.Fields(strings.ToLower(list)) {
		if t == token {
			return true
		}
	}
	return false
}

func nodeElement(n *Node) element {
	e := element{tag: strings.ToLower(strings.TrimSpace(n.TagName)), attr: func(k string) (string, bool) {
		for name, v := range n.Attributes {
			if strings.EqualFold(name, k) {
				return attrText(v)
			}
		}
		return "", false
	}}
	if n.IsSVG {
		e.ns = "svg"
	}
	return e
}

// node sanitizes n (below parent) and reports whether it stays; removed
// collects the subtrees it drops below n.
func (s *Sanitizer) node(n, parent *Node, removed *[]*Node) bool {
	switch n.Type {
	case NodeElement:
		e := nodeElement(n)
		switch elementRule(e, nil) {
		case actRemove:
			s.c.removal(e)
			return false
		case actBox:
			s.c.objects++
			return s.box(n, removed)
		}
		s.attrs(n)
		if !s.Keep(n) { // an attribute the rules rewrote decides (a base href)
			return false
		}
	case NodeText, NodeCDATA:
		if n.IsStyle || parent != nil && parent.Type == NodeElement && strings.EqualFold(parent.TagName, "style") {
			if css := s.CSS(RestoreNumbers(n.TextContent)); css != n.TextContent {
				n.TextContent, s.changed = css, true
			}
		}
	}
	kept := n.ChildNodes[:0]
	for _, c := range n.ChildNodes {
		if c == nil {
			continue
		}
		if !s.node(c, n, removed) {
			*removed = append(*removed, c)
			s.changed = true
			continue
		}
		kept = append(kept, c)
	}
	clear(n.ChildNodes[len(kept):])
	n.ChildNodes = kept
	if n.Type == NodeElement && strings.EqualFold(n.TagName, "style") && s.StyleText(n) {
		s.changed = true
	}
	return true
}

// StyleText sanitizes the style sheet of a <style> element as a browser
// reads it: its text children joined. Each child is sanitized on its own
// (Node, and a consumer changing one), but a comment or string opened in
// one child and closed in the next tokenizes differently once joined;
// then the joined text, sanitized, goes into the first text child and the
// others are emptied. It reports whether it changed a child.
func (s *Sanitizer) StyleText(style *Node) bool {
	var texts []*Node
	var b strings.Builder
	for _, c := range style.ChildNodes {
		if c != nil && (c.Type == NodeText || c.Type == NodeCDATA) {
			texts = append(texts, c)
			b.WriteString(c.TextContent)
		}
	}
	if len(texts) < 2 {
		return false
	}
	joined := b.String()
	css := s.CSS(joined)
	if css == joined {
		return false
	}
	for i, c := range texts {
		c.TextContent = ""
		if i == 0 {
			c.TextContent = css
		}
	}
	return true
}

// mirrorAttr reports an attribute (lower case) the replay mirror sets on
// the nodes of its pictures: a recording does not draw, point, define,
// select or seek with them, so the Sanitizer removes them from recorded
// nodes.
func mirrorAttr(k string) bool {
	switch k {
	case AttrCanvasCommands, AttrPointer, AttrDefined, AttrSelection, AttrMedia:
		return true
	}
	return false
}

// attrs applies the attribute rules to an element. Values other than
// strings, numbers and booleans mean "absent" (see attrText) and go.
func (s *Sanitizer) attrs(n *Node) {
	for _, k := range sortedKeys(n.Attributes) { // sorted: the hook sees URLs in a stable order
		var v string
		switch x := n.Attributes[k].(type) {
		case string:
			v = x
		case float64, bool, int, json.Number:
			if attrRule(k, "") == keepAttr && !mirrorAttr(strings.ToLower(k)) {
				continue
			}
		default: // null, objects, arrays
			delete(n.Attributes, k)
			s.changed = true
			continue
		}
		nv, keep := s.Attr(n, k, v)
		switch {
		case !keep:
			delete(n.Attributes, k)
			s.changed = true
		case nv != v:
			n.Attributes[k] = nv
			s.changed = true
		}
	}
}

// box turns an embedded object into an empty <div> of its declared size,
// or reports false when no size is known.
func (s *Sanitizer) box(n *Node, removed *[]*Node) bool {
	box, ok := embedBoxStyle(n.Attr("width"), n.Attr("height"), n.Attr("style"))
	if !ok {
		return false
	}
	for k := range n.Attributes {
		if !embedBoxKeeps(k) {
			delete(n.Attributes, k)
		}
	}
	style := strings.TrimSpace(n.Attr("style"))
	if style != "" {
		box += ";" + style
	}
	if n.Attributes == nil {
		n.Attributes = map[string]any{}
	}
	n.Attributes["style"] = s.CSS(box)
	n.TagName, n.IsSVG = "div", false
	for _, c := range n.ChildNodes {
		if c != nil {
			*removed = append(*removed, c)
		}
	}
	n.ChildNodes = nil
	s.changed = true
	return true
}

// srcset rewrites the candidates of a srcset.
func (s *Sanitizer) srcset(v string) string {
	cands := parseSrcset(v)
	changed := false
	for i, c := range cands {
		nu := c.url
		switch {
		case scriptURL(c.url):
			nu = NeutralURL
			s.c.jsURLs++
		case s.URL != nil:
			nu = s.URL(URLResource, c.url)
		}
		changed = changed || nu != c.url
		cands[i].url = nu
	}
	if !changed {
		return v
	}
	parts := make([]string, len(cands))
	for i, c := range cands {
		parts[i] = c.url
		if c.desc != "" {
			parts[i] += " " + c.desc
		}
	}
	return strings.Join(parts, ", ")
}

// srcsetCandidate is one image candidate of a srcset.
type srcsetCandidate struct{ url, desc string }

// parseSrcset reads a srcset as the HTML standard reads one (a URL is a
// run of non-space characters; commas inside parentheses belong to
// descriptors).
func parseSrcset(v string) []srcsetCandidate {
	var cands []srcsetCandidate
	for i := 0; i < len(v); {
		for i < len(v) && (isSrcsetSpace(v[i]) || v[i] == ',') {
			i++
		}
		if i >= len(v) {
			break
		}
		start := i
		for i < len(v) && !isSrcsetSpace(v[i]) {
			i++
		}
		u, desc := v[start:i], ""
		if t := strings.TrimRight(u, ","); t != u {
			u = t
		} else {
			ds, depth := i, 0
			for ; i < len(v); i++ {
				if c := v[i]; c == '(' {
					depth++
				} else if c == ')' && depth > 0 {
					depth--
				} else if c == ',' && depth == 0 {
					break
				}
			}
			desc = strings.TrimSpace(v[ds:i])
		}
		cands = append(cands, srcsetCandidate{u, desc})
	}
	return cands
}

// FilterSrcset returns the srcset v with only the candidates whose URL
// keep accepts, and how many those are.
func FilterSrcset(v string, keep func(url string) bool) (string, int) {
	var parts []string
	for _, c := range parseSrcset(v) {
		if !keep(c.url) {
			continue
		}
		p := c.url
		if c.desc != "" {
			p += " " + c.desc
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", "), len(parts)
}

func isSrcsetSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// srcdoc normalizes an iframe's srcdoc document as Parse does, then hands
// its URLs to the hook.
func (s *Sanitizer) srcdoc(doc string) (string, bool) {
	nz := &normalizer{lim: DefaultLimits()}
	out, err := nz.subdocument(doc, 0)
	s.c.add(nz.c)
	if err != nil {
		s.c.frames++
		return "", false
	}
	if s.URL == nil {
		return out, true
	}
	out, err = s.srcdocURLs(out, 0)
	if err != nil {
		s.c.frames++
		return "", false
	}
	return out, true
}

// srcdocURLs rewrites the URLs of a normalized srcdoc document (and of
// the srcdoc documents inside it).
func (s *Sanitizer) srcdocURLs(doc string, level int) (string, error) {
	root, err := html.Parse(strings.NewReader(doc))
	if err != nil {
		return "", err
	}
	var walk func(h *html.Node) error
	walk = func(h *html.Node) error {
		if h.Type == html.ElementNode {
			n := &Node{Type: NodeElement, TagName: h.Data, IsSVG: h.Namespace == "svg", Attributes: map[string]any{}}
			for _, a := range h.Attr {
				if a.Namespace == "" {
					n.Attributes[a.Key] = a.Val
				}
			}
			for i, a := range h.Attr {
				key := a.Key
				if a.Namespace == "xlink" {
					key = "xlink:" + key
				} else if a.Namespace != "" {
					continue
				}
				switch {
				case strings.EqualFold(key, "srcdoc") && level < maxSrcdocLevel:
					sub, err := s.srcdocURLs(a.Val, level+1)
					if err != nil {
						return err
					}
					h.Attr[i].Val = sub
				case !strings.EqualFold(key, "srcdoc"):
					h.Attr[i].Val, _ = s.Attr(n, key, a.Val) // the rules kept it: only URLs change
				}
			}
			if isRawText(h) && strings.EqualFold(h.Data, "style") {
				for c := h.FirstChild; c != nil; c = c.NextSibling {
					if c.Type == html.TextNode {
						c.Data = s.CSS(c.Data)
					}
				}
			}
		}
		for c := h.FirstChild; c != nil; c = c.NextSibling {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(root); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := html.Render(&buf, root); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// add adds o's counts to c.
func (c *counts) add(o counts) {
	c.scripts += o.scripts
	c.handlers += o.handlers
	c.jsURLs += o.jsURLs
	c.passwords += o.passwords
	c.masked += o.masked
	c.blocked += o.blocked
	c.ignored += o.ignored
	c.frames += o.frames
	c.objects += o.objects
	c.refresh += o.refresh
	c.hints += o.hints
	c.bases += o.bases
	c.comments += o.comments
}

// GleapUI reports an element of the Gleap SDK's own UI (its launcher
// button, widget frame, notifications and the other classes and ids
// gleapUIClasses and gleapUIIDs list): screenshots of Gleap input drop
// it, and the replay mirror drops it from recordings too.
func GleapUI(n *Node) bool {
	if n == nil || n.Type != NodeElement {
		return false
	}
	if gleapUIIDs[n.Attr("id")] {
		return true
	}
	for _, c := range strings.Fields(n.Attr("class")) {
		if gleapUIClasses[c] {
			return true
		}
	}
	return false
}
