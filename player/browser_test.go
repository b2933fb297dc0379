package player_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"image"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/kilnrender/kiln/internal/imgcmp"
	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/player"
)

// The player in headless Chromium, on bundles that `kiln replay -o` made
// from the corpus recordings in testdata/replay, with 2 s segments so that
// there are several. A test server serves the player, a page that embeds
// it with the player's CSP, and the bundle, and counts what was asked
// for; the browser's own network events show every request it made.

var (
	kilnOnce sync.Once
	kilnBin  string
	kilnErr  error
)

// kiln builds the kiln binary once per test run.
func kiln(t *testing.T) string {
	t.Helper()
	kilnOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kiln-player-test-")
		if err != nil {
			kilnErr = err
			return
		}
		kilnBin = filepath.Join(dir, "kiln")
		out, err := exec.Command("go", "build", "-o", kilnBin, "../cmd/kiln").CombinedOutput()
		if err != nil {
			kilnErr = fmt.Errorf("build kiln: %v\n%s", err, out)
		}
	})
	if kilnErr != nil {
		t.Fatal(kilnErr)
	}
	return kilnBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if kilnBin != "" {
		os.RemoveAll(filepath.Dir(kilnBin))
	}
	os.Exit(code)
}

func runKiln(t *testing.T, args ...string) error {
	cmd := exec.Command(kiln(t), args...)
	cmd.Env = append(os.Environ(), "KILN_CHROME_PATH="+chromePath(t))
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("kiln %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

func chromePath(t *testing.T) string {
	return testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
}

type segment struct {
	Name      string `json:"name"`
	StartMs   int64  `json:"startMs"`
	EndMs     int64  `json:"endMs"`
	Synthetic int    `json:"synthetic"`
}

type manifest struct {
	Segments  []segment `json:"segments"`
	Keyframes []struct {
		AtMs int64 `json:"atMs"`
	} `json:"keyframes"`
	Viewports []struct {
		AtMs   int64 `json:"atMs"`
		Width  int   `json:"width"`
		Height int   `json:"height"`
	} `json:"viewports"`
	Assets struct {
		Items []struct {
			Name        string `json:"name"`
			ContentType string `json:"contentType"`
			Encoding    string `json:"encoding"`
		} `json:"items"`
	} `json:"assets"`
}

// testdata is a recording in testdata/replay.
func testdata(name string) string { return filepath.Join("..", "testdata", "replay", name) }

// bundle runs kiln replay -o on a recording, with 2 s segments.
func bundle(t *testing.T, rec string, flags ...string) (string, manifest) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "bundle")
	args := append([]string{"replay", "--segment", "2s", "--snapshot-ratio", "-1", "--keyframe-interval", "-1s", "-o", dir}, flags...)
	if err := runKiln(t, append(args, rec)...); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return dir, m
}

// at starts `kiln replay --at ms` of a recording (a PNG); the function it
// returns waits for the picture. Chromium's start dominates, so the
// pictures are made while the bundle is.
func at(t *testing.T, rec string, ms int64, flags ...string) func(t *testing.T) image.Image {
	t.Helper()
	kiln(t)
	chromePath(t) // looked up here: the goroutine below must not fail the test
	out := filepath.Join(t.TempDir(), fmt.Sprintf("at-%d.png", ms))
	args := append(append([]string{"replay", "--at", fmt.Sprint(ms), "--out", out}, flags...), rec)
	done := make(chan error, 1)
	go func() { done <- runKiln(t, args...) }()
	return func(t *testing.T) image.Image {
		t.Helper()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		img, err := imgcmp.Load(out)
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
}

// site serves the player at /player/, a page that embeds it at /page
// (?src= the manifest), and the bundle folder at /bundle/ as object
// storage does (assets the manifest marks gzip with Content-Encoding),
// counting the requests for each bundle file.
type site struct {
	*httptest.Server
	mu    sync.Mutex
	asked map[string]int
}

func newSite(t *testing.T, dir string) *site {
	s := &site{asked: map[string]int{}}
	mux := http.NewServeMux()
	mux.Handle("GET /player/", player.Handler("/player/"))
	files := http.StripPrefix("/bundle/", http.FileServer(http.Dir(dir)))
	var m manifest
	if b, err := os.ReadFile(filepath.Join(dir, "manifest.json")); err == nil {
		json.Unmarshal(b, &m)
	}
	mux.HandleFunc("GET /bundle/", func(w http.ResponseWriter, r *http.Request) {
		for _, a := range m.Assets.Items {
			if r.URL.Path == "/bundle/assets/"+a.Name && a.Encoding != "" {
				w.Header().Set("Content-Encoding", a.Encoding)
				w.Header().Set("Content-Type", a.ContentType)
			}
		}
		if strings.HasPrefix(path.Base(r.URL.Path), "f") { // opaque names: no type to guess from
			w.Header().Set("Content-Type", "application/octet-stream")
		}
		s.mu.Lock()
		s.asked[strings.TrimPrefix(r.URL.Path, "/bundle/")]++
		s.mu.Unlock()
		w.Header().Set("Cache-Control", "no-store")
		files.ServeHTTP(w, r)
	})
	mux.HandleFunc("GET /page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", player.CSP(s.URL+"/player/", s.URL+"/bundle/"))
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		src := ` src="/bundle/manifest.json"`
		if r.URL.Query().Has("nosrc") {
			src = ""
		}
		if v := r.URL.Query().Get("video"); v != "" {
			src += ` video="` + html.EscapeString(v) + `"`
		}
		fmt.Fprintf(w, `<!doctype html><html><head><meta charset="utf-8"><title>player</title>
<link rel="icon" href="data:,"><script type="module" src="/player/kiln-player.js"></script></head>
<body style="margin:0"><kiln-player%s></kiln-player></body></html>`, src)
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func (s *site) count(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.asked[name]
}

func (s *site) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.asked)
}

