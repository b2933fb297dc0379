// Package e2e tests Kiln as it is deployed: the kiln binary's `api` and
// `worker` processes on a real redis-server, a folder store, and Chromium,
// driven only through the HTTP API (and, for the viewer, a real browser).
// The packages' own tests run without these: the API's start no Chromium.
package e2e

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/kilnrender/kiln/internal/testenv"
)

const keyAcme = "acme-key-0123456789"

var kilnBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "kiln-e2e-")
	if err != nil {
		panic(err)
	}
	kilnBin = filepath.Join(dir, "kiln")
	build := exec.Command("go", "build", "-o", kilnBin, "../cmd/kiln")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: build kiln:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// farm is a running `kiln api` and `kiln worker` pair.
type farm struct {
	URL   string // the API's base URL
	Store string // the folder store both processes use
	Redis *testenv.Redis
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startFarm starts the API and one worker (one browser) on a fresh Redis
// and folder store, and waits until the API is ready. extra is added to
// both processes' environment.
func startFarm(t testing.TB, extra ...string) *farm {
	t.Helper()
	chrome := testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	f := &farm{Store: t.TempDir(), Redis: testenv.StartRedis(t)}
	port := freePort(t)
	f.URL = "http://127.0.0.1:" + strconv.Itoa(port)
	env := append(os.Environ(), "REDIS_URL="+f.Redis.URL, "KILN_STORE="+f.Store, "KILN_PUBLIC_URL="+f.URL,
		"KILN_API_KEYS=acme:"+keyAcme, "KILN_LOG_FORMAT=json", "KILN_LOG_LEVEL=warn",
		"KILN_CHROME_PATH="+chrome, "KILN_BROWSERS=1", "KILN_TASK_CHECK_INTERVAL=50ms")
	env = append(env, extra...)
	logs := t.TempDir()
	start := func(name string, args ...string) {
		log, err := os.Create(filepath.Join(logs, name+".log"))
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(kilnBin, args...)
		cmd.Env, cmd.Stdout, cmd.Stderr = env, log, log
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				<-done
			}
			log.Close()
			if t.Failed() {
				b, _ := os.ReadFile(log.Name())
				t.Logf("kiln %s log:\n%s", name, b)
			}
		})
	}
	start("api", "api", "--port", strconv.Itoa(port))
	start("worker", "worker")
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(f.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return f
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("kiln api not ready after 30 s: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// do sends one API request with the acme key; hdr may carry
// Content-Encoding and other headers.
func (f *farm) do(t testing.TB, method, path string, body []byte, hdr map[string]string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, f.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+keyAcme)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// job long-polls a job until it is done or failed (or wait passes).
func (f *farm) job(t testing.TB, id string, wait time.Duration) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait+10*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		st, b := f.do(t, "GET", "/v1/jobs/"+id+"?wait=20s", nil, nil)
		if st != 200 {
			t.Fatalf("GET job %s: %d %s", id, st, b)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if s := m["state"]; s == "done" || s == "failed" {
			return m
		}
	}
	t.Fatalf("job %s not finished after %v", id, wait)
	return nil
}

func fixture(t testing.TB, path string) []byte {
	t.Helper()
	return testenv.ReadFixture(t, filepath.Join("..", "testdata", path))
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func field(t testing.TB, b []byte, name string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	s, _ := m[name].(string)
	return s
}
