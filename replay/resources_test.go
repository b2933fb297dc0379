package replay

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kilnrender/kiln/netguard"
	"github.com/kilnrender/kiln/snapshot"
)

const gleapLiveSite = "http://shop.example.test:8788/site/"

// kilnReplayJSON wraps a recording's events with the files of the Gleap
// test shop as resources (the host the recording was made on) and a
// density.
func kilnReplayJSON(t *testing.T, events json.RawMessage, viewport string) []byte {
	t.Helper()
	dir := filepath.Join("..", "testdata", "corpus", "gleap-live", "site")
	type resource struct {
		URL         string `json:"url"`
		ContentType string `json:"contentType"`
		Data        string `json:"data"`
	}
	var res []resource
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		ct := mime.TypeByExtension(filepath.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		res = append(res, resource{gleapLiveSite + filepath.ToSlash(rel), ct, base64.StdEncoding.EncodeToString(readFile(t, p))})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rb, _ := json.Marshal(res)
	return []byte(`{"version":1,"viewport":` + viewport + `,"resources":` + string(rb) + `,"events":` + string(events) + `}`)
}

// gleapLiveEvents is the (packed) events array of the Gleap test shop's
// webReplay.
func gleapLiveEvents(t *testing.T) json.RawMessage {
	t.Helper()
	var body struct {
		WebReplay struct {
			Events json.RawMessage `json:"events"`
		} `json:"webReplay"`
	}
	if err := json.Unmarshal(readTestdata(t, gleapLive), &body); err != nil {
		t.Fatal(err)
	}
	return body.WebReplay.Events
}

// countingFetcher records the URLs asset capture asked it for.
type countingFetcher struct {
	Fetcher
	asked sync.Map // URL -> true
}

func (c *countingFetcher) Fetch(ctx context.Context, u string) (string, []byte, error) {
	c.asked.Store(u, true)
	return c.Fetcher.Fetch(ctx, u)
}

func assetNames(man *Manifest) []string {
	var names []string
	for _, a := range man.Assets.Items {
		names = append(names, a.URL+" "+a.Name)
	}
	slices.Sort(names)
	return names
}

// Resources given with the recording are stored exactly as the same
// files fetched from the recorded host would be, are never fetched, and
// reach the pictures with the density the input gives.
func TestResourcesGivenWinOverFetching(t *testing.T) {
	input := kilnReplayJSON(t, gleapLiveEvents(t), `{"deviceScaleFactor":3,"mobile":true}`)

	// Fetched from the host, for comparison.
	srv := gleapSiteServer(t)
	b, _ := NewBuilder(Config{}, nil, httpFetcher{host: "shop.example.test:8788", srv: srv})
	fetched, err := b.Build(context.Background(), bytes.NewReader(readTestdata(t, gleapLive)), &memSink{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fetched.Assets.Items) < 3 {
		t.Fatalf("only %d assets fetched: %+v", len(fetched.Assets.Items), fetched.Assets)
	}

	// Given, with no fetcher at all.
	sh := &fakeShooter{}
	b, _ = NewBuilder(Config{KeyframeInterval: -1}, sh, nil)
	sink := &memSink{}
	given, err := b.Build(context.Background(), bytes.NewReader(input), sink)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := assetNames(given), assetNames(fetched); !slices.Equal(got, want) {
		t.Errorf("assets from resources:\n%q\nfetched:\n%q", got, want)
	}
	if given.Input.Format != string(snapshot.SourceKiln) {
		t.Errorf("format %q", given.Input.Format)
	}
	for _, a := range given.Assets.Items {
		if _, ok := sink.files["assets/"+a.Name]; !ok {
			t.Errorf("asset %s not stored", a.Name)
		}
	}

	// Given and a fetcher: the fetcher is asked for none of them.
	cf := &countingFetcher{Fetcher: httpFetcher{host: "shop.example.test:8788", srv: srv}}
	b, _ = NewBuilder(Config{}, nil, cf)
	if _, err := b.Build(context.Background(), bytes.NewReader(input), &memSink{}); err != nil {
		t.Fatal(err)
	}
	cf.asked.Range(func(u, _ any) bool {
		if strings.HasPrefix(u.(string), gleapLiveSite) {
			t.Errorf("fetched %s, which the input carries", u)
		}
		return true
	})

	// The poster's snapshot: the density given, and the assets its HTML
	// references as resources the renderer serves.
	if len(sh.snaps) == 0 {
		t.Fatal("no picture taken")
	}
	checkPictureSnapshot(t, sh.snaps[len(sh.snaps)-1], given, 3, true)

	// `kiln replay --at` takes the same path.
	m, _, err := b.StateAt(context.Background(), bytes.NewReader(input), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ToSnapshot(m)
	if err != nil {
		t.Fatal(err)
	}
	checkPictureSnapshot(t, s, given, 3, true)
}

// checkPictureSnapshot checks that a picture's snapshot has the density
// and serves, from its resources, the stored photo it shows.
func checkPictureSnapshot(t *testing.T, s *snapshot.Snapshot, man *Manifest, dpr float64, mobile bool) {
	t.Helper()
	if s.Viewport.DeviceScaleFactor != dpr || s.Viewport.Mobile != mobile {
		t.Errorf("picture viewport %+v, want DPR %g mobile %v", s.Viewport, dpr, mobile)
	}
	var photo Asset
	for _, a := range man.Assets.Items {
		if strings.HasSuffix(a.URL, "/img/photo.png") {
			photo = a
		}
	}
	want := readFile(t, filepath.Join("..", "testdata", "corpus", "gleap-live", "site", "img", "photo.png"))
	served := false
	for _, r := range s.Resources {
		if !strings.HasPrefix(r.URL, pictureAssetBase) || !bytes.Contains(s.HTML, []byte(r.URL)) {
			t.Errorf("resource %s is not one the picture references", r.URL)
		}
		if r.URL == pictureAssetBase+photo.Name && bytes.Equal(r.Data, want) {
			served = true
		}
	}
	if !served {
		t.Errorf("the photo is not among the picture's %d resources", len(s.Resources))
	}
	if bytes.Contains(s.HTML, []byte(assetScheme)) {
		t.Error("the picture's HTML still uses the asset scheme")
	}
}

// A Gleap body gives its replay's density (metaData.devicePixelRatio).
func TestGleapReplayDensity(t *testing.T) {
	sh := &fakeShooter{}
	b, _ := NewBuilder(Config{KeyframeInterval: -1}, sh, nil)
	if _, err := b.Build(context.Background(), bytes.NewReader(readTestdata(t, gleapLive)), &memSink{}); err != nil {
		t.Fatal(err)
	}
	if len(sh.snaps) == 0 || sh.snaps[0].Viewport.DeviceScaleFactor != 2 || sh.snaps[0].Viewport.Mobile {
		t.Fatalf("pictures %d, first viewport %+v; want DPR 2", len(sh.snaps), sh.snaps[0].Viewport)
	}
}

// An rrweb asset event (captureAssets) serves the URLs met after it;
// a recording without resources nor fetcher captures nothing, as before.
func TestAssetEventResources(t *testing.T) {
	png := readFile(t, filepath.Join("..", "testdata", "corpus", "gleap-live", "site", "img", "icon.png"))
	asset := `{"type":7,"timestamp":2,"data":{"url":"https://app.example/img/a.png","payload":{"rr_type":"Blob","type":"image/png","data":[{"rr_type":"ArrayBuffer","base64":"` + base64.StdEncoding.EncodeToString(png) + `"}]}}}`
	node := `{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"html","attributes":{},"childNodes":[{"type":2,"id":3,"tagName":"body","attributes":{},"childNodes":[` +
		`{"type":2,"id":4,"tagName":"img","attributes":{"src":"img/a.png"},"childNodes":[]},{"type":2,"id":5,"tagName":"img","attributes":{"src":"img/b.png"},"childNodes":[]}]}]}]}`
	rec := `[{"type":4,"timestamp":1,"data":{"href":"https://app.example/","width":400,"height":300}},` + asset +
		`,{"type":2,"timestamp":3,"data":{"node":` + node + `,"initialOffset":{"left":0,"top":0}}},{"type":3,"timestamp":900,"data":{"source":2,"type":2,"id":4}}]`
	b, _ := NewBuilder(Config{}, nil, nil)
	sink := &memSink{}
	man, err := b.Build(context.Background(), strings.NewReader(rec), sink)
	if err != nil {
		t.Fatal(err)
	}
	if len(man.Assets.Items) != 1 || man.Assets.Items[0].URL != "https://app.example/img/a.png" || !bytes.Equal(sink.files["assets/"+man.Assets.Items[0].Name].data, png) {
		t.Fatalf("assets %+v", man.Assets)
	}
	if len(man.Assets.Failed) != 0 {
		t.Errorf("failed %+v; b.png should be removed as before (asset capture off)", man.Assets.Failed)
	}
	removed := false
	for _, r := range man.Assets.Removed {
		removed = removed || r.URL == "https://app.example/img/b.png" && r.Reason == "asset capture off"
	}
	if !removed {
		t.Errorf("b.png not listed as removed: %+v", man.Assets.Removed)
	}
}

// gleapSiteServer serves the Gleap test shop's files as its host did.
func gleapSiteServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Join("..", "testdata", "corpus", "gleap-live"))))
	t.Cleanup(srv.Close)
	return srv
}

