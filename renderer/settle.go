package renderer

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"time"

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
		"modalAttr": snapshot.AttrModal,
		"settleMs":  j.settle.Milliseconds(),
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
	return nil
}
