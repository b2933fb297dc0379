package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kilnrender/kiln/ingest"
	"github.com/kilnrender/kiln/queue"
)

// smokeJob is one job a smoke run follows.
type smokeJob struct {
	file string
	ref  ingest.JobRef
}

// smoke submits each sample through the API as a client would, waits for
// every job and prints one line per job. It fails when a sample is
// refused, a job fails, a result cannot be fetched, or the jobs are not
// done within timeout.
func (d *devServer) smoke(ctx context.Context, out io.Writer, patterns []string, timeout time.Duration) error {
	if d.Key == "" {
		return fmt.Errorf("%w: --smoke needs an API key: leave KILN_API_KEYS unset (the dev key) or give project:key in it", errUsage)
	}
	var files []string
	for _, p := range patterns {
		m, err := filepath.Glob(p)
		if err != nil {
			return fmt.Errorf("%w: --samples %q: %v", errUsage, p, err)
		}
		if len(m) == 0 {
			return fmt.Errorf("%w: --samples %q matches no file (run from the repository's root)", errUsage, p)
		}
		files = append(files, m...)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{Timeout: time.Minute}
	var jobs []smokeJob
	failed := 0
	for _, f := range files {
		refs, err := d.submit(ctx, client, f)
		if err != nil {
			failed++
			fmt.Fprintf(out, "FAIL  %-40s %v\n", f, err)
			continue
		}
		for _, r := range refs {
			jobs = append(jobs, smokeJob{f, r})
		}
	}
	start := time.Now()
	lines := make([]string, len(jobs))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			line, ok := d.follow(ctx, client, j)
			mu.Lock()
			defer mu.Unlock()
			lines[i] = line
			if !ok {
				failed++
			}
		}()
	}
	wg.Wait()
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Fprintln(out, l)
	}
	fmt.Fprintf(out, "%d jobs from %d samples in %s; %d failed\n", len(jobs), len(files), time.Since(start).Round(time.Millisecond), failed)
	if failed > 0 {
		return exitError{1}
	}
	return nil
}

// submit posts one sample to the endpoint its content calls for.
func (d *devServer) submit(ctx context.Context, client *http.Client, file string) ([]ingest.JobRef, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	plain, err := readInput(file) // inflated, for sniffing only
	if err != nil {
		return nil, err
	}
	path, ct := sampleEndpoint(plain)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL+path, bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+d.Key)
	req.Header.Set("Content-Type", ct)
	if len(raw) > 2 && raw[0] == 0x1f && raw[1] == 0x8b {
		req.Header.Set("Content-Encoding", "gzip")
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusAccepted && resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("POST %s: %s: %s", path, resp.Status, strings.TrimSpace(string(body)))
	}
	if path == "/v1/items" {
		var ir ingest.ItemRef
		if err := json.Unmarshal(body, &ir); err != nil {
			return nil, fmt.Errorf("POST %s: %w", path, err)
		}
		var refs []ingest.JobRef
		for _, r := range []*ingest.JobRef{ir.Screenshot, ir.Replay} {
			if r != nil {
				refs = append(refs, *r)
			}
		}
		return refs, nil
	}
	var r ingest.JobRef
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("POST %s: %w", path, err)
	}
	return []ingest.JobRef{r}, nil
}

// sampleEndpoint picks the route for an input, as the viewer does: a
// Gleap feedback body is an item, an rrweb recording (with incremental
// events) a replay, HTML and everything else a screenshot.
func sampleEndpoint(data []byte) (path, contentType string) {
	t := bytes.TrimSpace(data)
	if len(t) == 0 || t[0] == '<' {
		return "/v1/screenshots", "text/html"
	}
	var obj struct {
		ScreenshotData json.RawMessage   `json:"screenshotData"`
		WebReplay      json.RawMessage   `json:"webReplay"`
		Events         []json.RawMessage `json:"events"`
	}
	var events []json.RawMessage
	if t[0] == '{' {
		if json.Unmarshal(t, &obj) == nil && (len(obj.ScreenshotData) > 0 || len(obj.WebReplay) > 0) {
			return "/v1/items", "application/json"
		}
		events = obj.Events
	} else {
		_ = json.Unmarshal(t, &events)
	}
	for _, raw := range events {
		var ev struct {
			Type int `json:"type"`
		}
		if len(raw) > 0 && raw[0] == '"' || json.Unmarshal(raw, &ev) == nil && ev.Type == 3 {
			return "/v1/replays", "application/json"
		}
	}
	return "/v1/screenshots", "application/json"
}

// follow waits for one job and checks its results can be fetched.
func (d *devServer) follow(ctx context.Context, client *http.Client, j smokeJob) (string, bool) {
	kind := strings.TrimPrefix(j.ref.Type, "render:")
	line := func(status, msg string) string {
		return fmt.Sprintf("%-4s  %-10s %-48s %s", status, kind, j.file, msg)
	}
	for {
		var v ingest.JobView
		err := d.get(ctx, client, "/v1/jobs/"+j.ref.ID+"?wait=20s", &v)
		switch {
		case err != nil:
			return line("FAIL", err.Error()), false
		case v.Status == nil:
			return line("FAIL", "empty job status"), false
		case v.State == queue.StateFailed:
			return line("FAIL", v.Reason), false
		case v.State != queue.StateDone:
			continue
		}
		var parts []string
		for _, r := range v.Results {
			n, err := d.fetch(ctx, client, r.URL)
			if err != nil {
				return line("FAIL", r.Name+": "+err.Error()), false
			}
			if n != r.Size {
				return line("FAIL", fmt.Sprintf("%s: got %d bytes, the job says %d", r.Name, n, r.Size)), false
			}
			if r.Name == "image" {
				parts = append(parts, fmt.Sprintf("%dx%d %s %d bytes", r.Width, r.Height, r.ContentType, r.Size))
			}
		}
		if kind == "replay" {
			parts = append(parts, fmt.Sprintf("%d files", len(v.Results)))
		}
		if v.Report != nil {
			parts = append(parts, fmt.Sprintf("%.0f ms", v.Report.TotalMs))
		}
		if len(v.Warnings) > 0 {
			parts = append(parts, fmt.Sprintf("warnings: %s", strings.Join(v.Warnings, "; ")))
		}
		return line("ok", strings.Join(parts, ", ")), true
	}
}

func (d *devServer) get(ctx context.Context, client *http.Client, path string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.URL+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+d.Key)
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return errors.New("not done before --smoke-timeout")
		}
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// fetch downloads a result URL and returns its size.
func (d *devServer) fetch(ctx context.Context, client *http.Client, url string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept-Encoding", "identity") // count stored bytes, not inflated ones
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET result: %s", resp.Status)
	}
	return io.Copy(io.Discard, resp.Body)
}
