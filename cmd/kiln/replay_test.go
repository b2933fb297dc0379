package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kilnrender/kiln/internal/imgcmp"
	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/renderer"
	"github.com/kilnrender/kiln/replay"
	"github.com/kilnrender/kiln/snapshot"
)

// TestReplayAtCommand runs `kiln replay --at` on Kiln replay JSON
// (gzipped, resources and events) and compares the picture with the live
// page's frame; TestReplayAt measures every frame the same way in
// process.
func TestReplayAtCommand(t *testing.T) {
	testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	bin := buildKiln(t)
	dir := filepath.Join("..", "..", "testdata", "replay", "fidelity", "bootstrap-sign-in-password")
	out := filepath.Join(t.TempDir(), "frame.png")
	cmd := exec.Command(bin, "replay", "--at", "6145", "--out", out, filepath.Join(dir, "replay.kiln.json.gz"))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	want, err := imgcmp.Load(filepath.Join(dir, "truth-t6145.png"))
	if err != nil {
		t.Fatal(err)
	}
	if score := ssimOf(t, out, want); score < fidelityFloor["bootstrap-sign-in-password/typed-email-and-password"] {
		t.Errorf("SSIM %.4f vs the live page", score)
	}
}

// TestReplayBundleCommand builds a bundle with pictures and checks the
// manifest's files exist with the sizes it states, and that the typed
// password never appears.
func TestReplayBundleCommand(t *testing.T) {
	testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	bin := buildKiln(t)
	out := filepath.Join(t.TempDir(), "bundle")
	cmd := exec.Command(bin, "replay", "-o", out, "../../testdata/replay/todomvc-react.rrweb.json")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var man struct {
		Segments []struct {
			File  string `json:"name"`
			Bytes int    `json:"bytes"`
		} `json:"segments"`
		Keyframes []struct {
			AtMs  int64  `json:"atMs"`
			Image string `json:"image"`
		} `json:"keyframes"`
	}
	if err := json.Unmarshal(b, &man); err != nil {
		t.Fatal(err)
	}
	if len(man.Segments) == 0 || len(man.Keyframes) == 0 {
		t.Fatalf("manifest lacks segments or keyframes:\n%s", b)
	}
	for _, s := range man.Segments {
		st, err := os.Stat(filepath.Join(out, s.File))
		if err != nil || int(st.Size()) != s.Bytes {
			t.Fatalf("segment %s: %v (manifest says %d bytes)", s.File, err, s.Bytes)
		}
	}
	for _, k := range man.Keyframes {
		img, err := os.ReadFile(filepath.Join(out, k.Image))
		if err != nil || len(img) < 12 || string(img[8:12]) != "WEBP" {
			t.Fatalf("keyframe at %d ms: %s: %v", k.AtMs, k.Image, err)
		}
	}
}

// fidelityFloor is the SSIM each truth frame of the fidelity fixtures
// must reach: just below what was measured (docs/replay.md has the table,
// with and without the resources). A frame not listed must reach 0.99,
// the bar of every frame. The one frame below 0.999, for a known reason:
//   - purple-admin-dashboard/resized-760-charts-redrawn (0.9974): the
//     charts are redrawn at the new size from their recorded 2D commands,
//     but rrweb records a Chart.js gradient fill as {} (its color stops
//     are set on the CanvasGradient, which it does not record), so the
//     fills are approximated from the last picture; rrweb's own Replayer
//     loses them the same way.
var fidelityFloor = map[string]float64{
	"bootstrap-sign-in-password/empty":                    0.998,
	"bootstrap-sign-in-password/typed-email-and-password": 0.998,
	"bootstrap-sign-in-password/remember-checked-resized": 0.998,
	"todomvc-react/empty":                                 0.998,
	"todomvc-react/four-items":                            0.998,
	"todomvc-react/toggle-all":                            0.998,
	"todomvc-react/cleared-resized":                       0.998,
	"purple-admin-dashboard/dashboard":                    0.998,
	"purple-admin-dashboard/search-typed-status-selected": 0.998,
	"purple-admin-dashboard/recent-updates-lazy-in-view":  0.998,
	"purple-admin-dashboard/todo-added-checked":           0.998,
	"purple-admin-dashboard/resized-760-charts-redrawn":   0.996,
	"purple-admin-dashboard/table-scrolled-sideways":      0.998,
	"creative-portfolio-lazy/top":                         0.998,
	"creative-portfolio-lazy/about-navbar-white":          0.998,
	"creative-portfolio-lazy/portfolio-lazy-in-view":      0.998,
	"creative-portfolio-lazy/contact-typed":               0.998,
	"creative-portfolio-lazy/resized-760x900":             0.998,
}

