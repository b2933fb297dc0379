package renderer

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/kilnrender/kiln/snapshot"
)

// The settle step: prepare.js applies the runtime state (scroll, canvas
// pixels, frozen animations) and waits for fonts and images.

//go:embed prepare.js
var prepareJS string

// prepareResult is what prepare.js reports.
type prepareResult struct {
	ScrollX   float64  `json:"scrollX"`
	ScrollY   float64  `json:"scrollY"`
	DocWidth  float64  `json:"docWidth"`
	DocHeight float64  `json:"docHeight"`
	Content   bool     `json:"content"`
	Warnings  []string `json:"warnings"`
	// Pointer is where the mouse goes (snapshot.AttrPointer), in CSS
	// pixels of the top viewport, and Path the points it goes through
	// first; nil: nowhere.
	Pointer *struct {
		X    float64 `json:"x"`
		Y    float64 `json:"y"`
		Path []struct {
			X float64 `json:"x"`
			Y float64 `json:"y"`
		} `json:"path"`
	} `json:"pointer"`
}

// settle applies the state the browser must compute after layout (canvas
// pixels, element and window scroll, frozen animations, web fonts, images
// whatever their loading attribute) through DevTools evaluation, which page
// CSP does not restrict. Its waits share the job's settle budget; what has
// not arrived by then is a warning in the report, not a failure.
func (t *tab) settle(ctx context.Context, r *rendering) error {
	j, s := r.job, r.snap
	args, _ := json.Marshal(map[string]any{
		"x": s.Scroll.X, "y": s.Scroll.Y,
		"canvasAttr": snapshot.AttrCanvas, "topAttr": snapshot.AttrScrollTop, "leftAttr": snapshot.AttrScrollLeft,
		"modalAttr": snapshot.AttrModal, "pointerAttr": snapshot.AttrPointer,
		"definedAttr": snapshot.AttrDefined, "selectionAttr": snapshot.AttrSelection, "mediaAttr": snapshot.AttrMedia,
		"settleMs": j.settle.Milliseconds(), "hash": targetFragment(s.URL),
	})
	// prepare.js bounds its waits by the budget; this bound is the net
	// under it, so that the step cannot run into the job's deadline.
	ctx, cancel := context.WithTimeout(ctx, j.settle+j.settle/2+time.Second)
	defer cancel()
	out, err := evaluate(ctx, "prepare page", "("+prepareJS+")("+string(args)+")")
	if err != nil {
		return err
	}
	if len(out) == 0 {
		return errors.New("prepare page: no result")
	}
	if err := json.Unmarshal(out, &r.pr); err != nil {
		return fmt.Errorf("prepare page: %w", err)
	}
	if p := r.pr.Pointer; p != nil && !s.Viewport.Mobile {
		return t.hover(ctx, r, p.X, p.Y)
	}
	return nil
}

// hover moves the tab's mouse to x, y (CSS pixels of the viewport), by
// way of the recorded path there (r.pr.Pointer.Path), so that :hover
// applies to what is there, and waits for what the hovered styles load:
// the style is computed at once, a barrier request made after the
// requests it started is answered (so they have all arrived, on a loaded
// machine too), they are answered (hoverQuiet without one), then
// fonts, images and a frame, all within a quarter of the settle budget. When the element the
// pointer was over is not under the point (a menu that a hover opens:
// the live mouse went through its parent first), the mouse goes by way
// of its nearest ancestor shown (hoverStepJS), up to maxHoverSteps
// times. The next job's new Document (tab.load) starts with no hover
// (TestHoverAtPointer). A touch screen (a mobile viewport) has no hover.
func (t *tab) hover(ctx context.Context, r *rendering, x, y float64) error {
	budget := max(r.job.settle/4, 100*time.Millisecond)
	deadline := time.Now().Add(budget)
	move := func(x, y float64) error { return t.moveMouse(ctx, x, y) }
	for _, q := range r.pr.Pointer.Path {
		if err := move(q.X, q.Y); err != nil {
			return err
		}
	}
	if err := move(x, y); err != nil {
		return err
	}
	for range maxHoverSteps {
		out, err := evaluate(ctx, "hover step", hoverStepJS)
		if err != nil {
			return err
		}
		var via *struct{ X, Y float64 }
		if err := json.Unmarshal(out, &via); err != nil || via == nil {
			break
		}
		if err := move(via.X, via.Y); err != nil {
			return err
		}
		if err := move(x, y); err != nil {
			return err
		}
	}
	// The hovered style is computed, which starts the requests it makes
	// (background images, fonts), then a barrier request is made and
	// waited for in the page: once it is answered, the requests made
	// before it have arrived too, however slow the machine. (A page whose
	// own policy blocks the barrier fails it at once: then only the quiet
	// window below is left.)
	t.barriers++
	bctx, cancel := context.WithDeadline(ctx, deadline)
	_, err := evaluate(bctx, "hover style", fmt.Sprintf(hoverBarrierJS, barrierURL+strconv.Itoa(t.barriers)))
	cancel()
	if err != nil && ctx.Err() != nil {
		return err
	}
	if err != nil || !r.job.quiet(ctx, hoverQuiet, deadline) {
		r.pr.Warnings = append(r.pr.Warnings, "resources of the hovered element still loading at capture")
	}
	left := max(time.Until(deadline), 10*time.Millisecond)
	_, err = evaluate(ctx, "wait for hover", fmt.Sprintf(hoverJS, left.Milliseconds()))
	return err
}

