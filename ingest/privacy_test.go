package ingest_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/snapshot"
)

// corpusSecrets are values the real SDK payloads carry that must never be
// kept: the SDK key (a request header, and again in URL paths), the SDK's
// identity headers, the password typed into the shop's form, the value
// of a field the page marked rr-ignore, and, in the recording (inside
// packed events), the card number typed into the rr-mask field and the
// IBAN typed into the gleap-ignore="value" one.
var corpusSecrets = []string{"TESTSDKKEY123", "gid_test_0001", "ghash_test_0001", "hunter2-secret", "ignored value",
	"4242 4242 4242 4242", "DE89370400440532013000"}

// readable is b as a search for secrets must see it: inflated when it is
// gzip (segments, stored recordings), and followed by every event it
// holds as plain JSON when it is a recording or a Gleap body (packed
// events hide their text from a plain search).
func readable(b []byte) []byte {
	if len(b) > 2 && b[0] == 0x1f && b[1] == 0x8b {
		if zr, err := gzip.NewReader(bytes.NewReader(b)); err == nil {
			if in, err := io.ReadAll(zr); err == nil {
				b = in
			}
		}
	}
	out := bytes.Clone(b)
	dec := snapshot.NewEventDecoder(bytes.NewReader(b), snapshot.Limits{})
	for {
		ev, err := dec.Next()
		if err != nil {
			break
		}
		out = ev.AppendJSON(append(out, '\n'))
	}
	return out
}

// The corpus payloads go through the whole API and worker path; afterwards
// no secret is in any stored object (inputs, records, timelines, results),
// any Redis key or value, any log line, or any webhook body.
func TestCorpusSecretsNeverKept(t *testing.T) {
	cfg := smallConfig()
	cfg.ProjectCap = 0
	e := newAPI(t, cfg, nil, privateCallbacks)
	e.qcfg.AllowPrivateCallbacks = true // the webhook receiver is on loopback
	var (
		mu     sync.Mutex
		hooks  [][]byte
		hooked = make(chan struct{}, 16)
	)
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		hooks = append(hooks, b)
		mu.Unlock()
		hooked <- struct{}{}
	}))
	defer cb.Close()
	e.startWorker(t, &stubRenderer{})
	jobs := 0
	for _, fixture := range []string{"../testdata/corpus/gleap-local/feedback.json.gz", "../testdata/corpus/gleap-live/feedback.json.gz"} {
		body := readFixture(t, fixture)
		st, m := e.post(t, "/v1/items?callbackUrl="+cb.URL+"/hook", body, nil)
		if st != 202 {
			t.Fatalf("%s: %d %v", fixture, st, m)
		}
		for _, part := range []string{"screenshot", "replay"} {
			e.job(t, m[part].(map[string]any)["id"].(string), "5s")
			jobs++
		}
		// The raw bodies do hold the secrets: the test would prove nothing
		// otherwise.
		for _, s := range corpusSecrets {
			if !bytes.Contains(readable(body), []byte(s)) {
				t.Fatalf("%s does not contain %q", fixture, s)
			}
		}
	}
	for i := 0; i < jobs; i++ {
		select {
		case <-hooked:
		case <-time.After(10 * time.Second):
			t.Fatalf("%d of %d webhooks delivered", i, jobs)
		}
	}
	stored := e.allStored(t, "")
	if len(stored) < 10 {
		t.Fatalf("only %d objects stored", len(stored))
	}
	redisAll := e.redisValues(t)
	mu.Lock()
	webhooks := bytes.Join(hooks, []byte("\n"))
	mu.Unlock()
	for _, s := range corpusSecrets {
		for k, v := range stored {
			if bytes.Contains(readable(v), []byte(s)) {
				t.Errorf("%q stored in %s", s, k)
			}
		}
		if bytes.Contains(redisAll, []byte(s)) {
			t.Errorf("%q in Redis", s)
		}
		if bytes.Contains(e.logs.Bytes(), []byte(s)) {
			t.Errorf("%q in a log line", s)
		}
		if bytes.Contains(webhooks, []byte(s)) {
			t.Errorf("%q in a webhook body", s)
		}
	}
	t.Logf("%d objects, %d bytes of Redis, %d bytes of logs, %d webhooks: no secret", len(stored), len(redisAll), len(e.logs.Bytes()), len(hooks))
}

func readFixture(t *testing.T, path string) []byte {
	t.Helper()
	return testenv.ReadFixture(t, path)
}

// redisValues concatenates every key and value in Redis, for grepping.
func (e *apiEnv) redisValues(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	for k, vals := range e.redisDump(t) {
		b.WriteString(k + "\n")
		for _, v := range vals {
			b.WriteString(v + "\n")
		}
	}
	return b.Bytes()
}
