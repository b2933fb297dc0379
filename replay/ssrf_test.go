package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kilnrender/kiln/netguard"
	"github.com/kilnrender/kiln/netguard/netguardtest"
	"github.com/kilnrender/kiln/snapshot"
)

// The standing SSRF suite, replay side: a recording whose full snapshot
// holds netguardtest's page vectors, followed by incremental events that
// bring more (added nodes, attribute and text mutations, style sheet rules,
// a navigation to a hostile href with relative URLs). Asset capture goes
// through a netguard Fetcher adapted as cmd/kiln does (replayadapt.go), on
// netguardtest's hostile network. The canary must see nothing, every URL
// asset capture asked for that was refused must be refused with a reason
// its vector allows and be listed in the manifest's failed assets, and no
// vector's URL may be stored as an asset.

// suiteFetcher is cmd/kiln's safeFetcher over the suite's network; it
// remembers what asset capture asked for and what netguard answered.
type suiteFetcher struct {
	f     *netguard.Fetcher
	mu    sync.Mutex
	asked map[string]error
}

func (s *suiteFetcher) Fetch(ctx context.Context, url string) (string, []byte, error) {
	resp, err := s.f.Fetch(ctx, url, nil)
	s.mu.Lock()
	s.asked[url] = err
	s.mu.Unlock()
	if err != nil {
		return "", nil, err
	}
	if resp.Status < 200 || resp.Status > 299 {
		return "", nil, fmt.Errorf("fetch %s: status %d", url, resp.Status)
	}
	return resp.ContentType, resp.Body, nil
}

var suiteID = regexp.MustCompile(`kv\d{3}`)

func TestSSRFSuite(t *testing.T) {
	g := netguardtest.NewGround(t, nil)
	nf, err := netguard.NewFetcher(g.Config())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nf.CloseIdleConnections)
	f := &suiteFetcher{f: nf, asked: map[string]error{}}

	run := fmt.Sprintf("replay-%x", time.Now().UnixNano())
	vs := netguardtest.PageVectors(g, run)
	rec, incr := suiteRecording(t, g, run, vs)
	vs = append(vs, incr...)
	b, err := NewBuilder(Config{}, nil, f)
	if err != nil {
		t.Fatal(err)
	}
	sink := &memSink{}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	man, err := b.Build(ctx, bytes.NewReader(rec), sink)
	if err != nil {
		t.Fatalf("build: %v", err)
	}

	byID := map[string]Vector{}
	for _, v := range vs {
		byID[v.ID] = Vector(v)
	}
	failed := map[string]string{}
	for _, a := range man.Assets.Failed {
		failed[a.URL] = a.Reason
	}
	stored := map[string]bool{}
	for _, a := range man.Assets.Items {
		stored[a.URL] = true
	}
	asked, refused, passed := 0, 0, 0
	reasons := map[string]int{}
	attempted := map[string]bool{}
	for u, ferr := range f.asked {
		asked++
		v, ok := byID[suiteID.FindString(u)]
		host := hostOf(u)
		if ferr == nil {
			passed++
			// Only the public test hosts answer: a chain's first hop, the
			// rebinding host's first lookup (directly or redirected to).
			if host != netguardtest.PublicHost && !v.MayPass {
				t.Errorf("asset capture fetched %s", u)
			}
			continue
		}
		refused++
		reason := netguard.BlockReason(ferr)
		reasons[reason]++
		if r, ok := failed[u]; !ok || r == "" {
			t.Errorf("%.120s was refused (%s) but is not among the manifest's failed assets", u, reason)
		}
		if stored[u] {
			t.Errorf("%.120s was refused, yet stored as an asset", u)
		}
		if host == suitePageHost {
			// A relative URL resolved against the page, whose host the
			// test network does not know: not a vector's target.
			continue
		}
		if !errors.Is(ferr, netguard.ErrBlocked) {
			t.Errorf("%s: %v, want netguard.ErrBlocked", u, ferr)
		}
		if ok {
			attempted[v.ID] = true
			if !slices.Contains(v.Reasons, reason) {
				t.Errorf("%s %s: %.100s refused as %q, want one of %q", v.ID, v.Name, u, reason, v.Reasons)
			}
		}
	}
	for _, a := range man.Assets.Items {
		if id := suiteID.FindString(a.URL); id != "" && hostOf(a.URL) != netguardtest.PublicHost && !byID[id].MayPass {
			t.Errorf("%s %s: stored %.120s as an asset", id, byID[id].Name, a.URL)
		}
	}
	// Asset capture must have met the vectors it is documented to fetch.
	for _, name := range capturedLoads {
		found := false
		for _, v := range vs {
			if strings.HasPrefix(v.Name, name) && attempted[v.ID] {
				found = true
			}
		}
		if !found {
			t.Errorf("asset capture never asked for the %q vector's URL", name)
		}
	}
	g.AssertUntouched(t)
	kinds := map[string]int{}
	for _, v := range vs {
		kinds[v.Kind]++
	}
	var untouched []string
	for _, v := range incr {
		if !attempted[v.ID] {
			untouched = append(untouched, v.Name)
		}
	}
	if len(untouched) > 0 {
		t.Logf("incremental vectors asset capture does not fetch (their URLs stay in the bundle, for the player): %q", untouched)
	}
	if len(man.Assets.Failed) > 0 {
		t.Logf("a failed asset as the manifest lists it: %+v", man.Assets.Failed[0])
	}
	t.Logf("replay: %d vectors %v (%d of them in incremental events); asset capture asked for %d URLs of %d vectors: %d refused %v, all listed as failed assets; %d answered by the public test hosts; canary: %d connections, %d requests",
		len(vs), kinds, len(incr), asked, len(attempted), refused, reasons, passed, g.Canary().Conns(), g.Canary().Requests())
}

