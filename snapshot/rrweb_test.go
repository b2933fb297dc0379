package snapshot

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// visibleTokens returns the words of the body's text, skipping <style>,
// <script>, <template> and <title>.
func visibleTokens(root *html.Node) map[string]int {
	out := map[string]int{}
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				for _, w := range strings.Fields(c.Data) {
					out[w]++
				}
			case c.Type == html.ElementNode && (c.DataAtom == atom.Style || c.DataAtom == atom.Script || c.DataAtom == atom.Title || c.DataAtom == atom.Head):
			default:
				visit(c)
			}
		}
	}
	visit(root)
	return out
}

func TestRRWebMatchesSerializedPage(t *testing.T) {
	for _, tc := range []struct{ rr, page string }{
		{"rrweb-todomvc.rrweb.json", "rrweb-todomvc.html"},
		{"rrweb-email-mobile.rrweb.json", "rrweb-email-mobile.html"},
		{"rrweb-pricing-mobile.rrweb.json.gz", "rrweb-pricing-mobile.html"},
	} {
		t.Run(tc.rr, func(t *testing.T) {
			s := mustParse(t, fixture(t, tc.rr), Options{})
			got := visibleTokens(tree(t, s))
			want, err := html.Parse(bytes.NewReader(fixture(t, tc.page)))
			if err != nil {
				t.Fatal(err)
			}
			wantTok := visibleTokens(want)
			missing, total := 0, 0
			for w, n := range wantTok {
				total += n
				if got[w] < n {
					missing += n - got[w]
				}
			}
			if total == 0 || float64(missing)/float64(total) > 0.02 {
				t.Errorf("%d of %d text tokens of the live page missing", missing, total)
			}
			// _cssText became <style>: no stylesheet link remains and the
			// recorded CSS is in the document.
			links := elements(tree(t, s), func(n *html.Node) bool {
				return n.DataAtom == atom.Link && strings.Contains(attr(n, "rel"), "stylesheet")
			})
			if len(links) != 0 {
				t.Errorf("%d stylesheet links left; _cssText should replace them", len(links))
			}
			if len(byTag(tree(t, s), "style")) == 0 {
				t.Error("no <style>")
			}
		})
	}
}

func TestRRWebInlinedImage(t *testing.T) {
	s := mustParse(t, fixture(t, "rrweb-pricing-mobile.rrweb.json.gz"), Options{})
	imgs := elements(tree(t, s), func(n *html.Node) bool { return n.DataAtom == atom.Img && hasClass(n, "mb-2") })
	if len(imgs) != 1 || !strings.HasPrefix(attr(imgs[0], "src"), "data:image/png;base64,") {
		t.Fatalf("rr_dataURL not applied to the logo <img>")
	}
	if bytes.Contains(s.HTML, []byte("rr_dataURL")) || bytes.Contains(s.HTML, []byte("_cssText")) {
		t.Error("rrweb attributes leaked into the HTML")
	}
}

func TestRRWebCorpusCSSKept(t *testing.T) {
	// A rule from app.css (inlined by rrweb as _cssText) is in the output.
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "snapshot", "rrweb-todomvc.rrweb.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := mustParse(t, raw, Options{})
	if !bytes.Contains(s.HTML, []byte(".todoapp h1 {")) {
		t.Error("inlined stylesheet text missing")
	}
}

// rrDoc builds a bare rrweb document node holding body children.
func rrDoc(body ...map[string]any) []byte {
	id := 100
	b, _ := json.Marshal(map[string]any{"type": 0, "id": 1, "childNodes": []any{
		map[string]any{"type": 1, "name": "html", "publicId": "", "systemId": "", "id": 2},
		map[string]any{"type": 2, "tagName": "html", "attributes": map[string]any{}, "id": 3, "childNodes": []any{
			map[string]any{"type": 2, "tagName": "head", "attributes": map[string]any{}, "id": 4, "childNodes": []any{}},
			map[string]any{"type": 2, "tagName": "body", "attributes": map[string]any{}, "id": id, "childNodes": body},
		}},
	}})
	return b
}

func el(tag string, attrs map[string]any, kids ...map[string]any) map[string]any {
	if attrs == nil {
		attrs = map[string]any{}
	}
	if kids == nil {
		kids = []map[string]any{}
	}
	return map[string]any{"type": 2, "tagName": tag, "attributes": attrs, "childNodes": kids, "id": 9}
}

func text(s string) map[string]any { return map[string]any{"type": 3, "textContent": s, "id": 9} }