// TestReplayAt pictures states of recordings through the path of `kiln
// replay --at` (replayAt) on one renderer pool.
func TestReplayAt(t *testing.T) {
	shooter := pngShooter(t)
	t.Run("fidelity", func(t *testing.T) { testReplayFidelity(t, shooter) })
	t.Run("features", func(t *testing.T) { testReplayFeatures(t, shooter) })
	t.Run("density", func(t *testing.T) { testReplayAtDensity(t, shooter) })
	t.Run("allow-list", func(t *testing.T) { testReplayAssetsFromAllowedHost(t, shooter) })
}

// pngShooter is the shooter of `kiln replay --at FILE.png` (a renderer
// pool of its own, closed at the end of the test) with fetching off in
// the renderer: pictures get only what the snapshot carries.
func pngShooter(t *testing.T) replay.Shooter {
	t.Helper()
	testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	rc := renderer.DefaultConfig()
	rc.NoFetch = true
	shooter, closeShooter, err := newShooter(renderer.FormatPNG, rc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeShooter)
	return shooter
}

// ssimOf is the SSIM of the picture at path against want.
func ssimOf(t *testing.T, path string, want image.Image) float64 {
	t.Helper()
	got, err := imgcmp.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	score, err := imgcmp.SSIM(got, want)
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(path), err)
	}
	return score
}

// fidelityFrame is one truth frame of a fidelity case (frames.json, from
// the recording's recording-meta.json).
type fidelityFrame struct {
	File     string `json:"file"`
	Label    string `json:"label"`
	AtMs     int64  `json:"t_ms"`
	Viewport struct {
		Width  int `json:"width"`
		Height int `json:"height"`
	} `json:"viewport"`
}

// fidelityCases lists the case folders: the committed ones and, when
// KILN_FIDELITY_DIR names a folder built by testdata/replay/make.py, the
// larger ones kept out of the repository.
func fidelityCases(t *testing.T) []string {
	var dirs []string
	for _, root := range []string{filepath.Join("..", "..", "testdata", "replay", "fidelity"), os.Getenv("KILN_FIDELITY_DIR")} {
		if root == "" {
			t.Log("KILN_FIDELITY_DIR not set: the cases kept out of the repository (creative-portfolio-lazy) are not run")
			continue
		}
		ents, err := os.ReadDir(root)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if e.IsDir() {
				dirs = append(dirs, filepath.Join(root, e.Name()))
			}
		}
	}
	return dirs
}

