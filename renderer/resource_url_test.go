package renderer

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	"github.com/kilnrender/kiln/snapshot"
)

// A resource the input lists is served from the input however the input
// spells its URL: Chromium asks for it canonicalized (lower-case scheme
// and host, default port dropped, dot segments resolved, spaces and
// non-ASCII percent-encoded, empty path "/", no fragment), and a listed
// resource that missed would be fetched instead (or refused, here: the
// test network knows none of these hosts).
func TestResourceURLSpellings(t *testing.T) {
	p := sharedPool(t)
	// Chromium keeps the images a tab's document showed and shows them
	// again without asking (see TestKnownBugImagesLeakAcrossJobs): every
	// run needs URLs of its own.
	run := fmt.Sprintf("c%x", time.Now().UnixNano())
	cases := []struct {
		name, listed, ref string // ref: the URL the document uses ("" means listed)
		notJSON           bool   // the snapshot package refuses it in Kiln JSON
	}{
		{"upper-case scheme and host, default port, dot segment", "HTTP://Page.Kiln.Test:80/RUN/a/../img.png", "", false},
		{"space", "http://page.kiln.test/RUN/a b.png", "", false},
		{"non-ASCII path", "http://page.kiln.test/RUN/é.png", "", false},
		{"non-ASCII path, listed encoded in lower case", "http://page.kiln.test/RUN/%c3%a8.png", "http://page.kiln.test/RUN/è.png", false},
		{"escaped unreserved character", "http://page.kiln.test/RUN/%7Etilde.png", "/RUN/~tilde.png", false},
		{"encoded dot segment", "http://page.kiln.test/RUN/x/%2E%2E/dots.png", "", false},
		{"backslashes", `http://page.kiln.test\RUN\back\slash.png`, "", true},
		{"fragment", "http://page.kiln.test/RUN/frag.png#listed", "/RUN/frag.png#used", false},
		{"https default port", "https://page.kiln.test:443/RUN/secure.png", "", false},
		{"empty path", "http://EMPTY-" + run + ".kiln.test", "", false},
		{"trailing dot in the host", "http://page.kiln.test./RUN/dot.png", "http://PAGE.kiln.test/RUN/dot.png", false},
		{"query with space and non-ASCII", "http://page.kiln.test/RUN/q.png?a=1 2&b=é", "", false},
		{"internationalized host", "http://bücher-" + run + ".kiln.test/idn.png", "", false},
		{"IPv4 spelled in hex, served and never fetched", "http://0x7f.1/RUN/ip.png", "", false},
		{"characters Chromium may escape", "http://page.kiln.test/RUN/p|c^{}`'.png", "", false},
	}
	type item struct {
		res   snapshot.Resource
		ref   string
		color color.RGBA
	}
	var items []item
	for i, c := range cases {
		listed := strings.ReplaceAll(c.listed, "RUN", run)
		ref := listed
		if c.ref != "" {
			ref = strings.ReplaceAll(c.ref, "RUN", run)
		}
		col := color.RGBA{uint8(40 + 13*i), uint8(200 - 11*i), uint8(60 + 7*i), 255}
		items = append(items, item{snapshot.Resource{URL: listed, ContentType: "image/png", Data: solidPNG(t, col, 4, 4)}, ref, col})
	}
	// page returns the document and resources of the cases keep admits,
	// their URLs moved under run2.
	page := func(run2 string, keep func(i int) bool) (string, []snapshot.Resource) {
		var html strings.Builder
		html.WriteString(`<!doctype html><html><head><base href="http://page.kiln.test/"></head><body style="margin:0;background:#fff">`)
		var res []snapshot.Resource
		for i, it := range items {
			if !keep(i) {
				continue
			}
			r := it.res
			r.URL = strings.ReplaceAll(r.URL, run, run2)
			res = append(res, r)
			ref := strings.ReplaceAll(it.ref, run, run2)
			fmt.Fprintf(&html, `<img src="%s" style="position:absolute;left:%dpx;top:%dpx;width:40px;height:40px">`,
				strings.ReplaceAll(strings.ReplaceAll(ref, "&", "&amp;"), `"`, "&quot;"), 50*(i%10), 50*(i/10))
		}
		return html.String(), res
	}
	check := func(t *testing.T, s *snapshot.Snapshot, keep func(i int) bool) {
		img, r := renderPNG(t, p, s)
		n := 0
		for i, c := range cases {
			if !keep(i) {
				continue
			}
			n++
			x, y := 50*(i%10)+20, 50*(i/10)+20
			if got, want := img.At(x, y), items[i].color; !near(got, want.R, want.G, want.B) {
				t.Errorf("%s: %s not served from the input (pixel %v, want %v)", c.name, c.listed, got, want)
			}
		}
		if r.Served != n || r.Fetched != 0 || len(r.Blocked) != 0 {
			t.Errorf("served %d, fetched %d, want %d and 0; blocked %v", r.Served, r.Fetched, n, r.Blocked)
		}
	}
	all := func(int) bool { return true }
	t.Run("snapshot", func(t *testing.T) {
		doc, res := page(run, all)
		s := testPage(doc)
		s.Resources = res
		check(t, s, all)
	})
	t.Run("kiln-json", func(t *testing.T) {
		// The snapshot package reads the listed URLs the Go way first.
		keep := func(i int) bool { return !cases[i].notJSON }
		doc, res := page(run+"j", keep)
		var list []map[string]string
		for _, r := range res {
			list = append(list, map[string]string{"url": r.URL, "contentType": r.ContentType, "data": base64.StdEncoding.EncodeToString(r.Data)})
		}
		b, _ := json.Marshal(map[string]any{"version": 1, "url": "http://page.kiln.test/", "html": doc, "resources": list,
			"viewport": map[string]int{"width": 800, "height": 600}})
		s, err := snapshot.Parse(b, snapshot.Options{})
		if err != nil {
			t.Fatal(err)
		}
		check(t, s, keep)
	})
}

func TestResourceKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"HTTP://Page.Kiln.Test:80/a/../img.png", "http://page.kiln.test/img.png"},
		{"http://page.kiln.test/a b.png", "http://page.kiln.test/a%20b.png"},
		{"http://page.kiln.test/é.png", "http://page.kiln.test/%C3%A9.png"},
		{"http://page.kiln.test/%c3%a9.png", "http://page.kiln.test/%C3%A9.png"},
		{"http://page.kiln.test/%7E/%41", "http://page.kiln.test/~/A"},
		{"http://page.kiln.test/a%2Fb", "http://page.kiln.test/a%2Fb"},
		{"http://page.kiln.test/a/%2e%2E/b/./c/.", "http://page.kiln.test/b/c/"},
		{"http://page.kiln.test/a/b/..", "http://page.kiln.test/a/"},
		{"http://page.kiln.test/../../x", "http://page.kiln.test/x"},
		{`http:\\page.kiln.test\a\b`, "http://page.kiln.test/a/b"},
		{"http://page.kiln.test", "http://page.kiln.test/"},
		{"http://page.kiln.test?q", "http://page.kiln.test/?q"},
		{"http://page.kiln.test/x#frag", "http://page.kiln.test/x"},
		{"https://page.kiln.test:443/x", "https://page.kiln.test/x"},
		{"https://page.kiln.test:80/x", "https://page.kiln.test:80/x"},
		{"http://page.kiln.test:0080/x", "http://page.kiln.test/x"},
		{"http://page.kiln.test:8080/x", "http://page.kiln.test:8080/x"},
		{"http://PAGE.kiln.test./x", "http://page.kiln.test/x"},
		{"http://bücher.example/", "http://xn--bcher-kva.example/"},
		{"http://0x7f.1/", "http://127.0.0.1/"},
		{"http://[::FFFF:7F00:1]:81/", "http://[::ffff:127.0.0.1]:81/"},
		{"http://page.kiln.test/q?a=1 2&b=é&c=%41%2b'", "http://page.kiln.test/q?a=1%202&b=%C3%A9&c=A%2B%27"},
		{"  http://page.kiln.test/\tx\n ", "http://page.kiln.test/x"},
		{"http://page.kiln.test/%zz%", "http://page.kiln.test/%25zz%25"},
		{"http://page.kiln.test/a!'()*$&+,;=:@", "http://page.kiln.test/a%21%27%28%29%2A$&+,;=:@"},
		{"http://page.kiln.test/a%21%27%28%29%2a", "http://page.kiln.test/a%21%27%28%29%2A"},
		{"http://page.kiln.test/p|c^{}`\"<>[]", "http://page.kiln.test/p%7Cc%5E%7B%7D%60%22%3C%3E%5B%5D"},
		// Not http(s), or not a URL Kiln can read: as given, less the fragment.
		{"data:image/png;base64,AAAA#x", "data:image/png;base64,AAAA"},
		{"http://user@page.kiln.test/x", "http://user@page.kiln.test/x"},
		{"http://page.kiln.test:99999/x", "http://page.kiln.test:99999/x"},
	} {
		if got := resourceKey(tc.in); got != tc.want {
			t.Errorf("resourceKey(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := resourceKey(tc.want); got != tc.want {
			t.Errorf("resourceKey(%q) = %q: not idempotent", tc.want, got)
		}
	}
}
