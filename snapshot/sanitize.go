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

// elementAction decides whether an element stays. It is shared by the
// normalizer and the final verification pass.
func elementAction(n *html.Node, base *url.URL) action {
	if n.Data == "script" || n.DataAtom == atom.Script {
		return actRemove // any namespace: <svg><script> runs too
	}
	switch n.Namespace {
	case "":
	case "svg":
		switch strings.ToLower(n.Data) {
		case "animate", "set", "animatemotion", "animatetransform", "animatecolor":
			// Animating href to a javascript: URL is a known filter bypass.
			if strings.HasSuffix(strings.ToLower(attr(n, "attributeName")), "href") {
				return actRemove
			}
		}
		return actKeep
	default:
		return actKeep
	}
	switch n.DataAtom {
	case atom.Noscript:
		return actRemove
	case atom.Meta:
		switch strings.ToLower(strings.TrimSpace(attr(n, "http-equiv"))) {
		case "refresh", "set-cookie":
			return actRemove
		}
	case atom.Link:
		for _, rel := range strings.Fields(strings.ToLower(attr(n, "rel"))) {
			switch rel {
			case "prefetch", "preload", "preconnect", "dns-prefetch", "prerender",
				"modulepreload", "import", "manifest", "serviceworker", "icon",
				"apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon":
				return actRemove
			}
		}
	case atom.Base:
		if href, ok := attrOK(n, "href"); ok {
			if _, ok := httpURL(base, href); !ok {
				return actRemove
			}
		}
	case atom.Object, atom.Embed, atom.Applet:
		return actBox
	}
	switch n.Data {
	case "portal", "fencedframe":
		return actRemove
	}
	return actKeep
}

func (nz *normalizer) countRemoval(n *html.Node) {
	switch {
	case n.Data == "script" || n.DataAtom == atom.Noscript:
		nz.c.scripts++
	case n.DataAtom == atom.Meta:
		nz.c.refresh++
	case n.DataAtom == atom.Link:
		nz.c.hints++
	case n.DataAtom == atom.Base:
		nz.c.bases++
	case n.Namespace == "svg":
		nz.c.jsURLs++
	default:
		nz.c.frames++
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
	k := strings.ToLower(a.Key)
	if len(k) > 2 && k[0] == 'o' && k[1] == 'n' {
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
	if a.Namespace == "xlink" {
		k = "xlink:" + k
	}
	if urlAttrs[k] && scriptURL(a.Val) {
		return dropScript
	}
	return keepAttr
}

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
	w, h := cssLength(attr(n, "width")), cssLength(attr(n, "height"))
	style := attr(n, "style")
	if w == "" && h == "" && !strings.Contains(style, "width") && !strings.Contains(style, "height") {
		return false
	}
	var keep []html.Attribute
	for _, a := range n.Attr {
		switch strings.ToLower(a.Key) {
		case "id", "class", "style", "dir", "hidden":
			if a.Namespace == "" {
				keep = append(keep, a)
			}
		}
	}
	n.Attr = keep
	n.Data, n.DataAtom, n.Namespace = "div", atom.Div, ""
	removeChildren(n)
	box := "display:inline-block"
	if w != "" {
		box += ";width:" + w
	}
	if h != "" {
		box += ";height:" + h
	}
	prependStyle(n, box)
	return true
}
