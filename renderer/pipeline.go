package renderer

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/kilnrender/kiln/snapshot"
)

// The render pipeline: the input check, then a list of named steps.

// rendering is one render on its way through the pipeline: what its steps
// share. Each step reads what the ones before it left.
type rendering struct {
	job  *job
	snap *snapshot.Snapshot
	opts Options
	res  *Result
	pr   prepareResult // left by settle
	clip page.Viewport // left by capture: the area captured
}

// renderStep is one named step of the pipeline.
type renderStep struct {
	name string
	run  func(t *tab, ctx context.Context, r *rendering) error
}

// pipeline is a render, in order: load (viewport, document, load event,
// load.go), settle (runtime state and waits, settle.go), capture (the
// image, capture.go) and thumb (thumbnail and blank check, thumb.go). Each
// step is timed into Result.Steps and fails with its own error, which ends
// the render.
var pipeline = []renderStep{
	{"load", (*tab).load},
	{"settle", (*tab).settle},
	{"capture", (*tab).capture},
	{"thumb", (*tab).thumb},
}

// render runs the pipeline on this tab, within parent's deadline.
func (t *tab) render(parent context.Context, s *snapshot.Snapshot, opts Options) (*Result, error) {
	deadline, _ := parent.Deadline()
	ctx, cancel := context.WithDeadline(t.ctx, deadline)
	defer cancel()
	stop := context.AfterFunc(parent, cancel)
	defer stop()

	r := &rendering{job: newJob(ctx, s, t.p), snap: s, opts: opts, res: &Result{}}
	defer t.setJob(nil)
	var err error
	for _, st := range pipeline {
		start := time.Now()
		err = st.run(t, ctx, r)
		r.res.Steps = append(r.res.Steps, Step{Name: st.name, Duration: time.Since(start)})
		if err != nil {
			err = t.classify(ctx, parent, st.name, err)
			break
		}
	}
	r.job.finish(r.res)
	if err != nil {
		return nil, err
	}
	res := r.res
	res.Warnings = append(res.Warnings, s.Warnings...)
	res.Warnings = append(res.Warnings, r.pr.Warnings...)
	if n := len(res.Blocked); n > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("blocked %d requests", n))
	}
	return res, nil
}

// evaluate runs expr in the page through DevTools (which page CSP does not
// restrict), awaiting the promise it may return, and returns its value as
// JSON (nil when it has none); what names the call in errors.
func evaluate(ctx context.Context, what, expr string) ([]byte, error) {
	out, err := chromedp.Call(ctx, runtime.Evaluate, runtime.EvaluateParams{
		Expression:    expr,
		AwaitPromise:  ptr(true),
		ReturnByValue: ptr(true),
	})
	if err != nil {
		return nil, err
	}
	if out.ExceptionDetails != nil {
		return nil, fmt.Errorf("%s: %s", what, out.ExceptionDetails.Text)
	}
	if out.Result == nil {
		return nil, nil
	}
	return out.Result.Value, nil
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
