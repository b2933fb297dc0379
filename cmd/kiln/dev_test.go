package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/queue"
)

// startTestDev runs `kiln dev` in-process on a free loopback port with a
// folder store in a temporary directory and the embedded queue store.
func startTestDev(t *testing.T, chrome string, redisURL string) *devServer {
	t.Helper()
	t.Setenv("REDIS_URL", redisURL) // "": the embedded store, whatever the environment says
	e := serviceFlagSet("dev")
	f := addDevFlags(e)
	args := []string{"--port", "0", "--store", t.TempDir(), "--chrome", chrome, "--browsers", "1", "--log-level", "warn", "--log-format", "json"}
	if err := parseServiceFlags(e, args); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	d, err := startDev(ctx, e, f)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-d.done:
			if err != nil {
				t.Errorf("kiln dev: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("kiln dev did not stop within 30 s")
		}
	})
	return d
}

// With REDIS_URL, kiln dev queues in that Redis instead of its own.
func TestDevExternalRedis(t *testing.T) {
	chrome := testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	r := testenv.StartRedis(t)
	d := startTestDev(t, chrome, r.URL)
	var out bytes.Buffer
	if err := d.smoke(context.Background(), &out, []string{"../../testdata/corpus/html-email-leemunroe/snapshot.kiln.json.gz"}, time.Minute); err != nil {
		t.Fatalf("smoke: %v\n%s", err, out.String())
	}
	rdb, err := queue.NewRedisClient(queue.RedisConfig{URL: r.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	// The job went through this Redis: asynq's completed set holds it.
	n, err := rdb.ZCard(context.Background(), "asynq:{default}:completed").Result()
	if err != nil || n != 1 {
		t.Fatalf("completed tasks in the external Redis: %d, %v\n%s", n, err, out.String())
	}
}

func TestDev(t *testing.T) {
	chrome := testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	d := startTestDev(t, chrome, "")
	if !strings.HasPrefix(d.URL, "http://127.0.0.1:") || d.Key == "" || !d.Viewer {
		t.Fatalf("dev server %+v", d)
	}

	t.Run("Banner", func(t *testing.T) {
		var buf bytes.Buffer
		d.banner(&buf)
		out := buf.String()
		for _, want := range []string{d.URL + "/", "Authorization: Bearer " + d.Key, "--data-binary @" + sampleCurl, d.URL + "/v1/items"} {
			if !strings.Contains(out, want) {
				t.Errorf("banner lacks %q:\n%s", want, out)
			}
		}
		if _, err := os.Stat(filepath.Join("../..", sampleCurl)); err != nil {
			t.Errorf("the banner's sample: %v", err)
		}
	})

	// The viewer in a real browser: upload a Gleap payload through the
	// file input, wait for the screenshot job, check the image loaded and
	// the render report is shown.
	t.Run("Viewer", func(t *testing.T) {
		opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome), chromedp.WindowSize(1280, 1000))
		if os.Geteuid() == 0 {
			opts = append(opts, chromedp.NoSandbox)
		}
		actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
		defer acancel()
		bctx, bcancel := chromedp.NewContext(actx)
		defer bcancel()
		ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
		defer cancel()
		sample, err := filepath.Abs("../../" + sampleCurl)
		if err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx,
			chromedp.Navigate(d.URL+"/"),
			chromedp.WaitVisible("#submit-panel"), // the injected dev key was accepted
			chromedp.SetUploadFiles(`#file`, []string{sample}),
		); err != nil {
			t.Fatal(err)
		}
		project, err := chromedp.Run(ctx, chromedp.Text("#project"))
		if err != nil || project != "project dev" {
			t.Fatalf("project label %q, %v", project, err)
		}
		width, err := chromedp.Run(ctx, chromedp.Poll[int](`(() => {
			const img = document.querySelector('.job[data-state="done"] img.shot');
			return img && img.complete && img.naturalWidth > 0 ? img.naturalWidth : 0;
		})()`, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(60*time.Second)))
		if err != nil {
			errText, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('.error,.state')].map(e => e.textContent).join(" | ")`))
			t.Fatalf("no screenshot shown: %v (page says: %s)", err, errText)
		}
		// The Gleap sample is 1280x800 CSS px at DPR 2.
		if width != 2560 {
			t.Errorf("screenshot naturalWidth %d, want 2560", width)
		}
		report, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.job[data-state="done"] table.timings td:first-child')].map(td => td.textContent)`))
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []string{"load", "capture", "upload", "total (attempt)"} {
			found := false
			for _, r := range report {
				found = found || r == step
			}
			if !found {
				t.Errorf("render report lacks step %q: %q", step, report)
			}
		}
		thumb, err := chromedp.Run(ctx, chromedp.Poll[int](`(() => { const i = document.querySelector('.job[data-state="done"] img.thumb'); return i && i.complete ? i.naturalWidth : 0; })()`,
			chromedp.WithPollingTimeout(10*time.Second)))
		if err != nil || thumb != 320 {
			t.Errorf("thumbnail naturalWidth %d, %v; want 320 (?thumbWidth=320)", thumb, err)
		}
		// The item's replay job reaches a final state too.
		state, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => {
			const c = [...document.querySelectorAll('.job')].find(c => c.querySelector('.job-title').textContent.startsWith('Replay'));
			return c && (c.dataset.state === 'done' || c.dataset.state === 'failed') ? c.dataset.state : '';
		})()`, chromedp.WithPollingTimeout(60*time.Second)))
		if err != nil {
			t.Fatalf("replay job: %v", err)
		}
		if state != "done" {
			t.Errorf("replay job %s, want done", state)
		}
	})

	// kiln dev --smoke submits through the real API and checks results.
	t.Run("Smoke", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "broken.json")
		if err := os.WriteFile(bad, []byte(`{"version": 1, "html": 42}`), 0o644); err != nil {
			t.Fatal(err)
		}
		samples := []string{"../../testdata/corpus/bootstrap-pricing/snapshot.kiln.json.gz", "../../testdata/corpus/todomvc-react/snapshot.rrweb.json.gz"}
		var out bytes.Buffer
		if err := d.smoke(context.Background(), &out, samples, time.Minute); err != nil {
			t.Fatalf("smoke: %v\n%s", err, out.String())
		}
		ok := regexp.MustCompile(`(?m)^ok +screenshot +\S+ +1280x800 image/webp \d+ bytes`).FindAllString(out.String(), -1)
		if len(ok) != 2 || !strings.Contains(out.String(), "2 jobs from 2 samples") {
			t.Fatalf("smoke output:\n%s", out.String())
		}
		out.Reset()
		err := d.smoke(context.Background(), &out, append(samples[:1], bad), time.Minute)
		var ee exitError
		if !errors.As(err, &ee) || ee.code != 1 || !strings.Contains(out.String(), "FAIL") || !strings.Contains(out.String(), "broken.json") {
			t.Fatalf("smoke with a broken sample: %v\n%s", err, out.String())
		}
	})

	// A job's status carries the render report.
	t.Run("Report", func(t *testing.T) {
		// An image on a loopback address: the renderer refuses it.
		data := []byte(`{"version":1,"url":"https://shop.example.test/","viewport":{"width":400,"height":300},
			"html":"<html><body><h1>Report</h1><img src=\"http://127.0.0.1:1/a.png\"></body></html>"}`)
		id := d.postJob(t, "/v1/screenshots", data)
		var v struct {
			State    string
			Warnings []string
			Report   *struct {
				QueueWaitMs float64
				TotalMs     float64
				Steps       []struct {
					Name string
					Ms   float64
				}
				BlockedTotal int
				Blocked      []struct{ URL, Reason string }
			}
		}
		if err := d.get(context.Background(), http.DefaultClient, "/v1/jobs/"+id+"?wait=30s", &v); err != nil {
			t.Fatal(err)
		}
		if v.State != "done" || v.Report == nil {
			t.Fatalf("job %+v", v)
		}
		var names []string
		sum := 0.0
		for _, s := range v.Report.Steps {
			names = append(names, s.Name)
			sum += s.Ms
		}
		got := strings.Join(names, ",")
		if !strings.HasPrefix(got, "load_input,decode,tab_wait,load,") || !strings.HasSuffix(got, ",upload") || !strings.Contains(got, "capture") {
			t.Errorf("steps %s", got)
		}
		if v.Report.TotalMs <= 0 || sum > v.Report.TotalMs*1.01+1 {
			t.Errorf("total %.1f ms, steps add up to %.1f ms", v.Report.TotalMs, sum)
		}
		// The renderer refuses the page's requests to its original
		// (private) host and says so in a warning.
		want := fmt.Sprintf("blocked %d requests", v.Report.BlockedTotal)
		if v.Report.BlockedTotal != len(v.Report.Blocked) || v.Report.BlockedTotal == 0 || !slices.Contains(v.Warnings, want) {
			t.Errorf("blocked %d, listed %+v, warnings %q", v.Report.BlockedTotal, v.Report.Blocked, v.Warnings)
		}
	})

	// The API's /metrics shows the worker's metrics too in dev.
	t.Run("Metrics", func(t *testing.T) {
		resp, err := http.Get(d.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		m := string(b)
		for _, want := range []string{
			`kiln_jobs_processed_total{outcome="done",type="render:screenshot"}`,
			`kiln_job_step_seconds_count{step="capture",type="render:screenshot"}`,
			`kiln_job_step_seconds_count{step="queue_wait",type="render:screenshot"}`,
			`kiln_blocked_requests_total{reason=`,
			"kiln_browser_restarts_total 0",
			"kiln_browsers 1",
			`kiln_queue_size{queue="default"}`,
		} {
			if !strings.Contains(m, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
	})
}

// kiln dev's folder store gets a master key of its own, kept and reused.
func TestDevStoreKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kiln-data")
	keyFile := filepath.Join(dir, "store.key")
	none := func(string) string { return "" }
	if err := devStoreKey(dir, none); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(keyFile)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("store.key after the first run: %v, %v; want mode 0600", st, err)
	}
	first, _ := os.ReadFile(keyFile)
	if err := devStoreKey("file://"+dir, none); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(keyFile); !bytes.Equal(first, again) {
		t.Error("a second run replaced the key")
	}
	other := filepath.Join(t.TempDir(), "d")
	if err := devStoreKey(other, func(k string) string { return map[string]string{"KILN_STORE_KEY": "set"}[k] }); err != nil {
		t.Fatal(err)
	}
	if err := devStoreKey("s3://bucket/x", none); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(other); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("with KILN_STORE_KEY set, kiln dev wrote %s: %v", other, err)
	}
}
