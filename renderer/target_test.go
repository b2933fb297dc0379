package renderer

import (
	"testing"
)

// A page whose URL had a fragment shows :target as the live page did,
// where the window and the scroll containers stay as recorded (the
// fragment's own scroll is undone); the next job in the same tab, without
// a fragment, has no :target.
func TestTargetFromURLFragment(t *testing.T) {
	p := lifecyclePool(t, 0) // one tab: every job follows the last in it
	const html = `<!doctype html><html><head><style>body{margin:0;background:#fff}section{height:200px;background:#00f}section:target{background:#f00}` +
		`.box{height:200px;overflow:auto}.box div{height:150px;background:#0f0}.box div:target{background:#ff0}</style></head><body>` +
		`<section id="one"></section><section id="two"></section><div class="box"><div></div><div></div><div id="deep"></div></div><div style="height:3000px"></div></body></html>`
	for _, tc := range []struct {
		name    string
		url     string
		scrollY int
		probes  map[[2]int][3]uint8
	}{
		{"section targeted, window where recorded", "http://page.kiln.test/doc#two", 0, map[[2]int][3]uint8{{100, 100}: {0, 0, 255}, {100, 300}: {255, 0, 0}}},
		{"window scrolled as recorded", "http://page.kiln.test/doc#two", 100, map[[2]int][3]uint8{{100, 50}: {0, 0, 255}, {100, 150}: {255, 0, 0}}},
		{"next job, no fragment", "http://page.kiln.test/doc", 0, map[[2]int][3]uint8{{100, 300}: {0, 0, 255}}},
		{"in a scroll container, which stays at 0", "http://page.kiln.test/doc#deep", 0, map[[2]int][3]uint8{{100, 450}: {0, 255, 0}, {100, 100}: {0, 0, 255}}},
		{"a route, not an id", "http://page.kiln.test/doc#/settings/profile", 0, map[[2]int][3]uint8{{100, 100}: {0, 0, 255}, {100, 300}: {0, 0, 255}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := testPage(html)
			s.URL = tc.url
			s.Scroll.Y = tc.scrollY
			img, _ := renderPNG(t, p, s)
			for xy, want := range tc.probes {
				if got := img.At(xy[0], xy[1]); !near(got, want[0], want[1], want[2]) {
					t.Errorf("pixel at %v is %v, want %v", xy, got, want)
				}
			}
		})
	}
}
