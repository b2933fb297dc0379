package snapshot

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// DOM helpers.

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}

func setAttr(n *html.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

func delAttr(n *html.Node, key string) {
	kept := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			continue
		}
		kept = append(kept, a)
	}
	n.Attr = kept
}

func hasClass(n *html.Node, names ...string) bool {
	cls, ok := attrOK(n, "class")
	if !ok {
		return false
	}
	for _, c := range strings.Fields(cls) {
		for _, name := range names {
			if c == name {
				return true
			}
		}
	}
	return false
}

func removeChildren(n *html.Node) {
	for c := n.FirstChild; c != nil; c = n.FirstChild {
		n.RemoveChild(c)
	}
}

// appendStyle adds declarations after the inline style, so they win over
// the element's own declarations of the same property.
func appendStyle(n *html.Node, decl string) {
	s := strings.TrimSpace(attr(n, "style"))
	if s != "" && !strings.HasSuffix(s, ";") {
		s += ";"
	}
	setAttr(n, "style", s+decl)
}

// prependStyle adds declarations before the inline style, so the element's
// own declarations win.
func prependStyle(n *html.Node, decl string) {
	s := strings.TrimSpace(attr(n, "style"))
	if s == "" {
		setAttr(n, "style", decl)
		return
	}
	setAttr(n, "style", decl+";"+s)
}

// cssLength turns a width/height attribute into a CSS length ("300" ->
// "300px", "50%" stays); anything else gives "".
func cssLength(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	if p, ok := strings.CutSuffix(v, "%"); ok {
		if f, err := strconv.ParseFloat(p, 64); err == nil && f >= 0 && f <= 100 {
			return strconv.FormatFloat(f, 'f', -1, 64) + "%"
		}
		return ""
	}
	v = strings.TrimSuffix(v, "px")
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f > 1e6 {
		return ""
	}
	return strconv.FormatFloat(f, 'f', -1, 64) + "px"
}

func isRawText(n *html.Node) bool {
	if n.Namespace != "" {
		return n.Data == "style"
	}
	switch n.DataAtom {
	case atom.Style, atom.Script, atom.Xmp, atom.Noembed, atom.Noframes:
		return true
	}
	return false
}
