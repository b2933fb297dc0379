package renderer

import (
	"image/color"
	"os"
	"strings"
	"testing"

	"github.com/kilnrender/kiln/snapshot"
)

// A <video> marked with the time into it (snapshot.AttrMedia) shows the
// frame at that time, paused, modulo its duration when it loops; an
// unmarked one its first frame once loaded (waited for), or nothing with
// preload="none", as live. The video is one second each of red, lime and
// blue.
func TestVideoFrameAtTime(t *testing.T) {
	p := sharedPool(t)
	webm, err := os.ReadFile("../testdata/media/rgb-3s.webm")
	if err != nil {
		t.Fatal(err)
	}
	red, lime, blue, white := [3]uint8{255, 0, 0}, [3]uint8{0, 255, 0}, [3]uint8{0, 0, 255}, [3]uint8{255, 255, 255}
	for _, tc := range []struct {
		mark string
		want [3]uint8
	}{
		{``, red},
		{` data-kiln-media="1.5"`, lime},
		{` data-kiln-media="2.5" autoplay muted`, blue},
		{` data-kiln-media="3.5 loop" loop`, red},
		{` data-kiln-media="7.4 loop"`, lime},
		{` data-kiln-media="9"`, blue},
		{` data-kiln-media="1.5" preload="none"`, lime},
		{` data-kiln-media="x"`, red},
		{` preload="metadata"`, red},
		{` preload="none"`, white}, // as live: nothing loaded, not waited for
		{` poster="http://page.kiln.test/poster.png"`, [3]uint8{255, 0, 255}},
	} {
		t.Run(tc.mark, func(t *testing.T) {
			s := testPage(`<!doctype html><html><head><style>body{margin:0;background:#fff}video{display:block;width:200px;height:200px}</style></head>` +
				`<body><video src="http://page.kiln.test/rgb.webm"` + tc.mark + `></video></body></html>`)
			s.Resources = []snapshot.Resource{{URL: "http://page.kiln.test/rgb.webm", ContentType: "video/webm", Data: webm},
				{URL: "http://page.kiln.test/poster.png", ContentType: "image/png", Data: solidPNG(t, color.RGBA{255, 0, 255, 255}, 4, 4)}}
			img, res := renderPNG(t, p, s)
			if got := img.At(100, 100); !near(got, tc.want[0], tc.want[1], tc.want[2]) {
				t.Errorf("pixel %v, want %v (warnings %q)", got, tc.want, res.Warnings)
			}
			for _, w := range res.Warnings {
				if strings.Contains(w, "videos") {
					t.Errorf("warnings %q", res.Warnings)
				}
			}
		})
	}
}

func TestByteRange(t *testing.T) {
	for _, tc := range []struct {
		h        string
		n        int
		from, to int
		ok       bool
	}{
		{"bytes=0-", 10, 0, 9, true},
		{"bytes=2-5", 10, 2, 5, true},
		{"bytes=2-50", 10, 2, 9, true},
		{"bytes=-3", 10, 7, 9, true},
		{"bytes=-30", 10, 0, 9, true},
		{"bytes=10-", 10, 0, 0, false},
		{"bytes=5-2", 10, 0, 0, false},
		{"bytes=0-1,4-5", 10, 0, 0, false},
		{"bytes=x-", 10, 0, 0, false},
		{"items=0-1", 10, 0, 0, false},
		{"bytes=0-", 0, 0, 0, false},
	} {
		from, to, ok := byteRange(tc.h, tc.n)
		if ok != tc.ok || ok && (from != tc.from || to != tc.to) {
			t.Errorf("byteRange(%q, %d) = %d, %d, %v; want %d, %d, %v", tc.h, tc.n, from, to, ok, tc.from, tc.to, tc.ok)
		}
	}
}
