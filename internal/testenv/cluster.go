package testenv

import (
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// StartCluster starts a Redis Cluster of n masters (no replicas) on free
// loopback ports with redis-server and redis-cli, waits until it serves
// every slot, and returns the nodes' host:port. It stops when the test ends.
func StartCluster(t testing.TB, n int) []string {
	t.Helper()
	bin := LookPath(t, "redis-server", "KILN_REDIS_SERVER")
	cli := LookPath(t, "redis-cli", "")
	var addrs []string
	for i := 0; i < n; i++ {
		port, err := FreePort()
		if err != nil {
			t.Fatalf("free port: %v", err)
		}
		dir := t.TempDir()
		startDaemon(t, filepath.Join(dir, "redis.log"), bin, "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--dir", dir,
			"--cluster-enabled", "yes", "--cluster-config-file", filepath.Join(dir, "nodes.conf"),
			"--save", "", "--appendonly", "no", "--protected-mode", "no")
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		if !waitFor(10*time.Second, func() bool { return ping(addr) == nil }) {
			t.Fatalf("cluster node %s did not answer", addr)
		}
		addrs = append(addrs, addr)
	}
	args := append(append([]string{"--cluster", "create"}, addrs...), "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.Command(cli, args...).CombinedOutput(); err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	ok := waitFor(20*time.Second, func() bool {
		for _, a := range addrs {
			host, port, _ := net.SplitHostPort(a)
			out, err := exec.Command(cli, "-h", host, "-p", port, "cluster", "info").Output()
			if err != nil || !strings.Contains(string(out), "cluster_state:ok") {
				return false
			}
		}
		return true
	})
	if !ok {
		t.Fatal("the cluster did not reach cluster_state:ok")
	}
	return addrs
}

func waitFor(d time.Duration, f func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if f() {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}
