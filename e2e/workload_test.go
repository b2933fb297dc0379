package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/kilnrender/kiln/internal/testenv"
)

// What the chaos and soak tests share: a farm on an S3 store, a plan of
// submissions, clients that push them through the API as a real client
// would (retrying refusals with the same Idempotency-Key), a monitor of
// the queue's progress, and readers of the workers' logs and the bucket.

// s3Farm starts a farm whose store is a fresh bucket on the test S3
// server, reached through a proxy the test can cut.
func s3Farm(t *testing.T, o farmOptions) (*farm, testenv.S3Server, *testenv.Proxy) {
	t.Helper()
	testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	srv := testenv.S3(t)
	proxy := testenv.StartProxy(t, strings.TrimPrefix(srv.Endpoint, "http://"))
	o.StoreEnv = []string{
		"KILN_STORE=s3://" + srv.Bucket + "/" + strings.TrimSuffix(srv.Prefix, "/"),
		"KILN_S3_ENDPOINT=http://" + proxy.Addr,
		"KILN_S3_PATH_STYLE=true",
		"KILN_S3_REGION=" + srv.Region,
		"KILN_S3_ACCESS_KEY_ID=" + srv.AccessKey,
		"KILN_S3_SECRET_ACCESS_KEY=" + srv.SecretKey,
	}
	return startFarmWith(t, o), srv, proxy
}

// envInt reads a positive integer from the environment, def when unset.
func envInt(t testing.TB, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive integer", name, v)
	}
	return n
}

// Kinds of submission.
const (
	kindShot      = "screenshot"
	kindReplay    = "replay"
	kindBadReplay = "bad-replay" // a recording the API refuses with 422 (no Meta and FullSnapshot): no job
)

// submission is one request of the plan. Sent more than once (a repeat),
// it carries the same Idempotency-Key and body each time.
type submission struct {
	Key   string
	Kind  string
	Path  string
	Body  []byte
	Hdr   map[string]string
	Thumb bool // a thumbnail was asked for
}

// inputs are the request bodies the plan draws from.
type inputs struct {
	email, todo []byte // gzip screenshot bodies
	replay      []byte
	badReplay   []byte
}

func loadInputs(t testing.TB) inputs {
	return inputs{
		email:     gz(fixture(t, "corpus/html-email-leemunroe/snapshot.kiln.json.gz")),
		todo:      gz(fixture(t, "corpus/todomvc-react/snapshot.kiln.json.gz")),
		replay:    fixture(t, "replay/todomvc-react.rrweb.json"),
		badReplay: []byte(`[{"type":4,"data":{"href":"https://example.com/","width":800,"height":600},"timestamp":1700000000000}]`),
	}
}

// plan makes n submissions: one in replayEvery a replay, one in
// badEvery a recording the API refuses, the rest screenshots of
// two small corpus pages.
func (in inputs) plan(run string, n, replayEvery, badEvery int) []submission {
	out := make([]submission, 0, n)
	for i := range n {
		s := submission{Key: fmt.Sprintf("%s-%04d", run, i)}
		switch {
		case badEvery > 0 && i%badEvery == badEvery-1:
			s.Kind, s.Path, s.Body = kindBadReplay, "/v1/replays", in.badReplay
		case replayEvery > 0 && i%replayEvery == replayEvery/2:
			s.Kind, s.Path, s.Body = kindReplay, "/v1/replays", in.replay
		case i%2 == 0:
			s.Kind, s.Path, s.Body, s.Thumb = kindShot, "/v1/screenshots?thumbWidth=160", in.email, true
			s.Hdr = map[string]string{"Content-Encoding": "gzip"}
		default:
			s.Kind, s.Path, s.Body = kindShot, "/v1/screenshots?format=png", in.todo
			s.Hdr = map[string]string{"Content-Encoding": "gzip"}
		}
		out = append(out, s)
	}
	return out
}

// answer is what the API said to one sending of a submission.
type answer struct {
	Status int
	ID     string
	Err    string // transport error
	At     time.Time
}

// ledger records every answer, by submission key.
type ledger struct {
	mu      sync.Mutex
	answers map[string][]answer
	subs    map[string]submission
	refused map[string]int // by status ("503", "429", "transport")
	sent    int
}

func newLedger() *ledger {
	return &ledger{answers: map[string][]answer{}, subs: map[string]submission{}, refused: map[string]int{}}
}

func (l *ledger) add(s submission, a answer) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sent++
	l.subs[s.Key] = s
	l.answers[s.Key] = append(l.answers[s.Key], a)
	switch {
	case a.Err != "":
		l.refused["transport"]++
	case a.Status >= 500 || a.Status == 429:
		l.refused[strconv.Itoa(a.Status)]++
	}
}

// accepted is every job a client was given an id for, by id, with the
// submission it came from.
func (l *ledger) accepted() map[string]submission {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]submission{}
	for k, as := range l.answers {
		for _, a := range as {
			if a.ID != "" {
				out[a.ID] = l.subs[k]
			}
		}
	}
	return out
}

