package renderer

import (
	"fmt"
	"image/color"
	"testing"
	"time"

	"github.com/kilnrender/kiln/snapshot"
)

// Images do not leak from one job to the next in the same tab. A job's
// document written with Page.setDocumentContent kept the frame's Document
// and its "list of available images" (HTML spec), which ignores
// Cache-Control: no-store: a later job whose page used an image URL an
// earlier job's page used got the earlier job's pixels, or its failure,
// without Chromium asking for the URL again (Served 0). Two tenants that
// reference the same URL with different bytes would see each other's. Each
// job now gets a new Document (tab.load navigates to about:blank first).
// TestRenderIsolation does not see it: stylesheets are not in the list.
func TestImagesDoNotLeakAcrossJobs(t *testing.T) {
	p := sharedPool(t)
	run := fmt.Sprintf("i%x", time.Now().UnixNano())
	red, blue := color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}
	for _, tc := range []struct{ name, html string }{
		{"img", `<img src="http://cdn.kiln.test/%s/a.png" style="width:200px;height:200px;display:block">`},
		{"css background", `<div style="width:200px;height:200px;background:url(http://cdn.kiln.test/%s/b.png) 0 0/200px 200px"></div>`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			html := `<!doctype html><body style="margin:0;background:#fff">` + fmt.Sprintf(tc.html, run)
			url := fmt.Sprintf("http://cdn.kiln.test/%s/%s", run, map[string]string{"img": "a.png", "css background": "b.png"}[tc.name])
			// Jobs alternate between two tenants' bytes for the same URL; the
			// first job lists nothing (its request is refused), so that the
			// next one shows whether a failure sticks too.
			for i, c := range []*color.RGBA{nil, &red, &blue, &red, &blue} {
				s := testPage(html)
				if c != nil {
					s.Resources = []snapshot.Resource{{URL: url, ContentType: "image/png", Data: solidPNG(t, *c, 4, 4)}}
				}
				img, res := renderPNG(t, p, s)
				if c == nil {
					continue
				}
				if got := img.At(100, 100); !near(got, c.R, c.G, c.B) || res.Served != 1 {
					t.Errorf("job %d shows %v (served %d), want its own %v: an earlier job's image (or failure) was reused", i, got, res.Served, *c)
				}
			}
		})
	}
}
