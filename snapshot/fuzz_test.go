package snapshot

import (
	"errors"
	"flag"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics, that every error wraps exactly
// one sentinel and that every accepted output holds the sanitizer's
// contract. The seeds run as a normal test.
func FuzzParse(f *testing.F) {
	seeds := []string{"rrweb-todomvc.rrweb.json", "rrweb-email-mobile.rrweb.json", "rrweb-todomvc.html"}
	if fl := flag.Lookup("test.fuzz"); fl == nil || fl.Value.String() == "" {
		// Large seeds only as a normal test: mutating 100+ KB inputs
		// makes the fuzzer crawl.
		seeds = append(seeds, "gleap-live.json.gz", "rrweb-todomvc-recording.rrweb.json")
	}
	for _, name := range seeds {
		f.Add(fixture(f, name), "")
	}
	for _, s := range []string{
		`<svg><style><img src=x onerror=alert(1)></style></svg>`,
		`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
		`<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
		`<iframe srcdoc="<iframe srcdoc='<script>x</script>'></iframe>"></iframe>`,
		`{"version":1,"html":"<p>x</p>","mask":["p"],"viewport":{"width":10,"height":10}}`,
		`{"version":1,"url":"https://a.example/","html":"<svg><use href=\"s.svg#a\"></use></svg>","viewport":{"width":10,"height":10},"resources":[{"url":"https://a.example/s.svg","contentType":"image/svg+xml","data":"PHN2Zz48c3ltYm9sIGlkPSJhIj48dXNlIGhyZWY9IiNhIi8+PC9zeW1ib2w+PC9zdmc+"}]}`,
		`{"screenshotData":{"html":"<div bb-shadow-parent=\"1\"><p bb-shadow-child=\"1\">x</p></div>","width":10,"height":10}}`,
		`[{"type":4,"data":{"href":"https://a.example/","width":10,"height":10}},{"type":2,"data":{"node":{"type":0,"childNodes":[{"type":2,"tagName":"p","attributes":{"onclick":"x"},"childNodes":[]}]},"initialOffset":{"left":0,"top":5}}}]`,
		`{"type":0,"childNodes":[{"type":2,"tagName":"style","attributes":{"_cssText":"</style><script>x</script>"},"childNodes":[]}]}`,
	} {
		f.Add([]byte(s), "")
	}
	f.Add([]byte("<p>x"), "page.html")
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		s, err := Parse(data, Options{Name: name, Limits: Limits{MaxNodes: 5000, MaxDepth: 64}})
		if err != nil {
			n := 0
			for _, e := range []error{ErrInvalid, ErrUnsupported, ErrTooLarge} {
				if errors.Is(err, e) {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("error %v wraps %d sentinels", err, n)
			}
			return
		}
		doc := tree(t, s)
		if !verify(doc, nil, 0) {
			t.Fatalf("output breaks the contract: %q", s.HTML)
		}
		if n := len(byTag(doc, "script")); n != 0 {
			t.Fatalf("%d scripts in output: %q", n, s.HTML)
		}
	})
}

// FuzzSanitizeCSS checks that the style sheet sanitizer never panics and
// that its output is closed: scanned again, the only URLs left are the
// ones the hook kept (fragments and NeutralURL), and a second pass
// changes nothing.
func FuzzSanitizeCSS(f *testing.F) {
	for _, s := range []string{
		`a{background:url(http://127.0.0.1/a.png)}`, `@import "x.css";@import url(y.css) screen;`,
		`a{b:\75 rl(x)}`, `a{b:image-set("a.png" 1x,url(b) 2x)}`, `a{b:url(x y)}`, "a{b:url(\"x\n\")}",
		`@namespace svg url(http://www.w3.org/2000/svg);`, `/* url(x) */a{content:"url(y)"}`, `a{b:u\72l(j\61vascript:x)}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, css string) {
		h := &neutralize{}
		s := &Sanitizer{URL: h.url}
		out := s.CSS(css)
		again := &neutralize{}
		s2 := &Sanitizer{URL: again.url}
		if out2 := s2.CSS(out); out2 != out {
			t.Fatalf("second pass changed %q to %q", out, out2)
		}
		for _, u := range again.seen {
			if ref := u[2:]; ref != NeutralURL && !strings.HasPrefix(ref, "#") {
				t.Fatalf("URL %q left in %q", ref, out)
			}
		}
	})
}
