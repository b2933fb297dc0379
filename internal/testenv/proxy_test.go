package testenv

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// A cut proxy refuses connections and closes open ones; restored, it
// forwards again on the same address.
func TestProxyCutRestore(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	defer srv.Close()
	p := StartProxy(t, srv.Listener.Addr().String())
	get := func() (string, error) {
		c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := c.Get("http://" + p.Addr + "/")
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}
	if b, err := get(); err != nil || b != "ok" {
		t.Fatalf("through the proxy: %q, %v", b, err)
	}
	p.Cut()
	if b, err := get(); err == nil {
		t.Fatalf("cut proxy answered %q", b)
	}
	if err := p.Restore(); err != nil {
		t.Fatal(err)
	}
	if b, err := get(); err != nil || b != "ok" {
		t.Fatalf("restored proxy: %q, %v", b, err)
	}
}
