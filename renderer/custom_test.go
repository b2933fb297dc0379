package renderer

import (
	"strings"
	"testing"
)

// Custom elements match :defined as on the live page, whose scripts had
// defined them: a page that hides elements not upgraded yet
// (x-card:not(:defined) { visibility: hidden }, the usual web component
// pattern) shows them. When the input says which names were defined
// (snapshot.AttrDefined), only those are; when it does not, every valid
// name is. Registries are per document (frames) and per job: a name one
// job defined is not defined in the next job in the same tab.
func TestCustomElementsDefined(t *testing.T) {
	p := lifecyclePool(t, 0) // one tab: every job follows the last in it
	const style = `<style>body{margin:0;background:#fff}` +
		`x-card,x-other,font-face,x-frame{display:block;width:100px;height:100px;background:#00f}` +
		`:not(:defined){visibility:hidden}</style>`
	page := func(body string) string {
		return `<!doctype html><html><head>` + style + `</head><body>` + body + `</body></html>`
	}
	blue, white := [3]uint8{0, 0, 255}, [3]uint8{255, 255, 255}
	type probe struct {
		x, y int
		want [3]uint8
		what string
	}
	for _, tc := range []struct {
		name   string
		html   string
		probes []probe
	}{
		{"nothing said: every valid name", page(`<x-card></x-card><x-other></x-other><font-face></font-face>`), []probe{
			{50, 50, blue, "x-card"}, {50, 150, blue, "x-other"},
			{50, 250, blue, "font-face (a name the standard reserves: an unknown element, always :defined)"},
		}},
		{"marked: only those", page(`<x-card data-kiln-defined></x-card><x-other></x-other>`), []probe{
			{50, 50, blue, "x-card (marked)"}, {50, 150, white, "x-other (not marked: not yet defined when captured)"},
		}},
		{"next job: the last job's names are gone", page(`<x-other data-kiln-defined></x-other><x-card></x-card>`), []probe{
			{50, 50, blue, "x-other (marked)"}, {50, 150, white, "x-card (defined by the last job only)"},
		}},
		{"in a frame and a shadow root", page(`<iframe style="display:block;border:0;width:100px;height:100px" srcdoc="` +
			strings.ReplaceAll(`<style>body{margin:0}x-frame{display:block;width:100px;height:100px;background:#00f}:not(:defined){visibility:hidden}</style><x-frame></x-frame>`, `"`, `&quot;`) +
			`"></iframe><div><template shadowrootmode="open">` + style + `<x-card></x-card></template></div>`), []probe{
			{50, 50, blue, "x-frame in the frame"}, {50, 150, blue, "x-card in the shadow root"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img, _ := renderPNG(t, p, testPage(tc.html))
			for _, pr := range tc.probes {
				if got := img.At(pr.x, pr.y); !near(got, pr.want[0], pr.want[1], pr.want[2]) {
					t.Errorf("%s: pixel at %d,%d is %v, want %v", pr.what, pr.x, pr.y, got, pr.want)
				}
			}
		})
	}
}