// pictureAt renders the frame fr of the case in dir (replay.kiln.json.gz)
// into out through replayAt and returns the picture's path and the
// truth frame.
func pictureAt(t *testing.T, shooter replay.Shooter, dir string, fr fidelityFrame, out string) (string, image.Image) {
	t.Helper()
	name := filepath.Base(dir)
	in, closeIn, err := openInput(filepath.Join(dir, "replay.kiln.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer closeIn()
	png := filepath.Join(out, name+"-"+fr.Label+".png")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := replayAt(ctx, replay.Config{}, shooter, nil, in, time.Duration(fr.AtMs)*time.Millisecond, png); err != nil {
		t.Fatalf("%s at %d ms: %v", name, fr.AtMs, err)
	}
	want, err := imgcmp.Load(filepath.Join(dir, fr.File))
	if err != nil {
		t.Fatal(err)
	}
	return png, want
}

// testReplayFidelity renders every truth frame of the fidelity fixtures
// (real recordings in Kiln replay JSON with the resources their pages
// loaded) through the path of `kiln replay --at` (replayAt: mirror,
// snapshot with the stored assets, the renderer in real Chromium, with
// fetching off: every byte comes from the input) and compares each with
// the live page's frame by SSIM.
func testReplayFidelity(t *testing.T, shooter replay.Shooter) {
	out := t.TempDir()
	if d := os.Getenv("KILN_FIDELITY_OUT"); d != "" {
		out = d // keep the pictures
	}
	var all []float64
	for _, dir := range fidelityCases(t) {
		name := filepath.Base(dir)
		var frames []fidelityFrame
		b, err := os.ReadFile(filepath.Join(dir, "frames.json"))
		if err == nil {
			err = json.Unmarshal(b, &frames)
		}
		if err != nil || len(frames) == 0 {
			t.Fatalf("%s: frames.json: %v", name, err)
		}
		var sum float64
		for _, fr := range frames {
			png, want := pictureAt(t, shooter, dir, fr, out)
			score := ssimOf(t, png, want)
			sum += score
			all = append(all, score)
			key := name + "/" + fr.Label
			t.Logf("%-52s t=%6d ms  SSIM %.4f", key, fr.AtMs, score)
			floor, ok := fidelityFloor[key]
			if !ok {
				floor = 0.99
			}
			if score < floor {
				t.Errorf("%s: SSIM %.4f below its floor %.4f", key, score, floor)
			}
		}
		t.Logf("%-52s mean SSIM %.4f over %d frames", name, sum/float64(len(frames)), len(frames))
	}
	var sum float64
	for _, s := range all {
		sum += s
	}
	t.Logf("all: mean SSIM %.4f over %d frames", sum/float64(len(all)), len(all))
}

// densityRecording is a 390x844 recording whose page loads one style
// sheet by URL: blue, red under touch emulation (pointer: coarse).
func densityRecording(viewport string) []byte {
	node := `{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"html","attributes":{},"childNodes":[` +
		`{"type":2,"id":3,"tagName":"head","attributes":{},"childNodes":[{"type":2,"id":4,"tagName":"link","attributes":{"rel":"stylesheet","href":"/m.css"},"childNodes":[]}]},` +
		`{"type":2,"id":5,"tagName":"body","attributes":{},"childNodes":[]}]}]}`
	css := base64.StdEncoding.EncodeToString([]byte(`html,body{margin:0;height:100%;background:#0000ff}@media (pointer:coarse){html,body{background:#ff0000}}`))
	return []byte(`{"version":1,"viewport":` + viewport + `,"resources":[{"url":"https://phone.example/m.css","contentType":"text/css","data":"` + css + `"}],"events":[` +
		`{"type":4,"timestamp":1000,"data":{"href":"https://phone.example/","width":390,"height":844}},` +
		`{"type":2,"timestamp":1001,"data":{"node":` + node + `,"initialOffset":{"left":0,"top":0}}},` +
		`{"type":3,"timestamp":1500,"data":{"source":2,"type":2,"id":5}}]}`)
}

// A phone's recording is pictured at its density with touch emulation,
// like the phone's own screenshots; --dpr and --mobile override the input.
func testReplayAtDensity(t *testing.T, shooter replay.Shooter) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, viewport, dpr, mobile string
		w, h                        int
		red                         bool
	}{
		{"phone", `{"deviceScaleFactor":3,"mobile":true}`, "", "", 1170, 2532, true},
		{"none given", `null`, "", "", 390, 844, false},
		{"flags", `{"deviceScaleFactor":3,"mobile":true}`, "2", "false", 780, 1688, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"--mobile=" + tc.mobile}
			if tc.dpr != "" {
				args = append(args, "--dpr="+tc.dpr)
			}
			f, _, err := parseReplayFlags(args)
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".png")
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := replayAt(ctx, replay.Config{}, f.density(shooter), nil, bytes.NewReader(densityRecording(tc.viewport)), time.Second, out); err != nil {
				t.Fatal(err)
			}
			img, err := imgcmp.Load(out)
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != tc.w || b.Dy() != tc.h {
				t.Errorf("picture %dx%d, want %dx%d", b.Dx(), b.Dy(), tc.w, tc.h)
			}
			r, g, b, _ := img.At(tc.w/2, tc.h/2).RGBA()
			want := [3]uint32{0, 0, 0xffff}
			if tc.red {
				want = [3]uint32{0xffff, 0, 0}
			}
			if got := [3]uint32{r, g, b}; got != want {
				t.Errorf("centre pixel %v, want %v (the given style sheet, touch emulation %v)", got, want, tc.red)
			}
		})
	}
}

