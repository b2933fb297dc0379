package renderer

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The load step, and the CSP every document Kiln loads carries.

// documentCSP goes into every document Kiln loads (withCSP): page scripts never
// run (the snapshot package strips them too; this is the second wall), and
// nothing may open a connection, a worker or a plugin. DevTools evaluation,
// which Kiln uses to apply runtime state, is not subject to it.
const documentCSP = "script-src 'none'; object-src 'none'; worker-src 'none'; connect-src 'none'; manifest-src 'none'; form-action 'none'; frame-src 'self' data: about:; base-uri http: https:"

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
// first element of <head>, ahead of anything that loads, followed by
// freezeStyle. Subresources still go through Fetch interception, served
// from the snapshot or the fetcher.
func (t *tab) load(ctx context.Context, r *rendering) error {
	t.inlineSprites(r)
	j, s, res := r.job, r.snap, r.res
	// Every job gets a new Document. setDocumentContent keeps the frame's
	// Document, and with it state that outlives the job: the page scale and
	// viewport left for other metrics (a mobile page after a desktop one came
	// out 1 px off), and the document's list of available images, which
	// ignores no-store: a later job using an image URL an earlier job used
	// was shown the earlier job's pixels, or its failure, without Chromium
	// asking again. A navigation to about:blank replaces the Document.
	if t.used {
		nav, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: "about:blank"})
		if err != nil {
			return err
		}
		if err := t.committed(ctx, nav.LoaderID); err != nil {
			return err
		}
	}
	t.used = true
	if t.vp != s.Viewport {
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
	loaded, err := evaluate(ctx, "wait for load", fmt.Sprintf(loadedJS, j.settle.Milliseconds()))
	if err != nil {
		return err
	}
	if string(loaded) != "true" {
		res.Warnings = append(res.Warnings, "page did not finish loading in time")
	}
	return nil
}

// committed waits until the tab's frame shows the document of the
// navigation loader started: Page.navigate answers once a navigation has
// begun, and the document written next must go into the new one, not into
// the old one it is about to replace (a loaded machine showed a blank
// render: the job's document written into the old one, then replaced).
// Bounded: after 2 s the job goes on, as before.
func (t *tab) committed(ctx context.Context, loader cdp.LoaderID) error {
	if loader == "" {
		return nil
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		tree, err := chromedp.Call(ctx, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			return err
		}
		if tree.FrameTree.Frame.LoaderID == loader || time.Now().After(deadline) {
			if t.frame == "" {
				t.frame = tree.FrameTree.Frame.ID
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
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

// freezeStyle is the first style sheet of every document Kiln loads: no
// CSS transitions (a document written into a tab would start them as its
// style sheets arrive), no smooth scrolling, no caret, no scroll
// anchoring. In the document from the start it costs nothing; added by
// the settle step, it made Blink compute the style of every element again
// (up to 130 ms of the renderer's main thread on the corpus's larger
// pages). First rather than last, it loses one tie it used to win: a
// page's own !important rule for these properties with a bare * selector;
// a page's rule with any other selector wins as before.
const freezeStyle = `<style>*,*::before,*::after{transition:none!important;caret-color:transparent!important;scroll-behavior:auto!important}html{scroll-behavior:auto!important;overflow-anchor:none!important}</style>`

// withCSP returns doc with cspMeta, then freezeStyle, in front of
// everything but the doctype. A <meta> met before <html> makes the parser open <html> and
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
	b.Grow(len(doc) + len(cspMeta) + len(freezeStyle))
	b.Write(doc[:at])
	b.WriteString(cspMeta)
	b.WriteString(freezeStyle)
	b.Write(doc[at:])
	return b.String()
}