func TestRRWebConversion(t *testing.T) {
	shadowChild := el("p", nil, text("in shadow"))
	shadowChild["isShadow"] = true
	host := el("x-widget", map[string]any{"id": "host"}, shadowChild, el("span", map[string]any{"id": "light"}))
	host["isShadowHost"] = true
	inner := map[string]any{"type": 0, "id": 50, "childNodes": []any{
		el("html", nil, el("head", nil), el("body", nil, el("p", map[string]any{"id": "inner"}, text("frame text")), el("script", nil, text("x()")))),
	}}
	frame := el("iframe", map[string]any{"id": "frame", "rr_src": "https://elsewhere.example/"})
	frame["childNodes"] = []any{inner}
	svg := el("svg", map[string]any{"width": "10"}, el("use", map[string]any{"xlink:href": "#a"}), el("linearGradient", map[string]any{"id": "g"}))
	svg["isSVG"] = true
	svg["childNodes"].([]map[string]any)[0]["isSVG"] = true
	svg["childNodes"].([]map[string]any)[1]["isSVG"] = true

	data := rrDoc(
		el("canvas", map[string]any{"id": "c", "rr_dataURL": "data:image/png;base64,AAAA"}),
		el("div", map[string]any{"id": "s", "rr_scrollTop": 40, "rr_scrollLeft": "0"}),
		el("textarea", map[string]any{"id": "t", "value": "typed <b>text</b>"}),
		el("input", map[string]any{"id": "chk", "type": "checkbox", "checked": true, "disabled": false}),
		el("div", map[string]any{"id": "blocked", "class": "rr-block", "rr_width": "120px", "rr_height": "30px"}),
		el("style", map[string]any{"_cssText": "p::after{content:'</style><script>alert(1)</script>'}"}),
		el("video", map[string]any{"id": "v", "rr_mediaState": "played", "rr_mediaCurrentTime": 3}),
		el("bad name", nil, text("dropped")),
		host, frame, svg,
	)
	s := mustParse(t, data, Options{})
	doc := tree(t, s)
	out := string(s.HTML)

	if v := attr(byID(doc, "c"), AttrCanvas); v != "data:image/png;base64,AAAA" {
		t.Errorf("canvas = %q", v)
	}
	if v := attr(byID(doc, "s"), AttrScrollTop); v != "40" {
		t.Errorf("scroll top = %q", v)
	}
	if _, ok := attrOK(byID(doc, "s"), AttrScrollLeft); ok {
		t.Error("zero scroll left kept")
	}
	if v := textContent(byID(doc, "t")); v != "typed <b>text</b>" {
		t.Errorf("textarea = %q", v)
	}
	chk := byID(doc, "chk")
	if _, ok := attrOK(chk, "checked"); !ok {
		t.Error("checked lost")
	}
	if _, ok := attrOK(chk, "disabled"); ok {
		t.Error("false attribute written")
	}
	if b := byID(doc, "blocked"); !strings.Contains(attr(b, "style"), "width:120px") || !strings.Contains(attr(b, "style"), "height:30px") || b.FirstChild != nil {
		t.Errorf("blocked box style = %q", attr(b, "style"))
	}
	if len(byTag(doc, "script")) != 0 || !strings.Contains(out, `<\/style><script>alert(1)<\/script>`) {
		t.Error("_cssText broke out of <style> or lost its text")
	}
	for _, a := range byID(doc, "v").Attr {
		if strings.HasPrefix(a.Key, "rr_") {
			t.Errorf("kept %s", a.Key)
		}
	}
	if strings.Contains(out, "dropped") {
		t.Error("element with an invalid tag name kept")
	}
	h := byID(doc, "host")
	if tmpl := firstElement(h); tmpl == nil || attr(tmpl, "shadowrootmode") != "open" || !strings.Contains(textContent(tmpl), "in shadow") {
		t.Error("shadow root not declarative")
	} else if byID(tmpl, "light") != nil {
		t.Error("light DOM child moved into the shadow root")
	}
	f := byID(doc, "frame")
	sd := attr(f, "srcdoc")
	if !strings.Contains(sd, `id="inner"`) || strings.Contains(sd, "<script") {
		t.Errorf("srcdoc = %q", sd)
	}
	if _, ok := attrOK(f, "src"); ok {
		t.Error("iframe kept a src")
	}
	if !strings.Contains(out, `xlink:href="#a"`) || !strings.Contains(out, "<linearGradient") {
		t.Errorf("SVG names or xlink attribute lost")
	}
}

