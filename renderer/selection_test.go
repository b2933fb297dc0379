package renderer

import (
	"image/color"
	"testing"
)

// The text selection a snapshot marks (snapshot.AttrSelection) is
// selected again and painted as the live page painted it: in the
// focused window's colours (blue), not a background window's grey, also
// in a frame (which has the focus when the user selects in it).
func TestSelectionPainted(t *testing.T) {
	p := lifecyclePool(t, 0) // one tab: every job follows the last in it
	// 40 px monospace "x"s: 24 px a character; y 4 is above the glyphs,
	// inside the line box a selection fills.
	page := func(body string) string {
		return `<!doctype html><html><head><style>body{margin:0;background:#fff}p{font:40px/1 monospace;margin:0;color:#000}</style></head><body>` + body + `</body></html>`
	}
	selected := func(c color.Color) bool {
		r, g, b, _ := c.RGBA()
		return b>>8 > r>>8+60 && b>>8 > g>>8+30
	}
	type probe struct {
		char int // the character's column, on the first line
		sel  bool
	}
	for _, tc := range []struct {
		name   string
		html   string
		probes []probe
	}{
		{"in one text node", page(`<p data-kiln-selection="start 0 2 end 0 6">xxxxxxxxxx</p>`), []probe{{0, false}, {3, true}, {5, true}, {8, false}}},
		{"next job: none", page(`<p>xxxxxxxxxx</p>`), []probe{{3, false}, {5, false}}},
		{"from a child element into its parent's text after it", page(`<p data-kiln-selection="end 1 2">xxx<b data-kiln-selection="start 0 1">xxx</b>xxxx</p>`), []probe{{1, false}, {3, false}, {4, true}, {7, true}, {8, false}}},
		{"text split by a comment", page(`<p data-kiln-selection="start 0 4 end 0 6">xxx<!---->xxxxxxx</p>`), []probe{{3, false}, {4, true}, {5, true}, {6, false}}},
		{"in a frame", page(`<iframe style="border:0;width:600px;height:100px;display:block" srcdoc="&lt;style&gt;body{margin:0}p{font:40px/1 monospace;margin:0}&lt;/style&gt;` +
			`&lt;p data-kiln-selection=&quot;start 0 2 end 0 6&quot;&gt;xxxxxxxxxx&lt;/p&gt;"></iframe>`), []probe{{1, false}, {3, true}, {5, true}, {6, false}}},
		{"unreadable", page(`<p data-kiln-selection="start x 2 end 0 -1">xxxxxxxxxx</p>`), []probe{{3, false}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			img, _ := renderPNG(t, p, testPage(tc.html))
			for _, pr := range tc.probes {
				c := img.At(pr.char*24+12, 4)
				if selected(c) != pr.sel {
					t.Errorf("character %d: %v, selected %v, want %v", pr.char, c, selected(c), pr.sel)
				}
			}
		})
	}
}