// browser is one tab that records every request and dialog.
type browser struct {
	ctx     context.Context
	mu      sync.Mutex
	urls    []string
	blocked map[network.RequestID]string
	ids     map[network.RequestID]string
	dialogs int
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromePath(t)), chromedp.WindowSize(1920, 1200))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	ctx, cancel := context.WithTimeout(bctx, 2*time.Minute)
	t.Cleanup(cancel)
	b := &browser{ctx: ctx, blocked: map[network.RequestID]string{}, ids: map[network.RequestID]string{}}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			b.urls = append(b.urls, e.Request.URL)
			b.ids[e.RequestID] = e.Request.URL
		case *network.EventLoadingFailed:
			if e.BlockedReason != "" {
				b.blocked[e.RequestID] = string(e.BlockedReason)
			}
		case *page.EventJavascriptDialogOpening:
			b.dialogs++
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, page.Enable, page.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	_ = cdp.Empty{}
	return b
}

// outside lists the requests to anything but the site's player, page
// and bundle files, and whether the browser blocked each.
func (b *browser) outside(s *site, bundleNames map[string]bool) (made, blocked []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for id, u := range b.ids {
		pu, err := url.Parse(u)
		if err == nil && (pu.Scheme == "data" || pu.Scheme == "about") {
			continue
		}
		ok := err == nil && "http://"+pu.Host == s.URL &&
			(strings.HasPrefix(pu.Path, "/player/") || pu.Path == "/page" || bundleNames[strings.TrimPrefix(pu.Path, "/bundle/")])
		if ok {
			continue
		}
		if r := b.blocked[id]; r != "" {
			blocked = append(blocked, u+" ("+r+")")
		} else {
			made = append(made, u)
		}
	}
	return made, blocked
}

