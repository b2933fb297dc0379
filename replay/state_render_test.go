package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"image"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kilnrender/kiln/internal/imgcmp"
	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/renderer"
	"github.com/kilnrender/kiln/snapshot"
)

// recordedState applies the recording's events up to atMs after the
// first one, keeping the page's own asset URLs (what resources supplied
// with a recording give) so the fonts served from memory load.
func recordedState(t *testing.T, rec []byte, atMs int64) *snapshot.Snapshot {
	t.Helper()
	m, err := NewMirror(Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m.capture = func(u string) (string, string) { return u, "" }
	dec := snapshot.NewEventDecoder(bytes.NewReader(rec), m.cfg.Limits)
	first := int64(-1)
	for {
		ev, err := dec.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if first < 0 {
			first = ev.Timestamp
		}
		if ev.Timestamp-first > atMs {
			break
		}
		if err := m.Apply(&ev); err != nil && !errors.Is(err, errNoSnapshot) {
			t.Fatalf("apply %s event: %v", ev.Kind(), err)
		}
	}
	s, err := ToSnapshot(m)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The state the mirror reaches in a real recording (rrweb 2.2.2, the
// Purple Admin dashboard with two Chart.js charts), rendered by the
// renderer with the page's web fonts, matches the live page's frames
// where the mirror applies recorded state: a <select> changed, a to-do
// list changed, the bar chart redrawn from its recorded 2D commands
// after a window resize, a table scrolled sideways inside its own
// overflow box. The recording's asset URLs are kept as recorded and the
// fonts served from memory; nothing is fetched.
func testRecordedFrames(t *testing.T, pool *renderer.Pool) {
	dir := filepath.Join("..", "testdata", "replay", "purple-admin")
	// The recording the benchmarks use.
	rec := readFile(t, filepath.Join("..", "testdata", "replay", "bench", "purple-admin-dashboard.rrweb.json"))
	cases := []struct {
		name   string
		atMs   int64
		region image.Rectangle // of the 1280x800 or 760x800 frame
		min    float64         // SSIM of the region
	}{
		// Before the mirror applied select values the region scored
		// about 0.64 (the first option shown).
		{"select changed", 5448, image.Rect(1084, 308, 1204, 338), 0.99},
		// The bar chart's canvas: its old picture stretched to the new
		// size scored about 0.79. Chart.js's bar gradients are recorded
		// as {} (rrweb cannot serialize them); the renderer takes each
		// bar's colors from the old picture (about 0.998; the old picture
		// as a pattern gave 0.94).
		{"chart redrawn after resize", 15715, image.Rect(66, 120, 674, 424), 0.99},
		// A to-do added, two checkboxes toggled (one checked in the
		// snapshot, unchecked since). The page also writes the checked
		// attribute, so the attribute mutations alone give this frame;
		// the Input path is checked by TestMirrorApply.
		{"checkboxes toggled", 12118, image.Rect(900, 330, 1215, 645), 0.99},
		// Without the element scroll applied: about 0.72.
		{"table scrolled sideways", 18899, image.Rect(76, 160, 684, 472), 0.99},
	}
	var fonts map[string]string
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, "fonts.json")), &fonts); err != nil {
		t.Fatal(err)
	}
	var res []snapshot.Resource
	for u, name := range fonts {
		res = append(res, snapshot.Resource{URL: u, ContentType: "font/woff2", Data: readFile(t, filepath.Join(dir, name))})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := recordedState(t, rec, c.atMs)
			s.Resources = res
			got, warns := renderPNG(t, pool, s)
			want, err := imgcmp.Load(filepath.Join(dir, fmt.Sprintf("truth-t%d.png", c.atMs)))
			if err != nil {
				t.Fatal(err)
			}
			if got.Bounds() != want.Bounds() {
				t.Fatalf("picture %v, truth %v: the recorded viewport was not kept", got.Bounds(), want.Bounds())
			}
			ssim, err := imgcmp.SSIM(crop(got, c.region), crop(want, c.region))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("SSIM %.4f (warnings %q)", ssim, warns)
			if ssim < c.min {
				t.Errorf("SSIM of %v = %.4f, want at least %.2f", c.region, ssim, c.min)
			}
		})
	}
}

