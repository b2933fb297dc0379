package renderer

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/kilnrender/kiln/snapshot"
)

//go:embed prepare.js
var prepareJS string

// tab is one warm page target in a browser context of its own.
type tab struct {
	b      *browser
	p      *Pool
	ctx    context.Context // chromedp context of the target
	cancel context.CancelFunc

	vp    snapshot.Viewport // emulation currently applied
	frame cdp.FrameID       // main frame, for setDocumentContent
	curMu sync.Mutex
	cur   *job // job being rendered, or nil
}

func newTab(b *browser, p *Pool) (*tab, error) {
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	t := &tab{b: b, p: p, ctx: ctx, cancel: cancel}
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx) }()
	var err error
	select {
	case err = <-done:
	case <-time.After(p.cfg.StartTimeout):
		err = errors.New("timed out")
	}
	if err == nil {
		err = t.setup()
	}
	if err != nil {
		cancel()
		return nil, fmt.Errorf("open tab: %v: %w", err, ErrBrowser)
	}
	return t, nil
}

// setup turns off the domains chromedp enables that a render does not need
// (their events cost ~100 ms per render) and routes every request through
// Kiln.
func (t *tab) setup() error {
	ctx, cancel := context.WithTimeout(t.ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Listen(t.ctx, t.onEvent); err != nil {
		return err
	}
	steps := []func() error{
		func() error { _, err := chromedp.Call(ctx, css.Disable, cdp.Empty{}); return err },
		func() error { _, err := chromedp.Call(ctx, dom.Disable, cdp.Empty{}); return err },
		func() error { _, err := chromedp.Call(ctx, network.Disable, cdp.Empty{}); return err },
		func() error { _, err := chromedp.Call(ctx, cdplog.Disable, cdp.Empty{}); return err },
		func() error {
			_, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*", RequestStage: fetch.RequestStageRequest}}})
			return err
		},
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	return nil
}

func (t *tab) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() { _ = chromedp.Cancel(t.ctx); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
	t.cancel()
}

// onEvent runs on the tab's reader goroutine: hand off and return.
func (t *tab) onEvent(ev any) {
	if e, ok := ev.(*fetch.EventRequestPaused); ok {
		go t.serve(e)
	}
}

func (t *tab) current() *job {
	t.curMu.Lock()
	defer t.curMu.Unlock()
	return t.cur
}

func (t *tab) setJob(j *job) {
	t.curMu.Lock()
	t.cur = j
	t.curMu.Unlock()
}

// prepareResult is what prepare.js reports.
type prepareResult struct {
	ScrollX   float64  `json:"scrollX"`
	ScrollY   float64  `json:"scrollY"`
	DocWidth  float64  `json:"docWidth"`
	DocHeight float64  `json:"docHeight"`
	Content   bool     `json:"content"`
	Warnings  []string `json:"warnings"`
}

// render runs the pipeline: load, settle, capture, thumbnail.
func (t *tab) render(parent context.Context, s *snapshot.Snapshot, opts Options) (*Result, error) {
	deadline, _ := parent.Deadline()
	ctx, cancel := context.WithDeadline(t.ctx, deadline)
	defer cancel()
	stop := context.AfterFunc(parent, cancel)
	defer stop()

	j := newJob(ctx, s, t.p)
	res := &Result{}
	step := func(name string, f func() error) error {
		st := time.Now()
		err := f()
		res.Steps = append(res.Steps, Step{Name: name, Duration: time.Since(st)})
		if err != nil {
			return t.classify(ctx, parent, name, err)
		}
		return nil
	}
	defer t.setJob(nil)

	var pr prepareResult
	err := step("load", func() error { return t.load(ctx, j, res) })
	if err == nil {
		err = step("settle", func() error {
			var err error
			pr, err = t.prepare(ctx, j)
			return err
		})
	}
	var clip page.Viewport
	if err == nil {
		err = step("capture", func() error {
			var err error
			clip, err = t.capture(ctx, s, opts, pr, res)
			return err
		})
	}
	if err == nil {
		err = step("thumb", func() error { return t.thumb(ctx, s, opts, pr, clip, res) })
	}
	j.finish(res)
	if err != nil {
		return nil, err
	}
	res.Warnings = append(res.Warnings, s.Warnings...)
	res.Warnings = append(res.Warnings, pr.Warnings...)
	if n := len(res.Blocked); n > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("blocked %d requests", n))
	}
	return res, nil
}

