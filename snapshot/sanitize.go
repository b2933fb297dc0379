package snapshot

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// action is what happens to an element.
type action int

const (
	actKeep action = iota
	actRemove
	actBox // replaced by an empty box of its size
)

// element is what the rules read of an element, from either tree: a
// parsed HTML node (the snapshot path) or an rrweb Node (replays, through
// Sanitizer).
type element struct {
	tag  string // lower case
	ns   string // "" for HTML, "svg", "math"
	attr func(key string) (string, bool)
}

func htmlElement(n *html.Node) element {
	return element{tag: strings.ToLower(n.Data), ns: n.Namespace,
		attr: func(k string) (string, bool) { return attrOK(n, k) }}
}

// elementAction decides whether an element stays. It is shared by the
// normalizer and the final verification pass.
func elementAction(n *html.Node, base *url.URL) action {
	return elementRule(htmlElement(n), base)
}

// elementRule is the one table of elements that go, for HTML documents
// and rrweb nodes alike.
func elementRule(e element, base *url.URL) action {
	if e.tag == "script" {
		return actRemove // any namespace: <svg><script> runs too
	}
	switch e.ns {
	case "":
	case "svg":
		switch e.tag {
		case "animate", "set", "animatemotion", "animatetransform", "animatecolor":
			// Animating href to a javascript: URL is a known filter bypass.
			if name, _ := e.attr("attributeName"); strings.HasSuffix(strings.ToLower(name), "href") {
				return actRemove
			}
		}
		return actKeep
	default:
		return actKeep
	}
	switch e.tag {
	case "noscript":
		return actRemove
	case "meta":
		equiv, _ := e.attr("http-equiv")
		switch strings.ToLower(strings.TrimSpace(equiv)) {
		case "refresh", "set-cookie":
			return actRemove
		}
	case "link":
		rel, _ := e.attr("rel")
		for _, r := range strings.Fields(strings.ToLower(rel)) {
			switch r {
			case "prefetch", "preload", "preconnect", "dns-prefetch", "prerender",
				"modulepreload", "import", "manifest", "serviceworker", "icon",
				"apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon":
				return actRemove
			}
		}
	case "base":
		if href, ok := e.attr("href"); ok {
			if _, ok := httpURL(base, href); !ok {
				return actRemove
			}
		}
	case "object", "embed", "applet":
		return actBox
	case "portal", "fencedframe":
		return actRemove
	}
	return actKeep
}

func (nz *normalizer) countRemoval(n *html.Node) { nz.c.removal(htmlElement(n)) }

// removal counts an element elementRule removed.
func (c *counts) removal(e element) {
	switch {
	case e.tag == "script" || e.tag == "noscript":
		c.scripts++
	case e.ns == "svg":
		c.jsURLs++
	case e.tag == "meta":
		c.refresh++
	case e.tag == "link":
		c.hints++
	case e.tag == "base":
		c.bases++
	default:
		c.frames++
	}
}

// urlAttrs hold URLs a browser may navigate to or load.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "data": true,
	"poster": true, "background": true, "cite": true, "longdesc": true,
	"lowsrc": true, "dynsrc": true, "codebase": true, "usemap": true,
	"xlink:href": true, "manifest": true, "icon": true, "profile": true,
}

// attrDrop says why an attribute goes, or keepAttr.
type attrDrop int

const (
	keepAttr    attrDrop = iota
	dropHandler          // an event handler (counted)
	dropScript           // a script URL (counted)
	dropQuiet            // harmless but wrong for a render (not counted)
)

// attrVerdict says whether an attribute may stay, and why not.
func attrVerdict(a html.Attribute) attrDrop {
	k := a.Key
	if a.Namespace == "xlink" {
		k = "xlink:" + k
	}
	return attrRule(k, a.Val)
}

// attrRule is the one table of attributes that go, for HTML documents and
// rrweb nodes alike; key is as an rrweb recording names it ("xlink:href").
func attrRule(key, val string) attrDrop {
	k := strings.ToLower(key)
	local := k[strings.LastIndexByte(k, ':')+1:]
	if isHandler(k) || isHandler(local) {
		return dropHandler
	}
	switch k {
	case "autofocus", "ping", "loading":
		// autofocus scrolls and draws a focus ring the user never saw;
		// ping is a beacon; loading=lazy keeps an image below the fold
		// from ever loading in a tab that does not scroll (the images a
		// snapshot carries must all load).
		return dropQuiet
	}
	if urlAttrs[k] && scriptURL(val) {
		return dropScript
	}
	return keepAttr
}

