package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
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

// The floor is Chromium's own work for a page: an already-warm tab in the
// default browser context, the document and its resources answered from
// memory through Fetch (the only way to serve them), navigate, wait for
// load, capture the WebP and the scaled thumbnail. No isolation, no
// settle script, no checks: no design can do less and produce the same
// images.

type floorTab struct {
	ctx   context.Context
	vp    snapshot.Viewport
	frame cdp.FrameID
	mu    sync.Mutex
	cur   *floorJob
}

// floorSetContent loads documents with Page.setDocumentContent, the
// cheapest way (KILN_BENCH_FLOOR=navigate: a navigation served by Fetch).
var floorSetContent = os.Getenv("KILN_BENCH_FLOOR") != "navigate"

const loadedJS = `(document.readyState === 'complete' ? Promise.resolve() : new Promise((r) => addEventListener('load', () => r(), { once: true }))).then(() => { void document.documentElement.offsetHeight; return document.fonts.ready; }).then(() => { for (const a of document.getAnimations()) { try { a.finish(); } catch (e) { a.cancel(); } } return true; })`

type floorJob struct {
	doc string
	res map[string]peerResource
}

func runFloorWorker(cases []benchCase, chrome, fontsConf string, browsers, tabs int) error {
	pages := make([]*peerPage, len(cases))
	for i, c := range cases {
		b, err := os.ReadFile(c.Peer)
		if err != nil {
			return err
		}
		pages[i] = &peerPage{}
		if err := json.Unmarshal(b, pages[i]); err != nil {
			return err
		}
	}
	free := make(chan *floorTab, browsers*tabs)
	for b := 0; b < browsers; b++ {
		dir, err := os.MkdirTemp("", "kiln-bench-floor-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		opts := []chromedp.ExecAllocatorOption{
			chromedp.ExecPath(chrome), chromedp.UserDataDir(dir), chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
			chromedp.Headless, chromedp.DisableGPU, chromedp.Flag("hide-scrollbars", true),
			chromedp.Flag("force-color-profile", "srgb"), chromedp.Flag("disable-background-networking", true),
			// What changes the pixels is set as Kiln sets it (see the peer).
			chromedp.Flag("blink-settings", "primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4,imagesEnabled=true"),
			chromedp.Flag("disable-features", "PaintHolding,LazyImageLoading,LazyFrameLoading"),
			chromedp.Env("FONTCONFIG_FILE=" + fontsConf),
			chromedp.ModifyCmdFunc(func(cmd *exec.Cmd) {
				cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
			}),
		}
		if os.Geteuid() == 0 {
			opts = append(opts, chromedp.NoSandbox)
		}
		actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
		defer acancel()
		bctx, bcancel := chromedp.NewContext(actx)
		defer bcancel()
		if err := chromedp.Do(bctx); err != nil {
			return fmt.Errorf("floor: start chromium: %w", err)
		}
		for i := 0; i < tabs; i++ {
			tctx, _ := chromedp.NewContext(bctx)
			t := &floorTab{ctx: tctx}
			if err := chromedp.Do(tctx); err != nil {
				return err
			}
			if err := chromedp.Listen(tctx, func(ev any) {
				if e, ok := ev.(*fetch.EventRequestPaused); ok {
					go t.serve(e)
				}
			}); err != nil {
				return err
			}
			for _, disable := range []func() error{
				func() error { _, err := chromedp.Call(tctx, css.Disable, cdp.Empty{}); return err },
				func() error { _, err := chromedp.Call(tctx, dom.Disable, cdp.Empty{}); return err },
				func() error { _, err := chromedp.Call(tctx, network.Disable, cdp.Empty{}); return err },
				func() error { _, err := chromedp.Call(tctx, cdplog.Disable, cdp.Empty{}); return err },
			} {
				if err := disable(); err != nil {
					return err
				}
			}
			if _, err := chromedp.Call(tctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*"}}}); err != nil {
				return err
			}
			free <- t
		}
	}
	// A free tab already set to the page's viewport is preferred: a
	// switch needs a fresh document.
	var mu sync.Mutex
	idle := []*floorTab{}
	for len(free) > 0 {
		idle = append(idle, <-free)
	}
	slots := make(chan struct{}, len(idle))
	for range idle {
		slots <- struct{}{}
	}
	render := func(ctx context.Context, i int, png bool) ([]byte, map[string]time.Duration, error) {
		<-slots
		mu.Lock()
		k := len(idle) - 1
		for j, t := range idle {
			if t.vp == pages[i].Viewport {
				k = j
				break
			}
		}
		t := idle[k]
		idle = append(idle[:k], idle[k+1:]...)
		mu.Unlock()
		defer func() {
			mu.Lock()
			idle = append(idle, t)
			mu.Unlock()
			slots <- struct{}{}
		}()
		return t.render(ctx, pages[i], png)
	}
	return serveWorker(cases, render, warmEach(len(pages), render))
}

