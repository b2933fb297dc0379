package renderer

import (
	"image/color"
	"testing"

	"github.com/kilnrender/kiln/snapshot"
)

// A link whose href was a script URL is still a link: the page's CSS
// styles `a:not([href])` (Bootstrap: the parent's text colour) and
// `a[href]` apart, and `href="javascript:void(0)"` is a common way to
// write a link a script handles. Normalization makes its href neutral
// rather than dropping it.
func TestScriptLinkStaysALink(t *testing.T) {
	p := sharedPool(t)
	page := `<!doctype html><style>a{color:#00f} a:not([href]){color:#f00}
		a{display:block;width:100px;height:50px;background:currentColor}</style>
		<body style="margin:0"><a href="javascript:void(0)"></a><a href=" JavaScript:go()"></a>`
	s, err := snapshot.Parse([]byte(page), snapshot.Options{Override: snapshot.Override{URL: "http://page.kiln.test/", Width: 800, Height: 600}})
	if err != nil {
		t.Fatal(err)
	}
	img, _ := renderPNG(t, p, s)
	for _, y := range []int{25, 75} {
		if c := img.At(50, y); !near(c, 0, 0, 255) {
			t.Errorf("link at y=%d shows %v, want the blue of a[href]", y, c)
		}
	}
}

// An image rrweb recorded past the root of the page's origin
// (url(../img/bg.png) in a page at / recorded as http://img/bg.png:
// snapshot.ClimbedURL) is served from the resource the snapshot gives for
// the URL the page loaded.
func TestClimbedURLServedFromResources(t *testing.T) {
	p := sharedPool(t)
	s := testPage(`<!doctype html><body style="margin:0"><div style="width:100px;height:100px;background:url(http://img/bg.png) 0 0/100px 100px"></div>`)
	s.Resources = []snapshot.Resource{{URL: "http://page.kiln.test/img/bg.png", ContentType: "image/png", Data: solidPNG(t, color.RGBA{255, 0, 0, 255}, 4, 4)}}
	img, res := renderPNG(t, p, s)
	if c := img.At(50, 50); !near(c, 255, 0, 0) || res.Served != 1 {
		t.Errorf("background shows %v (served %d), want the red resource", c, res.Served)
	}
}
