package queue

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kilnrender/kiln/netguard"
	"github.com/kilnrender/kiln/netguard/netguardtest"
)

// The callbacks refuse every hostile spelling netguard's table lists, with
// the reason netguard gives, before any connection, and without retries.
func TestCallbackSpellings(t *testing.T) { netguardtest.RunSpellings(t, callbackVia) }

// The SSRF suite's URLs (every spelling, redirects from a public-looking
// host to forbidden targets, DNS rebinding between check and connect) on
// netguardtest's hostile network: refused, the canary untouched.
func TestCallbackSSRFSuite(t *testing.T) { netguardtest.RunURLVectors(t, callbackVia) }

// The operator's allowed and denied hosts and CIDRs reach the callbacks.
func TestCallbackPolicy(t *testing.T) {
	netguardtest.RunPolicy(t, callbackVia)
	cfg := DefaultConfig()
	cfg.Network = netguard.Config{Policy: netguard.Policy{Deny: []string{"not a host"}}}
	if err := cfg.Validate(); err == nil {
		t.Fatal("a bad callback policy passed Validate")
	}
}

// callbackVia delivers callbacks the way a worker whose network is nc
// does; an answer other than 200 is an error.
func callbackVia(t *testing.T, nc netguard.Config) func(string) error {
	cfg := DefaultConfig()
	cfg.Network = nc
	w := &Worker{cfg: cfg, cb: newCallbacker(cfg)}
	if w.cb.err != nil {
		t.Fatal(w.cb.err)
	}
	return func(url string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		status, err := w.cb.post(ctx, url, []byte("{}"), http.Header{})
		switch {
		case errors.Is(err, netguard.ErrBlocked) && !errors.Is(err, ErrCallbackURL):
			t.Errorf("POST %s: %v, want ErrCallbackURL (the task must not be retried)", url, err)
		case err == nil && status != http.StatusOK:
			return errors.New(http.StatusText(status))
		}
		return err
	}
}

func TestCheckCallbackURL(t *testing.T) {
	for _, u := range []string{"https://hooks.example.com/kiln?x=1", "http://1.2.3.4:8080/h", "HTTPS://Hooks.Example.com./k"} {
		if err := CheckCallbackURL(u); err != nil {
			t.Errorf("CheckCallbackURL(%q): %v", u, err)
		}
	}
	long := "https://hooks.example.com/" + strings.Repeat("a", 2048)
	for _, u := range []string{"ftp://x", "http://u:p@hooks.example.com/", "http://hooks.example.com:25/", long, "/relative"} {
		if err := CheckCallbackURL(u); !errors.Is(err, ErrCallbackURL) {
			t.Errorf("CheckCallbackURL(%.40q) = %v, want ErrCallbackURL", u, err)
		}
	}
}