// A style sheet given as a resource is sanitized like a fetched one: its
// url()s and @imports go through asset capture (the resources, then the
// fetcher under the network policy), so a given sheet cannot make Kiln
// or a player reach an address the policy refuses.
func TestGivenStyleSheetUnderThePolicy(t *testing.T) {
	nf, err := netguard.NewFetcher(netguard.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nf.CloseIdleConnections)
	cf := &countingFetcher{Fetcher: netguardFetcher{nf}}
	css := `@import url(http://169.254.169.254/latest/meta-data/);body{background:url(http://10.0.0.7/x.png)}p{background:url(/ok.png)}`
	png := readFile(t, filepath.Join("..", "testdata", "corpus", "gleap-live", "site", "img", "icon.png"))
	res := `[{"url":"https://app.example/s.css","contentType":"text/css","data":"` + base64.StdEncoding.EncodeToString([]byte(css)) + `"},` +
		`{"url":"https://app.example/ok.png","contentType":"image/png","data":"` + base64.StdEncoding.EncodeToString(png) + `"}]`
	node := `{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"html","attributes":{},"childNodes":[{"type":2,"id":3,"tagName":"head","attributes":{},"childNodes":[` +
		`{"type":2,"id":4,"tagName":"link","attributes":{"rel":"stylesheet","href":"/s.css"},"childNodes":[]}]}]}]}`
	rec := `{"resources":` + res + `,"events":[{"type":4,"timestamp":1,"data":{"href":"https://app.example/","width":400,"height":300}},` +
		`{"type":2,"timestamp":2,"data":{"node":` + node + `,"initialOffset":{"left":0,"top":0}}}]}`
	b, _ := NewBuilder(Config{}, nil, cf)
	sink := &memSink{}
	man, err := b.Build(context.Background(), strings.NewReader(rec), sink)
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range sink.files {
		for _, needle := range []string{"169.254", "10.0.0.7"} {
			if name != "manifest.json" && bytes.Contains(f.data, []byte(needle)) {
				t.Errorf("%s holds %s", name, needle)
			}
		}
	}
	failed := map[string]bool{}
	for _, a := range man.Assets.Failed {
		failed[a.URL] = true
	}
	if !failed["http://169.254.169.254/latest/meta-data/"] || !failed["http://10.0.0.7/x.png"] {
		t.Errorf("refused URLs not listed as failed: %+v", man.Assets.Failed)
	}
	if _, ok := cf.asked.Load("https://app.example/ok.png"); ok || len(man.Assets.Items) != 2 {
		t.Errorf("the given image was fetched, or not stored: %+v", man.Assets.Items)
	}
}

