package renderer

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/kilnrender/kiln/snapshot"
)

// An icon drawn from a sprite file (<use href="icons.svg#sq">) shows: the
// renderer's document has no origin to load an external <use> from, and
// the snapshot carries the sprite inline instead.
func TestRenderSpriteIcons(t *testing.T) {
	p := sharedPool(t)
	sprite := `<svg xmlns="http://www.w3.org/2000/svg"><defs><linearGradient id="g"><stop offset="0" stop-color="rgb(0,0,255)"/><stop offset="1" stop-color="rgb(0,0,255)"/></linearGradient></defs>` +
		`<symbol id="sq" viewBox="0 0 10 10"><rect width="10" height="10" fill="url(#g)"/></symbol></svg>`
	in, _ := json.Marshal(map[string]any{
		"version": 1, "url": "http://cdn.kiln.test/app/", "viewport": map[string]int{"width": 400, "height": 300},
		"html":      `<!doctype html><body style="margin:0;background:#fff"><svg width="200" height="200"><use href="/icons.svg#sq"></use></svg>`,
		"resources": []map[string]string{{"url": "http://cdn.kiln.test/icons.svg", "contentType": "image/svg+xml", "data": base64.StdEncoding.EncodeToString([]byte(sprite))}},
	})
	s, err := snapshot.Parse(in, snapshot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	img, _ := renderPNG(t, p, s)
	if got := img.At(100, 100); !near(got, 0, 0, 255) {
		t.Fatalf("the icon's middle is %v, want the sprite's blue", got)
	}
	if got := img.At(300, 100); !near(got, 255, 255, 255) {
		t.Fatalf("beside the icon: %v, want white", got)
	}
}

// iconServer serves a sprite file whose symbol "sq" is a green square at
// every path ending in .svg (a host of testGround).
func iconServer() string {
	return startHTTP(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, ".svg") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/svg+xml")
		_, _ = w.Write([]byte(`<svg xmlns="http://www.w3.org/2000/svg"><symbol id="sq" viewBox="0 0 10 10"><rect width="10" height="10" fill="rgb(0,255,0)"/></symbol></svg>`))
	})
}

// A sprite file the input does not carry is fetched at render time,
// under the network policy, and inlined beside the ones it carries (their
// ids apart): the icons a page draws from it show. One on a private
// address is never fetched.
func TestRenderFetchedSpriteIcons(t *testing.T) {
	p := sharedPool(t)
	g := testGround(t)
	blue := `<svg xmlns="http://www.w3.org/2000/svg"><symbol id="sq" viewBox="0 0 10 10"><rect width="10" height="10" fill="rgb(0,0,255)"/></symbol></svg>`
	private := g.CanaryURL("/icons.svg")
	in, _ := json.Marshal(map[string]any{
		"version": 1, "url": "http://cdn.kiln.test/app/", "viewport": map[string]int{"width": 600, "height": 300},
		"html": `<!doctype html><body style="margin:0;background:#fff">` +
			`<svg width="100" height="100"><use href="/given.svg#sq"></use></svg>` +
			`<svg width="100" height="100"><use href="http://icons.example.test/` + strings.ReplaceAll(t.Name(), "/", "-") + `.svg#sq"></use></svg>` +
			`<svg width="100" height="100"><use href="` + private + `#sq"></use></svg>`,
		"resources": []map[string]string{{"url": "http://cdn.kiln.test/given.svg", "contentType": "image/svg+xml", "data": base64.StdEncoding.EncodeToString([]byte(blue))}},
	})
	s, err := snapshot.Parse(in, snapshot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	was := string(s.HTML)
	img, res := renderPNG(t, p, s)
	for _, c := range []struct {
		x       int
		r, g, b uint8
		what    string
	}{{50, 0, 0, 255, "the given sprite's blue"}, {150, 0, 255, 0, "the fetched sprite's green"}, {250, 255, 255, 255, "nothing (white)"}} {
		if got := img.At(c.x, 50); !near(got, c.r, c.g, c.b) {
			t.Errorf("icon at x=%d is %v, want %s", c.x, got, c.what)
		}
	}
	if res.Fetched != 1 {
		t.Errorf("fetched %d, want 1", res.Fetched)
	}
	if !slices.ContainsFunc(res.Blocked, func(b Blocked) bool { return strings.HasPrefix(b.URL, private) }) {
		t.Errorf("the private sprite is not reported blocked: %+v", res.Blocked)
	}
	if string(s.HTML) != was {
		t.Error("the caller's snapshot was changed")
	}
	g.AssertUntouched(t)
}
