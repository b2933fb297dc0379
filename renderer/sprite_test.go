package renderer

import (
	"encoding/base64"
	"encoding/json"
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