// settleBudget is how long the load wait, and then the settle step's waits
// together, may take: SettleTimeout, or a third of the time left before the
// deadline when that is less, so that capture always has its turn.
func settleBudget(limit, left time.Duration) time.Duration {
	return max(min(limit, left/3), 0)
}

// classify maps a failed step to the error contract.
func (t *tab) classify(ctx, parent context.Context, name string, err error) error {
	switch {
	case errors.Is(err, ErrBadInput):
		return fmt.Errorf("render: %s: %w", name, err)
	case parent.Err() != nil || ctx.Err() != nil && t.b.ctx.Err() == nil:
		return fmt.Errorf("render: %s: %v: %w", name, err, ErrTimeout)
	default:
		if t.b.ctx.Err() != nil {
			t.b.dead.Store(true)
		}
		return fmt.Errorf("render: %s: %v: %w", name, err, ErrBrowser)
	}
}

// load applies the viewport and loads the snapshot's document, then waits
// for the load event (bounded by the job's settle budget: a page that never
// finishes loading is captured as it is).
//
// The document is written into the tab's frame with Page.setDocumentContent
// rather than navigated to and served through Fetch: a navigation commits a
// new document through the browser process and measured twice the Chromium
// CPU per render (docs/benchmarks.md: 0.40 vs 0.21 CPU-s) and a third of
// the throughput.
// The normalized HTML carries its own <base href> (snapshot contract), so
// relative URLs resolve as on the live page, and Kiln's CSP goes in as the
// first element of <head>, ahead of anything that loads. Subresources still
// go through Fetch interception, served from the snapshot or the fetcher.
func (t *tab) load(ctx context.Context, j *job, res *Result) error {
	s := j.snap
	if t.vp != s.Viewport {
		// A document written into a frame keeps the page scale and
		// viewport state its predecessor left for the old metrics (a
		// mobile page after a desktop one came out 1 px off): start from
		// a new empty document whenever the metrics change.
		if t.vp != (snapshot.Viewport{}) {
			if _, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: "about:blank"}); err != nil {
				return err
			}
		}
		dpr := s.Viewport.DeviceScaleFactor
		if dpr == 0 {
			dpr = 1
		}
		if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: int64(s.Viewport.Width), Height: int64(s.Viewport.Height), DeviceScaleFactor: dpr, Mobile: s.Viewport.Mobile,
			ScreenWidth: int64(s.Viewport.Width), ScreenHeight: int64(s.Viewport.Height),
		}); err != nil {
			return err
		}
		if _, err := chromedp.Call(ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: s.Viewport.Mobile, MaxTouchPoints: 5}); err != nil {
			return err
		}
		t.vp = s.Viewport
	}
	t.setJob(j)
	doc := withCSP(s.HTML)
	if t.frame == "" {
		tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			return err
		}
		t.frame = tree.FrameTree.Frame.ID
	}
	if _, err := chromedp.Call(ctx, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: t.frame, HTML: doc}); err != nil {
		return err
	}
	r, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{
		Expression:    fmt.Sprintf(loadedJS, j.settle.Milliseconds()),
		AwaitPromise:  ptr(true),
		ReturnByValue: ptr(true),
	})
	if err != nil {
		return err
	}
	if r.ExceptionDetails != nil {
		return fmt.Errorf("wait for load: %s", r.ExceptionDetails.Text)
	}
	if r.Result == nil || string(r.Result.Value) != "true" {
		res.Warnings = append(res.Warnings, "page did not finish loading in time")
	}
	return nil
}

// loadedJS resolves true once the document written by setDocumentContent
// has fired its load event, false after %d ms.
const loadedJS = `document.readyState === 'complete' || new Promise((r) => {
  const t = setTimeout(() => r(false), %d);
  addEventListener('load', () => { clearTimeout(t); r(true); }, { once: true });
})`

// cspMeta is documentCSP as a <meta> element. Every directive of
// documentCSP is one a <meta> policy enforces.
var cspMeta = `<meta http-equiv="Content-Security-Policy" content="` + documentCSP + `">`