// linkHref reports the href of a link (<a>, <area>, SVG <a>): a script
// URL there becomes NeutralURL rather than going, so the element stays a
// link (`:link`, `a[href]` and `a:not([href])` style it as on the live
// page: Bootstrap gives an <a> without href the colour of its parent's
// text, and `href="javascript:void(0)"` is a common way to write a link a
// script handles).
func linkHref(tag, key string) bool {
	k := strings.ToLower(key)
	return (k == "href" || k == "xlink:href") && (strings.EqualFold(tag, "a") || strings.EqualFold(tag, "area"))
}

func isHandler(k string) bool { return len(k) > 2 && k[0] == 'o' && k[1] == 'n' }

func (nz *normalizer) cleanAttrs(n *html.Node) {
	kept := n.Attr[:0]
	for _, a := range n.Attr {
		switch attrVerdict(a) {
		case keepAttr:
			kept = append(kept, a)
		case dropHandler:
			nz.c.handlers++
		case dropScript:
			nz.c.jsURLs++
			k := a.Key
			if a.Namespace == "xlink" {
				k = "xlink:" + k
			}
			if linkHref(n.Data, k) {
				kept = append(kept, html.Attribute{Namespace: a.Namespace, Key: a.Key, Val: NeutralURL})
			}
		}
	}
	n.Attr = kept
}

// scriptURL reports a javascript:, vbscript: or livescript: URL the way a
// browser parses it: ASCII tab and newlines are removed everywhere,
// leading C0 controls and spaces are skipped, and the scheme is
// case-insensitive.
func scriptURL(v string) bool {
	var b [16]byte
	n := 0
	for i := 0; i < len(v) && n < len(b); i++ {
		c := v[i]
		if c <= 0x20 {
			if n == 0 || c == '\t' || c == '\n' || c == '\r' {
				continue
			}
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[n] = c
		n++
		if c == ':' {
			break
		}
	}
	s := string(b[:n])
	return s == "javascript:" || s == "vbscript:" || s == "livescript:"
}

// httpURL resolves ref against base and reports whether it is http(s).
func httpURL(base *url.URL, ref string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return "", false
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	return u.String(), true
}

func (nz *normalizer) baseElement(n *html.Node) {
	href, ok := attrOK(n, "href")
	if !ok {
		return
	}
	abs, _ := httpURL(nz.base, href) // elementAction checked it is http(s)
	setAttr(n, "href", abs)
	if nz.firstBase == nil {
		nz.firstBase = n
	}
}

// embedBox turns <object>, <embed> or <applet> into an empty inline box of
// its declared size. It reports false when no size is known.
func embedBox(n *html.Node) bool {
	box, ok := embedBoxStyle(attr(n, "width"), attr(n, "height"), attr(n, "style"))
	if !ok {
		return false
	}
	var keep []html.Attribute
	for _, a := range n.Attr {
		if a.Namespace == "" && embedBoxKeeps(a.Key) {
			keep = append(keep, a)
		}
	}
	n.Attr = keep
	n.Data, n.DataAtom, n.Namespace = "div", atom.Div, ""
	removeChildren(n)
	prependStyle(n, box)
	return true
}

// embedBoxStyle is the inline style of the box that replaces an embedded
// object with these width and height attributes and style; false when no
// size is known.
func embedBoxStyle(width, height, style string) (string, bool) {
	w, h := cssLength(width), cssLength(height)
	if w == "" && h == "" && !strings.Contains(style, "width") && !strings.Contains(style, "height") {
		return "", false
	}
	box := "display:inline-block"
	if w != "" {
		box += ";width:" + w
	}
	if h != "" {
		box += ";height:" + h
	}
	return box, true
}

// embedBoxKeeps names the attributes the box keeps.
func embedBoxKeeps(key string) bool {
	switch strings.ToLower(key) {
	case "id", "class", "style", "dir", "hidden":
		return true
	}
	return false
}
