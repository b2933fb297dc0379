package snapshot

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// head makes sure the document declares UTF-8 (the output is UTF-8 bytes)
// and has a <base href> naming the document URL.
func (nz *normalizer) head(root *html.Node, baseOverride bool) {
	head := ensureCharset(root)
	if head == nil {
		return
	}
	switch {
	case nz.firstBase == nil:
		b := &html.Node{Type: html.ElementNode, Data: "base", DataAtom: atom.Base,
			Attr: []html.Attribute{{Key: "href", Val: nz.base.String()}}}
		// Right after <meta charset>, before anything that loads.
		if first := head.FirstChild; first != nil {
			head.InsertBefore(b, first.NextSibling)
		} else {
			head.AppendChild(b)
		}
	case baseOverride:
		setAttr(nz.firstBase, "href", nz.base.String())
	}
}

// ensureCharset makes <meta charset="utf-8"> the first child of <head> and
// rewrites other charset declarations; it returns the head.
func ensureCharset(root *html.Node) *html.Node {
	head := findElement(root, atom.Head, 2)
	if head == nil {
		return nil
	}
	var found *html.Node
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom == atom.Meta && c.Namespace == "" {
				if _, ok := attrOK(c, "charset"); ok {
					setAttr(c, "charset", "utf-8")
					if found == nil {
						found = c
					}
				} else if strings.EqualFold(strings.TrimSpace(attr(c, "http-equiv")), "content-type") {
					setAttr(c, "content", "text/html; charset=utf-8")
				}
			}
		}
	}
	visit(head)
	if found == nil {
		found = &html.Node{Type: html.ElementNode, Data: "meta", DataAtom: atom.Meta,
			Attr: []html.Attribute{{Key: "charset", Val: "utf-8"}}}
	} else {
		head.RemoveChild(found)
	}
	head.InsertBefore(found, head.FirstChild)
	return head
}

// findElement finds the first element a at most maxDepth levels down.
func findElement(n *html.Node, a atom.Atom, maxDepth int) *html.Node {
	if maxDepth < 0 {
		return nil
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == a && c.Namespace == "" {
			return c
		}
		if f := findElement(c, a, maxDepth-1); f != nil {
			return f
		}
	}
	return nil
}

// render serializes the document and proves the result: it is parsed again
// as Chromium would parse it and checked for anything the normalizer
// removes. Should serialization have produced such a thing (a parser
// round-trip surprise), the reparsed tree is normalized again.
func (nz *normalizer) render(root *html.Node) ([]byte, error) {
	var buf bytes.Buffer
	for round := 0; ; round++ {
		buf.Reset()
		if err := html.Render(&buf, root); err != nil {
			return nil, invalidf("html: cannot serialize")
		}
		again, err := html.Parse(bytes.NewReader(buf.Bytes()))
		if err != nil {
			return nil, invalidf("html: cannot serialize")
		}
		if verify(again, nz.base, 0) {
			return buf.Bytes(), nil
		}
		if round == 2 {
			return nil, invalidf("html: does not settle after sanitizing")
		}
		re := &normalizer{lim: nz.lim, base: nz.base, masks: nz.masks, blocks: nz.blocks, maskWork: nz.maskWork}
		if err := re.document(again, false); err != nil {
			return nil, err
		}
		nz.nodes = re.nodes
		root = again
	}
}

// verify reports whether a parsed document holds nothing the normalizer
// would remove.
func verify(n *html.Node, base *url.URL, level int) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.Type {
		case html.CommentNode:
			return false
		case html.ElementNode:
		default:
			continue
		}
		if elementAction(c, base) != actKeep {
			return false
		}
		for _, a := range c.Attr {
			if attrVerdict(a) != keepAttr {
				return false
			}
		}
		if c.Namespace == "" && (c.DataAtom == atom.Iframe || c.DataAtom == atom.Frame) {
			if _, ok := attrOK(c, "src"); ok {
				return false
			}
			if doc, ok := attrOK(c, "srcdoc"); ok {
				if level >= maxSrcdocLevel {
					return false
				}
				sub, err := html.Parse(strings.NewReader(doc))
				if err != nil || !verify(sub, base, level+1) {
					return false
				}
			}
		}
		if !verify(c, base, level) {
			return false
		}
	}
	return true
}