// client sends submissions to the API as a careful client would.
type client struct {
	f    *farm
	http *http.Client
	l    *ledger
}

func newClient(f *farm, l *ledger) *client {
	return &client{f: f, l: l, http: &http.Client{Timeout: 60 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 16}}}
}

// send posts s until the API gives it an id (202, or 200 for a key it
// knows), retrying a 503 or 429 after its Retry-After (5 s), and a
// transport error or another 5xx after a second (safe with an
// Idempotency-Key; the ledger counts them and the tests tell a 5xx other
// than 503 for the fault it is), until ctx ends. Any other status is
// returned as an error: the plan holds only valid requests, and bad
// recordings, whose one right answer is 422.
func (c *client) send(ctx context.Context, s submission) error {
	for ctx.Err() == nil {
		a := c.post(ctx, s)
		c.l.add(s, a)
		switch {
		case s.Kind == kindBadReplay && a.Status == http.StatusUnprocessableEntity:
			return nil // refused at the door, as it must be
		case a.Status == http.StatusAccepted || a.Status == http.StatusOK:
			if a.ID == "" {
				return fmt.Errorf("%s: %d without an id", s.Key, a.Status)
			}
			return nil
		case a.Status == http.StatusServiceUnavailable || a.Status == http.StatusTooManyRequests:
			sleepCtx(ctx, 5*time.Second)
		case a.Status == http.StatusConflict: // the same key is still being accepted
			sleepCtx(ctx, time.Second)
		case a.Err != "" || a.Status >= 500:
			sleepCtx(ctx, time.Second)
		default:
			return fmt.Errorf("%s: unexpected status %d", s.Key, a.Status)
		}
	}
	return fmt.Errorf("%s: no id before the deadline", s.Key)
}

func (c *client) post(ctx context.Context, s submission) answer {
	a := answer{At: time.Now()}
	req, err := http.NewRequestWithContext(ctx, "POST", c.f.URL+s.Path, bytes.NewReader(s.Body))
	if err != nil {
		a.Err = err.Error()
		return a
	}
	req.Header.Set("Authorization", "Bearer "+keyAcme)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", s.Key)
	for k, v := range s.Hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		a.Err = err.Error()
		return a
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a.Status = resp.StatusCode
	if a.Status == http.StatusAccepted || a.Status == http.StatusOK {
		var ref struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(b, &ref)
		a.ID = ref.ID
	}
	return a
}

// jobStatus is the part of GET /v1/jobs/{id} the tests read.
type jobStatus struct {
	ID          string     `json:"id"`
	State       string     `json:"state"`
	Attempt     int        `json:"attempt"`
	Reason      string     `json:"reason"`
	LastClass   string     `json:"lastErrorClass"`
	CompletedAt *time.Time `json:"completedAt"`
	Results     []struct {
		Name string `json:"name"`
		Size int64  `json:"size"`
	} `json:"results"`
}

func (s jobStatus) terminal() bool { return s.State == "done" || s.State == "failed" }

// status reads one job (no long poll).
func (c *client) status(ctx context.Context, id string) (jobStatus, int, error) {
	var st jobStatus
	req, err := http.NewRequestWithContext(ctx, "GET", c.f.URL+"/v1/jobs/"+id, nil)
	if err != nil {
		return st, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+keyAcme)
	resp, err := c.http.Do(req)
	if err != nil {
		return st, 0, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return st, resp.StatusCode, nil
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return st, resp.StatusCode, fmt.Errorf("job %s: %v", id, err)
	}
	return st, 200, nil
}

// waitAll reads every job until all are done or failed, or ctx ends; it
// returns the last status of each, and the last HTTP status of those it
// could not read. A job the API has not known (404) for 30 s while every
// other job is finished is given up on: it does not exist.
func (c *client) waitAll(ctx context.Context, ids []string) (map[string]jobStatus, map[string]int) {
	out := map[string]jobStatus{}
	lastCode := map[string]int{}
	missingSince := map[string]time.Time{}
	pending := ids
	for len(pending) > 0 && ctx.Err() == nil {
		var next []string
		gone := 0
		for _, id := range pending {
			st, code, err := c.status(ctx, id)
			switch {
			case err == nil && code == 200:
				out[id] = st
				delete(lastCode, id)
				delete(missingSince, id)
				if st.terminal() {
					continue
				}
			default:
				lastCode[id] = code
				if code == http.StatusNotFound {
					if _, ok := missingSince[id]; !ok {
						missingSince[id] = time.Now()
					}
					if time.Since(missingSince[id]) > 30*time.Second {
						gone++
					}
				}
			}
			next = append(next, id)
		}
		pending = next
		if len(pending) == gone {
			break
		}
		sleepCtx(ctx, time.Second)
	}
	return out, lastCode
}

