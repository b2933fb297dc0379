package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kilnrender/kiln/snapshot"
)

// hostileNeedles must not occur in any file of a bundle built from
// hostile.rrweb.json but its manifest (which names removed URLs).
var hostileNeedles = []string{
	"javascript:", "vbscript:", "onerror", "onload", "onclick", "onmouseover", "onfocus", "<script", "alert(",
	"127.0.0.1", "169.254.169.254", "10.0.0.", "localhost", "blob:",
}

// scriptNeedles must not occur in any file at all.
var scriptNeedles = []string{"javascript:", "vbscript:", "onerror", "onload", "<script", "alert("}

// policyFetcher stands in for netguard's fetcher: it serves two public
// hosts and refuses the rest, and records what it was asked.
type policyFetcher struct {
	mu    sync.Mutex
	asked []string
}

func (f *policyFetcher) Fetch(ctx context.Context, raw string) (string, []byte, error) {
	f.mu.Lock()
	f.asked = append(f.asked, raw)
	f.mu.Unlock()
	u, err := url.Parse(raw)
	if err != nil {
		return "", nil, err
	}
	switch {
	case u.Host == "img.example.test":
		return "image/png", []byte("png " + u.Path), nil
	case u.Host == "cdn.example.test" && u.Path == "/evil.css":
		return "text/css", []byte(`@import "http://127.0.0.1/x.css"; a{background:url(http://10.0.0.1/y.png)} b{background:url(/ok2.png)} c{background:url(javascript:alert(1))}`), nil
	case u.Host == "cdn.example.test":
		return "text/css; charset=utf-8", []byte(`a{color:red}`), nil
	}
	return "", nil, errors.New("refused: not a public address")
}

// bundleFiles returns every file of a bundle, segments inflated.
func bundleFiles(t *testing.T, sink *memSink) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for name, f := range sink.files {
		data := f.data
		if f.encoding == "gzip" {
			data = gunzip(t, data)
		}
		out[name] = data
	}
	return out
}