// The operator's allow-list (--net-allow) is what lets asset capture reach
// an internal host: the purple-admin-dashboard recording without its
// resources, its page's host served on loopback, is pictured without its
// fonts and images (the host never asked) unless 127.0.0.1 is allowed;
// then the bundle stores them and the picture matches the live page as
// with the resources given.
func testReplayAssetsFromAllowedHost(t *testing.T, shooter replay.Shooter) {
	dir := filepath.Join("..", "..", "testdata", "replay", "fidelity", "purple-admin-dashboard")
	in, closeIn, err := openInput(filepath.Join(dir, "replay.kiln.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Resources []struct {
			URL         string `json:"url"`
			ContentType string `json:"contentType"`
			Data        []byte `json:"data"`
		} `json:"resources"`
		Events json.RawMessage `json:"events"`
	}
	err = json.NewDecoder(in).Decode(&rec)
	closeIn()
	if err != nil {
		t.Fatal(err)
	}
	var asked atomic.Int64
	files := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		i, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", rec.Resources[i].ContentType)
		w.Write(rec.Resources[i].Data)
	}))
	defer srv.Close()
	for i, r := range rec.Resources {
		u, _ := url.Parse(r.URL)
		files[u.Path] = i
	}
	// The recorded host is 127.0.0.1:8765; the test's is another port.
	events := bytes.ReplaceAll(rec.Events, []byte("127.0.0.1:8765"), []byte(strings.TrimPrefix(srv.URL, "http://")))

	want, err := imgcmp.Load(filepath.Join(dir, "truth-t1448.png"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		allow string
		min   float64 // SSIM bounds
		max   float64
	}{
		{"", 0, 0.95},
		{"127.0.0.1", 0.995, 1},
	} {
		f, _, err := parseReplayFlags([]string{"--net-allow=" + tc.allow})
		if err != nil {
			t.Fatal(err)
		}
		fetcher, closeFetcher, err := newFetcher(f.net.config())
		if err != nil {
			t.Fatal(err)
		}
		asked.Store(0)
		out := filepath.Join(t.TempDir(), "frame.png")
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		err = replayAt(ctx, replay.Config{}, shooter, fetcher, bytes.NewReader(events), 1448*time.Millisecond, out)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		score := ssimOf(t, out, want)
		t.Logf("--net-allow=%q: SSIM %.4f, %d requests to the page's host", tc.allow, score, asked.Load())
		if score < tc.min || score > tc.max {
			t.Errorf("--net-allow=%q: SSIM %.4f, want %.3f..%.3f", tc.allow, score, tc.min, tc.max)
		}
		if n := asked.Load(); (tc.allow == "") != (n == 0) {
			t.Errorf("--net-allow=%q: %d requests to the loopback host", tc.allow, n)
		}

		// A bundle stores what asset capture could reach.
		b, err := replay.NewBuilder(replay.Config{KeyframeInterval: -1}, nil, fetcher)
		if err != nil {
			t.Fatal(err)
		}
		man, err := b.Build(context.Background(), bytes.NewReader(events), replay.DirSink{Dir: t.TempDir()})
		closeFetcher()
		if err != nil {
			t.Fatal(err)
		}
		fonts := 0
		for _, a := range man.Assets.Items {
			if strings.HasSuffix(a.URL, ".woff2") {
				fonts++
			}
		}
		if (tc.allow == "") != (fonts == 0) {
			t.Errorf("--net-allow=%q: %d web fonts stored, %d assets failed", tc.allow, fonts, len(man.Assets.Failed))
		}
	}
}

