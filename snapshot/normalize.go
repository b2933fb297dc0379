package snapshot

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/andybalholm/cascadia"
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

// blockBackground paints blocked elements: a neutral grey that reads as
// "left out on purpose" and never as page content.
const blockBackground = "background:#e0e0e0 !important"

func compileMasks(sels []string) ([]cascadia.Selector, error) {
	if len(sels) > maxMaskSelectors {
		return nil, tooLargef("mask: more than %d selectors", maxMaskSelectors)
	}
	out := make([]cascadia.Selector, 0, len(sels))
	for i, s := range sels {
		if len(s) > maxMaskSelectorSz {
			return nil, tooLargef("mask[%d]: longer than %d bytes", i, maxMaskSelectorSz)
		}
		c, err := cascadia.Compile(s)
		if err != nil {
			return nil, invalidf("mask[%d]: not a CSS selector", i)
		}
		out = append(out, c)
	}
	return out, nil
}

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
	masks     []cascadia.Selector
	maskSet   map[*html.Node]bool
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
	nz.markMasks(root)
	if err := nz.walk(root, 0, walkState{}); err != nil {
		return err
	}
	nz.head(root, baseOverride)
	return nil
}

func (nz *normalizer) markMasks(root *html.Node) {
	if len(nz.masks) == 0 {
		return
	}
	if nz.maskSet == nil {
		nz.maskSet = make(map[*html.Node]bool)
	}
	for _, s := range nz.masks {
		for _, n := range s.MatchAll(root) {
			nz.maskSet[n] = true
		}
	}
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
	if hasClass(n, "rr-block", "gl-block") {
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

// frame empties an iframe or frame: its src is never loaded; an iframe's
// srcdoc is normalized like the top document.
func (nz *normalizer) frame(n *html.Node, depth int) error {
	if _, ok := attrOK(n, "src"); ok {
		delAttr(n, "src")
		nz.c.frames++
	}
	removeChildren(n)
	if hasClass(n, "rr-block", "gl-block") {
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
	nz.markMasks(root)
	err = nz.walk(root, depth, walkState{})
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
		re := &normalizer{lim: nz.lim, base: nz.base, masks: nz.masks}
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

func (nz *normalizer) warnings() []string {
	var w []string
	add := func(n int, format string) {
		if n > 0 {
			w = append(w, fmt.Sprintf(format, n))
		}
	}
	add(nz.c.scripts, "removed %d scripts")
	add(nz.c.handlers, "removed %d event handler attributes")
	add(nz.c.jsURLs, "removed %d script URLs")
	add(nz.c.passwords, "masked %d password values")
	add(nz.c.masked, "masked %d elements")
	add(nz.c.blocked, "blocked %d elements")
	add(nz.c.ignored, "removed %d ignored input values")
	add(nz.c.frames, "emptied %d frames")
	add(nz.c.objects, "removed %d embedded objects")
	add(nz.c.refresh, "removed %d meta refresh")
	add(nz.c.hints, "removed %d resource hints")
	add(nz.c.bases, "removed %d non-http(s) base elements")
	return w
}

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
