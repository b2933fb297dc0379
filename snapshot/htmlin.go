package snapshot

import (
	"bytes"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// readHTML reads a plain HTML document. Its URL and viewport come from
// Override or the defaults.
func readHTML(data []byte, lim Limits) (*document, error) {
	root, err := parseHTML(data, lim, "html")
	if err != nil {
		return nil, err
	}
	return &document{source: SourceHTML, root: root}, nil
}

// parseHTML checks the element count and an upper bound of the nesting with
// a tokenizer pass (linear time) before building the tree: the tree
// builder's cost grows with depth × elements.
func parseHTML(data []byte, lim Limits, field string) (*html.Node, error) {
	if err := prescan(data, lim, field); err != nil {
		return nil, err
	}
	root, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, invalidf("%s: unreadable HTML", field)
	}
	return root, nil
}

// notNesting lists elements that the tree builder closes implicitly (or
// never nests); the prescan does not count them as nesting so that pages
// which omit optional end tags (</p>, </li>, </td>) are not over-counted.
var notNesting = map[atom.Atom]bool{
	atom.P: true, atom.Li: true, atom.Dt: true, atom.Dd: true,
	atom.Option: true, atom.Optgroup: true, atom.Tr: true, atom.Td: true,
	atom.Th: true, atom.Thead: true, atom.Tbody: true, atom.Tfoot: true,
	atom.Colgroup: true, atom.Caption: true, atom.Rb: true, atom.Rt: true,
	atom.Rtc: true, atom.Rp: true, atom.Head: true, atom.Body: true,
	atom.Html: true, atom.A: true, atom.Button: true, atom.Nobr: true,
	atom.Form: true,
}

var voidElements = map[atom.Atom]bool{
	atom.Area: true, atom.Base: true, atom.Br: true, atom.Col: true,
	atom.Embed: true, atom.Hr: true, atom.Img: true, atom.Input: true,
	atom.Keygen: true, atom.Link: true, atom.Meta: true, atom.Param: true,
	atom.Source: true, atom.Track: true, atom.Wbr: true, atom.Frame: true,
	atom.Image: true,
}

// prescan counts start tags and tracks an upper bound of nesting.
func prescan(data []byte, lim Limits, field string) error {
	z := html.NewTokenizer(bytes.NewReader(data))
	type open struct {
		a    atom.Atom
		name string // for elements without an atom (custom elements)
	}
	var stack []open
	nodes := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return nil // io.EOF; the tokenizer reads from memory, no other error
		case html.StartTagToken, html.SelfClosingTagToken:
			nodes++
			if nodes > lim.MaxNodes {
				return tooLargef("%s: more than %d elements", field, lim.MaxNodes)
			}
			if tt == html.SelfClosingTagToken {
				continue
			}
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if voidElements[a] || notNesting[a] {
				continue
			}
			o := open{a: a}
			if a == 0 {
				o.name = string(name)
			}
			stack = append(stack, o)
			if len(stack) > lim.MaxDepth+8 { // +8: html, head/body and slack
				return tooLargef("%s: nesting deeper than %d", field, lim.MaxDepth)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i].a == a && (a != 0 || stack[i].name == string(name)) {
					stack = stack[:i]
					break
				}
			}
		}
	}
}
