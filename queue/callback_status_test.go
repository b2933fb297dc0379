package queue_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kilnrender/kiln/netguard"
	"github.com/kilnrender/kiln/queue"
)

// waitCallback polls the job's status until its callback reaches state.
func (e *env) waitCallback(t *testing.T, id, state string) *queue.CallbackStatus {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var last *queue.CallbackStatus
	for time.Now().Before(deadline) {
		st, err := e.client.Status(context.Background(), "acme", id)
		if err != nil {
			t.Fatal(err)
		}
		if last = st.Callback; last != nil && last.State == state {
			return last
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("callback of %s never %s (last %+v)", id, state, last)
	return nil
}

// A failing endpoint shows in the job's status: retrying with the answer's
// status, then failed with a public reason; a working one, delivered.
func TestCallbackDeliveryInStatus(t *testing.T) {
	cfg := testConfig()
	cfg.MaxRetry = 1
	e := newEnv(t, cfg)
	var hits atomic.Int32
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer failing.Close()
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer ok.Close()
	e.startWorker(t, queue.Handlers{Renderer: &fakeRenderer{}})

	id := e.submit(t, "acme", `{"width":8,"height":8}`, nil, failing.URL+"/hook")
	if st := e.wait(t, "acme", id); st.State != queue.StateDone {
		t.Fatalf("job %+v", st)
	}
	cs := e.waitCallback(t, id, queue.CallbackRetrying)
	if cs.LastStatus != 500 || cs.Attempts != 1 || cs.Reason != "the callback endpoint answered HTTP 500" {
		t.Fatalf("retrying callback %+v", cs)
	}
	cs = e.waitCallback(t, id, queue.CallbackFailed)
	if cs.LastStatus != 500 || cs.Attempts != 2 || hits.Load() != 2 || !strings.Contains(cs.Reason, "HTTP 500") {
		t.Fatalf("failed callback %+v after %d requests", cs, hits.Load())
	}

	id = e.submit(t, "acme", `{"width":8,"height":8}`, nil, ok.URL+"/hook")
	e.wait(t, "acme", id)
	if cs := e.waitCallback(t, id, queue.CallbackDelivered); cs.Attempts != 1 || cs.Reason != "" || cs.LastStatus != 200 {
		t.Fatalf("delivered callback %+v", cs)
	}

	// A refused connection (a closed port) is a network fault, retried.
	closed := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	closedURL := closed.URL
	closed.Close()
	id = e.submit(t, "acme", `{"width":8,"height":8}`, nil, closedURL+"/hook")
	e.wait(t, "acme", id)
	if cs := e.waitCallback(t, id, queue.CallbackFailed); cs.LastStatus != 0 || cs.Attempts != 2 ||
		cs.Reason != "the callback endpoint could not be reached (network)" {
		t.Fatalf("refused callback %+v", cs)
	}
}

// CheckCallback applies the callbacks' network policy before a job is
// accepted, connecting to nothing.
func TestCheckCallback(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	e := envOn(t, queue.RedisConfig{URL: "redis://127.0.0.1:1"})
	for _, tc := range []struct {
		name    string
		policy  netguard.Policy
		private bool
		url     string
		refused bool
	}{
		{"loopback", netguard.Policy{}, false, srv.URL + "/hook", true},
		{"loopback spelled as a number", netguard.Policy{}, false, "http://2130706433/hook", true},
		{"metadata", netguard.Policy{AllowPrivate: true}, false, "http://169.254.169.254/latest", true},
		{"metadata name", netguard.Policy{}, false, "http://metadata.google.internal/", true},
		{"private", netguard.Policy{}, false, "http://10.1.2.3/hook", true},
		{"public address", netguard.Policy{}, false, "http://203.0.113.9/hook", false},
		{"denied public address", netguard.Policy{Deny: []string{"203.0.113.0/24"}}, false, "http://203.0.113.9/hook", true},
		{"denied name", netguard.Policy{Deny: []string{"*.example.com"}}, false, "https://hooks.example.com/h", true},
		{"allowed loopback", netguard.Policy{Allow: []string{"127.0.0.1"}}, false, srv.URL + "/hook", false},
		{"private callbacks admitted", netguard.Policy{}, true, srv.URL + "/hook", false},
		{"not http", netguard.Policy{}, true, "ftp://example.com/", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.AllowPrivateCallbacks = tc.private
			cfg.Network = netguard.Config{Policy: tc.policy}
			c := queue.NewClient(e.rdb, nil, cfg, nil)
			err := c.CheckCallback(context.Background(), tc.url)
			if refused := errors.Is(err, queue.ErrCallbackURL); refused != tc.refused {
				t.Fatalf("CheckCallback(%s) = %v, want refused=%v", tc.url, err, tc.refused)
			}
		})
	}
	if hits.Load() != 0 {
		t.Fatalf("CheckCallback connected %d times", hits.Load())
	}
}
