package queue

import (
	"crypto/tls"
	"net/netip"
	"testing"
	"time"

	"github.com/hibiken/asynq"
)

func TestPublicAddr(t *testing.T) {
	for s, want := range map[string]bool{
		"127.0.0.1": false, "::1": false, "10.1.2.3": false, "192.168.0.1": false, "172.16.5.5": false,
		"169.254.169.254": false, "100.64.0.1": false, "0.0.0.0": false, "::ffff:127.0.0.1": false,
		"fd00::1": false, "fe80::1": false, "224.0.0.1": false, "255.255.255.255": false,
		"93.184.216.34": true, "2606:4700::1111": true, "8.8.8.8": true,
	} {
		if got := publicAddr(netip.MustParseAddr(s)); got != want {
			t.Errorf("publicAddr(%s) = %v, want %v", s, got, want)
		}
	}
}

func TestRetryDelay(t *testing.T) {
	c := DefaultConfig()
	c.RetryBase, c.RetryMax = time.Second, 10*time.Second
	for n, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second} {
		got := c.retryDelay(n, nil, nil)
		if got < want || got > want+want/5 {
			t.Errorf("retryDelay(%d) = %v, want %v..%v", n, got, want, want+want/5)
		}
	}
}

func insecureOpt(o asynq.RedisConnOpt) *tls.Config {
	switch v := o.(type) {
	case asynq.RedisClientOpt:
		return v.TLSConfig
	case asynq.RedisFailoverClientOpt:
		return v.TLSConfig
	case asynq.RedisClusterClientOpt:
		return v.TLSConfig
	}
	return nil
}
