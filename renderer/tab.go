package renderer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/fetch"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/kilnrender/kiln/snapshot"
)

// A tab's lifecycle: open, setup, close, and the events it hands on.
// The render pipeline is in pipeline.go, request interception in
// intercept.go.

// tab is one warm page target in a browser context of its own.
type tab struct {
	b      *browser
	p      *Pool
	ctx    context.Context // chromedp context of the target
	cancel context.CancelFunc

	vp    snapshot.Viewport // emulation currently applied
	used  bool              // a job's document was written into the frame
	frame cdp.FrameID       // main frame, for setDocumentContent
	// barriers counts the barrier requests the tab's pages made (hover).
	barriers int
	curMu    sync.Mutex
	cur      *job // job being rendered, or nil
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
	case <-p.done:
		err = ErrClosed
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

// onEvent runs on the tab's reader goroutine: count the request in its
// job (in the order the page made them), hand off and return.
func (t *tab) onEvent(ev any) {
	if e, ok := ev.(*fetch.EventRequestPaused); ok {
		j := t.current()
		if j != nil {
			j.arrived()
		}
		go t.serve(e, j)
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
