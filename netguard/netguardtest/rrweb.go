package netguardtest

import (
	"encoding/json"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// RRWebNode returns page as rrweb 2.x records it: a full-snapshot document
// node (ids from 1 in document order), so that the suite's vectors can be
// fed as an rrweb snapshot or recording. As rrweb does, an iframe's
// document (here its srcdoc) becomes the iframe's child document node, a
// declarative shadow root's children become shadow children of their host,
// the text of a <style> is marked isStyle, and the attributes _cssText
// and rr_dataURL may be written in any case.
func RRWebNode(page string) json.RawMessage {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil { // html.Parse fails only when its reader does
		panic(err)
	}
	c := &rrwebConv{}
	b, err := json.Marshal(c.node(doc, false))
	if err != nil {
		panic(err)
	}
	return b
}

// RRWebEvents returns an rrweb recording of page: a Meta (href, width,
// height) and a FullSnapshot, at timestamp ms.
func RRWebEvents(page, href string, width, height int, ms int64) json.RawMessage {
	evs := []map[string]any{
		{"type": 4, "timestamp": ms, "data": map[string]any{"href": href, "width": width, "height": height}},
		{"type": 2, "timestamp": ms, "data": map[string]any{"node": RRWebNode(page), "initialOffset": map[string]int{"left": 0, "top": 0}}},
	}
	b, _ := json.Marshal(evs)
	return b
}

// rrwebAttrs are rrweb's attribute names in mixed case, which the HTML
// parser lower-cases in a page.
var rrwebAttrs = map[string]string{"_csstext": "_cssText", "rr_dataurl": "rr_dataURL"}

type rrwebConv struct{ id int }

func (c *rrwebConv) next() int { c.id++; return c.id }

func (c *rrwebConv) node(n *html.Node, shadow bool) map[string]any {
	out := map[string]any{"id": c.next()}
	if shadow {
		out["isShadow"] = true
	}
	switch n.Type {
	case html.DocumentNode:
		out["type"] = 0
		out["childNodes"] = c.children(n)
	case html.DoctypeNode:
		out["type"] = 1
		out["name"] = n.Data
		out["publicId"], out["systemId"] = "", ""
	case html.TextNode:
		out["type"] = 3
		out["textContent"] = n.Data
		if p := n.Parent; p != nil && p.DataAtom == atom.Style {
			out["isStyle"] = true
		}
	case html.CommentNode:
		out["type"] = 5
		out["textContent"] = n.Data
	case html.ElementNode:
		out["type"] = 2
		out["tagName"] = n.Data
		if n.Namespace == "svg" {
			out["isSVG"] = true
		}
		attrs := map[string]any{}
		var srcdoc string
		for _, a := range n.Attr {
			k := a.Key
			if a.Namespace != "" {
				k = a.Namespace + ":" + k
			}
			if rk, ok := rrwebAttrs[k]; ok {
				k = rk
			}
			if k == "srcdoc" && n.DataAtom == atom.Iframe {
				srcdoc = a.Val
				continue
			}
			attrs[k] = a.Val
		}
		out["attributes"] = attrs
		kids := []any{}
		if srcdoc != "" {
			d, err := html.Parse(strings.NewReader(srcdoc))
			if err == nil {
				kids = append(kids, c.node(d, false))
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.Type == html.ElementNode && ch.DataAtom == atom.Template && hasShadowMode(ch) {
				out["isShadowHost"] = true
				for sc := ch.FirstChild; sc != nil; sc = sc.NextSibling {
					kids = append(kids, c.node(sc, true))
				}
				continue
			}
			kids = append(kids, c.node(ch, false))
		}
		out["childNodes"] = kids
	}
	return out
}

func (c *rrwebConv) children(n *html.Node) []any {
	kids := []any{}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		kids = append(kids, c.node(ch, false))
	}
	return kids
}

func hasShadowMode(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Key == "shadowrootmode" {
			return true
		}
	}
	return false
}
