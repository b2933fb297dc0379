package renderer

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kilnrender/kiln/internal/imgcmp"
	"github.com/kilnrender/kiln/snapshot"
)

// A stage serves its files and nothing else: a red picture among its
// files loads and shows; pictures, sheets and fetches aimed at a loopback
// server and at a public name never leave Chromium (the stage's CSP stops
// them; the shared pool's fetcher is not used either), and a stage URL
// that is no file fails; an inline script in the document
// does not run, a script from the stage's files does; the capture is the
// viewport's size. The tab then renders a page as any other.
func TestStageServesItsFilesOnly(t *testing.T) {
	p := sharedPool(t)
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()

	var red bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 40, 40))
	for i := range img.Pix {
		img.Pix[i] = [4]byte{255, 0, 0, 255}[i%4]
	}
	if err := png.Encode(&red, img); err != nil {
		t.Fatal(err)
	}
	doc := `<style>body{margin:0;background:#fff}img{display:block}</style>
<img id=red src="red.png" width=40 height=40>
<img src="` + srv.URL + `/a.png"><link rel=stylesheet href="` + srv.URL + `/s.css">
<img src="https://example.com/b.png"><img src="missing.png">
<script>document.title = "inline ran"</script><script src="own.js"></script>`
	files := []snapshot.Resource{
		{URL: "red.png", ContentType: "image/png", Data: red.Bytes()},
		{URL: "own.js", ContentType: "text/javascript", Data: []byte(`document.documentElement.dataset.own = "ran"`)},
	}
	ctx := renderCtx(t)
	st, err := p.OpenStage(ctx, snapshot.Viewport{Width: 321, Height: 201}, doc, files)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	out, err := st.Eval(ctx, `(async () => {
	  await new Promise(ok => document.readyState === "complete" ? ok() : addEventListener("load", ok));
	  let fetched = "no";
	  try { await fetch("`+srv.URL+`/f"); fetched = "yes"; } catch (e) {}
	  const r = document.getElementById("red");
	  return {title: document.title, own: document.documentElement.dataset.own || "", red: r.naturalWidth, fetched};
	})()`)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Title, Own, Fetched string
		Red                 int
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if got.Title == "inline ran" || got.Own != "ran" || got.Red != 40 || got.Fetched != "no" {
		t.Errorf("stage page: %+v (want no inline script, own.js run, the 40 px file picture, no fetch)", got)
	}
	shot, err := st.Capture(ctx, FormatPNG, 0)
	if err != nil {
		t.Fatal(err)
	}
	pic, err := imgcmp.Decode(shot)
	if err != nil {
		t.Fatal(err)
	}
	if b := pic.Bounds(); b.Dx() != 321 || b.Dy() != 201 {
		t.Errorf("capture %v, want 321x201", b)
	}
	if r, g, b, _ := pic.At(20, 20).RGBA(); r>>8 < 250 || g>>8 > 5 || b>>8 > 5 {
		t.Errorf("pixel (20,20) = %v, want the red picture", pic.At(20, 20))
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the loopback server got %d requests", n)
	}
	var blocked []string
	for _, b := range st.Blocked() {
		blocked = append(blocked, b.URL+" "+b.Reason)
	}
	t.Logf("blocked: %v", blocked)
	// Outside URLs are stopped by the stage's CSP before interception;
	// a stage URL that is not a file is refused there.
	if j := strings.Join(blocked, "\n"); !strings.Contains(j, StageOrigin+"missing.png fetch-disabled") || strings.Contains(j, "example.com") {
		t.Errorf("blocked: %v, want the missing stage file refused, nothing else asked for", blocked)
	}
	st.Close()

	// The tab is back in the pool, and renders at a viewport of its own.
	s := testPage(`<body style="margin:0;background:rgb(0,0,255)">`)
	im, _ := renderPNG(t, p, s)
	if b := im.Bounds(); b.Dx() != 800 || b.Dy() != 600 {
		t.Errorf("render after a stage: %v, want 800x600", b)
	}
}
