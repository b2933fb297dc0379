package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/storage"
)

// buildKiln builds the binary once per test binary run.
func buildKiln(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "kiln")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestRenderCommandBatch runs `kiln render` over real inputs of every
// format plus broken ones: the good ones are rendered, each broken one gets
// a one-line error, and the exit status is 2.
func TestRenderCommandBatch(t *testing.T) {
	testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	bin := buildKiln(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "broken.json")
	os.WriteFile(bad, []byte(`{"url": "http://x/", "html": 42}`), 0o644)
	notSnap := filepath.Join(dir, "other.json")
	os.WriteFile(notSnap, []byte(`{"hello": "world"}`), 0o644)
	html := filepath.Join(dir, "page.html")
	os.WriteFile(html, []byte(`<!doctype html><h1>hello</h1>`), 0o644)
	out := filepath.Join(dir, "out")
	inputs := []string{
		"../../testdata/corpus/todomvc-react/snapshot.kiln.json.gz",
		"../../testdata/corpus/todomvc-react/snapshot.rrweb.json.gz",
		"../../testdata/corpus/gleap-local/feedback.json.gz",
		html, bad, notSnap,
	}
	cmd := exec.Command(bin, append([]string{"render", "-o", out, "--concurrency", "2"}, inputs...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Fatalf("exit: %v, want status 2; stderr:\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "broken.json") || !strings.Contains(lines[1], "other.json") {
		t.Fatalf("want one error line per bad input, got:\n%s", stderr.String())
	}
	for _, name := range []string{"todomvc-react-snapshot", "snapshot", "feedback", "page"} {
		var rep struct {
			Image    string             `json:"image"`
			Thumb    string             `json:"thumb"`
			Bytes    int                `json:"bytes"`
			Timings  map[string]float64 `json:"timingsMs"`
			Viewport struct{ Width int }
		}
		b, err := os.ReadFile(filepath.Join(out, name+".json"))
		if err != nil {
			entries, _ := os.ReadDir(out)
			t.Fatalf("report %s: %v (have %v)", name, err, entries)
		}
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatal(err)
		}
		img, err := os.ReadFile(filepath.Join(out, rep.Image))
		if err != nil || len(img) != rep.Bytes || string(img[8:12]) != "WEBP" {
			t.Fatalf("%s: image %s: %v (%d bytes, report says %d)", name, rep.Image, err, len(img), rep.Bytes)
		}
		if th, err := os.ReadFile(filepath.Join(out, rep.Thumb)); err != nil || th[0] != 0xff || th[1] != 0xd8 {
			t.Fatalf("%s: thumbnail %s: %v", name, rep.Thumb, err)
		}
		if rep.Timings["capture"] <= 0 || rep.Viewport.Width == 0 {
			t.Fatalf("%s: report lacks timings or viewport: %s", name, b)
		}
	}
}

// TestRenderCommandSingleFile renders one input to one PNG file.
func TestRenderCommandSingleFile(t *testing.T) {
	testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	bin := buildKiln(t)
	dir := t.TempDir()
	html := filepath.Join(dir, "page.html")
	os.WriteFile(html, []byte(`<!doctype html><body style="background:#00f">`), 0o644)
	out := filepath.Join(dir, "shot.png")
	cmd := exec.Command(bin, "render", "--out", out, "--width", "300", "--height", "200", "--dpr", "2", "--browsers", "1", html)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil || string(b[1:4]) != "PNG" {
		t.Fatalf("output: %v", err)
	}
	// PNG header: width and height, big-endian, at bytes 16..24.
	w := int(b[16])<<24 | int(b[17])<<16 | int(b[18])<<8 | int(b[19])
	h := int(b[20])<<24 | int(b[21])<<16 | int(b[22])<<8 | int(b[23])
	if w != 600 || h != 400 {
		t.Fatalf("image %dx%d, want 600x400", w, h)
	}
	// Usage errors exit 2.
	err = exec.Command(bin, "render", html).Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Fatalf("missing -o: %v, want exit 2", err)
	}
}

// TestRenderCommandStore stores renders with the documented key layout
// and an item record, which kiln export then lists.
func TestRenderCommandStore(t *testing.T) {
	testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	bin := buildKiln(t)
	dir := t.TempDir()
	html := filepath.Join(dir, "My Page.html")
	os.WriteFile(html, []byte(`<!doctype html><h1>stored</h1>`), 0o644)
	store := filepath.Join(dir, "store")
	cmd := exec.Command(bin, "render", "--store", "file://"+store, "--project", "acme", "--browsers", "1", html)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	st, err := storage.Open(context.Background(), "file://"+store, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	it, err := storage.GetItem(context.Background(), st, "acme", storage.KindScreenshot, "my-page")
	if err != nil {
		t.Fatalf("item record: %v", err)
	}
	k, _ := storage.ItemKeys("acme", storage.KindScreenshot, "my-page")
	want := []string{k.ShotImage("webp"), k.ShotRender(), k.ShotThumb()}
	if strings.Join(it.Objects, ",") != strings.Join(want, ",") || it.Status != storage.StatusDone {
		t.Fatalf("item %+v, want objects %v", it, want)
	}
	for _, key := range want {
		if o, err := st.Head(context.Background(), key); err != nil || o.Size == 0 {
			t.Errorf("%s: %v", key, err)
		}
	}
	out, err := exec.Command(bin, "export", "--store", "file://"+store, "--project", "acme").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "my-page") || !strings.Contains(string(out), "full.webp") {
		t.Fatalf("export does not list the render:\n%s", out)
	}
}
