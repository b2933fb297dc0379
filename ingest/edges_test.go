package ingest_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// slowPost opens a raw connection to the API and sends a screenshot
// request whose body trickles in: one byte every gap until stop is closed.
// It returns the connection (to read the answer from).
func slowPost(t *testing.T, addr string, gap time.Duration, stop <-chan struct{}) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	fmt.Fprintf(c, "POST /v1/screenshots HTTP/1.1\r\nHost: kiln\r\nAuthorization: Bearer %s\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n", keyAcme)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(gap):
				if _, err := c.Write([]byte("x")); err != nil {
					return
				}
			}
		}
	}()
	return c
}

// answer reads one HTTP response from c (within 20 s: a hang fails).
func answer(t *testing.T, c net.Conn) (int, string) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(20 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	defer resp.Body.Close()
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	json.NewDecoder(resp.Body).Decode(&e)
	return resp.StatusCode, e.Error.Code
}

// A body sent a byte at a time is cut off once the grace passes: the
// connection does not stay open however long the client keeps trickling.
func TestSlowBodyCutOff(t *testing.T) {
	cfg := smallConfig()
	cfg.BodyGrace, cfg.MinBodyRate = time.Second, 1<<10
	e := newAPI(t, cfg, nil)
	stop := make(chan struct{})
	defer close(stop)
	c := slowPost(t, strings.TrimPrefix(e.srv.URL, "http://"), 200*time.Millisecond, stop)
	if st, code := answer(t, c); st != http.StatusRequestTimeout || code != "request_timeout" {
		t.Fatalf("slow body: %d %q, want 408 request_timeout", st, code)
	}
}

// One client may send only so many bodies at once; others are not
// affected, and the slots come back.
func TestUploadsPerClient(t *testing.T) {
	cfg := smallConfig()
	cfg.MaxUploadsPerClient = 2
	cfg.BodyGrace, cfg.MinBodyRate = 2*time.Second, 1<<10
	e := newAPI(t, cfg, nil)
	addr := strings.TrimPrefix(e.srv.URL, "http://")
	stop := make(chan struct{})
	a, b := slowPost(t, addr, 100*time.Millisecond, stop), slowPost(t, addr, 100*time.Millisecond, stop)
	time.Sleep(300 * time.Millisecond) // both bodies are being read
	st, m := e.post(t, "/v1/screenshots", []byte("<p>third</p>"), map[string]string{"Content-Type": "text/html"})
	if st != http.StatusTooManyRequests || m["error"].(map[string]any)["code"] != "too_many_uploads" {
		t.Fatalf("third upload from the same client: %d %v, want 429 too_many_uploads", st, m)
	}
	close(stop)
	answer(t, a)
	answer(t, b)
	if st, m := e.post(t, "/v1/screenshots", []byte("<p>later</p>"), map[string]string{"Content-Type": "text/html"}); st != http.StatusAccepted {
		t.Fatalf("upload after the others ended: %d %v", st, m)
	}
}

// Wrong methods and unknown paths answer in the API's JSON error format.
func TestMethodAndPathErrors(t *testing.T) {
	e := newAPI(t, smallConfig(), nil)
	defer e.checkDocumented(t)
	for _, tc := range []struct {
		method, path string
		status       int
		code, allow  string
	}{
		{"PUT", "/v1/jobs/abc", 405, "method_not_allowed", "GET, HEAD"},
		{"GET", "/v1/screenshots", 405, "method_not_allowed", "POST"},
		{"PATCH", "/v1/items/abc", 405, "method_not_allowed", "GET, DELETE, HEAD"},
		{"GET", "/v1/nope", 404, "not_found", ""},
	} {
		resp, b := e.do(t, req{method: tc.method, path: tc.path, key: keyAcme})
		var m struct {
			Error struct{ Code string } `json:"error"`
		}
		json.Unmarshal(b, &m)
		if resp.StatusCode != tc.status || m.Error.Code != tc.code || resp.Header.Get("Allow") != tc.allow ||
			!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s %s: %d %q Allow %q (%s), want %d %q Allow %q", tc.method, tc.path, resp.StatusCode, m.Error.Code,
				resp.Header.Get("Allow"), resp.Header.Get("Content-Type"), tc.status, tc.code, tc.allow)
		}
	}
}
