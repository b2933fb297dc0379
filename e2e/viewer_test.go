package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/kilnrender/kiln/internal/testenv"
)

// The viewer in a real browser against the real farm, as a production
// page: it asks for the key, takes a recording from the file input,
// follows the replay job that `kiln worker` builds, plays it in the
// player page (an iframe, /player/?job=…) with a timeline in words, shows
// the filmstrip the manifest lists and timing bars, and shows the job
// again after a reload.
func TestViewerReplayChromium(t *testing.T) {
	chrome := testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	f := startFarm(t, "KILN_VIEWER=true")
	rec := filepath.Join(t.TempDir(), "recording.json")
	if err := os.WriteFile(rec, fixture(t, "replay/todomvc-react.rrweb.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome), chromedp.WindowSize(1400, 1000))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	ctx, cancel := context.WithTimeout(bctx, 120*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(f.URL+"/"),
		chromedp.WaitVisible("#key-panel"),
		chromedp.SendKeys("#key", "wrong-key"),
		chromedp.Click("#key-form button"),
		chromedp.WaitVisible("#key-error"),
	); err != nil {
		t.Fatal(err)
	}
	if msg, _ := chromedp.Run(ctx, chromedp.Text("#key-error")); !strings.Contains(msg, "not valid") {
		t.Fatalf("wrong key message %q", msg)
	}
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#key").value = ""; undefined`),
		chromedp.SendKeys("#key", keyAcme),
		chromedp.Click("#key-form button"),
		chromedp.WaitVisible("#submit-panel"),
		chromedp.SetUploadFiles("#file", []string{rec}),
	); err != nil {
		t.Fatal(err)
	}
	stored, err := chromedp.Run(ctx, chromedp.Evaluate[string](`sessionStorage.getItem("kiln-key")`))
	if err != nil || stored != keyAcme {
		t.Fatalf("sessionStorage key %q, %v", stored, err)
	}
	// The card's player page paints the replay (its document says ready).
	const playerReady = `(() => {
		const f = document.querySelector('.job[data-state="done"] iframe.player');
		const e = f && f.contentDocument && f.contentDocument.documentElement;
		return e && e.dataset.kilnPlayer === "ready" ? "ready" : null; })()`
	if _, err := chromedp.Run(ctx, chromedp.Poll[string](playerReady, chromedp.WithPollingTimeout(80*time.Second))); err != nil {
		dctx, dcancel := context.WithTimeout(bctx, 10*time.Second)
		defer dcancel()
		state, _ := chromedp.Run(dctx, chromedp.Evaluate[string](`[...document.querySelectorAll('.state,.error')].map(e => e.textContent).join(" | ") + " | player: " +
			[...document.querySelectorAll('iframe.player')].map(f => f.contentDocument && f.contentDocument.body ? f.contentDocument.documentElement.dataset.kilnPlayer + " " + f.contentDocument.body.innerText.slice(0, 200) : "no document").join(" | ")`))
		t.Fatalf("player: %v (page: %s)", err, state)
	}
	jobID, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.job[data-state="done"]').dataset.id || ""`))
	if err != nil {
		t.Fatal(err)
	}
	m := f.manifest(t, jobID)
	var wantStrip []string
	for _, k := range m.Keyframes {
		wantStrip = append(wantStrip, fmtAt(k.AtMs)+" "+k.Reason)
	}
	strip, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.filmstrip figcaption')].map(f => f.textContent)`))
	if err != nil || strings.Join(strip, ",") != strings.Join(wantStrip, ",") || len(strip) == 0 {
		t.Fatalf("filmstrip %q, %v; manifest %q", strip, err, wantStrip)
	}
	thumbs, err := chromedp.Run(ctx, chromedp.Poll[[]int](`(() => { const w = [...document.querySelectorAll('.filmstrip img')].map(i => i.complete ? i.naturalWidth : 0); return w.every(x => x > 0) ? w : null; })()`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || len(thumbs) != len(m.Keyframes) {
		t.Fatalf("filmstrip thumbnails %v, %v", thumbs, err)
	}
	// Timing bars have their widths (the page's CSP refuses style
	// attributes; the viewer sets them through CSSOM).
	bars, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`[...document.querySelectorAll('.job[data-state="done"] .timings .bar')].map(b => b.getBoundingClientRect().width)`))
	if err != nil || len(bars) < 2 || bars[len(bars)-1] < 100 {
		t.Fatalf("timing bar widths %v, %v", bars, err)
	}
	// The player's timeline starts with the page's navigation, says what
	// was clicked and typed, and is in time order.
	timeline, err := chromedp.Run(ctx, chromedp.Poll[[]string](`(() => {
		const d = document.querySelector('.job[data-state="done"] iframe.player').contentDocument;
		const l = [...d.querySelectorAll('.kp-entry')].map(li => li.querySelector('time').textContent + "|" + li.dataset.kind + "|" + li.querySelector('.kp-text').textContent);
		return l.some(x => x.includes("|input|")) ? l : null; })()`, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Pages) == 0 || !strings.HasPrefix(timeline[0], fmtAt(m.Pages[0].AtMs)+"|navigation|") {
		t.Fatalf("timeline starts %q; manifest pages %+v", timeline[:1], m.Pages)
	}
	kinds := map[string]int{}
	at := make([]string, len(timeline))
	for i, e := range timeline {
		p := strings.SplitN(e, "|", 3)
		at[i] = p[0]
		kinds[p[1]]++
		if strings.Contains(p[2], "undefined") || strings.Contains(p[2], "node ") {
			t.Errorf("timeline entry %q", e)
		}
	}
	if kinds["click"] == 0 || kinds["input"] == 0 || kinds["resize"] != len(m.Viewports)-1 {
		t.Fatalf("timeline kinds %v (viewports %d)", kinds, len(m.Viewports))
	}
	if !sort.StringsAreSorted(at) {
		t.Fatalf("timeline out of order: %q", at)
	}
	words := strings.Join(timeline, "\n")
	if !strings.Contains(words, "|click|click on input[type=text] “New Todo Input”") || !strings.Contains(words, "|click|click on button “Clear completed”") ||
		!strings.Contains(words, "|input|typed in input[type=text] “New Todo Input”: “Ship the renderer”") {
		t.Fatalf("timeline does not say what was clicked and typed:\n%s", words)
	}
	// The job list survives a reload (localStorage) and plays again.
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[string](playerReady, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("after a reload: %v", err)
	}
	again, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.job')].map(j => j.dataset.id)`))
	if err != nil || len(again) != 1 || again[0] != jobID {
		t.Fatalf("jobs after a reload %q, %v; want [%s]", again, err, jobID)
	}
	// The player page on its own (the tab keeps the key), paused at t.
	if err := chromedp.Do(ctx, chromedp.Navigate(f.URL+"/player/?job="+jobID+"&t=6000")); err != nil {
		t.Fatal(err)
	}
	paused, err := chromedp.Run(ctx, chromedp.Poll[float64](`document.documentElement.dataset.kilnPlayer === "ready" ? document.querySelector("kiln-player").currentTime : null`,
		chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil || paused != 6000 {
		t.Fatalf("/player/?job=…&t=6000: paused at %v, %v", paused, err)
	}
}

type manifest struct {
	Keyframes []struct {
		AtMs   int64  `json:"atMs"`
		Reason string `json:"reason"`
	} `json:"keyframes"`
	Pages []struct {
		AtMs int64  `json:"atMs"`
		Href string `json:"href"`
	} `json:"pages"`
	Viewports []struct{} `json:"viewports"`
}

// manifest fetches a done replay job's manifest through its signed URL.
func (f *farm) manifest(t *testing.T, id string) manifest {
	t.Helper()
	st := f.job(t, id, 10*time.Second)
	for _, r := range st["results"].([]any) {
		r := r.(map[string]any)
		if r["name"] != "manifest.json" {
			continue
		}
		resp, err := http.Get(r["url"].(string))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m manifest
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	t.Fatalf("job %s has no manifest: %v", id, st)
	return manifest{}
}

// fmtAt formats ms as the viewer does: m:ss.t.
func fmtAt(ms int64) string {
	return fmt.Sprintf("%d:%04.1f", ms/60000, float64(ms%60000)/1000)
}