// netguardFetcher is cmd/kiln's safeFetcher.
type netguardFetcher struct{ f *netguard.Fetcher }

func (n netguardFetcher) Fetch(ctx context.Context, u string) (string, []byte, error) {
	resp, err := n.f.Fetch(ctx, u, nil)
	if err != nil {
		return "", nil, err
	}
	return resp.ContentType, resp.Body, nil
}

// An <img> whose src is an SVG the recording supplies shows that SVG, not
// the bitmap the recorder drew of it (rr_dataURL), which a box of another
// shape stretches; one whose src is a supplied PNG keeps the recorder's
// picture.
func TestSuppliedSVGWinsOverRecordedBitmap(t *testing.T) {
	svg := `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 10"><rect width="40" height="10" fill="red"/></svg>`
	png := readFile(t, filepath.Join("..", "testdata", "corpus", "gleap-live", "site", "img", "icon.png"))
	res := `[{"url":"https://app.example/logo.svg","contentType":"image/svg+xml","data":"` + base64.StdEncoding.EncodeToString([]byte(svg)) + `"},` +
		`{"url":"https://app.example/icon.png","contentType":"image/png","data":"` + base64.StdEncoding.EncodeToString(png) + `"}]`
	bitmap := "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
	img := func(id int, src string) string {
		return fmt.Sprintf(`{"type":2,"id":%d,"tagName":"img","attributes":{"src":%q,"rr_dataURL":%q},"childNodes":[]}`, id, src, bitmap)
	}
	node := `{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"html","attributes":{},"childNodes":[{"type":2,"id":3,"tagName":"body","attributes":{},"childNodes":[` +
		img(4, "/logo.svg") + `,` + img(5, "icon.png") + `]}]}]}`
	rec := `{"resources":` + res + `,"events":[{"type":4,"timestamp":1,"data":{"href":"https://app.example/","width":400,"height":300}},` +
		`{"type":2,"timestamp":2,"data":{"node":` + node + `,"initialOffset":{"left":0,"top":0}}},` +
		`{"type":3,"timestamp":3,"data":{"source":0,"adds":[{"parentId":3,"nextId":null,"node":` + img(6, "logo.svg") + `}],"removes":[],"texts":[],"attributes":[]}}]}`
	m := finalState(t, rec)
	for _, tc := range []struct {
		id     int
		bitmap bool
	}{{4, false}, {5, true}, {6, false}} {
		n := m.Node(tc.id)
		if n == nil {
			t.Fatalf("node %d missing", tc.id)
		}
		_, has := n.Attributes["rr_dataURL"]
		if has != tc.bitmap || !m.isAssetRef(n.Attr("src")) {
			t.Errorf("img %d: rr_dataURL kept %v (want %v), src %.40q (want a stored asset)", tc.id, has, tc.bitmap, n.Attr("src"))
		}
	}
}

