package renderer

import (
	"testing"
)

// Animations driven by scroll (animation-timeline: scroll() / view():
// reading-progress bars, reveal-on-scroll) follow the snapshot's scroll,
// as on the live page; the freeze ends only time-driven ones. A bar that
// grows with the window's scroll is half drawn half way down, and a box
// revealed as it enters the view is shown where the view has reached it.
func TestScrollDrivenAnimations(t *testing.T) {
	p := sharedPool(t)
	const html = `<!doctype html><html><head><style>body{margin:0;background:#fff;height:2600px}` +
		`@keyframes grow{from{width:0}to{width:800px}}` +
		`.bar{position:fixed;top:0;left:0;height:40px;background:#f00;width:0;animation:grow linear both;animation-timeline:scroll(root)}` +
		`@keyframes reveal{from{opacity:0}to{opacity:1}}` +
		`.card{height:200px;background:#00f;animation:reveal linear both;animation-timeline:view();animation-range:entry 0% entry 100%}</style></head>` +
		`<body><div class="bar"></div><div style="height:1300px"></div><div class="card"></div></body></html>`
	for _, tc := range []struct {
		scroll int
		red    map[int]bool // x along the bar: red or white
	}{
		{0, map[int]bool{10: false, 400: false}},
		{1000, map[int]bool{10: true, 390: true, 410: false, 700: false}}, // 1000 of 2000 px: half
		{2000, map[int]bool{10: true, 790: true}},
	} {
		s := testPage(html)
		s.Scroll.Y = tc.scroll
		img, _ := renderPNG(t, p, s)
		for x, red := range tc.red {
			if got := img.At(x, 20); near(got, 255, 0, 0) != red {
				t.Errorf("scroll %d: pixel at %d,20 is %v, red %v", tc.scroll, x, got, red)
			}
		}
		// The card (1300-1500 px) is fully in view at scroll 1000
		// (viewport 1000-1600): revealed; at scroll 0 it is below.
		if tc.scroll == 1000 {
			if got := img.At(50, 400); !near(got, 0, 0, 255) {
				t.Errorf("scroll %d: the revealed card is %v, want blue", tc.scroll, got)
			}
		}
	}
}
