package renderer

import (
	"encoding/json"
	"testing"

	"github.com/kilnrender/kiln/snapshot"
)

// A grid recorded by rrweb lays out as on the live page. rrweb records
// style sheets as the CSSOM serializes them, with 6 significant digits:
// Bootstrap's 58.333333% comes back as 58.3333%, and a 7/12 column of a
// 1014 px row then ends at 591.484375 px instead of 591.5, a pixel left
// of the live page's edge (every column right of it moves too). The
// snapshot package writes such fractions in full again.
func TestRecordedGridFractions(t *testing.T) {
	p := sharedPool(t)
	const (
		live     = `.row{display:flex;width:1014px;margin:0}.c7{flex:0 0 58.333333%;max-width:58.333333%;height:100px;background:#f00}.c5{flex:0 0 41.666667%;max-width:41.666667%;height:100px;background:#00f}`
		recorded = `.row { display: flex; width: 1014px; margin: 0px; } .c7 { flex: 0 0 58.3333%; max-width: 58.3333%; height: 100px; background: rgb(255, 0, 0); } .c5 { flex: 0 0 41.6667%; max-width: 41.6667%; height: 100px; background: rgb(0, 0, 255); }`
	)
	body := `<div class="row"><div class="c7"></div><div class="c5"></div></div>`
	page := testPage(`<!doctype html><html><head><style>` + live + `</style></head><body style="margin:0;background:#fff">` + body + `</body></html>`)
	page.Viewport.Width, page.Viewport.Height = 1100, 200
	el := func(id int, tag string, attrs map[string]any, kids ...any) map[string]any {
		if attrs == nil {
			attrs = map[string]any{}
		}
		if kids == nil {
			kids = []any{}
		}
		return map[string]any{"type": 2, "id": id, "tagName": tag, "attributes": attrs, "childNodes": kids}
	}
	node := map[string]any{"type": 0, "id": 1, "childNodes": []any{
		map[string]any{"type": 1, "id": 2, "name": "html", "publicId": "", "systemId": ""},
		el(3, "html", nil,
			el(4, "head", nil, el(5, "style", map[string]any{"_cssText": recorded})),
			el(6, "body", map[string]any{"style": "margin:0;background:#fff"},
				el(7, "div", map[string]any{"class": "row"}, el(8, "div", map[string]any{"class": "c7"}), el(9, "div", map[string]any{"class": "c5"})))),
	}}
	b, _ := json.Marshal(node)
	rec, err := snapshot.Parse(b, snapshot.Options{Override: snapshot.Override{URL: "http://page.kiln.test/", Width: 1100, Height: 200}})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := renderPNG(t, p, page)
	got, _ := renderPNG(t, p, rec)
	// The live sheet puts the column edge at 591.5 px: pixel 591 is the
	// red column's. The test is only meaningful if it does.
	if c := want.At(591, 50); !near(c, 255, 0, 0) {
		t.Fatalf("live sheet: pixel 591 is %v, want the red column's (the edge moved: the test no longer tests the rounding)", c)
	}
	for x := 585; x < 600; x++ {
		if w, g := want.At(x, 50), got.At(x, 50); w != g {
			t.Errorf("pixel %d: recorded sheet shows %v, the live page %v", x, g, w)
		}
	}
}