func sleepCtx(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// progress polls GET /v1/stats and keeps when the count of finished jobs
// (completed + archived, every queue) went up.
type progress struct {
	mu       sync.Mutex
	finished int
	ticks    []tick // one per change
	cancel   context.CancelFunc
	done     chan struct{}
}

type tick struct {
	At       time.Time
	Finished int
}

func watchProgress(c *client, every time.Duration) *progress {
	ctx, cancel := context.WithCancel(context.Background())
	p := &progress{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		for ctx.Err() == nil {
			if n, err := c.finished(ctx); err == nil {
				p.mu.Lock()
				if n != p.finished {
					p.finished = n
					p.ticks = append(p.ticks, tick{time.Now(), n})
				}
				p.mu.Unlock()
			}
			sleepCtx(ctx, every)
		}
	}()
	return p
}

func (p *progress) stop() { p.cancel(); <-p.done }

// Finished is the last count read.
func (p *progress) Finished() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.finished
}

// firstAfter is when the finished count first went up after t (zero if
// it has not).
func (p *progress) firstAfter(t time.Time) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, k := range p.ticks {
		if k.At.After(t) {
			return k.At
		}
	}
	return time.Time{}
}

// stats is the part of GET /v1/stats the tests read.
type stats struct {
	Queues []struct {
		Completed, Archived int
	} `json:"queues"`
	Project struct {
		InFlight int `json:"inFlight"`
	} `json:"project"`
}

func (c *client) stats(ctx context.Context) (stats, error) {
	var st stats
	req, err := http.NewRequestWithContext(ctx, "GET", c.f.URL+"/v1/stats", nil)
	if err != nil {
		return st, err
	}
	req.Header.Set("Authorization", "Bearer "+keyAcme)
	resp, err := c.http.Do(req)
	if err != nil {
		return st, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return st, fmt.Errorf("stats: %d", resp.StatusCode)
	}
	err = json.NewDecoder(resp.Body).Decode(&st)
	return st, err
}

// finished reads the completed and archived counts of every queue.
func (c *client) finished(ctx context.Context) (int, error) {
	st, err := c.stats(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, q := range st.Queues {
		n += q.Completed + q.Archived
	}
	return n, nil
}

// logEvent is one job line, or one renderer line, of a worker's JSON log.
type logEvent struct {
	Time      time.Time `json:"time"`
	Msg       string    `json:"msg"`
	Component string    `json:"component"`
	Job       string    `json:"job"`
	Class     string    `json:"class"`
	Final     bool      `json:"final"`
	Attempt   int       `json:"attempt"`
	Run       string    `json:"-"` // the log file
}

// jobEvents reads the "job started", "job done" and "job failed" lines
// of log files, and the renderer's (browser starts and restarts).
func jobEvents(paths ...string) ([]logEvent, error) {
	var out []logEvent
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Bytes()
			if !bytes.Contains(line, []byte(`"msg":"job `)) && !bytes.Contains(line, []byte(`"component":"renderer"`)) {
				continue
			}
			var e logEvent
			if json.Unmarshal(line, &e) != nil || (e.Job == "" && e.Component == "") {
				continue
			}
			e.Run = p
			out = append(out, e)
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// inFlight lists the jobs a log file shows started and not finished: at
// its end, the jobs its process held.
func inFlight(events []logEvent, run string) []string {
	last := map[string]string{}
	var order []string
	for _, e := range events {
		if e.Run != run {
			continue
		}
		if e.Job == "" {
			continue
		}
		if _, ok := last[e.Job]; !ok {
			order = append(order, e.Job)
		}
		last[e.Job] = e.Msg
	}
	var out []string
	for _, id := range order {
		if last[id] == "job started" {
			out = append(out, id)
		}
	}
	return out
}

// bucketObject is one listed object.
type bucketObject struct {
	Key  string // without the store's prefix
	Size int64
}

// listBucket lists every object under the store's prefix.
func listBucket(ctx context.Context, srv testenv.S3Server) ([]bucketObject, error) {
	c := testenv.S3Client(srv)
	var out []bucketObject
	var token *string
	for {
		page, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: &srv.Bucket, Prefix: &srv.Prefix, ContinuationToken: token})
		if err != nil {
			return nil, err
		}
		for _, o := range page.Contents {
			out = append(out, bucketObject{Key: strings.TrimPrefix(aws.ToString(o.Key), srv.Prefix), Size: aws.ToInt64(o.Size)})
		}
		if !aws.ToBool(page.IsTruncated) {
			return out, nil
		}
		token = page.NextContinuationToken
	}
}

// itemRecord is the part of an item record (storage.Item) the tests read.
type itemRecord struct {
	ID      string   `json:"id"`
	Kind    string   `json:"kind"`
	Status  string   `json:"status"`
	Objects []string `json:"objects"`
	Error   string   `json:"error"`
}

func readItemRecord(ctx context.Context, srv testenv.S3Server, key string) (itemRecord, error) {
	var it itemRecord
	out, err := testenv.S3Client(srv).GetObject(ctx, &s3.GetObjectInput{Bucket: &srv.Bucket, Key: aws.String(srv.Prefix + key)})
	if err != nil {
		return it, err
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		return it, err
	}
	if err := json.Unmarshal(b, &it); err != nil {
		return it, errors.New(key + ": " + err.Error())
	}
	return it, nil
}