// inBundle checks that every request since the page opened was for the
// player's files or the bundle.
func (b *browser) inBundle(t *testing.T, s *site, m manifest) {
	t.Helper()
	made, blocked := b.outside(s, names(m))
	if len(made) > 0 || len(blocked) > 0 {
		t.Fatalf("requests outside the player and the bundle: made %q, blocked %q", made, blocked)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	t.Logf("%d requests, all for the player's files and the bundle", len(b.urls))
}

// open loads the page at t (the URL parameter) and waits for the frame.
func (b *browser) open(t *testing.T, s *site, q string) {
	t.Helper()
	b.mu.Lock()
	b.urls, b.dialogs = nil, 0
	clear(b.ids)
	clear(b.blocked)
	b.mu.Unlock()
	if err := chromedp.Do(b.ctx, chromedp.Navigate(s.URL+"/page"+q)); err != nil {
		t.Fatal(err)
	}
	b.ready(t)
}

// ready waits for the player's ready attribute (set again after a seek).
func (b *browser) ready(t *testing.T) {
	t.Helper()
	state, err := chromedp.Run(b.ctx, chromedp.Poll[string](`(() => { const p = document.querySelector("kiln-player");
		return p && (p.hasAttribute("ready") ? "ready" : p.getAttribute("error")) || null; })()`, chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil || state != "ready" {
		t.Fatalf("player not ready: %q, %v", state, err)
	}
}

func (b *browser) eval(t *testing.T, js string) {
	t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.Evaluate[chromedp.Void](js)); err != nil {
		t.Fatalf("%s: %v", js, err)
	}
}

// frame is a picture of the replay iframe, without the cursor.
func (b *browser) frame(t *testing.T) image.Image {
	t.Helper()
	b.eval(t, `document.querySelector(".replayer-mouse").style.visibility = "hidden"; undefined`)
	png, err := chromedp.Run(b.ctx, chromedp.Screenshot(chromedp.CSS(".replayer-wrapper > iframe")))
	if err != nil {
		t.Fatal(err)
	}
	img, err := imgcmp.Decode(png)
	if err != nil {
		t.Fatal(err)
	}
	if out := os.Getenv("KILN_PLAYER_SHOTS"); out != "" {
		_ = os.WriteFile(filepath.Join(out, strings.ReplaceAll(t.Name(), "/", "-")+".png"), png, 0o644)
	}
	return img
}

func same(t *testing.T, what string, got, want image.Image) float64 {
	t.Helper()
	if got.Bounds().Size() != want.Bounds().Size() {
		t.Fatalf("%s: player frame %v, kiln replay --at %v", what, got.Bounds().Size(), want.Bounds().Size())
	}
	ssim, err := imgcmp.SSIM(got, want)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: SSIM %.4f against kiln replay --at", what, ssim)
	if ssim < 0.99 {
		t.Errorf("%s: SSIM %.4f < 0.99", what, ssim)
	}
	return ssim
}

func names(m manifest) map[string]bool {
	n := map[string]bool{"manifest.json": true}
	for _, s := range m.Segments {
		n[s.Name] = true
	}
	for _, a := range m.Assets.Items {
		n["assets/"+a.Name] = true
	}
	return n
}

func TestPlayerChromium(t *testing.T) {
	t.Parallel()
	rec := testdata("todomvc-react.rrweb.json")
	// Times chosen for the 2 s segments of this 9.2 s recording: one in
	// the second segment, one in the last (checked below).
	const tAt, tLast = 3000, 9000
	wantAt, wantLast := at(t, rec, tAt), at(t, rec, tLast)
	dir, m := bundle(t, rec)
	if len(m.Segments) < 3 {
		t.Fatalf("bundle has %d segments, want at least 3", len(m.Segments))
	}
	last := m.Segments[len(m.Segments)-1]
	first, second := m.Segments[0], m.Segments[1]
	if tLast < last.StartMs || tAt < second.StartMs || tAt > second.EndMs {
		t.Fatalf("segments %+v: %d ms is not in the last, or %d ms not in the second", m.Segments, tLast, tAt)
	}
	s := newSite(t, dir)
	b := newBrowser(t)

	t.Run("SeekLastSegment", func(t *testing.T) {
		b.open(t, s, fmt.Sprintf("?t=%d", tLast))
		for _, seg := range m.Segments {
			want := 0
			if seg == last {
				want = 1
			}
			if n := s.count(seg.Name); n != want {
				t.Errorf("%s asked %d times, want %d", seg.Name, n, want)
			}
		}
		t.Logf("seek to %d ms: manifest %d request, segments %d of %d requested", tLast, s.count("manifest.json"), 1, len(m.Segments))
		same(t, fmt.Sprintf("paused at %d ms", tLast), b.frame(t), wantLast(t))
		b.inBundle(t, s, m)
	})

	t.Run("PlayAcrossBoundary", func(t *testing.T) {
		s.reset()
		b.open(t, s, fmt.Sprintf("?t=%d", first.EndMs-300))
		if s.count(first.Name) != 1 || s.count(second.Name) != 1 {
			t.Fatalf("paused in the first segment: asked %d and %d times for the first two, want 1 and 1 (the second prefetched)", s.count(first.Name), s.count(second.Name))
		}
		b.eval(t, `document.querySelector("kiln-player").play(); undefined`)
		reached, err := chromedp.Run(b.ctx, chromedp.Poll[float64](fmt.Sprintf(`(() => { const p = document.querySelector("kiln-player");
			return p.currentTime >= %d ? p.currentTime : null; })()`, second.StartMs+300), chromedp.WithPollingTimeout(20*time.Second)))
		if err != nil {
			t.Fatalf("playing did not reach the second segment: %v", err)
		}
		b.eval(t, `document.querySelector("kiln-player").pause(); undefined`)
		// One rrweb replayer played on from the first segment: the second
		// was appended (without its synthetic snapshot), not restarted.
		base, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]int](`(() => { const p = document.querySelector("kiln-player"); return [p._base, p._last]; })()`))
		if err != nil || base[0] != 0 || base[1] < 1 {
			t.Fatalf("replayer segments %v, %v: want the first segment's replayer with the second appended", base, err)
		}
		t.Logf("played to %.0f ms across the boundary at %d ms; segments asked: %d, %d, %d", reached, second.StartMs, s.count(first.Name), s.count(second.Name), s.count(m.Segments[2].Name))
		// The state the appended events built matches a fresh render.
		b.eval(t, fmt.Sprintf(`document.querySelector("kiln-player").removeAttribute("ready"); document.querySelector("kiln-player").seek(%d); undefined`, tAt))
		b.ready(t)
		if base, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelector("kiln-player")._base`)); base != 0 {
			t.Fatalf("seek inside the appended segments made a new replayer (base %d)", base)
		}
		// The cursor is drawn where the recording had it.
		cursor, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(() => { const c = document.querySelector(".replayer-mouse"); return c.style.left + "," + c.style.top; })()`))
		if err != nil || cursor == "," {
			t.Errorf("cursor at %q, %v", cursor, err)
		}
		same(t, fmt.Sprintf("played on, then paused at %d ms", tAt), b.frame(t), wantAt(t))
		b.inBundle(t, s, m)
	})

	t.Run("TimelineAndScale", func(t *testing.T) {
		// A click on the resize entry seeks there; the recorded 1000×640
		// viewport then scales into a narrower box.
		resize := m.Viewports[len(m.Viewports)-1]
		b.eval(t, `document.querySelector("kiln-player").removeAttribute("ready"); document.querySelector('.kp-entry[data-kind="resize"] button').click(); undefined`)
		b.ready(t)
		now, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`document.querySelector("kiln-player").currentTime`))
		if err != nil || int64(now) != resize.AtMs {
			t.Fatalf("after a click on the resize entry: at %v ms, %v; want %d", now, err, resize.AtMs)
		}
		// So does a click on a keyframe's mark on the progress bar.
		b.eval(t, `document.querySelector("kiln-player").seek(0); undefined`)
		b.eval(t, `document.querySelector("kiln-player").removeAttribute("ready"); document.querySelector(".kp-mark").click(); undefined`)
		b.ready(t)
		if now, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](`document.querySelector("kiln-player").currentTime`)); err != nil || int64(now) != m.Keyframes[0].AtMs {
			t.Fatalf("after a click on the first keyframe mark: at %v ms, %v; want %d", now, err, m.Keyframes[0].AtMs)
		}
		b.eval(t, `document.querySelector("kiln-player").style.width = "800px"; undefined`)
		box, err := chromedp.Run(b.ctx, chromedp.Poll[[]float64](`(() => { const f = document.querySelector(".replayer-wrapper > iframe"), w = f.getBoundingClientRect();
			const s = document.querySelector(".kp-stage").getBoundingClientRect();
			return Math.abs(w.width - s.width) < 1 && w.width < 1000 ? [w.width, w.height, s.width, s.height, Number(f.width), Number(f.height)] : null; })()`, chromedp.WithPollingTimeout(5*time.Second)))
		if err != nil {
			t.Fatalf("replay not scaled into an 800 px player: %v", err)
		}
		if ratio := box[1] / box[0]; ratio < 0.639 || ratio > 0.641 {
			t.Fatalf("scaled replay %.0f×%.0f: not the recorded %d×%d shape (%v)", box[0], box[1], resize.Width, resize.Height, box)
		}
		t.Logf("%d×%d viewport scaled to %.0f×%.0f", resize.Width, resize.Height, box[0], box[1])
		b.eval(t, `document.querySelector("kiln-player").style.width = ""; undefined`)
	})

}

