package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"io"
	"net/http"
	"os"
	"testing"

	"github.com/kilnrender/kiln/internal/imgcmp"
	"github.com/kilnrender/kiln/internal/testenv"
)

// POST /v1/render through kiln dev (the API, the queue and a worker with a
// real Chromium): the image that comes back is the page as Chromium drew it
// (SSIM against the truth screenshot, as the renderer's fidelity test
// checks it), the overrides change its size, and the request id reaches
// the job.
func TestRenderEndpoint(t *testing.T) {
	chrome := testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	d := startTestDev(t, chrome, "")
	const dir = "../../testdata/corpus/html-email-leemunroe/"
	body, err := os.ReadFile(dir + "snapshot.kiln.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	render := func(query, rid string) (*http.Response, []byte) {
		t.Helper()
		req, err := http.NewRequestWithContext(context.Background(), "POST", d.URL+"/v1/render"+query, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+d.Key)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Content-Encoding", "gzip")
		req.Header.Set("X-Request-Id", rid)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}

	resp, b := render("?format=png", "render-test-1")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("render: %d %s %.300s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	got, err := imgcmp.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	likeTruth(t, "POST /v1/render", got, dir+"truth.png")

	// Overrides: 800×600 CSS px at scale 2 is a 1600×1200 image.
	resp, b = render("?format=jpeg&width=800&height=600&dpr=2", "render-test-2")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("render with overrides: %d %.300s", resp.StatusCode, b)
	}
	img, err := imgcmp.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if sz := img.Bounds().Size(); sz.X != 1600 || sz.Y != 1200 {
		t.Fatalf("overridden render is %v, want 1600×1200", sz)
	}
	req, _ := http.NewRequest("GET", d.URL+"/v1/jobs/"+resp.Header.Get("Kiln-Job-Id"), nil)
	req.Header.Set("Authorization", "Bearer "+d.Key)
	jr, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer jr.Body.Close()
	var job struct{ State, RequestID string }
	if err := json.NewDecoder(jr.Body).Decode(&job); err != nil || job.State != "done" || job.RequestID != "render-test-2" {
		t.Fatalf("job %+v, %v", job, err)
	}
}

// likeTruth fails unless img is the truth screenshot at truthPath as the
// renderer's fidelity test measures it: the same size, SSIM >= 0.97.
func likeTruth(t *testing.T, what string, img image.Image, truthPath string) {
	t.Helper()
	truth, err := imgcmp.Load(truthPath)
	if err != nil {
		t.Fatal(err)
	}
	if img.Bounds().Size() != truth.Bounds().Size() {
		t.Fatalf("%s: image %v, truth %v", what, img.Bounds().Size(), truth.Bounds().Size())
	}
	ssim, err := imgcmp.SSIM(img, truth)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s vs %s: SSIM %.4f", what, truthPath, ssim)
	if ssim < 0.97 {
		t.Fatalf("%s: SSIM %.4f against the truth screenshot, want >= 0.97", what, ssim)
	}
}
