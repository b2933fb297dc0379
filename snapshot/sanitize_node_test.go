package snapshot

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// neutralize is a URL hook that records what it is asked and replaces
// every URL that is not a fragment.
type neutralize struct{ seen []string }

func (h *neutralize) url(kind URLKind, ref string) string {
	h.seen = append(h.seen, fmt.Sprintf("%d %s", kind, ref))
	if strings.HasPrefix(ref, "#") || ref == NeutralURL {
		return ref
	}
	return NeutralURL
}

func TestSanitizerCSS(t *testing.T) {
	tests := []struct {
		in, want string
		seen     []string // "kind url" the hook was asked, in order
	}{
		{`a{background:url(http://127.0.0.1/a.png)}`, `a{background:url("about:invalid")}`, []string{"0 http://127.0.0.1/a.png"}},
		{`a{background:URL( 'http://h/a.png' )}`, `a{background:URL( "about:invalid" )}`, []string{"0 http://h/a.png"}},
		{`a{background:\75 rl(http://h/a)}`, `a{background:url("about:invalid")}`, []string{"0 http://h/a"}},
		{`a{background:u\72l("http\3a //h/a")}`, `a{background:u\72l("about:invalid")}`, []string{"0 http://h/a"}},
		{`a{background:url(javascript:alert(1))}`, `a{background:url("about:invalid"))}`, nil},
		{`a{b:url(#f)}`, `a{b:url(#f)}`, []string{"0 #f"}},
		{`@import "http://10.0.0.1/x.css" screen;p{}`, `@import "about:invalid" screen;p{}`, []string{"0 http://10.0.0.1/x.css"}},
		{`@IMPORT url(x.css) layer(a);`, `@IMPORT url("about:invalid") layer(a);`, []string{"0 x.css"}},
		{`@namespace svg url(http://www.w3.org/2000/svg);`, `@namespace svg url("about:invalid");`, []string{"2 http://www.w3.org/2000/svg"}},
		{`a{b:image-set("a.png" 1x, url(b.png) 2x)}`, `a{b:image-set("about:invalid" 1x, url("about:invalid") 2x)}`, []string{"0 a.png", "0 b.png"}},
		{`a{b:-webkit-image-set('a.png' 1x)}`, `a{b:-webkit-image-set("about:invalid" 1x)}`, []string{"0 a.png"}},
		{`a{content:"url(http://h/x)";font:format("woff")}`, `a{content:"url(http://h/x)";font:format("woff")}`, nil},
		{`/* url(http://h/x) */a{}`, `/* url(http://h/x) */a{}`, nil},
		{`a{b:url(http://h/a b)}`, `a{b:url("about:invalid")}`, nil}, // a bad url
		{`a{b:xurl(http://h/)}`, `a{b:xurl(http://h/)}`, nil},
		// A bad string ends at the newline; the quote after it opens another.
		{"a{b:url(\"http://h/\n\")}", "a{b:url(\"about:invalid\"\n\"about:invalid\"", []string{"0 http://h/", "0 )}"}},
	}
	for _, tt := range tests {
		h := &neutralize{}
		s := &Sanitizer{URL: h.url}
		if got := s.CSS(tt.in); got != tt.want {
			t.Errorf("CSS(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
		if strings.Join(h.seen, "|") != strings.Join(tt.seen, "|") {
			t.Errorf("CSS(%q): hook saw %q, want %q", tt.in, h.seen, tt.seen)
		}
	}
	// Without a hook only script URLs go, and kept CSS is unchanged.
	var s Sanitizer
	for in, want := range map[string]string{
		`a{b:url(x.png)}`:                   `a{b:url(x.png)}`,
		`a{b:url( "JavaScript:x" )}`:        `a{b:url( "about:invalid" )}`,
		`a{b:url(data:image/png;base64,A)}`: `a{b:url(data:image/png;base64,A)}`,
	} {
		if got := s.CSS(in); got != want {
			t.Errorf("CSS(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSanitizerSrcset(t *testing.T) {
	h := &neutralize{}
	s := &Sanitizer{URL: h.url}
	n := &Node{Type: NodeElement, TagName: "img"}
	got, keep := s.Attr(n, "srcset", "data:image/png;base64,AA,BB 1x, http://h/a.png 2x,javascript:x 3x, b.png")
	if !keep || got != "about:invalid 1x, about:invalid 2x, about:invalid 3x, about:invalid" {
		t.Errorf("srcset = %q", got)
	}
	if want := "0 data:image/png;base64,AA,BB|0 http://h/a.png|0 b.png"; strings.Join(h.seen, "|") != want {
		t.Errorf("hook saw %q", h.seen)
	}
}

// hostileNode is an rrweb document carrying the vectors the rules remove.
const hostileNode = `{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"html","attributes":{},"childNodes":[
 {"type":2,"id":3,"tagName":"head","attributes":{},"childNodes":[
  {"type":2,"id":4,"tagName":"SCRIPT","attributes":{"src":"http://127.0.0.1/x.js"},"childNodes":[{"type":3,"id":5,"textContent":"alert(1)"}]},
  {"type":2,"id":6,"tagName":"meta","attributes":{"http-equiv":"Refresh","content":"0;url=http://127.0.0.1/"},"childNodes":[]},
  {"type":2,"id":7,"tagName":"link","attributes":{"rel":"preconnect","href":"http://10.0.0.1/"},"childNodes":[]},
  {"type":2,"id":8,"tagName":"link","attributes":{"rel":"stylesheet","href":"http://localhost/a.css"},"childNodes":[]},
  {"type":2,"id":9,"tagName":"style","attributes":{},"childNodes":[{"type":3,"id":10,"textContent":"a{background:url(http://169.254.169.254/)}"}]},
  {"type":2,"id":11,"tagName":"base","attributes":{"href":"javascript:alert(1)"},"childNodes":[]}]},
 {"type":2,"id":12,"tagName":"body","attributes":{"onload":"alert(1)","style":"background:url(http://127.0.0.1/bg.png)"},"childNodes":[
  {"type":2,"id":13,"tagName":"img","attributes":{"src":"http://127.0.0.1/a.png","OnError":"alert(1)","srcset":"http://10.0.0.1/b.png 2x","rr_dataURL":"http://127.0.0.1/c.png","loading":"lazy"},"childNodes":[]},
  {"type":2,"id":14,"tagName":"a","attributes":{"href":" java\tscript:alert(1)","ping":"http://127.0.0.1/"},"childNodes":[{"type":3,"id":15,"textContent":"x"}]},
  {"type":2,"id":16,"tagName":"a","attributes":{"href":"http://127.0.0.1/admin"},"childNodes":[]},
  {"type":2,"id":17,"tagName":"svg","isSVG":true,"attributes":{},"childNodes":[
   {"type":2,"id":18,"tagName":"script","isSVG":true,"attributes":{},"childNodes":[{"type":3,"id":19,"textContent":"alert(1)"}]},
   {"type":2,"id":20,"tagName":"a","isSVG":true,"attributes":{"xlink:href":"javascript:alert(1)"},"childNodes":[]},
   {"type":2,"id":21,"tagName":"set","isSVG":true,"attributes":{"attributeName":"href","to":"javascript:alert(1)"},"childNodes":[]},
   {"type":2,"id":22,"tagName":"image","isSVG":true,"attributes":{"href":"http://127.0.0.1/i.svg","fill":"url(http://10.0.0.1/p.svg#p)"},"childNodes":[]}]},
  {"type":2,"id":23,"tagName":"iframe","attributes":{"src":"http://127.0.0.1/","rr_src":"http://127.0.0.1/","srcdoc":"<p>in</p><script>alert(1)</script><img src=http://127.0.0.1/d.png onerror=alert(2)>"},"childNodes":[]},
  {"type":2,"id":24,"tagName":"object","attributes":{"data":"http://127.0.0.1/x.swf","width":"20","height":"10","title":"t"},"childNodes":[{"type":2,"id":25,"tagName":"param","attributes":{},"childNodes":[]}]},
  {"type":2,"id":26,"tagName":"embed","attributes":{"src":"http://127.0.0.1/x"},"childNodes":[]},
  {"type":2,"id":27,"tagName":"noscript","attributes":{},"childNodes":[]},
  {"type":2,"id":28,"tagName":"form","attributes":{"action":"javascript:alert(1)"},"childNodes":[
   {"type":2,"id":29,"tagName":"button","attributes":{"formaction":"JAVASCRIPT:alert(2)","autofocus":true,"onclick":true},"childNodes":[]}]}]}]}]}`

func TestSanitizerNode(t *testing.T) {
	var doc *Node
	if err := json.Unmarshal([]byte(hostileNode), &doc); err != nil {
		t.Fatal(err)
	}
	h := &neutralize{}
	s := &Sanitizer{URL: h.url}
	removed, changed := s.Node(doc)
	var ids []int
	for _, r := range removed {
		ids = append(ids, r.ID)
	}
	if !changed || fmt.Sprint(ids) != "[4 6 7 11 18 21 25 26 27]" {
		t.Errorf("removed %v (changed %v)", ids, changed)
	}
	out, _ := doc.MarshalJSON()
	low := strings.ToLower(string(out))
	for _, bad := range []string{"javascript:", "alert", "onerror", "onload", "onclick", "<script", "127.0.0.1", "10.0.0.1", "169.254", "localhost", "autofocus", "ping", "loading", "rr_src", `"object"`} {
		if strings.Contains(low, bad) {
			t.Errorf("%q left in %s", bad, out)
		}
	}
	byID := map[int]*Node{}
	doc.Walk(func(x *Node) bool { byID[x.ID] = x; return true })
	// Links keep a neutral href: they stay links for the page's CSS.
	if byID[14].Attributes["href"] != NeutralURL || byID[20].Attributes["xlink:href"] != NeutralURL {
		t.Errorf("script links: href %v and xlink:href %v, want %s", byID[14].Attributes["href"], byID[20].Attributes["xlink:href"], NeutralURL)
	}
	box := byID[24]
	if box == nil || box.TagName != "div" || box.Attr("style") != "display:inline-block;width:20px;height:10px" || box.Attributes["title"] != nil {
		t.Errorf("object box = %+v", box)
	}
	if byID[23].Attr("srcdoc") == "" {
		t.Error("the srcdoc went instead of being sanitized")
	}
	kinds := strings.Join(h.seen, "|")
	for _, want := range []string{"0 http://localhost/a.css", "1 http://127.0.0.1/admin", "0 http://127.0.0.1/i.svg", "0 http://10.0.0.1/p.svg#p", "0 http://127.0.0.1/d.png"} {
		if !strings.Contains(kinds, want) {
			t.Errorf("hook not asked %q: %s", want, kinds)
		}
	}
	ws := strings.Join(s.Warnings(), "; ")
	for _, want := range []string{"removed 4 scripts", "event handler attributes", "script URLs", "embedded objects", "meta refresh", "resource hints"} {
		if !strings.Contains(ws, want) {
			t.Errorf("warnings lack %q: %s", want, ws)
		}
	}
	// Sanitizing again changes nothing.
	if removed, changed := s.Node(doc); changed || len(removed) > 0 {
		t.Errorf("second pass changed the tree: removed %d", len(removed))
	}
}

// The Sanitizer and Parse share one table: every element the snapshot
// path removes from an rrweb document, the Sanitizer removes too.
func TestSanitizerMatchesParse(t *testing.T) {
	for _, el := range []string{
		`{"type":2,"id":10,"tagName":"script","attributes":{},"childNodes":[]}`,
		`{"type":2,"id":10,"tagName":"script","isSVG":true,"attributes":{},"childNodes":[]}`,
		`{"type":2,"id":10,"tagName":"noscript","attributes":{},"childNodes":[]}`,
		`{"type":2,"id":10,"tagName":"meta","attributes":{"http-equiv":"set-cookie"},"childNodes":[]}`,
		`{"type":2,"id":10,"tagName":"link","attributes":{"rel":"dns-prefetch","href":"//x.example"},"childNodes":[]}`,
		`{"type":2,"id":10,"tagName":"portal","attributes":{},"childNodes":[]}`,
		`{"type":2,"id":10,"tagName":"embed","attributes":{},"childNodes":[]}`,
		`{"type":2,"id":10,"tagName":"animate","isSVG":true,"attributes":{"attributeName":"xlink:href"},"childNodes":[]}`,
	} {
		if strings.Contains(el, "isSVG") {
			el = `{"type":2,"id":5,"tagName":"svg","isSVG":true,"attributes":{},"childNodes":[` + el + `]}`
		}
		raw := `{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"html","attributes":{},"childNodes":[{"type":2,"id":3,"tagName":"body","attributes":{},"childNodes":[` + el + `]}]}]}`
		var n *Node
		if err := json.Unmarshal([]byte(raw), &n); err != nil {
			t.Fatal(err)
		}
		var tag struct {
			TagName string `json:"tagName"`
		}
		json.Unmarshal([]byte(el[strings.LastIndex(el, `{"type":2,"id":10`):]), &tag)
		snap, err := FromNode(n, Options{})
		if err != nil {
			t.Fatal(err)
		}
		inHTML := strings.Contains(string(snap.HTML), "<"+tag.TagName+">") || strings.Contains(string(snap.HTML), "<"+tag.TagName+" ")
		if tag.TagName == "meta" { // Parse adds its own <meta charset>
			inHTML = strings.Contains(string(snap.HTML), "http-equiv")
		}
		var s Sanitizer
		removed, _ := s.Node(n)
		if inHTML || len(removed) != 1 || removed[0].ID != 10 {
			t.Errorf("%s: in Parse's HTML %v, removed by the Sanitizer %d", tag.TagName, inHTML, len(removed))
		}
	}
}

// Sheet text rrweb records from the CSSOM (_cssText, <style> text) gets
// its shortened fractions back, in the mirror's nodes and so in a
// bundle's events; a style attribute (the page's own text) does not.
func TestSanitizerRestoresSheetNumbers(t *testing.T) {
	var doc *Node
	if err := json.Unmarshal([]byte(`{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"html","attributes":{},"childNodes":[
	 {"type":2,"id":3,"tagName":"link","attributes":{"_cssText":".c7 { flex: 0 0 58.3333%; }"},"childNodes":[]},
	 {"type":2,"id":4,"tagName":"style","attributes":{},"childNodes":[{"type":3,"id":5,"textContent":".c5 { width: 41.6667%; }","isStyle":true}]},
	 {"type":2,"id":6,"tagName":"div","attributes":{"style":"width: 33.3333%"},"childNodes":[]}]}]}`), &doc); err != nil {
		t.Fatal(err)
	}
	s := &Sanitizer{}
	s.Node(doc)
	byID := map[int]*Node{}
	doc.Walk(func(x *Node) bool { byID[x.ID] = x; return true })
	if got := byID[3].Attributes["_cssText"]; got != ".c7 { flex: 0 0 58.33333333%; }" {
		t.Errorf("_cssText %q", got)
	}
	if got := byID[5].TextContent; got != ".c5 { width: 41.66666667%; }" {
		t.Errorf("<style> text %q", got)
	}
	if got := byID[6].Attributes["style"]; got != "width: 33.3333%" {
		t.Errorf("style attribute %q", got)
	}
}
