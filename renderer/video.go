package renderer

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/kilnrender/kiln/snapshot"
)

// A stage: a warm tab lent to a page of Kiln's own (the replay video's
// player), which runs Kiln's scripts and nothing else.

// StageOrigin is the origin a stage's files are served under. It never
// resolves: every request of a stage is answered from its files through
// interception or fails, and nothing is fetched from the network.
const StageOrigin = "https://kiln.invalid/"

// stageCSP goes into every stage document: scripts (Kiln's, loaded by
// DevTools evaluation with import()) and everything else come from
// StageOrigin only, so a URL in a recorded DOM shown on the stage loads
// nothing else. Inline styles are allowed (recorded DOMs are made of
// them). Frames rrweb's Replayer makes inherit this policy and its
// sandbox without allow-scripts, so no recorded script runs in them.
const stageCSP = "default-src 'none'; script-src " + StageOrigin + "; style-src " + StageOrigin + " 'unsafe-inline'; " +
	"img-src " + StageOrigin + " data: blob:; font-src " + StageOrigin + " data:; media-src " + StageOrigin + " data: blob:; " +
	"connect-src " + StageOrigin + "; frame-src 'none'; worker-src 'none'; object-src 'none'; base-uri " + StageOrigin + "; form-action 'none'"

// maxStageFiles bounds the files a stage serves (a bundle's assets and
// Kiln's scripts), as MaxResources bounds a render's.
const maxStageFiles = 5000

// Stage is a tab taken from the pool until Close, showing a document of
// Kiln's own at a fixed viewport. Its requests are answered from the
// files it was opened with (URLs under StageOrigin); every other request
// fails. It is for one goroutine.
type Stage struct {
	p      *Pool
	t      *tab
	j      *job
	vp     snapshot.Viewport
	ctx    context.Context
	cancel context.CancelFunc
	broken bool
}

// OpenStage takes a warm tab (waiting for one within ctx, which must
// carry a deadline: it bounds the stage's whole life), sets its viewport
// to vp (density 1 when 0), and writes doc, with stageCSP ahead of it,
// into it, with <base href=StageOrigin>. files are served under
// StageOrigin by their URL, a relative path ("vendor/rrweb/rrweb.js",
// "assets/<sha256>"): the document, its scripts' import() and fetch()
// name them relative to the base. Errors wrap
// ErrBadInput, ErrTimeout, ErrBrowser or ErrClosed.
func (p *Pool) OpenStage(ctx context.Context, vp snapshot.Viewport, doc string, files []snapshot.Resource) (*Stage, error) {
	if _, ok := ctx.Deadline(); !ok {
		return nil, fmt.Errorf("open stage: %w", ErrNoContext)
	}
	if p.closed.Load() {
		return nil, fmt.Errorf("open stage: %w", ErrClosed)
	}
	if vp.Width < 1 || vp.Height < 1 || vp.Width > 10000 || vp.Height > 10000 || vp.DeviceScaleFactor < 0 || vp.DeviceScaleFactor > 5 {
		return nil, fmt.Errorf("open stage: viewport %dx%d@%g out of range: %w", vp.Width, vp.Height, vp.DeviceScaleFactor, ErrBadInput)
	}
	if len(files) > maxStageFiles {
		return nil, fmt.Errorf("open stage: %d files (at most %d): %w", len(files), maxStageFiles, ErrBadInput)
	}
	if vp.DeviceScaleFactor == 0 {
		vp.DeviceScaleFactor = 1
	}
	// The stage's own pool view: no fetcher (nothing leaves), and room
	// for every file once plus the re-requests of a rebuilt DOM.
	view := &Pool{cfg: p.cfg}
	view.cfg.MaxResources = 4*len(files) + 100
	res := make(map[string]*snapshot.Resource, len(files))
	for _, f := range files {
		if f.URL == "" || strings.ContainsAny(f.URL, ":?#\\") || strings.HasPrefix(f.URL, "/") || strings.Contains(f.URL, "..") {
			return nil, fmt.Errorf("open stage: bad file name %q: %w", f.URL, ErrBadInput)
		}
		f.URL = StageOrigin + f.URL
		res[resourceKey(f.URL)] = &f
	}
	t, err := p.acquire(ctx, vp)
	if err != nil {
		return nil, err
	}
	tctx, cancel := context.WithCancel(t.ctx)
	stop := context.AfterFunc(ctx, cancel)
	s := &Stage{p: p, t: t, vp: vp, ctx: tctx, cancel: func() { stop(); cancel() }}
	s.j = &job{ctx: tctx, p: view, res: res, cache: map[string]*fetchCall{}}
	if err := s.open(ctx, doc); err != nil {
		s.broken = true
		s.Close()
		return nil, s.classify("open stage", ctx, err)
	}
	return s, nil
}