func TestHostileRecording(t *testing.T) {
	input := readTestdata(t, "hostile.rrweb.json")
	for _, tc := range []struct {
		name    string
		fetcher *policyFetcher
		seg     time.Duration
	}{
		{"no fetcher", nil, 0},
		{"no fetcher, 1 s segments", nil, time.Second},
		{"fetcher", &policyFetcher{}, 0},
		{"fetcher, 1 s segments", &policyFetcher{}, time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var fetcher Fetcher
			if tc.fetcher != nil {
				fetcher = tc.fetcher
			}
			cfg := Config{SegmentDuration: tc.seg, SnapshotRatio: -1, KeyframeInterval: time.Second}
			sh := &fakeShooter{}
			_, man, sink := buildWith(t, cfg, sh, fetcher, input)
			if tc.seg > 0 && len(man.Segments) < 3 {
				t.Errorf("%d segments: the synthetic snapshots are not exercised", len(man.Segments))
			}
			for name, data := range bundleFiles(t, sink) {
				low := strings.ToLower(string(data))
				needles := hostileNeedles
				if name == "manifest.json" {
					needles = scriptNeedles
				}
				for _, n := range needles {
					if i := strings.Index(low, n); i >= 0 {
						t.Errorf("%s holds %q: …%s…", name, n, low[max(0, i-80):min(len(low), i+60)])
					}
				}
			}
			for _, s := range sh.snaps { // the pictures' snapshots
				for _, n := range hostileNeedles {
					if strings.Contains(strings.ToLower(string(s.HTML)), n) {
						t.Errorf("a keyframe snapshot holds %q", n)
					}
				}
			}

			removed := map[string]string{}
			for _, r := range man.Assets.Removed {
				removed[r.URL] = r.Reason
			}
			capture := "asset capture off"
			if tc.fetcher != nil {
				capture = "not a public address" // the fetcher's error, as errText shortens it
			}
			for u, reason := range map[string]string{
				"http://127.0.0.1/a.png":                   capture,
				"http://127.0.0.1/changed.png":             capture,
				"http://10.0.0.1/a-2x.png":                 capture,
				"http://localhost:9200/a.css":              capture,
				"http://169.254.169.254/k.png":             capture,
				"https://localhost/j.png":                  capture, // //localhost resolved against the page
				"http://10.0.0.4/s.png":                    capture, // inside srcdoc
				"http://127.0.0.1/inner.png":               capture, // inside a recorded iframe document
				"http://10.0.0.11/s.png":                   capture, // style diff
				"http://127.0.0.1/rule.png":                capture, // style sheet rule
				"http://10.0.0.13/r.png":                   capture, // replaceSync
				"http://localhost/decl.png":                capture, // style declaration
				"http://127.0.0.1/adopted.css":             capture, // adopted style sheet
				"http://169.254.169.254/a.png":             capture,
				"http://127.0.0.1/canvas.png":              capture, // canvas image argument
				"http://10.0.0.14/font.woff2":              capture, // web font
				"http://localhost:8080/admin":              "link, never fetched",
				"http://10.0.0.2/login":                    "link, never fetched",
				"http://localhost/account/":                "link, never fetched",
				"http://127.0.0.1:9000/":                   "link, never fetched",
				"data:text/html":                           "data URL of a type that is not kept",
				"blob:http://127.0.0.1:8765/6d1f":          "not an http(s) URL",
				"/relative.png":                            "relative URL without an http(s) page URL",
				"http://127.0.0.1/second.png":              capture,
				"http://169.254.169.254/latest/":           capture,
				"http://127.0.0.1/sprite.svg":              capture,
				"http://10.0.0.3/p.svg":                    capture,
				"http://127.0.0.1/body.png":                capture,
				"http://localhost/btn.png":                 capture,
				"http://10.0.0.8/p.jpg":                    capture,
				"http://169.254.169.254/latest/meta-data/": capture,
			} {
				if got, ok := removed[u]; !ok || got != reason {
					t.Errorf("removed[%s] = %q (listed %v), want %q", u, got, ok, reason)
				}
			}
			if man.Assets.RemovedCount < len(man.Assets.Removed) || len(man.Assets.Removed) < 30 {
				t.Errorf("removed: %d listed, %d counted", len(man.Assets.Removed), man.Assets.RemovedCount)
			}
			ws := strings.Join(man.Warnings, "\n")
			for _, want := range []string{"removed 5 scripts", "event handler attributes", "script URLs", "meta refresh", "resource hints", "embedded objects", "assets.removed"} {
				if !strings.Contains(ws, want) {
					t.Errorf("warnings lack %q:\n%s", want, ws)
				}
			}
			if len(man.Pages) != 2 || man.Pages[1].Href != "" {
				t.Errorf("pages = %+v: the script URL of the second page stayed", man.Pages)
			}

			// What stays: inline pictures, fragments, the object's box.
			var all bytes.Buffer
			for _, s := range man.Segments {
				all.Write(gunzip(t, sink.files[s.Name].data))
			}
			for _, want := range []string{`"src":"data:image/png;base64,iVBORw0KGgo="`, `"href":"#top"`, `"tagName":"div","attributes":{"style":"display:inline-block;width:100px;height:50px"}`, `"color":["red","important"]`} {
				if !bytes.Contains(all.Bytes(), []byte(want)) {
					t.Errorf("segments lack %s", want)
				}
			}
			if tc.fetcher == nil {
				return
			}
			// Captured: public subresources, and the sheets they import,
			// sanitized in turn.
			if !bytes.Contains(all.Bytes(), []byte("kiln-asset:")) || bytes.Contains(all.Bytes(), []byte("img.example.test")) {
				t.Error("the public image was not captured")
			}
			byURL := map[string]Asset{}
			for _, a := range man.Assets.Items {
				byURL[a.URL] = a
			}
			evil, ok := byURL["https://cdn.example.test/evil.css"]
			if !ok {
				t.Fatalf("evil.css not captured: %+v", man.Assets.Items)
			}
			if css := string(sink.files["assets/"+evil.Name].data); strings.Contains(css, "127.0.0.1") || strings.Contains(css, "10.0.0.1") || !strings.Contains(css, "kiln-asset:") || strings.Contains(css, "javascript") {
				t.Errorf("stored evil.css = %s", css)
			}
			for _, u := range tc.fetcher.asked {
				for _, link := range []string{"admin", "login", "account", ":9000", "data:", "blob:", "javascript"} {
					if strings.Contains(u, link) {
						t.Errorf("the fetcher was asked for %s", u)
					}
				}
			}
		})
	}
}

