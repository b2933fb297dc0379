package testenv

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// StartSentinel starts a Redis Sentinel (redis-server --sentinel) on a free
// loopback port, monitoring master under the name, and returns its
// host:port. It stops when the test ends.
func StartSentinel(t testing.TB, master *Redis, name string) string {
	t.Helper()
	bin := LookPath(t, "redis-server", "KILN_REDIS_SERVER")
	port, err := FreePort()
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	host, mport, err := net.SplitHostPort(master.Addr)
	if err != nil {
		t.Fatalf("master address: %v", err)
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "sentinel.conf")
	// Sentinel rewrites its configuration file: it must be writable.
	body := fmt.Sprintf("port %d\nbind 127.0.0.1\nprotected-mode no\ndir %s\nsentinel monitor %s %s %s 1\nsentinel down-after-milliseconds %s 5000\n",
		port, dir, name, host, mport, name)
	if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	done := startDaemon(t, filepath.Join(dir, "sentinel.log"), bin, conf, "--sentinel")
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if ping(addr) == nil {
			return addr
		}
		select {
		case <-done:
			b, _ := os.ReadFile(filepath.Join(dir, "sentinel.log"))
			t.Fatalf("sentinel exited: %s", b)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("sentinel on %s did not answer within 10s", addr)
	return ""
}

// startDaemon starts a server program in its own process group with its
// output in logPath, and stops it (SIGTERM, then SIGKILL after 5 s) when the
// test ends. The returned channel closes when the process exits.
func startDaemon(t testing.TB, logPath, bin string, args ...string) <-chan struct{} {
	t.Helper()
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		logf.Close()
		t.Fatalf("start %s: %v", filepath.Base(bin), err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); logf.Close(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	return done
}