// withCSP returns doc with cspMeta in front of everything but the
// doctype. A <meta> met before <html> makes the parser open <html> and
// <head> itself and put the meta in that head (where a CSP meta takes
// effect), ahead of any element that could load something, whatever the
// rest of the document holds. The tokenizer ends a doctype at its first
// '>', even inside a quoted identifier, so that is where the meta goes.
func withCSP(doc []byte) string {
	i := 0
	for i < len(doc) && (doc[i] == ' ' || doc[i] == '\t' || doc[i] == '\n' || doc[i] == '\r' || doc[i] == '\f') {
		i++
	}
	at := 0
	if len(doc)-i >= 9 && strings.EqualFold(string(doc[i:i+9]), "<!doctype") {
		if k := bytes.IndexByte(doc[i:], '>'); k >= 0 {
			at = i + k + 1
		}
	}
	var b strings.Builder
	b.Grow(len(doc) + len(cspMeta))
	b.Write(doc[:at])
	b.WriteString(cspMeta)
	b.Write(doc[at:])
	return b.String()
}

// prepare applies the state the browser must compute after layout (canvas
// pixels, element and window scroll, frozen animations, web fonts, images
// whatever their loading attribute) through DevTools evaluation, which page
// CSP does not restrict. Its waits share the job's settle budget; what has
// not arrived by then is a warning in the report, not a failure.
func (t *tab) prepare(ctx context.Context, j *job) (prepareResult, error) {
	s := j.snap
	args, _ := json.Marshal(map[string]any{
		"x": s.Scroll.X, "y": s.Scroll.Y,
		"canvasAttr": snapshot.AttrCanvas, "topAttr": snapshot.AttrScrollTop, "leftAttr": snapshot.AttrScrollLeft,
		"settleMs": j.settle.Milliseconds(),
	})
	// prepare.js bounds its waits by the budget; this bound is the net
	// under it, so that the step cannot run into the job's deadline.
	ctx, cancel := context.WithTimeout(ctx, j.settle+j.settle/2+time.Second)
	defer cancel()
	var pr prepareResult
	r, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{
		Expression:    "(" + prepareJS + ")(" + string(args) + ")",
		AwaitPromise:  ptr(true),
		ReturnByValue: ptr(true),
	})
	if err != nil {
		return pr, err
	}
	if r.ExceptionDetails != nil {
		return pr, fmt.Errorf("prepare page: %s", r.ExceptionDetails.Text)
	}
	if r.Result == nil || len(r.Result.Value) == 0 {
		return pr, errors.New("prepare page: no result")
	}
	if err := json.Unmarshal(r.Result.Value, &pr); err != nil {
		return pr, fmt.Errorf("prepare page: %w", err)
	}
	return pr, nil
}

// capture takes the screenshot in the requested format, encoded by
// Chromium itself (no decode/encode in Go), at the device pixel ratio.
func (t *tab) capture(ctx context.Context, s *snapshot.Snapshot, opts Options, pr prepareResult, res *Result) (page.Viewport, error) {
	dpr := s.Viewport.DeviceScaleFactor
	if dpr == 0 {
		dpr = 1
	}
	// Chromium 156 here captures device pixels with clip scale 1 (measured:
	// scale = DPR gives DPR² the size).
	clip := page.Viewport{X: pr.ScrollX, Y: pr.ScrollY, Width: float64(s.Viewport.Width), Height: float64(s.Viewport.Height), Scale: 1}
	beyond := false
	if opts.FullPage {
		h := math.Max(pr.DocHeight, float64(s.Viewport.Height))
		maxH := float64(t.p.cfg.MaxFullPageHeight)
		// WebP stores at most 16383 pixels a side; Chromium returns an empty
		// JPEG past 65535 device pixels.
		limit := 65535.0
		if opts.Format == FormatWebP {
			limit = 16383
		}
		maxH = math.Min(maxH, math.Floor(limit/dpr))
		if h > maxH {
			h = maxH
			res.Warnings = append(res.Warnings, fmt.Sprintf("full page cut at %d px", int(maxH)))
		}
		clip = page.Viewport{X: 0, Y: 0, Width: float64(s.Viewport.Width), Height: h, Scale: 1}
		beyond = true
	}
	params := page.CaptureScreenshotParams{Clip: &clip, CaptureBeyondViewport: ptr(beyond), OptimizeForSpeed: ptr(true)}
	switch opts.Format {
	case FormatPNG:
		params.Format = page.CaptureScreenshotFormatPng
		res.ContentType = "image/png"
	case FormatJPEG:
		params.Format = page.CaptureScreenshotFormatJpeg
		params.Quality = ptr(int64(opts.Quality))
		res.ContentType = "image/jpeg"
	default:
		params.Format = page.CaptureScreenshotFormatWebp
		params.Quality = ptr(int64(opts.Quality))
		res.ContentType = "image/webp"
	}
	out, err := chromedp.Call(ctx, page.CaptureScreenshot, params)
	if err != nil {
		return clip, err
	}
	if len(out.Data) == 0 {
		return clip, errors.New("capture: empty image")
	}
	res.Image = out.Data
	res.Width = int(math.Round(clip.Width * dpr))
	res.Height = int(math.Round(clip.Height * dpr))
	return clip, nil
}

