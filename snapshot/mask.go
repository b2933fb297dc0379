package snapshot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// blockBackground paints blocked elements: a neutral grey that reads as
// "left out on purpose" and never as page content.
const blockBackground = "background:#e0e0e0 !important"

func compileMasks(sels []string) (*Selectors, error) { return CompileSelectors("mask", sels) }

// markMasks marks the elements the mask and block selectors match,
// within the normalizer's selector budget (shared by the document and its
// srcdoc frames).
func (nz *normalizer) markMasks(root *html.Node) error {
	if nz.masks.Len()+nz.blocks.Len() == 0 {
		return nil
	}
	if nz.maskSet == nil {
		nz.maskSet, nz.blockSet = map[*html.Node]bool{}, map[*html.Node]bool{}
	}
	if nz.maskWork == nil {
		nz.maskWork = newSelectorBudget()
	}
	if err := nz.masks.matchAll(root, nz.maskWork, func(n *html.Node) { nz.maskSet[n] = true }); err != nil {
		return err
	}
	return nz.blocks.matchAll(root, nz.maskWork, func(n *html.Node) { nz.blockSet[n] = true })
}

// mediaTags become <div> when blocked: an empty <img> or <iframe> would
// still draw a broken-image icon or a frame.
var mediaTags = map[atom.Atom]bool{
	atom.Img: true, atom.Iframe: true, atom.Video: true, atom.Audio: true,
	atom.Canvas: true, atom.Picture: true, atom.Svg: true, atom.Frame: true,
}

// blockBox empties a blocked element, keeping only what lays it out. An
// element with no recorded size (Gleap records none for rr-block) keeps its
// text's shape instead: a same-length placeholder, painted transparent, so
// the page around it does not collapse and shift.
func blockBox(n *html.Node) {
	media := (n.Namespace == "" && mediaTags[n.DataAtom]) || (n.Namespace == "svg" && n.Data == "svg")
	var shape string
	if !media && !strings.Contains(attr(n, "style"), "height:") && attr(n, "height") == "" {
		shape = strings.Join(strings.Fields(collectText(n)), " ")
	}
	removeChildren(n)
	if shape != "" {
		n.AppendChild(&html.Node{Type: html.TextNode, Data: maskText(shape)})
		if !strings.Contains(attr(n, "style"), "color:transparent") {
			appendStyle(n, "color:transparent !important")
		}
	}
	var keep []html.Attribute
	for _, a := range n.Attr {
		if a.Namespace != "" {
			continue
		}
		switch strings.ToLower(a.Key) {
		case "id", "class", "style", "width", "height", "dir", "hidden":
			keep = append(keep, a)
		}
	}
	n.Attr = keep
	if media {
		w, h := cssLength(attr(n, "width")), cssLength(attr(n, "height"))
		delAttr(n, "width")
		delAttr(n, "height")
		box := "display:inline-block"
		if w != "" {
			box += ";width:" + w
		}
		if h != "" {
			box += ";height:" + h
		}
		prependStyle(n, box)
		n.Data, n.DataAtom, n.Namespace = "div", atom.Div, ""
	}
	if !strings.Contains(attr(n, "style"), blockBackground) {
		appendStyle(n, blockBackground)
	}
}

var fixedValueTypes = map[string]bool{
	"checkbox": true, "radio": true, "submit": true, "button": true,
	"reset": true, "image": true, "file": true,
}

var sensitiveAutocomplete = map[string]bool{
	"current-password": true, "new-password": true, "one-time-code": true,
	"cc-number": true, "cc-csc": true,
}

// isSensitive: password fields (also ones a "show password" toggle turned
// into text, which rrweb marks data-rr-is-password) and fields whose
// autocomplete names a secret.
func isSensitive(n *html.Node) bool {
	if strings.EqualFold(strings.TrimSpace(attr(n, "type")), "password") {
		return true
	}
	if _, ok := attrOK(n, "data-rr-is-password"); ok {
		return true
	}
	for _, t := range strings.Fields(strings.ToLower(attr(n, "autocomplete"))) {
		if sensitiveAutocomplete[t] {
			return true
		}
	}
	return false
}

func (nz *normalizer) input(n *html.Node, st walkState) {
	typ := strings.ToLower(strings.TrimSpace(attr(n, "type")))
	if fixedValueTypes[typ] {
		return
	}
	val, has := attrOK(n, "value")
	switch {
	case isSensitive(n):
		if has && val != "" {
			// Same-length placeholder: a password field draws one dot per
			// character whatever they are, so the picture is unchanged
			// and the secret is gone.
			setAttr(n, "value", strings.Repeat("*", utf8.RuneCountInString(val)))
			nz.c.passwords++
		}
	case hasClass(n, "rr-ignore"):
		if has {
			delAttr(n, "value")
			nz.c.ignored++
		}
	case st.mask || st.valueMask:
		if has {
			setAttr(n, "value", maskText(val))
		}
	}
}

// collectText returns the text of n's subtree (styles and scripts aside).
func collectText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
				b.WriteByte(' ')
			case c.Type == html.ElementNode && !isRawText(c) && c.DataAtom != atom.Script:
				walk(c)
			}
		}
	}
	walk(n)
	return b.String()
}

// maskText replaces every rune but whitespace with '*', so words keep their
// length and lines their breaks (rrweb's text mask).
func maskText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
	}
	return b.String()
}