// targetFragment is the fragment of the page's URL that names an element
// for :target ("" when there is none, or it is too long to be an id).
func targetFragment(u string) string {
	_, f, ok := strings.Cut(u, "#")
	if !ok || f == "" || len(f) > 256 || strings.ContainsAny(f, "#\x00") {
		return ""
	}
	return f
}

// moveMouse moves the tab's mouse to x, y (CSS pixels of the viewport).
// Chromium hit-tests each move on the layout the moves before it left:
// a menu that opened under one move is there for the next.
func (t *tab) moveMouse(ctx context.Context, x, y float64) error {
	if _, err := chromedp.Call(ctx, input.DispatchMouseEvent, input.DispatchMouseEventParams{Type: input.DispatchMouseEventTypeMouseMoved, X: x, Y: y}); err != nil {
		return fmt.Errorf("move mouse: %w", err)
	}
	return nil
}

// barrierURL is where the barrier requests of hover go (barrierURL + a
// number a tab counts up): answered by the interception handler with
// nothing, neither fetched nor counted (a host under .invalid, which no
// page's resource can be).
const barrierURL = "http://barrier.kiln.invalid/"

// hoverBarrierJS computes the style (the hovered one's requests start),
// then loads the barrier image %q and resolves when it is answered or
// fails (a 204 is no image: it fails once answered).
const hoverBarrierJS = `new Promise((r) => {
  void document.documentElement.getBoundingClientRect();
  const i = new Image();
  i.onload = i.onerror = () => r(true);
  i.src = %q;
})`

func isBarrier(u string) bool { return strings.HasPrefix(u, barrierURL) }

// maxHoverSteps bounds the ancestors the mouse goes by (menus in menus).
const maxHoverSteps = 3

// hoverStepJS returns null when the element prepare.js found under the
// pointer (window.__kilnHover) is what the mouse is over (or cannot be
// reached), else a point in the top viewport over its nearest ancestor
// that is shown and not hovered yet, not covered there by another
// element, for the mouse to go by; it looks at 64 ancestors at most.
const hoverStepJS = `(() => {
  const h = window.__kilnHover;
  if (!h || !h.el.isConnected) return null;
  const t = h.el, d = t.ownerDocument, v = d.defaultView;
  const hit = (x, y) => {
    let e = d.elementFromPoint(x, y);
    for (let i = 0; e && e.shadowRoot && i < 32; i++) {
      const f = e.shadowRoot.elementFromPoint(x, y);
      if (!f || f === e) break;
      e = f;
    }
    return e;
  };
  const up = (e) => e.parentElement || (e.parentNode && e.parentNode.host) || null;
  const within = (e, a) => { for (; e; e = up(e)) if (e === a) return true; return false; };
  const at = hit(h.local.x, h.local.y);
  if (!at || within(at, t)) return null;
  let n = 0;
  for (let a = up(t); a && a !== d.documentElement && a !== d.body && n < 64; a = up(a), n++) {
    if (within(at, a)) return null;
    const r = a.getBoundingClientRect();
    const l = Math.max(r.left, 0), tp = Math.max(r.top, 0), rr = Math.min(r.right, v.innerWidth), b = Math.min(r.bottom, v.innerHeight);
    if (!(rr - l >= 1 && b - tp >= 1)) continue;
    for (const [fx, fy] of [[0.5, 0.5], [0.25, 0.5], [0.75, 0.5], [0.5, 0.25], [0.5, 0.75]]) {
      const x = l + (rr - l) * fx, y = tp + (b - tp) * fy;
      if (within(hit(x, y), a)) return { x: x + h.dx, y: y + h.dy };
    }
  }
  return null;
})()`

// hoverQuiet is how long no request must be in flight after the hovered
// style was computed: the time a request takes to reach the interception
// handler, with room for a loaded machine.
const hoverQuiet = 25 * time.Millisecond

// hoverJS waits for fonts and images still loading, at most %d ms, then
// a frame.
const hoverJS = `Promise.race([
  new Promise((r) => setTimeout(r, %d)),
  Promise.all([document.fonts && document.fonts.ready,
    ...Array.from(document.images).filter((i) => !i.complete).map((i) => i.decode().catch(() => {}))]),
]).then(() => new Promise((r) => requestAnimationFrame(() => r(true))))`
