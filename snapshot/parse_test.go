package snapshot

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func intp(i int) *int    { return &i }
func boolp(b bool) *bool { return &b }

func TestParseCorpus(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		opts     Options
		source   Source
		url      string
		viewport Viewport
		scroll   Scroll
	}{
		{
			name: "gleap local payload", file: "gleap-local.json.gz", source: SourceGleap,
			url:      "http://127.0.0.1:8787/site/",
			viewport: Viewport{Width: 1280, Height: 800, DeviceScaleFactor: 2},
			scroll:   Scroll{Y: 721},
		},
		{
			name: "gleap live payload", file: "gleap-live.json.gz", source: SourceGleap,
			url:      "http://shop.example.test:8788/site/",
			viewport: Viewport{Width: 1280, Height: 800, DeviceScaleFactor: 2},
			scroll:   Scroll{Y: 721},
		},
		{
			name: "rrweb bare node", file: "rrweb-todomvc.rrweb.json", source: SourceRRWeb,
			url:      DefaultURL,
			viewport: Viewport{Width: 1280, Height: 800, DeviceScaleFactor: 1},
		},
		{
			name: "rrweb recording uses last meta and full snapshot", file: "rrweb-todomvc-recording.rrweb.json", source: SourceRRWeb,
			url:      "http://127.0.0.1:8765/todomvc/examples/react/dist/index.html",
			viewport: Viewport{Width: 1280, Height: 800, DeviceScaleFactor: 1},
		},
		{
			name: "rrweb mobile with overrides", file: "rrweb-pricing-mobile.rrweb.json.gz", source: SourceRRWeb,
			opts:     Options{Override: Override{URL: "http://127.0.0.1:8765/docs/5.3/examples/pricing/", Width: 390, Height: 844, DPR: 3, Mobile: boolp(true), ScrollY: intp(120)}},
			url:      "http://127.0.0.1:8765/docs/5.3/examples/pricing/",
			viewport: Viewport{Width: 390, Height: 844, DeviceScaleFactor: 3, Mobile: true},
			scroll:   Scroll{Y: 120},
		},
		{
			name: "plain html", file: "rrweb-todomvc.html", source: SourceHTML,
			url:      DefaultURL,
			viewport: Viewport{Width: 1280, Height: 800, DeviceScaleFactor: 1},
		},
		{
			name: "gzip input by name", file: "gleap-live.json.gz", source: SourceGleap,
			opts:     Options{Name: "feedback.json.gz", Override: Override{ScrollY: intp(0)}},
			url:      "http://shop.example.test:8788/site/",
			viewport: Viewport{Width: 1280, Height: 800, DeviceScaleFactor: 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := fixture(t, tt.file)
			src, err := Detect(data, tt.opts.Name)
			if err != nil || src != tt.source {
				t.Fatalf("Detect = %q, %v; want %q", src, err, tt.source)
			}
			s := mustParse(t, data, tt.opts)
			if s.Source != tt.source || s.URL != tt.url || s.Viewport != tt.viewport || s.Scroll != tt.scroll {
				t.Errorf("got source %q url %q viewport %+v scroll %+v; want %q %q %+v %+v",
					s.Source, s.URL, s.Viewport, s.Scroll, tt.source, tt.url, tt.viewport, tt.scroll)
			}
			doc := tree(t, s)
			if n := len(byTag(doc, "script")); n != 0 {
				t.Errorf("%d <script> left", n)
			}
			if s.Nodes < 30 {
				t.Errorf("Nodes = %d, want a real page", s.Nodes)
			}
			heads := byTag(doc, "head")
			if len(heads) != 1 {
				t.Fatalf("%d heads", len(heads))
			}
			first := firstElement(heads[0])
			if first == nil || first.Data != "meta" || attr(first, "charset") != "utf-8" {
				t.Errorf("head does not start with <meta charset=utf-8>")
			}
			bases := byTag(doc, "base")
			if len(bases) == 0 || !strings.HasPrefix(attr(bases[0], "href"), "http") {
				t.Errorf("no http(s) <base href>")
			}
			if tt.opts.Override.URL != "" && attr(bases[0], "href") != tt.opts.Override.URL {
				t.Errorf("base href = %q, want the override", attr(bases[0], "href"))
			}
		})
	}
}

func firstElement(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			return c
		}
	}
	return nil
}

func TestParseIsDeterministic(t *testing.T) {
	for _, f := range []string{"gleap-live.json.gz", "rrweb-email-mobile.rrweb.json"} {
		data := fixture(t, f)
		a, b := mustParse(t, data, Options{}), mustParse(t, data, Options{})
		if !bytes.Equal(a.HTML, b.HTML) {
			t.Errorf("%s: two parses differ", f)
		}
		// Normalizing the output again changes nothing: the contract holds
		// for what Parse returns.
		c := mustParse(t, a.HTML, Options{Name: "x.html", Override: Override{URL: a.URL}})
		if !bytes.Equal(a.HTML, c.HTML) {
			t.Errorf("%s: normalizing the output again changed it", f)
		}
	}
}