// The hostile recording, bundled by kiln (sanitized) and as it is (a
// bundle from a store someone else wrote): no script runs in either and
// the browser sends no request outside the bundle; the unsanitized one's
// URLs are all blocked before they leave.
func TestPlayerHostileChromium(t *testing.T) {
	t.Parallel()
	dir, m := bundle(t, testdata("hostile.rrweb.json"))
	b := newBrowser(t)
	check := func(t *testing.T, s *site, m manifest, allowBlocked bool) {
		b.open(t, s, "?t=4000")
		sandbox, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector(".replayer-wrapper > iframe").getAttribute("sandbox")`))
		if err != nil || sandbox != "allow-same-origin" {
			t.Fatalf("iframe sandbox %q, %v", sandbox, err)
		}
		b.eval(t, `document.querySelector("kiln-player").play(); undefined`)
		if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`document.querySelector("kiln-player").currentTime >= 4900 || null`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
			st, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`(() => { const p = document.querySelector("kiln-player");
				return JSON.stringify([p.currentTime, p.duration, p.getAttribute("error"), p.hasAttribute("playing")]); })()`))
			t.Fatalf("did not play past the second navigation: %v (player: %s)", err, st)
		}
		ran, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`String(window.kilnPwned) + "," + String(document.querySelector(".replayer-wrapper > iframe").contentWindow.kilnPwned)`))
		if err != nil || ran != "undefined,undefined" {
			t.Fatalf("recorded script ran: %q, %v", ran, err)
		}
		b.mu.Lock()
		dialogs := b.dialogs
		b.mu.Unlock()
		if dialogs > 0 {
			t.Fatalf("%d dialogs opened by recorded script", dialogs)
		}
		made, blocked := b.outside(s, names(m))
		if len(made) > 0 || (!allowBlocked && len(blocked) > 0) {
			t.Fatalf("requests outside the bundle: made %q, blocked %q", made, blocked)
		}
		t.Logf("no script ran; %d requests blocked by the page's CSP before leaving: %q", len(blocked), blocked)
	}
	t.Run("Bundled", func(t *testing.T) {
		check(t, newSite(t, dir), m, false)
	})
	t.Run("Unsanitized", func(t *testing.T) {
		raw, err := os.ReadFile(testdata("hostile.rrweb.json"))
		if err != nil {
			t.Fatal(err)
		}
		// Every recorded script, if one ran, would mark the page.
		raw = bytes.ReplaceAll(raw, []byte("alert("), []byte("(top.kilnPwned=window.kilnPwned=1)&&alert("))
		dir := t.TempDir()
		if err := os.MkdirAll(filepath.Join(dir, "segments"), 0o755); err != nil {
			t.Fatal(err)
		}
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(raw)
		zw.Close()
		if err := os.WriteFile(filepath.Join(dir, "segments", "000.json.gz"), gz.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		m := manifest{Segments: []segment{{Name: "segments/000.json.gz", StartMs: 0, EndMs: 5000}}}
		mj := fmt.Sprintf(`{"format":"kiln-replay","version":1,"startTime":1000,"durationMs":5000,
			"viewports":[{"atMs":0,"width":1280,"height":800}],"segments":[{"name":"segments/000.json.gz","startMs":0,"endMs":5000,"events":%d,"synthetic":0}]}`, bytes.Count(raw, []byte(`"timestamp"`)))
		if err := os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(mj), 0o644); err != nil {
			t.Fatal(err)
		}
		check(t, newSite(t, dir), m, true)
	})
}

// A bundle whose files have their own URLs (as a job's results have
// signed URLs), given to the player as files: the manifest, the segment
// and the kiln-asset: image are loaded through them and nothing else.
func TestPlayerFilesChromium(t *testing.T) {
	t.Parallel()
	png, err := os.ReadFile(testdata("todomvc-truth-t4969.png"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(png)
	sha := hex.EncodeToString(sum[:])
	events := fmt.Sprintf(`[{"type":4,"timestamp":1000,"data":{"href":"https://shop.example.test/","width":640,"height":400}},
{"type":2,"timestamp":1001,"data":{"node":{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"html","attributes":{},"childNodes":[
 {"type":2,"id":3,"tagName":"body","attributes":{},"childNodes":[{"type":2,"id":4,"tagName":"img","attributes":{"id":"shot","src":"kiln-asset:%s","width":"320"},"childNodes":[]}]}]}]},"initialOffset":{"left":0,"top":0}}},
{"type":3,"timestamp":2000,"data":{"source":1,"positions":[{"x":10,"y":10,"id":4,"timeOffset":0}]}}]`, sha)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(events))
	zw.Close()
	files := map[string][]byte{
		"manifest.json": []byte(`{"format":"kiln-replay","version":1,"startTime":1000,"durationMs":1000,"viewports":[{"atMs":0,"width":640,"height":400}],
			"segments":[{"name":"segments/000.json.gz","startMs":0,"endMs":1000,"events":3,"synthetic":0}],
			"video":{"name":"video.mp4","contentType":"video/mp4","bytes":4}}`),
		"video.mp4":            []byte("mp4!"),
		"segments/000.json.gz": gz.Bytes(),
		"assets/" + sha:        png,
	}
	// Each file at an opaque URL, as a store's signed URLs are.
	dir := t.TempDir()
	urls := map[string]string{}
	m := manifest{}
	i := 0
	for name, b := range files {
		opaque := fmt.Sprintf("f%d", i)
		i++
		if err := os.WriteFile(filepath.Join(dir, opaque), b, 0o644); err != nil {
			t.Fatal(err)
		}
		urls[name] = "/bundle/" + opaque + "?sig=x"
		m.Segments = append(m.Segments, segment{Name: opaque})
	}
	s := newSite(t, dir)
	b := newBrowser(t)
	// A video given by the page is offered for download.
	videoLink := `(() => { const a = document.querySelector("kiln-player a.kp-video");
		return a ? a.getAttribute("href") + " " + a.hasAttribute("download") + " " + a.textContent : "none"; })()`
	if err := chromedp.Do(b.ctx, chromedp.Navigate(s.URL+"/page?nosrc&video=/bundle/given.mp4")); err != nil {
		t.Fatal(err)
	}
	if link, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](videoLink)); err != nil || link != "/bundle/given.mp4 true Download video" {
		t.Fatalf("video link %q, %v", link, err)
	}
	// A page without src: the files come first, as a dashboard sets them.
	if err := chromedp.Do(b.ctx, chromedp.Navigate(s.URL+"/page?nosrc")); err != nil {
		t.Fatal(err)
	}
	list, _ := json.Marshal(urls)
	b.eval(t, fmt.Sprintf(`(() => { const p = document.querySelector("kiln-player"); p.removeAttribute("ready");
		p.files = new Map(Object.entries(%s)); p.setAttribute("src", p.files.get("manifest.json")); })()`, list))
	b.ready(t)
	img, err := chromedp.Run(b.ctx, chromedp.Poll[string](`(() => { const i = document.querySelector(".replayer-wrapper > iframe").contentDocument.getElementById("shot");
		return i && i.complete && i.naturalWidth > 0 ? i.getAttribute("src") + " " + i.naturalWidth : null; })()`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("the kiln-asset: image did not load: %v", err)
	}
	if want := urls["assets/"+sha] + " 1280"; img != want {
		t.Fatalf("image %q, want %q", img, want)
	}
	// The manifest's video, at its own URL, is offered for download.
	if link, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](videoLink)); err != nil || link != s.URL+urls["video.mp4"]+" true Download video" {
		t.Fatalf("video link %q, %v; want the manifest's video at %s", link, err, urls["video.mp4"])
	}
	for name, u := range urls {
		want := 1
		if name == "video.mp4" {
			want = 0 // offered, not fetched
		}
		if n := s.count(strings.TrimSuffix(strings.TrimPrefix(u, "/bundle/"), "?sig=x")); n != want {
			t.Errorf("%s (%s) asked %d times, want %d", name, u, n, want)
		}
	}
	b.inBundle(t, s, m)
}

// A recording whose page defines a custom element after the snapshot
// (a CustomElement event; the page styles :not(:defined)) plays as the
// pictures show it: before the event, in the segment that holds it, and
// in a later segment, whose synthetic snapshot defines the name again.
func TestPlayerCustomElementsChromium(t *testing.T) {
	t.Parallel()
	rec := testdata(filepath.Join("features", "custom-elements", "replay.kiln.json.gz"))
	times := []int64{1200, 1700, 1950}
	want := map[int64]func(*testing.T) image.Image{}
	for _, ms := range times {
		want[ms] = at(t, rec, ms)
	}
	dir, m := bundle(t, rec, "--segment", "500ms")
	if n := len(m.Segments); n < 3 || m.Segments[n-1].StartMs <= 1425 || m.Segments[n-1].StartMs > 1950 {
		t.Fatalf("segments %+v: want the last to start after the event (1425 ms) and before 1950 ms", m.Segments)
	}
	s := newSite(t, dir)
	b := newBrowser(t)
	for _, ms := range times {
		b.open(t, s, fmt.Sprintf("?t=%d", ms))
		same(t, fmt.Sprintf("paused at %d ms", ms), b.frame(t), want[ms](t))
	}
}