func (t *floorTab) serve(ev *fetch.EventRequestPaused) {
	t.mu.Lock()
	j := t.cur
	t.mu.Unlock()
	u := stripFragment(ev.Request.URL)
	if j != nil && u == j.doc {
		_, _ = chromedp.Call(t.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: ev.RequestID, ResponseCode: 200,
			ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/html; charset=utf-8"}}, Body: []byte(j.res[""].Data)})
		return
	}
	if j != nil {
		if r, ok := j.res[u]; ok {
			_, _ = chromedp.Call(t.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: ev.RequestID, ResponseCode: 200,
				ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: r.ContentType}, {Name: "Access-Control-Allow-Origin", Value: "*"}}, Body: r.Data})
			return
		}
	}
	_, _ = chromedp.Call(t.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
}

func (t *floorTab) render(parent context.Context, pg *peerPage, png bool) ([]byte, map[string]time.Duration, error) {
	deadline, _ := parent.Deadline()
	ctx, cancel := context.WithDeadline(t.ctx, deadline)
	defer cancel()
	j := &floorJob{doc: stripFragment(pg.URL), res: map[string]peerResource{"": {Data: []byte(pg.HTML)}}}
	for _, r := range pg.Resources {
		j.res[stripFragment(r.URL)] = r
	}
	t.mu.Lock()
	t.cur = j
	t.mu.Unlock()
	dpr := pg.Viewport.DeviceScaleFactor
	if t.vp != pg.Viewport {
		if t.vp != (snapshot.Viewport{}) {
			if _, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: "about:blank"}); err != nil {
				return nil, nil, err
			}
		}
		if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: int64(pg.Viewport.Width), Height: int64(pg.Viewport.Height), DeviceScaleFactor: dpr, Mobile: pg.Viewport.Mobile,
			ScreenWidth: int64(pg.Viewport.Width), ScreenHeight: int64(pg.Viewport.Height),
		}); err != nil {
			return nil, nil, err
		}
		t.vp = pg.Viewport
	}
	if floorSetContent {
		if t.frame == "" {
			tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
			if err != nil {
				return nil, nil, err
			}
			t.frame = tree.FrameTree.Frame.ID
		}
		if _, err := chromedp.Call(ctx, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: t.frame, HTML: pg.HTML}); err != nil {
			return nil, nil, err
		}
		r, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{Expression: loadedJS, AwaitPromise: ptr(true)})
		if err != nil {
			return nil, nil, err
		}
		if r.ExceptionDetails != nil {
			return nil, nil, errors.New(r.ExceptionDetails.Text)
		}
	} else {
		events := chromedp.Events(ctx, page.LifecycleEvent)
		nav, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: j.doc})
		if err != nil {
			return nil, nil, err
		}
		for ev, err := range events {
			if err != nil {
				return nil, nil, err
			}
			if ev.Name == "load" && ev.LoaderID == nav.LoaderID {
				break
			}
		}
	}
	clip := page.Viewport{X: float64(pg.Scroll.X), Y: float64(pg.Scroll.Y), Width: float64(pg.Viewport.Width), Height: float64(pg.Viewport.Height), Scale: 1}
	p := page.CaptureScreenshotParams{Format: page.CaptureScreenshotFormatWebp, Quality: ptr(int64(80)), Clip: &clip, OptimizeForSpeed: ptr(true)}
	if png {
		p.Format, p.Quality = page.CaptureScreenshotFormatPng, nil
	}
	img, err := chromedp.Call(ctx, page.CaptureScreenshot, p)
	if err != nil {
		return nil, nil, err
	}
	if !png {
		tc := clip
		tc.Scale = 320 / (clip.Width * dpr)
		th, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{Format: page.CaptureScreenshotFormatJpeg, Quality: ptr(int64(82)), Clip: &tc, OptimizeForSpeed: ptr(true)})
		if err != nil {
			return nil, nil, err
		}
		if len(th.Data) == 0 {
			return nil, nil, errors.New("floor: empty thumbnail")
		}
	}
	t.mu.Lock()
	t.cur = nil
	t.mu.Unlock()
	return img.Data, nil, nil
}

func stripFragment(u string) string {
	for i := 0; i < len(u); i++ {
		if u[i] == '#' {
			return u[:i]
		}
	}
	return u
}

func ptr[T any](v T) *T { return &v }

// writeFontsConf writes Kiln's fontconfig file (renderer/fonts.conf) for
// the peer and the floor, so that every side draws with the same fonts.
func writeFontsConf(repo, dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(repo, "renderer", "fonts.conf"))
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, "fonts.conf")
	conf := fmt.Sprintf(string(b), filepath.Join(os.TempDir(), "kiln-fontconfig-cache"))
	return p, os.WriteFile(p, []byte(conf), 0o644)
}