// A named file of Kiln replay JSON with its fields after the events (as
// serializers that sort keys write it) is read with them moved first;
// other inputs are read as they are.
func TestOpenRecordingMovesLateFields(t *testing.T) {
	dir := t.TempDir()
	evs := `[{"type":4,"timestamp":1,"data":{"href":"https://app.example/","width":390,"height":844}},{"type":3,"timestamp":2,"data":{"source":2}}]`
	res := `[{"url":"https://app.example/a.css","contentType":"text/css","data":"cHt9"}]`
	write := func(name string, data []byte, gz bool) string {
		p := filepath.Join(dir, name)
		if gz {
			var b bytes.Buffer
			zw := gzip.NewWriter(&b)
			zw.Write(data)
			zw.Close()
			data = b.Bytes()
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	read := func(p string) ([]byte, *snapshot.EventDecoder, error) {
		in, closeIn, err := openRecording(p, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		defer closeIn()
		b, err := io.ReadAll(in)
		if err != nil {
			t.Fatal(err)
		}
		dec := snapshot.NewEventDecoder(bytes.NewReader(b), snapshot.Limits{})
		for {
			if _, err := dec.Next(); err != nil {
				if err == io.EOF {
					err = nil
				}
				return b, dec, err
			}
		}
	}
	late := []byte(`{"events":` + evs + `,"resources":` + res + `,"sessionId":"x","version":1,"viewport":{"deviceScaleFactor":3,"mobile":true}}`)
	for _, gz := range []bool{false, true} {
		_, dec, err := read(write(fmt.Sprintf("late-%v.json", gz), late, gz))
		if err != nil || dec.Events() != 2 || dec.Resources().Len() != 1 || dec.Viewport().DeviceScaleFactor != 3 || !dec.Viewport().Mobile {
			t.Errorf("gzip %v: err %v, %d events, %d resources, viewport %+v", gz, err, dec.Events(), dec.Resources().Len(), dec.Viewport())
		}
	}
	gleap, err := os.ReadFile(filepath.Join("..", "..", "testdata", "snapshot", "gleap-live.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string][]byte{
		"array":         []byte(evs),
		"in order":      []byte(`{"version":1,"resources":` + res + `,"events":` + evs + `}`),
		"no fields":     []byte(`{"events":` + evs + `,"x":1}`),
		"gleap.json":    gleap,
		"malformed":     []byte(`{"events":[{"type":4,`),
		"not an object": []byte(`  "text"`),
	} {
		p := write(name, in, false)
		got, _, _ := read(p)
		want := in
		if name == "gleap.json" {
			zr, _ := gzip.NewReader(bytes.NewReader(in))
			want, _ = io.ReadAll(zr)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: read as %.60q…, want the file as it is", name, got)
		}
	}
}

// warnShooter is a Shooter whose picture carries renderer warnings.
type warnShooter struct{ warnings []string }

func (w warnShooter) Shoot(context.Context, *snapshot.Snapshot) (*replay.Picture, error) {
	return &replay.Picture{Image: []byte("png"), ContentType: "image/png", Width: 1, Height: 1, Warnings: w.warnings}, nil
}

// `kiln replay --at` prints what the renderer reported about the picture
// (a video still loading, a page cut), as render warnings.
func TestReplayAtPrintsRenderWarnings(t *testing.T) {
	var buf strings.Builder
	old := stderr
	stderr = &buf
	t.Cleanup(func() { stderr = old })
	out := filepath.Join(t.TempDir(), "at.png")
	err := replayAt(context.Background(), replay.Config{}, warnShooter{[]string{"1 videos still loading at capture"}}, nil,
		bytes.NewReader(densityRecording("null")), time.Second, out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "kiln replay: render warning: 1 videos still loading at capture\n") {
		t.Errorf("stderr %q: the renderer's warning is not printed", buf.String())
	}
}
