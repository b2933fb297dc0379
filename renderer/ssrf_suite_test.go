package renderer

import (
	"encoding/json"
	"fmt"
	"image"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kilnrender/kiln/netguard/netguardtest"
	"github.com/kilnrender/kiln/snapshot"
)

// The standing SSRF and script suite, renderer side: netguardtest's page
// vectors (every construct that loads something, every address spelling,
// the schemes Kiln never fetches, redirects and DNS rebinding, and the
// script vectors) on one page, fed through every input format the renderer
// reads. The canary must see no connection and no request, every request
// Chromium makes for a vector must be in the render report with a reason
// the vector allows, and no script may run: a script that ran would load
// the canary's /ran URL (which interception would report) and paint the
// page red (which the pixels below the vectors would show).

// suitePageURL is the document URL of every suite page.
const suitePageURL = "http://page.kiln.test/"

// suiteInputs are the renderer's input paths, each turning the suite's
// page into a snapshot: the renderer's own walls without the snapshot
// sanitizer, then the formats users send, through snapshot.Parse.
var suiteInputs = []struct {
	name  string
	build func(t *testing.T, page string) *snapshot.Snapshot
}{
	{"raw-html", func(t *testing.T, page string) *snapshot.Snapshot { return testPage(page) }},
	{"kiln-json", func(t *testing.T, page string) *snapshot.Snapshot {
		return parseSuite(t, map[string]any{"version": 1, "url": suitePageURL, "html": page,
			"viewport": map[string]int{"width": 800, "height": 600}})
	}},
	{"rrweb-snapshot", func(t *testing.T, page string) *snapshot.Snapshot {
		return parseSuite(t, netguardtest.RRWebEvents(page, suitePageURL, 800, 600, 1700000000000))
	}},
	{"gleap-payload", func(t *testing.T, page string) *snapshot.Snapshot {
		return parseSuite(t, map[string]any{
			"screenshotData": map[string]any{"html": page, "baseUrl": suitePageURL, "width": 800, "height": 600},
			"metaData":       map[string]any{"currentUrl": suitePageURL, "devicePixelRatio": 1},
		})
	}},
}

func parseSuite(t *testing.T, in any) *snapshot.Snapshot {
	t.Helper()
	b, ok := in.(json.RawMessage)
	if !ok {
		var err error
		if b, err = json.Marshal(in); err != nil {
			t.Fatal(err)
		}
	}
	s, err := snapshot.Parse(b, snapshot.Options{})
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return s
}

var vectorID = regexp.MustCompile(`kv\d{3}`)

func TestSSRFSuite(t *testing.T) {
	p := sharedPool(t)
	g := testGround(t)
	sink := p.Stats().SinkConnections
	for _, in := range suiteInputs {
		t.Run(in.name, func(t *testing.T) {
			vs := netguardtest.PageVectors(g, fmt.Sprintf("%s-%x", in.name, time.Now().UnixNano()))
			s := in.build(t, netguardtest.Page(vs))
			st := checkSuitePage(t, p, g, vs, s)
			t.Logf("%s: %d vectors %v, %d of which Chromium asks for (the rest are refused before any request); %d reached the browser past the snapshot sanitizer, %d stripped; %d requests reported blocked %v, %d of them no vector's; %d fetched (public test hosts); canary: %d connections, %d requests",
				in.name, len(vs), st.kinds, st.asks, st.present, len(vs)-st.present, st.blocked, st.reasons, st.unattributed, st.fetched, g.Canary().Conns(), g.Canary().Requests())
		})
	}
	g.AssertUntouched(t)
	// Chromium's own background services (component updates, time sync)
	// and prefetches, which Fetch interception never sees, end in the
	// proxy sink: none reaches the canary.
	t.Logf("proxy sink: %d connections during the suite", p.Stats().SinkConnections-sink)
}

type suiteStats struct {
	asks, present, blocked, unattributed, fetched int
	kinds, reasons                                map[string]int
}

// checkSuitePage renders s, a page of vs, and checks the suite's rules.
func checkSuitePage(t *testing.T, p *Pool, g *netguardtest.Ground, vs []netguardtest.Vector, s *snapshot.Snapshot) suiteStats {
	t.Helper()
	c := g.Canary()
	conns, reqs, stray := c.Conns(), c.Requests(), len(g.Stray())
	img, res := renderPNG(t, p, s)
	st := suiteStats{blocked: len(res.Blocked), fetched: res.Fetched, kinds: map[string]int{}, reasons: map[string]int{}}
	if len(res.Blocked) >= 200 {
		t.Errorf("the report holds %d blocked requests, its cap: entries may be missing", len(res.Blocked))
	}
	byID := map[string][]Blocked{}
	canaryHost := g.Canary().Addr()
	for _, b := range res.Blocked {
		st.reasons[b.Reason]++
		if b.Reason == "" {
			t.Errorf("blocked without a reason: %s", b.URL)
		}
		if u, err := url.Parse(b.URL); err == nil && u.Host == canaryHost && u.Path == netguardtest.RanPath {
			t.Errorf("a script ran: it asked for %s", b.URL)
		}
		id := vectorID.FindString(b.URL)
		if id == "" {
			st.unattributed++
			t.Logf("blocked, no vector: %s %.120s", b.Reason, b.URL)
			continue
		}
		byID[id] = append(byID[id], b)
	}
	doc := string(s.HTML)
	for _, v := range vs {
		st.kinds[v.Kind]++
		if v.Asks {
			st.asks++
		}
		// A vector whose ID survived the sanitizer still has its URL in the
		// document Chromium gets.
		present := strings.Contains(doc, v.ID)
		if present {
			st.present++
		}
		bs := byID[v.ID]
		if v.Asks && present && len(bs) == 0 && !v.MayPass {
			t.Errorf("%s %s (%s): Chromium asks for %.100s, but the report does not list it", v.ID, v.Name, v.Kind, v.URL)
		}
		for _, b := range bs {
			if !slices.Contains(v.Reasons, b.Reason) {
				t.Errorf("%s %s: %.100s reported %q, want one of %q", v.ID, v.Name, b.URL, b.Reason, v.Reasons)
			}
		}
	}
	// Below the vectors the page is white: a script that ran paints it red.
	for _, pt := range []image.Point{{10, netguardtest.ProbeTop + 10}, {400, 450}, {790, 590}, {10, 590}} {
		if c := img.At(pt.X, pt.Y); !near(c, 255, 255, 255) {
			t.Errorf("pixel %v is %v, want the page's white: a script ran or a vector painted outside its box", pt, c)
		}
	}
	if dc, dr := c.Conns()-conns, c.Requests()-reqs; dc != 0 || dr != 0 {
		t.Errorf("the canary saw %d connections and %d requests during this render, want none", dc, dr)
	}
	if s := g.Stray(); len(s) > stray {
		t.Errorf("stray dials during this render (not to a public test server): %q", s[stray:])
	}
	return st
}
