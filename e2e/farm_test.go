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
	"slices"
	"strconv"
	"strings"
	"sync"
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
	testenv.StopS3()
	os.RemoveAll(dir)
	os.Exit(code)
}

// farm is a running `kiln api` and its `kiln worker` processes.
type farm struct {
	URL     string // the API's base URL
	Store   string // the folder store every process uses ("" for another store)
	Redis   *testenv.Redis
	API     *kilnProc
	Workers []*kilnProc
}

// farmOptions shape a farm; the zero value is startFarm's.
type farmOptions struct {
	// Workers is the number of `kiln worker` processes (0 means 1).
	Workers int
	// Redis is the server to use; nil: testenv.StartRedis.
	Redis *testenv.Redis
	// StoreEnv names the store (KILN_STORE and its settings); nil: a
	// fresh folder.
	StoreEnv []string
	// Env is added to every process's environment, WorkerEnv to the
	// workers' after it.
	Env, WorkerEnv []string
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
	return startFarmWith(t, farmOptions{Env: extra})
}

// startFarmWith starts the API and o.Workers workers, each worker with a
// TMPDIR of its own (where Chromium's temporary profiles go), and waits
// until the API is ready.
func startFarmWith(t testing.TB, o farmOptions) *farm {
	t.Helper()
	chrome := testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	f := &farm{Redis: o.Redis}
	if f.Redis == nil {
		f.Redis = testenv.StartRedis(t)
	}
	store := o.StoreEnv
	if store == nil {
		f.Store = t.TempDir()
		store = []string{"KILN_STORE=" + f.Store}
	}
	port := freePort(t)
	f.URL = "http://127.0.0.1:" + strconv.Itoa(port)
	env := append(os.Environ(), "REDIS_URL="+f.Redis.URL, "KILN_PUBLIC_URL="+f.URL,
		"KILN_API_KEYS=acme:"+keyAcme, "KILN_LOG_FORMAT=json", "KILN_LOG_LEVEL=warn",
		"KILN_CHROME_PATH="+chrome, "KILN_BROWSERS=1", "KILN_TASK_CHECK_INTERVAL=50ms")
	env = append(append(env, store...), o.Env...)
	logs := logDir(t)
	f.API = startProc(t, logs, "api", env, "api", "--port", strconv.Itoa(port))
	n := max(o.Workers, 1)
	for i := range n {
		tmp := filepath.Join(logs, fmt.Sprintf("worker%d-tmp", i))
		if err := os.Mkdir(tmp, 0o700); err != nil {
			t.Fatal(err)
		}
		wenv := append(append(slices.Clip(env), o.WorkerEnv...), "TMPDIR="+tmp)
		w := startProc(t, logs, fmt.Sprintf("worker%d", i), wenv, "worker")
		w.TmpDir = tmp
		f.Workers = append(f.Workers, w)
	}
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

// logDir is where a farm's processes log (and its workers' TMPDIRs are):
// a temporary directory, or with KILN_E2E_LOGS set, a directory named
// after the test under it, kept after the test for reading.
func logDir(t testing.TB) string {
	t.Helper()
	root := os.Getenv("KILN_E2E_LOGS")
	if root == "" {
		return t.TempDir()
	}
	dir, err := filepath.Abs(filepath.Join(root, strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())+"-"+time.Now().Format("20060102-150405")))
	if err == nil {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("farm logs in %s", dir)
	return dir
}

// kilnProc is one kiln process of a farm, in its own process group, which
// a test may kill and start again: each run logs to a file of its own
// (name.log, name.2.log, ...).
type kilnProc struct {
	Name   string
	TmpDir string // a worker's TMPDIR ("" for the API)

	t    testing.TB
	dir  string
	env  []string
	args []string

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
	logs []string
}

// startProc starts `kiln args...` and stops it (SIGTERM, then SIGKILL to
// its group after 30 s) when the test ends, printing the end of its logs
// if the test failed.
func startProc(t testing.TB, dir, name string, env []string, args ...string) *kilnProc {
	t.Helper()
	p := &kilnProc{Name: name, t: t, dir: dir, env: env, args: args}
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.Stop(30 * time.Second)
		if t.Failed() {
			for _, l := range p.Logs() {
				t.Logf("kiln %s log %s (last lines):\n%s", name, filepath.Base(l), tail(l, 40))
			}
		}
	})
	return p
}

// Start starts a new run of the process; it must not be running. Safe to
// call from any goroutine.
func (p *kilnProc) Start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done != nil {
		select {
		case <-p.done:
		default:
			return fmt.Errorf("kiln %s: already running", p.Name)
		}
	}
	name := p.Name + ".log"
	if len(p.logs) > 0 {
		name = fmt.Sprintf("%s.%d.log", p.Name, len(p.logs)+1)
	}
	log, err := os.Create(filepath.Join(p.dir, name))
	if err != nil {
		return err
	}
	cmd := exec.Command(kilnBin, p.args...)
	cmd.Env, cmd.Stdout, cmd.Stderr = p.env, log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		log.Close()
		return fmt.Errorf("start kiln %s: %w", p.Name, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); log.Close(); close(done) }()
	p.cmd, p.done = cmd, done
	p.logs = append(p.logs, log.Name())
	return nil
}

// PID is the running process's id (0 when it is not running).
func (p *kilnProc) PID() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.done:
		return 0
	default:
		return p.cmd.Process.Pid
	}
}

// Kill ends the process with SIGKILL (to it alone, as a crash would: what
// it started is left to its own devices) and waits until it is reaped.
func (p *kilnProc) Kill() {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	_ = cmd.Process.Kill()
	<-done
}

// Stop sends SIGTERM and waits up to grace, then SIGKILLs the process's
// group. It reports whether the process exited within grace.
func (p *kilnProc) Stop(grace time.Duration) bool {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	select {
	case <-done:
		return true
	default:
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
		return true
	case <-time.After(grace):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
		return false
	}
}

// Logs are the log files of every run so far, oldest first.
func (p *kilnProc) Logs() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.logs)
}

// tail returns the last n lines of a file.
func tail(path string, n int) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
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