// rrweb resolves url() in style text itself and lets "../" climb past the
// root and take the host with it: url('../img/bg.png') in a page at
// /index.html is recorded as http://img/bg.png (and url('../../x.png') as
// http:/x.png; from a page one folder down, url(../../y.png) becomes
// http://y.png), where the browser loaded http://host/img/bg.png. When
// the recorded URL gives nothing, the one the page loaded is used if the
// input supplies it; a URL neither gives stays removed.
func TestURLPastTheRootOfTheOrigin(t *testing.T) {
	png := base64.StdEncoding.EncodeToString(readFile(t, filepath.Join("..", "testdata", "corpus", "gleap-live", "site", "img", "icon.png")))
	res := `[{"url":"https://app.example/img/bg.png","contentType":"image/png","data":"` + png + `"},` +
		`{"url":"https://app.example/x.png","contentType":"image/png","data":"` + png + `"},` +
		`{"url":"https://app.example/y.png","contentType":"image/png","data":"` + png + `"}]`
	div := func(id int, style string) string {
		return fmt.Sprintf(`{"type":2,"id":%d,"tagName":"div","attributes":{"style":%q},"childNodes":[]}`, id, style)
	}
	node := `{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"html","attributes":{},"childNodes":[{"type":2,"id":3,"tagName":"body","attributes":{},"childNodes":[` +
		div(4, "background-image: url('https://img/bg.png')") + `,` + div(5, "background: url(https:/x.png)") + `,` +
		div(6, "background: url(https://y.png)") + `,` + div(7, "background: url(https://img/missing.png)") + `]}]}]}`
	rec := `{"resources":` + res + `,"events":[{"type":4,"timestamp":1,"data":{"href":"https://app.example/index.html","width":400,"height":300}},` +
		`{"type":2,"timestamp":2,"data":{"node":` + node + `,"initialOffset":{"left":0,"top":0}}}]}`
	m := finalState(t, rec)
	for _, tc := range []struct {
		id    int
		asset bool
	}{{4, true}, {5, true}, {6, true}, {7, false}} {
		style := m.Node(tc.id).Attr("style")
		if got := strings.Contains(style, assetScheme); got != tc.asset {
			t.Errorf("div %d: style %q: a stored asset %v, want %v", tc.id, style, got, tc.asset)
		}
	}
}

