package snapshot

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// gleapScreenshot is the SDK's screenshotData.
type gleapScreenshot struct {
	HTML     *string  `json:"html"`
	BaseURL  string   `json:"baseUrl"`
	Width    *float64 `json:"width"`
	Height   *float64 `json:"height"`
	IsMobile bool     `json:"isMobile"`
	X        float64  `json:"x"`
	Y        float64  `json:"y"`
}

type gleapMeta struct {
	DevicePixelRatio *float64 `json:"devicePixelRatio"`
	CurrentURL       string   `json:"currentUrl"`
	Mobile           *bool    `json:"mobile"`
	ScreenWidth      *float64 `json:"screenWidth"`
	ScreenHeight     *float64 `json:"screenHeight"`
}

// gleapShotFields are gleapScreenshot's JSON names.
var gleapShotFields = []string{"html", "baseUrl", "width", "height", "isMobile", "x", "y"}

// decodeGleapShot reads screenshotData as json.Unmarshal into a
// gleapScreenshot does. Its html, nearly all of its bytes, is read the
// fast way (json_fast.go) when the object is plain: no key that
// encoding/json would match to a field only by ignoring case.
func decodeGleapShot(raw []byte) (gleapScreenshot, error) {
	var shot gleapScreenshot
	if f, ok := objectFields(raw); ok && !foldedKeys(f, gleapShotFields) {
		if h, ok := plainString(f["html"]); ok {
			delete(f, "html")
			rest, err := json.Marshal(f)
			if err == nil {
				err = json.Unmarshal(rest, &shot)
			}
			if err == nil {
				shot.HTML = &h
				return shot, nil
			}
			// encoding/json names the first wrong field in the input's
			// order (rest is sorted): its own error.
			shot = gleapScreenshot{}
		}
	}
	err := json.Unmarshal(raw, &shot)
	return shot, err
}

// foldedKeys reports whether a key of f is one of names only ignoring
// case.
func foldedKeys(f map[string]json.RawMessage, names []string) bool {
	for k := range f {
		for _, n := range names {
			if k != n && strings.EqualFold(k, n) {
				return true
			}
		}
	}
	return false
}

// readGleap reads a Gleap feedback body or its bare screenshotData object.
func readGleap(data []byte, f map[string]json.RawMessage, lim Limits) (*document, error) {
	shotRaw := json.RawMessage(nil)
	var meta gleapMeta
	if raw, ok := f["screenshotData"]; ok {
		if isNull(raw) {
			return nil, unsupportedf("gleap: feedback has no screenshotData")
		}
		shotRaw = raw
		if m, ok := f["metaData"]; ok && !isNull(m) {
			if err := json.Unmarshal(m, &meta); err != nil {
				return nil, invalidf("gleap: metaData: %s", jsonProblem(err))
			}
		}
	}
	if shotRaw == nil {
		shotRaw = data // bare screenshotData
	}
	shot, err := decodeGleapShot(shotRaw)
	if err != nil {
		return nil, invalidf("gleap: screenshotData: %s", jsonProblem(err))
	}
	if shot.HTML == nil {
		return nil, invalidf("gleap: screenshotData.html: required")
	}

	doc := &document{source: SourceGleap}
	dims := []struct {
		name string
		v    *float64
		dst  *int
	}{{"screenshotData.width", shot.Width, &doc.viewport.Width}, {"screenshotData.height", shot.Height, &doc.viewport.Height}}
	for _, d := range dims {
		if d.v == nil {
			continue
		}
		if !(*d.v >= 1 && *d.v <= 1e6) {
			return nil, invalidf("gleap: %s: must be a positive number", d.name)
		}
		*d.dst = int(math.Round(*d.v))
	}
	doc.viewport.Mobile = shot.IsMobile
	if meta.Mobile != nil && *meta.Mobile {
		doc.viewport.Mobile = true
	}
	doc.viewport.DeviceScaleFactor = 1
	if meta.DevicePixelRatio != nil {
		doc.viewport.DeviceScaleFactor = *meta.DevicePixelRatio
	}
	if math.IsNaN(shot.X) || math.IsNaN(shot.Y) || math.Abs(shot.X) > maxScroll || math.Abs(shot.Y) > maxScroll {
		return nil, invalidf("gleap: screenshotData.x/y: out of range")
	}
	doc.scroll = Scroll{X: int(math.Round(shot.X)), Y: int(math.Round(shot.Y))}

	root, err := parseHTML([]byte(*shot.HTML), lim, "gleap: screenshotData.html")
	if err != nil {
		return nil, err
	}
	doc.root = root

	// Document URL: the page's <base href>, else the page URL, else the
	// SDK's baseUrl (a directory: relative URLs resolve below it).
	switch {
	case baseHref(root) != "":
		doc.url = baseHref(root)
	case meta.CurrentURL != "":
		doc.url = meta.CurrentURL
	case shot.BaseURL != "":
		doc.url = shot.BaseURL
		if !strings.HasSuffix(doc.url, "/") {
			doc.url += "/"
		}
	}
	g := &gleapState{}
	g.apply(root)
	doc.warnings = g.warnings()
	return doc, nil
}