// A bundle is a fixed point of the rules: replaying its events through a
// fresh mirror removes nothing more.
func TestBundleIsSanitized(t *testing.T) {
	for _, name := range []string{"hostile.rrweb.json", "todomvc-react.rrweb.json", "bootstrap-sign-in-password.rrweb.json"} {
		t.Run(name, func(t *testing.T) {
			cfg := Config{SegmentDuration: time.Second, SnapshotRatio: -1}
			b, _ := NewBuilder(cfg, nil, &policyFetcher{})
			sink := &memSink{}
			man, err := b.Build(context.Background(), bytes.NewReader(readTestdata(t, name)), sink)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range man.Segments {
				checkSanitized(t, cfg, s.Name, gunzip(t, sink.files[s.Name].data))
			}
		})
	}
}

// checkSanitized fails when the events of a segment hold a script, an
// event handler, or a URL the rules would still replace.
func checkSanitized(t testing.TB, cfg Config, name string, seg []byte) {
	t.Helper()
	var raws []json.RawMessage
	if err := json.Unmarshal(seg, &raws); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	m, err := NewMirror(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	m.removed = func(u, reason string) { t.Errorf("%s: a URL is still there (%s): %.100s", name, reason, u) }
	for i, raw := range raws {
		ev, err := snapshot.ParseEvent(raw)
		if err != nil {
			t.Fatalf("%s event %d: %v", name, i, err)
		}
		if ev.Type == snapshot.EventFullSnapshot || ev.Type == snapshot.EventIncremental && ev.Source == snapshot.IncrementalMutation {
			var v any
			json.Unmarshal(ev.Data, &v)
			if what := scriptIn(v); what != "" {
				t.Errorf("%s event %d holds %s", name, i, what)
			}
		}
		m.Apply(&ev)
	}
	if w := m.sanitizeWarnings(); len(w) > 0 {
		t.Errorf("%s: replaying the bundle removes more: %v", name, w)
	}
}

// scriptIn finds, in the JSON of a full snapshot or a mutation, a script
// element or an event handler attribute, without the snapshot package's
// rules.
func scriptIn(v any) string {
	switch v := v.(type) {
	case map[string]any:
		if tag, ok := v["tagName"].(string); ok {
			svg, _ := v["isSVG"].(bool)
			if t := strings.ToLower(strings.TrimSpace(tag)); t == "script" || t == "noscript" && !svg {
				return "a " + t + " element"
			}
		}
		if attrs, ok := v["attributes"].(map[string]any); ok {
			for k := range attrs {
				lk := strings.ToLower(k)
				if strings.HasPrefix(lk, "on") && len(lk) > 2 || strings.Contains(lk, ":on") {
					return fmt.Sprintf("handler %q", k)
				}
			}
		}
		for _, x := range v {
			if s := scriptIn(x); s != "" {
				return s
			}
		}
	case []any:
		for _, x := range v {
			if s := scriptIn(x); s != "" {
				return s
			}
		}
	}
	return ""
}

// The corpus builds as before: the same segments, and the same state.
func TestCorpusStillBuilds(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("..", "testdata", "replay", "*.rrweb.json"))
	want := map[string][3]int{ // segments with default, 1.5 s / no ratio, 1 s segments
		"todomvc-react.rrweb.json":              {2, 6, 7},
		"bootstrap-sign-in-password.rrweb.json": {2, 5, 5},
		"hostile.rrweb.json":                    {2, 3, 3},
		gleapLive:                               {2, 4, 2},
	}
	names := []string{gleapLive}
	for _, p := range paths {
		names = append(names, filepath.Base(p))
	}
	if len(names) != len(want) {
		t.Errorf("recordings %v: update the table", names)
	}
	for _, name := range names {
		input := readTestdata(t, name)
		for i, cfg := range []Config{{}, {SegmentDuration: 1500 * time.Millisecond, SnapshotRatio: -1}, {SegmentDuration: time.Second}} {
			b, _ := NewBuilder(cfg, nil, nil)
			man, err := b.Build(context.Background(), bytes.NewReader(input), &memSink{})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got := len(man.Segments); got != want[name][i] {
				t.Errorf("%s, config %d: %d segments, want %d", name, i, got, want[name][i])
			}
		}
	}
}