// finalState is the mirror at the end of the Kiln replay JSON rec, with
// no fetcher.
func finalState(t *testing.T, rec string) *Mirror {
	t.Helper()
	b, _ := NewBuilder(Config{}, nil, nil)
	m, _, err := b.StateAt(context.Background(), strings.NewReader(rec), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// A phone shows a page wider than its screen at the screen's width, while
// rrweb records innerWidth, the page's width (466x1009 for a 390x844
// screen): given the screen, pictures are the phone's window; a window of
// another shape, or not mobile, stays as recorded.
func TestPhoneScreenGiven(t *testing.T) {
	for _, tc := range []struct {
		viewport, meta string
		w, h           int
	}{
		{`{"width":390,"height":844,"deviceScaleFactor":3,"mobile":true}`, `"width":466,"height":1009`, 390, 844},
		{`{"width":390,"height":844,"deviceScaleFactor":3,"mobile":true}`, `"width":1009,"height":466`, 844, 390}, // turned
		{`{"width":390,"height":844,"deviceScaleFactor":3,"mobile":true}`, `"width":390,"height":844`, 390, 844},
		{`{"width":390,"height":844,"deviceScaleFactor":3,"mobile":true}`, `"width":500,"height":700`, 500, 700},    // another shape
		{`{"width":390,"height":844,"deviceScaleFactor":3,"mobile":false}`, `"width":466,"height":1009`, 466, 1009}, // not a phone
	} {
		node := `{"type":0,"id":1,"childNodes":[{"type":2,"id":2,"tagName":"html","attributes":{},"childNodes":[]}]}`
		rec := `{"viewport":` + tc.viewport + `,"events":[{"type":4,"timestamp":1,"data":{"href":"https://app.example/",` + tc.meta + `}},` +
			`{"type":2,"timestamp":2,"data":{"node":` + node + `,"initialOffset":{"left":0,"top":0}}}]}`
		s, err := ToSnapshot(finalState(t, rec))
		if err != nil {
			t.Fatal(err)
		}
		if s.Viewport.Width != tc.w || s.Viewport.Height != tc.h {
			t.Errorf("viewport %s, meta %s: picture %dx%d, want %dx%d", tc.viewport, tc.meta, s.Viewport.Width, s.Viewport.Height, tc.w, tc.h)
		}
	}
}
