package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kilnrender/kiln/internal/testenv"
)

// Every subcommand: -h exits 0 with its one-line description and its
// flags, an unknown flag exits 2, and so does bad input (a setting, a
// missing argument, an input file Kiln cannot read).
func TestCommandLine(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"version":1,`), 0o600); err != nil {
		t.Fatal(err)
	}
	store := filepath.Join(dir, "store")
	badInput := map[string]struct {
		args []string
		env  map[string]string
	}{
		"render":      {args: []string{"-o", dir, bad}},
		"replay":      {args: []string{"-o", filepath.Join(dir, "bundle"), bad}},
		"api":         {args: []string{"--store", store}, env: map[string]string{"KILN_MAX_WAIT": "soon", "KILN_API_KEYS": "acme:0123456789abcdef"}},
		"worker":      {args: []string{"--max-retry", "0", "--store", store}},
		"dev":         {args: []string{"--max-wait", "10m", "--store", store}},
		"export":      {args: []string{"--store", store}},
		"delete":      {args: []string{"--project", "BAD NAME", "--store", store}},
		"settings":    {args: []string{"--project", "acme", "--set", bad, "--store", store}},
		"config":      {args: []string{"--markdown=false"}},
		"healthcheck": {env: map[string]string{"KILN_HEALTH_TIMEOUT": "soon"}},
	}
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
		t.Run(c.name, func(t *testing.T) {
			for _, h := range []string{"-h", "--help"} {
				out, code := runCaptured(t, c.name, h)
				if code != 0 {
					t.Errorf("kiln %s %s: exit %d\n%s", c.name, h, code, out)
				}
				first, _, _ := strings.Cut(out, "\n")
				if first != "kiln "+c.name+": "+c.short || strings.Contains(c.short, "\n") {
					t.Errorf("kiln %s %s: first line %q, want the one-line description", c.name, h, first)
				}
				if !strings.Contains(out, "usage: kiln "+c.name) || !strings.Contains(out, "\n  -") {
					t.Errorf("kiln %s %s: no synopsis or flags:\n%s", c.name, h, out)
				}
			}
			if out, code := runCaptured(t, c.name, "--no-such-flag"); code != 2 {
				t.Errorf("kiln %s --no-such-flag: exit %d, want 2\n%s", c.name, code, out)
			}
			tc, ok := badInput[c.name]
			if !ok {
				t.Fatalf("no bad-input case for kiln %s", c.name)
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			if out, code := runCaptured(t, append([]string{c.name}, tc.args...)...); code != 2 {
				t.Errorf("kiln %s %v: exit %d, want 2\n%s", c.name, tc.args, code, out)
			}
		})
	}
	if out, code := runCaptured(t, "help", "render"); code != 0 || !strings.HasPrefix(out, "kiln render: ") {
		t.Errorf("kiln help render: %d %q", code, out)
	}
	if out, code := runCaptured(t); code != 2 || !strings.Contains(out, "commands:") {
		t.Errorf("kiln: %d %q", code, out)
	}
	if out, code := runCaptured(t, "nosuch"); code != 2 {
		t.Errorf("kiln nosuch: %d %q", code, out)
	}
	for name := range badInput {
		if !slices.Contains(names, name) {
			t.Errorf("bad-input case for unknown command %s", name)
		}
	}
}

// kiln healthcheck exits 0 when the URL answers 200, 1 otherwise.
func TestHealthcheck(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	defer srv.Close()
	if out, code := runCaptured(t, "healthcheck", "--url", srv.URL+"/healthz"); code != 0 {
		t.Fatalf("healthy: exit %d %s", code, out)
	}
	status = http.StatusServiceUnavailable
	if out, code := runCaptured(t, "healthcheck", "--url", srv.URL+"/healthz"); code != 1 || !strings.Contains(out, "503") {
		t.Fatalf("unhealthy: exit %d %s", code, out)
	}
	u, _ := url.Parse(srv.URL)
	t.Setenv("PORT", u.Port())
	status = http.StatusOK
	if out, code := runCaptured(t, "healthcheck"); code != 0 {
		t.Fatalf("default URL on $PORT: exit %d %s", code, out)
	}
	srv.Close()
	if out, code := runCaptured(t, "healthcheck"); code != 1 {
		t.Fatalf("nothing listening: exit %d %s", code, out)
	}
}

// runCaptured runs kiln with args, returning what it wrote to stderr and
// its exit status.
func runCaptured(t *testing.T, args ...string) (string, int) {
	t.Helper()
	var buf bytes.Buffer
	prev := stderr
	stderr = &buf
	defer func() { stderr = prev }()
	code := run(args)
	return buf.String(), code
}

// Mask and block lists take one separator everywhere: ';'. A comma is
// CSS's own selector list and stays inside its entry.
func TestSplitSelectors(t *testing.T) {
	for in, want := range map[string][]string{
		".a;.b":                 {".a", ".b"},
		" .a ; ; #b ":           {".a", "#b"},
		".a, .b":                {".a, .b"},
		`[title="a,b"];input.x`: {`[title="a,b"]`, "input.x"},
		"":                      nil,
	} {
		if got := splitSelectors(in); !slices.Equal(got, want) {
			t.Errorf("splitSelectors(%q) = %q, want %q", in, got, want)
		}
	}
}

// kiln worker --metrics-addr serves /healthz (its container's health
// check) and /metrics with the Go runtime's and the process's metrics.
func TestWorkerHealthAndMetrics(t *testing.T) {
	chrome := testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	r := testenv.StartRedis(t)
	port, err := testenv.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runWorker(ctx, []string{"--redis-url", r.URL, "--store", t.TempDir(), "--chrome", chrome, "--browsers", "1",
			"--worker-concurrency", "1", "--metrics-addr", addr, "--log-level", "warn"})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("worker: %v", err)
		}
	}()
	var out string
	code := 1
	for range 200 {
		if out, code = runCaptured(t, "healthcheck", "--url", "http://"+addr+"/healthz", "--timeout", "1s"); code == 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code != 0 {
		t.Fatalf("worker health check: exit %d %s", code, out)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, want := range []string{"go_goroutines ", "process_resident_memory_bytes ", "kiln_queue_size{"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("worker /metrics lacks %s", want)
		}
	}
}