// baseHref returns the first <base href> if it is an absolute http(s) URL.
func baseHref(root *html.Node) string {
	var found string
	var visit func(n *html.Node) bool
	visit = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.Base && c.Namespace == "" {
				if href, ok := attrOK(c, "href"); ok {
					if u, ok := httpURL(nil, href); ok {
						found = u
					}
					return true
				}
			}
			if visit(c) {
				return true
			}
		}
		return false
	}
	visit(root)
	return found
}

// gleapUI lists the classes and ids of the SDK's own UI (launcher button,
// widget frame, notifications, banners, modals, tours, tooltips, admin
// helper) and of the capture editor's controls. The editor itself
// (.bb-capture-editor) is the user's drawing and stays.
var gleapUIClasses = map[string]bool{
	"bb-feedback-button": true, "gleap-frame-container": true,
	"gleap-notification-container": true, "gleap-chatbar": true,
	"gleap-capture-root": true, "gleap-image-view": true, "gleap-b": true,
	"gleap-modal-wrapper": true, "gleap-agent-popup-wrapper": true,
	"gleap-tooltip": true, "gleap-tour-popover": true, "gleap-tour-overlay": true,
	"gleap-audio-unmute-modal-overlay": true, "gleap-admin-frame-container": true,
	"gleap-admin-collapse-ui": true, "gleap-ai-ui-widget": true,
	"bb-feedback-dialog-container": true, "bb-capture-editor-borderlayer": true,
	"bb-capture-toolbar": true, "bb-capture-dismiss": true,
	"bb-capture-editor-drag-info": true, "bb-capture-mouse": true,
	"bb-capture-preview": true,
}

var gleapUIIDs = map[string]bool{
	"copilot-pointer-container": true, "copilot-joined-container": true,
	"bb-drawing-tools": true,
}

type gleapState struct {
	removedUI, values, canvases, scrolls, shadows, animations int
	hosts                                                     map[string]*html.Node
	hostOrder                                                 []string
}

// apply writes the SDK's bb-* runtime state into the document, removes the
// SDK's UI and then every bb-* attribute.
func (g *gleapState) apply(root *html.Node) {
	g.hosts = make(map[string]*html.Node)
	g.walk(root)
	g.attachShadows(root)
	// bb-* attributes go last: attachShadows reads bb-shadow-child.
	stripBB(root)
}

func (g *gleapState) walk(parent *html.Node) {
	var next *html.Node
	for c := parent.FirstChild; c != nil; c = next {
		next = c.NextSibling
		if c.Type != html.ElementNode {
			continue
		}
		if isGleapUI(c) {
			parent.RemoveChild(c)
			g.removedUI++
			continue
		}
		g.element(c)
		g.walk(c)
	}
}

func isGleapUI(n *html.Node) bool {
	if id := attr(n, "id"); id != "" && gleapUIIDs[id] {
		return true
	}
	for _, c := range strings.Fields(attr(n, "class")) {
		if gleapUIClasses[c] {
			return true
		}
	}
	return false
}

func (g *gleapState) element(n *html.Node) {
	if n.Namespace == "" {
		switch n.DataAtom {
		case atom.Input:
			g.input(n)
		case atom.Textarea:
			if v, ok := attrOK(n, "bb-data-value"); ok {
				removeChildren(n)
				n.AppendChild(&html.Node{Type: html.TextNode, Data: v})
				g.values++
			}
		case atom.Select:
			if v, ok := attrOK(n, "bb-data-value"); ok {
				selectOption(n, v)
				g.values++
			}
		case atom.Canvas:
			if v, ok := attrOK(n, "bb-canvas-data"); ok && strings.HasPrefix(v, "data:image/") {
				setAttr(n, AttrCanvas, v)
				g.canvases++
				for _, d := range []string{"width", "height"} {
					if _, has := attrOK(n, d); !has {
						if bv := attr(n, "bb-canvas-"+d); isNumber(bv) {
							setAttr(n, d, bv)
						}
					}
				}
			}
		case atom.Iframe, atom.Video, atom.Embed, atom.Object:
			// Placeholders keep the box they had on the page.
			if w := attr(n, "bb-width"); isNumber(w) {
				appendStyle(n, "width:"+w+"px")
			}
			if h := attr(n, "bb-height"); isNumber(h) {
				appendStyle(n, "height:"+h+"px")
			}
		case atom.Img:
			// On local hosts the SDK inlines src as a data: URL but leaves
			// srcset pointing at the original, which would win.
			if strings.HasPrefix(attr(n, "src"), "data:") {
				delAttr(n, "srcset")
				delAttr(n, "sizes")
			}
		}
	}
	if hasClass(n, "rr-block", "gl-block") {
		if w := attr(n, "bb-width"); isNumber(w) {
			appendStyle(n, "width:"+w+"px")
		}
		if h := attr(n, "bb-height"); isNumber(h) {
			appendStyle(n, "height:"+h+"px")
		}
	}
	// Element scroll. The window's scroll is screenshotData x/y, so the
	// root element carries none.
	if n.DataAtom != atom.Html {
		for _, d := range [][2]string{{"bb-scrolltop", AttrScrollTop}, {"bb-scrollleft", AttrScrollLeft}} {
			if v := attr(n, d[0]); isNumber(v) && v != "0" {
				setAttr(n, d[1], v)
				g.scrolls++
			}
		}
	}
	if v, ok := attrOK(n, "bb-web-animations"); ok {
		if decl := animationStyle(v); decl != "" {
			appendStyle(n, decl)
			g.animations++
		}
	}
	if id, ok := attrOK(n, "bb-shadow-parent"); ok {
		if _, dup := g.hosts[id]; !dup {
			g.hosts[id] = n
			g.hostOrder = append(g.hostOrder, id)
		}
	}
}

