package queue

import (
	"crypto/tls"
	"testing"
	"time"

	"github.com/hibiken/asynq"
)

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
