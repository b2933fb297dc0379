package snapshot

import (
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Mask selector bounds: each selector is matched against every element.
const (
	maxMaskSelectors  = 64
	maxMaskSelectorSz = 1024
	// maxSrcdocLevel bounds iframe srcdoc documents nested in each other.
	maxSrcdocLevel = 3
)

// counts feed the warnings.
type counts struct {
	scripts, handlers, jsURLs, passwords, masked, blocked     int
	frames, objects, refresh, hints, bases, ignored, comments int
}

// normalizer sanitizes a parsed document in place (see doc.go for the
// contract it establishes).
type normalizer struct {
	lim       Limits
	base      *url.URL
	masks     *Selectors
	blocks    *Selectors
	maskWork  *selectorBudget // shared by the document and its srcdoc frames
	maskSet   map[*html.Node]bool
	blockSet  map[*html.Node]bool
	nodes     int
	level     int        // srcdoc nesting of the document being walked
	firstBase *html.Node // first kept <base> of the document being walked
	c         counts
}

// walkState is inherited from ancestors.
type walkState struct {
	mask      bool // text and values masked (rr-mask, gl-mask, selectors)
	valueMask bool // values masked (gleap-ignore="value")
}

// document normalizes the top-level document.
func (nz *normalizer) document(root *html.Node, baseOverride bool) error {
	if err := nz.markMasks(root); err != nil {
		return err
	}
	if err := nz.walk(root, 0, walkState{}); err != nil {
		return err
	}
	nz.head(root, baseOverride)
	return nil
}

func (nz *normalizer) walk(parent *html.Node, depth int, st walkState) error {
	var next *html.Node
	for c := parent.FirstChild; c != nil; c = next {
		next = c.NextSibling
		switch c.Type {
		case html.CommentNode:
			// Invisible; dropping them removes a class of parser tricks.
			parent.RemoveChild(c)
			nz.c.comments++
		case html.TextNode:
			if st.mask && !isRawText(parent) {
				c.Data = maskText(c.Data)
			}
		case html.ElementNode:
			if err := nz.element(c, depth+1, st); err != nil {
				return err
			}
		}
	}
	return nil
}

func (nz *normalizer) element(n *html.Node, depth int, st walkState) error {
	nz.nodes++
	if nz.nodes > nz.lim.MaxNodes {
		return tooLargef("html: more than %d elements", nz.lim.MaxNodes)
	}
	if depth > nz.lim.MaxDepth {
		return tooLargef("html: nesting deeper than %d", nz.lim.MaxDepth)
	}
	switch elementAction(n, nz.base) {
	case actRemove:
		nz.countRemoval(n)
		n.Parent.RemoveChild(n)
		return nil
	case actBox:
		nz.c.objects++
		if !embedBox(n) {
			n.Parent.RemoveChild(n)
		}
		return nil
	}
	nz.cleanAttrs(n)

	html5 := n.Namespace == ""
	switch {
	case html5 && n.DataAtom == atom.Base:
		nz.baseElement(n)
	case html5 && (n.DataAtom == atom.Iframe || n.DataAtom == atom.Frame):
		if err := nz.frame(n, depth); err != nil {
			return err
		}
		return nil
	}

	// Privacy.
	if hasClass(n, "rr-block", "gl-block") || nz.blockSet[n] {
		nz.c.blocked++
		blockBox(n)
		return nil
	}
	if hasClass(n, "rr-mask", "gl-mask") || nz.maskSet[n] {
		if !st.mask {
			nz.c.masked++
		}
		st.mask = true
	}
	if strings.EqualFold(attr(n, "gleap-ignore"), "value") {
		st.valueMask = true
	}
	if html5 {
		switch n.DataAtom {
		case atom.Input:
			nz.input(n, st)
		case atom.Textarea:
			switch {
			case hasClass(n, "rr-ignore"):
				removeChildren(n)
				nz.c.ignored++
			case st.valueMask || isSensitive(n):
				st.mask = true
			}
		}
	}
	return nz.walk(n, depth, st)
}

func (nz *normalizer) warnings() []string { return nz.c.warnings() }

// warnings describes the counts, for Snapshot.Warnings and
// Sanitizer.Warnings alike.
func (c counts) warnings() []string {
	var w []string
	add := func(n int, format string) {
		if n > 0 {
			w = append(w, fmt.Sprintf(format, n))
		}
	}
	add(c.scripts, "removed %d scripts")
	add(c.handlers, "removed %d event handler attributes")
	add(c.jsURLs, "removed %d script URLs")
	add(c.passwords, "masked %d password values")
	add(c.masked, "masked %d elements")
	add(c.blocked, "blocked %d elements")
	add(c.ignored, "removed %d ignored input values")
	add(c.frames, "emptied %d frames")
	add(c.objects, "removed %d embedded objects")
	add(c.refresh, "removed %d meta refresh")
	add(c.hints, "removed %d resource hints")
	add(c.bases, "removed %d non-http(s) base elements")
	return w
}
