package testenv

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is a redis-server for one test: either a process the test started
// (on a free loopback port, with an append-only file in a temporary
// directory so that a restart keeps what was written), or the server at
// REDIS_URL when that is set.
type Redis struct {
	// URL is a redis:// URL for the server.
	URL string
	// Addr is host:port.
	Addr string

	t    testing.TB
	bin  string
	dir  string
	port int
	cmd  *exec.Cmd
	done chan struct{}
}

// StartRedis gives the test a Redis: the one at REDIS_URL when set (its
// database is flushed first, so point REDIS_URL at a scratch server), or a
// redis-server started for the test and stopped by its PID at cleanup.
func StartRedis(t testing.TB) *Redis {
	t.Helper()
	if u := os.Getenv("REDIS_URL"); u != "" {
		r := &Redis{URL: u, t: t}
		if err := flushURL(u); err != nil {
			t.Fatalf("flush REDIS_URL: %v", err)
		}
		return r
	}
	return StartRedisServer(t)
}

// StartRedisServer always starts a redis-server process (never REDIS_URL):
// fault tests that stop and restart Redis need one they own.
func StartRedisServer(t testing.TB) *Redis {
	t.Helper()
	bin := LookPath(t, "redis-server", "KILN_REDIS_SERVER")
	port, err := FreePort()
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	r := &Redis{
		t:    t,
		bin:  bin,
		dir:  t.TempDir(),
		port: port,
		Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
	}
	r.URL = "redis://" + r.Addr + "/0"
	if err := r.start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	t.Cleanup(func() { r.Stop() })
	return r
}

// FreePort returns a TCP port that was free on 127.0.0.1 a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (r *Redis) start() error {
	cmd := exec.Command(r.bin,
		"--bind", "127.0.0.1",
		"--port", strconv.Itoa(r.port),
		"--dir", r.dir,
		"--appendonly", "yes",
		"--appendfsync", "always",
		"--save", "",
		"--protected-mode", "no",
	)
	cmd.Stdout = nil
	logf, err := os.Create(filepath.Join(r.dir, "redis.log"))
	if err != nil {
		return err
	}
	cmd.Stdout = logf
	cmd.Stderr = logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return err
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); logf.Close(); close(done) }()
	r.cmd, r.done = cmd, done
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if ping(r.Addr) == nil {
			return nil
		}
		select {
		case <-done:
			b, _ := os.ReadFile(filepath.Join(r.dir, "redis.log"))
			return fmt.Errorf("redis-server exited: %s", b)
		case <-time.After(20 * time.Millisecond):
		}
	}
	r.Stop()
	return fmt.Errorf("redis-server on %s did not answer within 10s", r.Addr)
}

// Stop ends the redis-server the test started (SIGTERM to its PID, then
// SIGKILL after 5 s). It does nothing for REDIS_URL.
func (r *Redis) Stop() {
	if !r.running() {
		return
	}
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.done:
	case <-time.After(5 * time.Second):
		_ = r.cmd.Process.Kill()
		<-r.done
	}
}

// Restart stops the server and starts it again on the same port and data
// directory: data written before the stop is still there afterwards.
func (r *Redis) Restart() {
	r.t.Helper()
	if r.bin == "" {
		r.t.Fatalf("Restart needs a server started by StartRedisServer")
	}
	r.Stop()
	if err := r.start(); err != nil {
		r.t.Fatalf("restart redis-server: %v", err)
	}
}

// Down stops the server until Up is called.
func (r *Redis) Down() { r.Stop() }

// Crash ends the server the test started with SIGKILL, as a power cut
// would: no shutdown save, only what the append-only file holds (with
// appendfsync always, every acknowledged write) is there after Up or
// Start. It does nothing for REDIS_URL.
func (r *Redis) Crash() {
	if !r.running() {
		return
	}
	_ = r.cmd.Process.Kill()
	<-r.done
}

// running reports whether the server the test started is up.
func (r *Redis) running() bool {
	if r.cmd == nil || r.cmd.Process == nil {
		return false
	}
	select {
	case <-r.done:
		return false
	default:
		return true
	}
}

// Start starts a server stopped by Down or Crash again on its port and
// data directory. Unlike Up it reports a failure instead of failing the
// test, so a goroutine other than the test's may call it.
func (r *Redis) Start() error {
	if r.bin == "" {
		return fmt.Errorf("start redis-server: needs a server started by StartRedisServer")
	}
	return r.start()
}

// AppendOnly reports the server's appendonly and appendfsync settings
// (CONFIG GET), for tests whose claims rest on the append-only file.
func (r *Redis) AppendOnly(ctx context.Context) (appendonly, fsync string, err error) {
	opt, err := redis.ParseURL(r.URL)
	if err != nil {
		return "", "", err
	}
	c := redis.NewClient(opt)
	defer c.Close()
	for _, kv := range []struct {
		name string
		out  *string
	}{{"appendonly", &appendonly}, {"appendfsync", &fsync}} {
		m, err := c.ConfigGet(ctx, kv.name).Result()
		if err != nil {
			return "", "", err
		}
		*kv.out = m[kv.name]
	}
	return appendonly, fsync, nil
}

// Up starts a server stopped by Down.
func (r *Redis) Up() {
	r.t.Helper()
	if err := r.start(); err != nil {
		r.t.Fatalf("start redis-server: %v", err)
	}
}

// ping sends a PING over RESP and expects +PONG.
func ping(addr string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if line != "+PONG\r\n" {
		return fmt.Errorf("unexpected reply %q", line)
	}
	return nil
}

// flushURL runs FLUSHDB on the server at a redis:// URL, using the
// go-redis client the project already depends on.
func flushURL(u string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return flushDB(ctx, u)
}

func flushDB(ctx context.Context, u string) error {
	opt, err := redis.ParseURL(u)
	if err != nil {
		return err
	}
	c := redis.NewClient(opt)
	defer c.Close()
	return c.FlushDB(ctx).Err()
}
