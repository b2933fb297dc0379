package snapshot

import (
	"bytes"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// frame empties an iframe or frame: its src is never loaded; an iframe's
// srcdoc is normalized like the top document.
func (nz *normalizer) frame(n *html.Node, depth int) error {
	if _, ok := attrOK(n, "src"); ok {
		delAttr(n, "src")
		nz.c.frames++
	}
	removeChildren(n)
	if hasClass(n, "rr-block", "gl-block") || nz.blockSet[n] {
		nz.c.blocked++
		blockBox(n)
		return nil
	}
	doc, ok := attrOK(n, "srcdoc")
	if !ok || n.DataAtom != atom.Iframe {
		return nil
	}
	if nz.level >= maxSrcdocLevel {
		delAttr(n, "srcdoc")
		nz.c.frames++
		return nil
	}
	out, err := nz.subdocument(doc, depth)
	if err != nil {
		return err
	}
	setAttr(n, "srcdoc", out)
	return nil
}

// subdocument normalizes an iframe srcdoc document. Its elements count
// against the same limits; it keeps the parent's base URL, as srcdoc
// documents do in browsers.
func (nz *normalizer) subdocument(doc string, depth int) (string, error) {
	lim := nz.lim
	lim.MaxNodes -= nz.nodes
	lim.MaxDepth -= depth
	if lim.MaxNodes < 1 || lim.MaxDepth < 1 {
		return "", tooLargef("iframe srcdoc: over the element or nesting limit")
	}
	root, err := parseHTML([]byte(doc), lim, "iframe srcdoc")
	if err != nil {
		return "", err
	}
	saved := nz.firstBase
	nz.firstBase = nil
	nz.level++
	err = nz.markMasks(root)
	if err == nil {
		err = nz.walk(root, depth, walkState{})
	}
	nz.level--
	nz.firstBase = saved
	if err != nil {
		return "", err
	}
	ensureCharset(root)
	var buf bytes.Buffer
	if err := html.Render(&buf, root); err != nil {
		return "", invalidf("iframe srcdoc: cannot serialize")
	}
	return buf.String(), nil
}