// Style sheet text sanitized piece by piece can hide a URL that the
// joined text reveals (a string or comment opened in one piece and
// closed in the next): the mirror sanitizes what it joins.
func TestJoinedCSS(t *testing.T) {
	style := func(id int, css string) string {
		return incr(0, fmt.Sprintf(`"adds":[{"parentId":3,"nextId":null,"node":{"type":2,"id":%d,"tagName":"style","attributes":{"_cssText":%q},"childNodes":[]}}]`, id, css))
	}
	for name, evs := range map[string][]string{
		"declaration opens a string": {
			style(20, `a{ x: 1; content: "url(http://127.0.0.1/a)" }`),
			incr(13, `"id":20,"index":[0],"set":{"property":"x","value":"\""}`)},
		"priority": {
			style(20, `a{ x: 1 }`),
			incr(13, `"id":20,"index":[0],"set":{"property":"x","value":"1","priority":"important;background:url(http://127.0.0.1/b)"}`)},
		"rules joined": {
			style(20, `p{}`),
			incr(8, `"id":20,"adds":[{"rule":"a{b:1} /*","index":0},{"rule":"c{content:\"*/ x{background:url(http://127.0.0.1/c)}\"}","index":1}]`)},
		"text children joined": {
			incr(0, `"adds":[{"parentId":3,"nextId":null,"node":{"type":2,"id":20,"tagName":"style","attributes":{},"childNodes":[{"type":3,"id":21,"textContent":"a{} /*"},{"type":3,"id":22,"textContent":"\"*/ x{background:url(http://127.0.0.1/d)}\""}]}}]`)},
		"text mutation joins": {
			incr(0, `"adds":[{"parentId":3,"nextId":null,"node":{"type":2,"id":20,"tagName":"style","attributes":{},"childNodes":[{"type":3,"id":21,"textContent":"a{}"},{"type":3,"id":22,"textContent":"\"*/ x{background:url(http://127.0.0.1/e)}\""}]}}]`),
			incr(0, `"texts":[{"id":21,"value":"a{} /*"}]`)},
		"adopted declaration": {
			incr(15, `"id":1,"styleIds":[7],"styles":[{"styleId":7,"rules":[{"rule":"a{ x: 1; content: \"url(http://127.0.0.1/f)\" }","index":0}]}]`),
			incr(13, `"styleId":7,"index":[0],"set":{"property":"x","value":"\""}`)},
	} {
		t.Run(name, func(t *testing.T) {
			in := `[{"type":4,"timestamp":900,"data":{"href":"http://a.test/","width":800,"height":600}},` + baseSnapshot + `,` + strings.Join(evs, ",") + `]`
			b, _ := NewBuilder(Config{SegmentDuration: time.Millisecond, SnapshotRatio: -1}, nil, nil)
			sink := &memSink{}
			man, err := b.Build(context.Background(), strings.NewReader(in+"\n"), sink)
			if err != nil {
				t.Fatal(err)
			}
			m, _, err := b.StateAt(context.Background(), strings.NewReader(in), time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			// The recorded events hold the URL inside a string, where a
			// player reads it as a string; the state and the synthetic
			// snapshots made of it must not reveal it.
			state, _ := m.FullSnapshot(5000)
			var all bytes.Buffer
			for _, e := range state {
				all.Write(e.Data)
			}
			for _, s := range man.Segments {
				evs := segmentEvents(t, sink, s)
				for _, e := range evs[:s.Synthetic] {
					all.Write(e.Data)
				}
				for _, e := range evs {
					if e.Source == snapshot.IncrementalMutation && bytes.Contains(e.Data, []byte(`"texts":[{`)) {
						all.Write(e.Data) // a player joins a <style>'s texts
					}
				}
			}
			if i := bytes.Index(all.Bytes(), []byte("127.0.0.1")); i >= 0 {
				t.Errorf("a URL survived: …%s…", all.Bytes()[max(0, i-120):i+20])
			}
		})
	}
}