// Vector is netguardtest's, under a short name.
type Vector = netguardtest.Vector

// capturedLoads are vectors whose URL replay's asset capture fetches
// (doc.go: stylesheet links, images, srcset, CSS url() in inlined
// stylesheets and style attributes, what those stylesheets reference).
var capturedLoads = []string{
	"img src", "img srcset x", "picture source srcset", "link stylesheet", "style attribute background url()",
	"<style> background-image", "@import url()", "@font-face src", "@import chain through a public stylesheet",
	"video poster", "svg image href", "svg image xlink:href", "img spelling http://2130706433:",
	"replay: mutation adds an img", "replay: attribute mutation sets src", "replay: style sheet rule adds url()",
	"replay: relative img under a hostile page href",
}

// suitePageHost is the host of the suite's page, which the test network
// does not resolve.
const suitePageHost = "page.kiln.test"

func hostOf(u string) string {
	rest, ok := strings.CutPrefix(u, "http://")
	if !ok {
		return ""
	}
	if i := strings.IndexAny(rest, ":/"); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// suiteRecording returns a recording of vs (Meta, FullSnapshot), then
// incremental events carrying more vectors, which it returns: their IDs
// follow vs's.
func suiteRecording(t *testing.T, g *netguardtest.Ground, run string, vs []Vector) ([]byte, []Vector) {
	t.Helper()
	const t0 = 1700000000000
	var evs []json.RawMessage
	if err := json.Unmarshal(netguardtest.RRWebEvents(netguardtest.Page(vs), "http://page.kiln.test/", 800, 600, t0), &evs); err != nil {
		t.Fatal(err)
	}
	var fs struct {
		Data struct {
			Node snapshot.Node `json:"node"`
		} `json:"data"`
	}
	if err := json.Unmarshal(evs[1], &fs); err != nil {
		t.Fatal(err)
	}
	body, maxID := 0, 0
	fs.Data.Node.Walk(func(n *snapshot.Node) bool {
		if n.TagName == "body" && body == 0 {
			body = n.ID
		}
		maxID = max(maxID, n.ID)
		return true
	})
	if body == 0 {
		t.Fatal("no body in the suite's page")
	}
	var incr []Vector
	next := len(vs)
	vec := func(name string) (Vector, string) {
		v := Vector{ID: fmt.Sprintf("kv%03d", next), Kind: netguardtest.KindLoad, Name: "replay: " + name, Reasons: []string{netguard.ReasonLoopback}}
		next++
		v.URL = g.CanaryURL("/" + run + "." + v.ID)
		incr = append(incr, v)
		return v, v.URL
	}
	ts := int64(t0)
	event := func(source int, data map[string]any) {
		ts += 100
		data["source"] = source
		b, _ := json.Marshal(map[string]any{"type": 3, "timestamp": ts, "data": data})
		evs = append(evs, b)
	}
	node := func(tag string, attrs map[string]any, kids ...map[string]any) map[string]any {
		maxID++
		if kids == nil {
			kids = []map[string]any{}
		}
		return map[string]any{"type": 2, "id": maxID, "tagName": tag, "attributes": attrs, "childNodes": kids}
	}
	add := func(n map[string]any) int {
		event(0, map[string]any{"adds": []any{map[string]any{"parentId": body, "nextId": nil, "node": n}}, "removes": []any{}, "texts": []any{}, "attributes": []any{}})
		return n["id"].(int)
	}

	_, u := vec("mutation adds an img")
	img := add(node("img", map[string]any{"src": u}))
	_, u = vec("mutation adds a stylesheet link")
	add(node("link", map[string]any{"rel": "stylesheet", "href": u}))
	_, u = vec("mutation adds a style attribute url()")
	add(node("div", map[string]any{"style": "background:url(" + u + ")"}))
	_, u = vec("mutation adds an svg image")
	svg := node("svg", map[string]any{})
	svg["isSVG"] = true
	im := node("image", map[string]any{"href": u})
	im["isSVG"] = true
	svg["childNodes"] = []map[string]any{im}
	add(svg)
	_, u = vec("mutation adds a style with @import")
	maxID++
	text := map[string]any{"type": 3, "id": maxID, "textContent": "@import url(" + u + ");", "isStyle": true}
	style := add(node("style", map[string]any{}, text))
	textID := text["id"].(int)
	_, u = vec("attribute mutation sets src")
	event(0, map[string]any{"adds": []any{}, "removes": []any{}, "texts": []any{}, "attributes": []any{map[string]any{"id": img, "attributes": map[string]any{"src": u}}}})
	_, u = vec("attribute mutation sets srcset")
	event(0, map[string]any{"adds": []any{}, "removes": []any{}, "texts": []any{}, "attributes": []any{map[string]any{"id": img, "attributes": map[string]any{"srcset": u + " 2x"}}}})
	_, u = vec("attribute mutation sets a style string")
	event(0, map[string]any{"adds": []any{}, "removes": []any{}, "texts": []any{}, "attributes": []any{map[string]any{"id": img, "attributes": map[string]any{"style": "background-image:url(" + u + ")"}}}})
	_, u = vec("text mutation of a style")
	event(0, map[string]any{"adds": []any{}, "removes": []any{}, "attributes": []any{}, "texts": []any{map[string]any{"id": textID, "value": "@import url(" + u + ");"}}})
	_, u = vec("style sheet rule adds url()")
	event(8, map[string]any{"id": style, "adds": []any{map[string]any{"rule": "body{background:url(" + u + ")}", "index": 0}}})
	_, u = vec("style sheet rule replaceSync @import")
	event(8, map[string]any{"id": style, "replaceSync": "@import url(" + u + ");"})

	// A navigation to a page whose href is the canary: relative URLs in
	// its snapshot resolve there.
	ts += 100
	hostile := g.CanaryURL("/" + run + "/")
	v, _ := vec("relative img under a hostile page href")
	rel := `<!DOCTYPE html><html><head><link rel="stylesheet" href="` + v.ID + `.css"></head><body><img src="` + v.ID + `.png"><div style="background:url(` + v.ID + `.gif)"></div></body></html>`
	var nav []json.RawMessage
	if err := json.Unmarshal(netguardtest.RRWebEvents(rel, hostile, 800, 600, ts), &nav); err != nil {
		t.Fatal(err)
	}
	evs = append(evs, nav...)
	out, err := json.Marshal(evs)
	if err != nil {
		t.Fatal(err)
	}
	return out, incr
}
