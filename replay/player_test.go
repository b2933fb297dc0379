package replay

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kilnrender/kiln/internal/testenv"
)

// playerPage loads rrweb's Replayer and exposes seek(t): it reads the
// manifest, fetches only the segment holding t, points kiln-asset: at the
// bundle's assets/ folder and pauses a new Replayer at t (docs/replay.md,
// "Segments").
const playerPage = `<!doctype html><meta charset=utf-8>
<div id=root></div>
<script type=module>
import * as rrweb from "/rrweb.js";
window.seek = async function (t) {
  const man = await (await fetch("/bundle/manifest.json")).json();
  const seg = man.segments.findLast(s => s.startMs <= t) ?? man.segments[0];
  const text = await (await fetch("/bundle/" + seg.name)).text();
  const events = JSON.parse(text.replaceAll("kiln-asset:", location.origin + "/bundle/assets/"));
  const r = new rrweb.Replayer(events, {root: document.getElementById("root"), mouseTail: false, showWarning: false, triggerFocus: false});
  // The Replayer applies the first Meta's size and snapshot in a timer of
  // its own: seek after it, or that size overrides the recorded resizes.
  await new Promise(ok => setTimeout(ok, 0));
  r.pause(man.startTime + t - events[0].timestamp);
  window.replayer = r;
  return seg.name;
};
</script>`

// rrweb 2.2.2's own Replayer, in headless Chromium, plays a later segment
// of a Kiln bundle loading only that segment: the state it shows at the
// seek time (typed e-mail, masked password, the checked box, the window
// resized) is the recording's, the style sheet Kiln moved into an asset
// applies, and the logo moved from a data: URL into an asset loads.
func TestReplayerSeeksIntoLaterSegment(t *testing.T) {
	ctx := testenv.Browser(t, 60*time.Second)
	input := readTestdata(t, "bootstrap-sign-in-password.rrweb.json")
	man, sink := buildBundle(t, Config{}, input)
	if len(man.Segments) < 2 {
		t.Fatalf("%d segments with the defaults", len(man.Segments))
	}
	last := man.Segments[len(man.Segments)-1]
	at := man.DurationMs

	// The player's vendored copy of rrweb (an ES module).
	rrwebJS := readFile(t, filepath.Join("..", "player", "static", "vendor", "rrweb", "rrweb.js"))
	var mu sync.Mutex
	var requested []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requested = append(requested, r.URL.Path)
		mu.Unlock()
		switch name, ok := strings.CutPrefix(r.URL.Path, "/bundle/"); {
		case r.URL.Path == "/":
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(playerPage))
		case r.URL.Path == "/rrweb.js":
			w.Header().Set("Content-Type", "text/javascript")
			w.Write(rrwebJS)
		case ok:
			f, found := sink.files[name]
			if !found {
				http.NotFound(w, r)
				return
			}
			// As object storage serves the bundle.
			w.Header().Set("Content-Type", f.contentType)
			if f.encoding != "" {
				w.Header().Set("Content-Encoding", f.encoding)
			}
			w.Write(f.data)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf("seek(%d)", at), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if got != last.Name {
		t.Fatalf("the player loaded %s for %d ms, want %s", got, at, last.Name)
	}
	type state struct {
		Email, Password   string
		Checked           bool
		Width, Height     int
		ButtonBackground  string
		LogoWidth         int
		Sheets, SheetRule int
	}
	st, err := chromedp.Run(ctx, chromedp.Poll[state](`(() => {
	  const f = document.querySelector("#root iframe");
	  const d = f && f.contentDocument;
	  const logo = d && d.querySelector("img");
	  const btn = d && d.querySelector("button.btn-primary");
	  if (!btn || !logo || !logo.complete || !logo.naturalWidth) return null;
	  const bg = d.defaultView.getComputedStyle(btn).backgroundColor;
	  if (bg === "rgba(0, 0, 0, 0)" || bg === "rgb(239, 239, 239)") return null; // the stored sheet is not in yet
	  if (d.getAnimations().length) return null; // Bootstrap's transitions, once its sheet is in
	  const imp = [...d.styleSheets].flatMap(s => [...s.cssRules]).find(r => r.styleSheet);
	  return {Email: d.querySelector("#floatingInput").value, Password: d.querySelector("#floatingPassword").value,
	    Checked: d.querySelector("input[type=checkbox]").checked, Width: +f.width, Height: +f.height,
	    ButtonBackground: bg, LogoWidth: logo.naturalWidth, Sheets: d.styleSheets.length,
	    SheetRule: imp ? imp.styleSheet.cssRules.length : 0};
	})()`, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		t.Fatalf("replayed state: %v", err)
	}
	t.Logf("state at %d ms from %s: %+v", at, last.Name, st)
	if st.Email != "alice@example.com" || st.Password != strings.Repeat("*", 28) || !st.Checked {
		t.Errorf("form state: email %q, password %q, checked %v", st.Email, st.Password, st.Checked)
	}
	if st.Width != 500 || st.Height != 700 {
		t.Errorf("window %dx%d, want the recorded resize to 500x700", st.Width, st.Height)
	}
	if st.ButtonBackground != "rgb(13, 110, 253)" || st.SheetRule < 100 {
		t.Errorf("Bootstrap's sheet does not apply: button %s, %d rules imported", st.ButtonBackground, st.SheetRule)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, s := range man.Segments {
		if s.Name != last.Name && slices.Contains(requested, "/bundle/"+s.Name) {
			t.Errorf("the player fetched %s too", s.Name)
		}
	}
	assets := 0
	for _, p := range requested {
		if strings.HasPrefix(p, "/bundle/assets/") {
			assets++
		}
	}
	if assets < 2 {
		t.Errorf("the player fetched %d assets (the sheet and the logo): %v", assets, requested)
	}
}