func (s *Stage) open(ctx context.Context, doc string) error {
	t := s.t
	ctx, cancel := s.within(ctx)
	defer cancel()
	if t.used {
		if _, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: "about:blank"}); err != nil {
			return err
		}
	}
	t.used = true
	if t.vp != s.vp {
		// The tab's emulation changes: a later render sets its own again.
		t.vp = snapshot.Viewport{}
		if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: int64(s.vp.Width), Height: int64(s.vp.Height), DeviceScaleFactor: s.vp.DeviceScaleFactor,
			ScreenWidth: int64(s.vp.Width), ScreenHeight: int64(s.vp.Height),
		}); err != nil {
			return err
		}
		if _, err := chromedp.Call(ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: false, MaxTouchPoints: 5}); err != nil {
			return err
		}
		t.vp = s.vp
	}
	t.setJob(s.j)
	if t.frame == "" {
		tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			return err
		}
		t.frame = tree.FrameTree.Frame.ID
	}
	html := `<!doctype html><meta http-equiv="Content-Security-Policy" content="` + stageCSP + `"><base href="` + StageOrigin + `">` + doc
	_, err := chromedp.Call(ctx, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: t.frame, HTML: html})
	return err
}

// within derives a context that ends with both the stage and ctx.
func (s *Stage) within(ctx context.Context) (context.Context, context.CancelFunc) {
	c, cancel := context.WithCancel(s.ctx)
	if d, ok := ctx.Deadline(); ok {
		c, cancel = context.WithDeadline(s.ctx, d)
	}
	stop := context.AfterFunc(ctx, cancel)
	return c, func() { stop(); cancel() }
}

// Eval runs expr in the stage's page (awaiting the promise it may
// return) and returns its value as JSON.
func (s *Stage) Eval(ctx context.Context, expr string) ([]byte, error) {
	c, cancel := s.within(ctx)
	defer cancel()
	out, err := evaluate(c, "stage", expr)
	if err != nil {
		return nil, s.classify("stage: evaluate", ctx, err)
	}
	return out, nil
}

// Capture takes a screenshot of the viewport: format FormatPNG or
// FormatJPEG (quality 1..100).
func (s *Stage) Capture(ctx context.Context, format string, quality int) ([]byte, error) {
	c, cancel := s.within(ctx)
	defer cancel()
	params := page.CaptureScreenshotParams{
		Clip:             &page.Viewport{Width: float64(s.vp.Width), Height: float64(s.vp.Height), Scale: 1},
		OptimizeForSpeed: ptr(true),
		Format:           page.CaptureScreenshotFormatPng,
	}
	switch format {
	case FormatPNG:
	case FormatJPEG:
		params.Format, params.Quality = page.CaptureScreenshotFormatJpeg, ptr(int64(min(max(quality, 1), 100)))
	default:
		return nil, fmt.Errorf("stage: capture: format %q: %w", format, ErrBadInput)
	}
	out, err := chromedp.Call(c, page.CaptureScreenshot, params)
	if err == nil && len(out.Data) == 0 {
		err = errors.New("empty image")
	}
	if err != nil {
		return nil, s.classify("stage: capture", ctx, err)
	}
	return out.Data, nil
}

// Blocked lists the requests the stage refused (URLs outside its files).
func (s *Stage) Blocked() []Blocked {
	s.j.mu.Lock()
	defer s.j.mu.Unlock()
	return append([]Blocked(nil), s.j.blocked...)
}

// Close gives the tab back to the pool (a new tab replaces it when the
// stage failed). Calling it again does nothing.
func (s *Stage) Close() {
	if s.t == nil {
		return
	}
	s.j.finish(&Result{})
	s.t.setJob(nil)
	s.cancel()
	s.p.release(s.t, s.broken || s.t.b.ctx.Err() != nil)
	s.t = nil
}

func (s *Stage) classify(what string, ctx context.Context, err error) error {
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("%s: %v: %w", what, err, ErrTimeout)
	case s.t != nil && s.t.b.ctx.Err() != nil:
		s.t.b.dead.Store(true)
		s.broken = true
		return fmt.Errorf("%s: %v: %w", what, err, ErrBrowser)
	case s.ctx.Err() != nil:
		s.broken = true
		return fmt.Errorf("%s: %v: %w", what, err, ErrBrowser)
	default:
		// An exception in the page's script: the stage is still sound.
		return fmt.Errorf("%s: %w", what, err)
	}
}