// renderPNG renders s to a picture, with the renderer's warnings.
func renderPNG(t *testing.T, pool *renderer.Pool, s *snapshot.Snapshot) (image.Image, []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := pool.Render(ctx, s, renderer.Options{Format: renderer.FormatPNG})
	if err != nil {
		t.Fatal(err)
	}
	img, err := imgcmp.Decode(out.Image)
	if err != nil {
		t.Fatal(err)
	}
	return img, out.Warnings
}

func crop(img image.Image, r image.Rectangle) image.Image {
	return img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(r)
}

// The renderer draws kept canvas commands under its whitelist: allowed
// calls paint, the rest (other methods, prototype names, objects as
// arguments, lines that are not JSON, an image at a metadata address) are
// skipped without stopping the drawing or the render.
func testCanvasWhitelist(t *testing.T, pool *renderer.Pool) {
	cmds := strings.Join([]string{
		`{"property":"fillStyle","args":["#ff0000"],"setter":true}`,
		`{"property":"fillRect","args":[0,0,20,20]}`,
		`{"property":"constructor","args":[]}`,
		`{"property":"__proto__","args":[{}],"setter":true}`,
		`{"property":"canvas","args":["x"],"setter":true}`,
		`{"property":"getContext","args":["webgl"]}`,
		`not json`,
		`{"property":"fillStyle","args":[{"toString":"alert(1)"}],"setter":true}`,
		`{"property":"fillText","args":[{"a":1},0,0]}`,
		`{"property":"drawImage","args":[{"rr_type":"HTMLImageElement","src":"http://169.254.169.254/x.png"},0,0]}`,
		`{"property":"fillRect","args":[20,0,20,20,{}]}`,
		`{"property":"fillStyle","args":["#0000ff"],"setter":true}`,
		`{"property":"fillRect","args":[20,0,20,20]}`,
		// A trailing null is an argument left out (rrweb writes undefined so).
		`{"property":"fillStyle","args":["#00ff00"],"setter":true}`,
		`{"property":"fillRect","args":[40,0,20,20,null]}`,
	}, "\n")
	page := `<!doctype html><html><body style="margin:0;background:#fff"><canvas width="60" height="20" ` +
		snapshot.AttrCanvasCommands + `="` + html.EscapeString(cmds) + `"></canvas></body></html>`
	s, err := snapshot.Parse([]byte(page), snapshot.Options{})
	if err != nil {
		t.Fatal(err)
	}
	img, warns := renderPNG(t, pool, s)
	for _, p := range []struct {
		x, y    int
		r, g, b uint32
	}{{10, 10, 0xff, 0, 0}, {30, 10, 0, 0, 0xff}, {50, 10, 0, 0xff, 0}, {70, 10, 0xff, 0xff, 0xff}} {
		r, g, b, _ := img.At(p.x, p.y).RGBA()
		if r>>8 != p.r || g>>8 != p.g || b>>8 != p.b {
			t.Errorf("pixel %d,%d = %d,%d,%d, want %d,%d,%d", p.x, p.y, r>>8, g>>8, b>>8, p.r, p.g, p.b)
		}
	}
	if !strings.Contains(strings.Join(warns, "\n"), "canvas commands skipped") {
		t.Errorf("warnings %q", warns)
	}
}

// Keyframe pages through the renderer (one for the tests below), which
// fetches nothing: what a page needs comes with its snapshot.
func TestRenderedState(t *testing.T) {
	cfg := renderer.DefaultConfig()
	cfg.ChromePath, cfg.NoFetch = testenv.LookPath(t, "chromium", "KILN_CHROME_PATH"), true
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p, err := renderer.New(ctx, cfg)
	if err != nil {
		t.Fatalf("start renderer: %v", err)
	}
	defer p.Close()
	t.Run("recorded frames", func(t *testing.T) { testRecordedFrames(t, p) })
	t.Run("canvas whitelist", func(t *testing.T) { testCanvasWhitelist(t, p) })
}