// Custom elements rrweb recorded as defined (isCustom) are marked
// AttrDefined, and so are those FromNode is told were defined since;
// a recorded attribute of that name is not. A host whose shadow root was
// attached after it was recorded (not isShadowHost, its children added
// since isShadow) gets a shadow root for them.
func TestRRWebCustomElements(t *testing.T) {
	custom := el("x-card", map[string]any{"id": "card"})
	custom["isCustom"] = true
	late := el("x-late", map[string]any{"id": "late"})
	forged := el("x-forged", map[string]any{"id": "forged", AttrDefined: ""})
	shadowChild := el("style", nil, text("div{color:red}"))
	shadowChild["isShadow"] = true
	attached := el("x-chart", map[string]any{"id": "chart"}, shadowChild)
	notHyphen := el("section", map[string]any{"id": "sec"})
	notHyphen["isCustom"] = true
	n, err := decodeNode(rrDoc(custom, late, forged, attached, notHyphen), DefaultLimits(), "rrweb")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		defined map[string]bool
		want    map[string]bool
	}{
		{nil, map[string]bool{"card": true}},
		{map[string]bool{"x-late": true}, map[string]bool{"card": true, "late": true}},
	} {
		s, err := FromNode(n, Options{Defined: tc.defined})
		if err != nil {
			t.Fatal(err)
		}
		doc := tree(t, s)
		for _, id := range []string{"card", "late", "forged", "chart", "sec"} {
			if _, ok := attrOK(byID(doc, id), AttrDefined); ok != tc.want[id] {
				t.Errorf("defined %v: %s marked %v, want %v", tc.defined, id, ok, tc.want[id])
			}
		}
		if tmpl := firstElement(byID(doc, "chart")); tmpl == nil || attr(tmpl, "shadowrootmode") != "open" || len(byTag(tmpl, "style")) != 1 {
			t.Error("a late shadow root's children are not in a shadow root")
		}
	}
}

func TestRRWebPackedEvents(t *testing.T) {
	// Gleap's webReplay packs each event: zlib JSON, one char per byte.
	var events []json.RawMessage
	if err := json.Unmarshal(fixture(t, "rrweb-todomvc-recording.rrweb.json"), &events); err != nil {
		t.Fatal(err)
	}
	packed := make([]string, 0, len(events))
	for _, e := range events {
		packed = append(packed, pack(t, e))
	}
	data, _ := json.Marshal(packed)
	s := mustParse(t, data, Options{})
	plain := mustParse(t, fixture(t, "rrweb-todomvc-recording.rrweb.json"), Options{})
	if !bytes.Equal(s.HTML, plain.HTML) || s.URL != plain.URL {
		t.Error("packed events render differently from plain ones")
	}
}

// A bare rrweb snapshot node carries the window's scroll on its root
// element (rr_scrollTop of <html>): the corpus's snapshots, taken by
// rrweb-snapshot on the live pages, give back the scroll each page had.
func TestBareNodeScroll(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("..", "testdata", "corpus", "*", "meta.json"))
	checked := 0
	for _, m := range dirs {
		dir := filepath.Dir(m)
		if _, err := os.Stat(filepath.Join(dir, "snapshot.rrweb.json.gz")); err != nil {
			continue
		}
		var meta struct{ Scroll struct{ X, Y int } }
		b, _ := os.ReadFile(m)
		if err := json.Unmarshal(b, &meta); err != nil {
			t.Fatal(err)
		}
		s, err := Parse(corpusInput(t, filepath.Base(dir)+"/snapshot.rrweb.json.gz"), Options{})
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		if s.Scroll.X != meta.Scroll.X || s.Scroll.Y != meta.Scroll.Y {
			t.Errorf("%s: scroll %+v, the live page's %+v", filepath.Base(dir), s.Scroll, meta.Scroll)
		}
		checked++
	}
	if checked < 5 {
		t.Fatalf("%d corpus snapshots checked", checked)
	}
}

// rrweb writes a checked box's state as true and leaves the markup's
// checked attribute (a string) on one the user unchecked: only true is
// checked, for checkboxes and radios.
func TestRRWebCheckedState(t *testing.T) {
	node := `{"type":0,"childNodes":[{"type":2,"tagName":"html","attributes":{},"childNodes":[{"type":2,"tagName":"body","attributes":{},"childNodes":[` +
		`{"type":2,"tagName":"input","attributes":{"id":"a","type":"checkbox","checked":""},"childNodes":[]},` +
		`{"type":2,"tagName":"input","attributes":{"id":"b","type":"checkbox","checked":true},"childNodes":[]},` +
		`{"type":2,"tagName":"input","attributes":{"id":"c","type":"radio","name":"r","checked":true},"childNodes":[]},` +
		`{"type":2,"tagName":"input","attributes":{"id":"d","type":"RADIO","name":"r","checked":""},"childNodes":[]}]}]}]}`
	s, err := Parse([]byte(node), Options{})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(s.HTML))
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]bool{"a": false, "b": true, "c": true, "d": false} {
		if _, got := attrOK(byID(doc, id), "checked"); got != want {
			t.Errorf("#%s checked %v, want %v", id, got, want)
		}
	}
}