func (g *gleapState) input(n *html.Node) {
	v, ok := attrOK(n, "bb-data-value")
	typ := strings.ToLower(strings.TrimSpace(attr(n, "type")))
	switch typ {
	case "checkbox", "radio":
		if ok { // the SDK saw this field: its checked state is known
			if strings.EqualFold(attr(n, "bb-data-checked"), "true") {
				setAttr(n, "checked", "")
			} else {
				delAttr(n, "checked")
			}
			g.values++
		}
	case "file", "submit", "button", "reset", "image":
	default:
		if ok {
			setAttr(n, "value", v) // passwords are masked by the normalizer
			g.values++
		}
	}
}

// selectOption marks the option whose value is v as selected.
func selectOption(sel *html.Node, v string) {
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom == atom.Option {
				val, ok := attrOK(c, "value")
				if !ok {
					val = strings.TrimSpace(textContent(c))
				}
				if val == v {
					setAttr(c, "selected", "")
				} else {
					delAttr(c, "selected")
				}
				continue
			}
			visit(c)
		}
	}
	visit(sel)
}

func textContent(n *html.Node) string {
	var b strings.Builder
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				b.WriteString(c.Data)
			}
			visit(c)
		}
	}
	visit(n)
	return b.String()
}

// attachShadows moves children marked bb-shadow-child="N" of the host
// bb-shadow-parent="N" into a declarative shadow root, so the shadow CSS
// stays inside it as it did on the page.
func (g *gleapState) attachShadows(root *html.Node) {
	for _, id := range g.hostOrder {
		host := g.hosts[id]
		if host.Parent == nil && host != root {
			continue
		}
		tmpl := &html.Node{Type: html.ElementNode, Data: "template", DataAtom: atom.Template,
			Attr: []html.Attribute{{Key: "shadowrootmode", Val: "open"}}}
		var next *html.Node
		for c := host.FirstChild; c != nil; c = next {
			next = c.NextSibling
			if c.Type == html.ElementNode && attr(c, "bb-shadow-child") == id {
				host.RemoveChild(c)
				tmpl.AppendChild(c)
			}
		}
		if tmpl.FirstChild == nil {
			continue
		}
		host.InsertBefore(tmpl, host.FirstChild)
		g.shadows++
	}
}

func stripBB(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		kept := c.Attr[:0]
		for _, a := range c.Attr {
			if a.Namespace == "" && len(a.Key) > 3 && strings.EqualFold(a.Key[:3], "bb-") {
				continue
			}
			kept = append(kept, a)
		}
		c.Attr = kept
		stripBB(c)
	}
}

// animationStyle turns the SDK's final animated values ({"transform":
// "matrix(...)","opacity":"1"}) into !important declarations: important
// declarations win over running CSS animations in the cascade.
func animationStyle(js string) string {
	var m map[string]any
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		prop := cssProperty(k)
		if prop == "" {
			continue
		}
		var val string
		switch v := m[k].(type) {
		case string:
			val = v
		case float64:
			val = strconv.FormatFloat(v, 'f', -1, 64)
		default:
			continue
		}
		if !safeCSSValue(val) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(';')
		}
		b.WriteString(prop + ":" + val + " !important")
	}
	return b.String()
}

// cssProperty maps a Web Animations property name (camelCase or CSS) to a
// CSS property, dropping keyframe metadata and anything odd.
func cssProperty(k string) string {
	switch k {
	case "offset", "easing", "composite", "computedOffset":
		return ""
	}
	if k == "" || len(k) > 64 {
		return ""
	}
	var b strings.Builder
	for i, r := range k {
		switch {
		case r >= 'a' && r <= 'z', r == '-', r >= '0' && r <= '9' && i > 0:
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteByte('-')
			b.WriteRune(r + 'a' - 'A')
		default:
			return ""
		}
	}
	return b.String()
}

// safeCSSValue accepts a value that cannot end its declaration or rule.
func safeCSSValue(v string) bool {
	if v == "" || len(v) > 1024 {
		return false
	}
	return !strings.ContainsAny(v, ";{}<>!\\\"'\n\r")
}

func isNumber(s string) bool {
	if s == "" || len(s) > 24 {
		return false
	}
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) && math.Abs(f) <= maxScroll
}

func (g *gleapState) warnings() []string {
	var w []string
	if g.removedUI > 0 {
		w = append(w, "removed "+itoa(g.removedUI)+" Gleap widget elements")
	}
	return w
}