// thumb makes the thumbnail and checks it for a blank render. A PNG or
// JPEG capture is decoded and scaled in Go with imaging (cheaper than a
// second capture, see BenchmarkThumbnail); Chromium's WebP cannot be
// decoded faithfully in Go, so for WebP Chromium scales the same clip.
// Without a thumbnail a tiny capture serves the blank check.
func (t *tab) thumb(ctx context.Context, s *snapshot.Snapshot, opts Options, pr prepareResult, clip page.Viewport, res *Result) error {
	w := opts.ThumbWidth
	check := w == 0
	if check {
		w = 64
	}
	var (
		img  image.Image
		data []byte
		err  error
	)
	if !check && opts.Format != FormatWebP {
		data, img, err = thumbnailGo(res.Image, w)
	} else {
		data, img, err = t.thumbnailChromium(ctx, s, opts, clip, w)
	}
	if err != nil {
		return err
	}
	if pr.Content && uniform(img) {
		res.Warnings = append(res.Warnings, "blank render")
	}
	if !check {
		res.Thumb = data
		res.ThumbWidth = img.Bounds().Dx()
		res.ThumbHeight = img.Bounds().Dy()
	}
	return nil
}

// thumbnailChromium captures clip again, scaled to width w, as JPEG.
func (t *tab) thumbnailChromium(ctx context.Context, s *snapshot.Snapshot, opts Options, clip page.Viewport, w int) ([]byte, image.Image, error) {
	dpr := s.Viewport.DeviceScaleFactor
	if dpr == 0 {
		dpr = 1
	}
	tc := clip
	tc.Scale = float64(w) / (clip.Width * dpr)
	out, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format: page.CaptureScreenshotFormatJpeg, Quality: ptr(int64(thumbQuality)), Clip: &tc,
		CaptureBeyondViewport: ptr(opts.FullPage), OptimizeForSpeed: ptr(true),
	})
	if err != nil {
		return nil, nil, err
	}
	img, err := jpeg.Decode(bytes.NewReader(out.Data))
	if err != nil {
		return nil, nil, fmt.Errorf("thumbnail: %w", err)
	}
	return out.Data, img, nil
}

// checkInput validates the options and the parts of the snapshot the
// renderer relies on; the snapshot package enforces its own limits.
func checkInput(s *snapshot.Snapshot, o *Options) error {
	if s == nil {
		return errors.New("no snapshot")
	}
	switch o.Format {
	case "":
		o.Format = FormatWebP
	case FormatWebP, FormatJPEG, FormatPNG:
	case "jpg":
		o.Format = FormatJPEG
	default:
		return fmt.Errorf("format %q: want webp, jpeg or png", o.Format)
	}
	if o.Quality == 0 {
		o.Quality = 80
	}
	if o.Quality < 1 || o.Quality > 100 {
		return fmt.Errorf("quality %d: want 1..100", o.Quality)
	}
	if o.ThumbWidth < 0 || o.ThumbWidth > 2048 {
		return fmt.Errorf("thumbnail width %d: want 0..2048", o.ThumbWidth)
	}
	v := s.Viewport
	if v.Width < 1 || v.Height < 1 || v.Width > 10000 || v.Height > 10000 {
		return fmt.Errorf("viewport %dx%d out of range", v.Width, v.Height)
	}
	if v.DeviceScaleFactor < 0 || v.DeviceScaleFactor > 5 {
		return fmt.Errorf("device scale factor %g out of range", v.DeviceScaleFactor)
	}
	if o.ThumbWidth > v.Width {
		o.ThumbWidth = v.Width
	}
	u, err := url.Parse(s.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("snapshot URL must be absolute http(s)")
	}
	if strings.ContainsAny(s.URL, " \t\r\n") {
		return errors.New("snapshot URL has white space")
	}
	return nil
}

func ptr[T any](v T) *T { return &v }
