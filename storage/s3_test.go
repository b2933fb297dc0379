package storage_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/storage"
	"github.com/kilnrender/kiln/storage/storagetest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testenv.StopS3()
	os.Exit(code)
}

func s3Config(srv testenv.S3Server) storage.S3Config {
	cfg := storage.DefaultS3Config()
	cfg.Bucket = srv.Bucket
	cfg.Prefix = srv.Prefix
	cfg.Endpoint = srv.Endpoint
	cfg.Region = srv.Region
	cfg.PathStyle = true
	cfg.AccessKeyID = srv.AccessKey
	cfg.SecretAccessKey = srv.SecretKey
	return cfg
}

func newS3(t testing.TB, edit func(*storage.S3Config)) *storage.S3 {
	t.Helper()
	cfg := s3Config(testenv.S3(t))
	if edit != nil {
		edit(&cfg)
	}
	s, err := storage.NewS3(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestS3Conformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Store { return newS3(t, nil) })
}

// recorder is an HTTP client that keeps the requests it sends.
type recorder struct {
	mu   sync.Mutex
	reqs []*http.Request
	c    *http.Client
}

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.reqs = append(r.reqs, req.Clone(context.Background()))
	r.mu.Unlock()
	return r.c.Do(req)
}

func (r *recorder) requests() []*http.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*http.Request(nil), r.reqs...)
}

func TestS3Multipart(t *testing.T) {
	rec := &recorder{c: &http.Client{}}
	s := newS3(t, func(c *storage.S3Config) {
		c.PartSize, c.MultipartThreshold, c.HTTPClient = 5<<20, 5<<20, rec
	})
	data := bytes.Repeat([]byte("0123456789abcdef"), 12<<20/16) // 12 MiB
	data[7<<20] = 'X'
	ctx := t.Context()
	// A non-seekable body of unknown size, like a render streamed out.
	if err := s.Put(ctx, "p/a/replays/r/big.bin", io.MultiReader(bytes.NewReader(data)), -1, storage.PutOptions{ContentType: "application/octet-stream"}); err != nil {
		t.Fatal(err)
	}
	parts := 0
	for _, r := range rec.requests() {
		if r.Method == http.MethodPut && r.URL.Query().Get("partNumber") != "" {
			parts++
		}
	}
	if parts != 3 {
		t.Errorf("12 MiB in 5 MiB parts: %d UploadPart requests, want 3", parts)
	}
	rc, obj, err := s.Get(ctx, "p/a/replays/r/big.bin", nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, data) || obj.Size != int64(len(data)) {
		t.Fatalf("multipart object: %d bytes (size %d), err %v; want %d", len(got), obj.Size, err, len(data))
	}
	rc, _, err = s.Get(ctx, "p/a/replays/r/big.bin", &storage.Range{Start: 7 << 20, End: 7<<20 + 3})
	if err != nil {
		t.Fatal(err)
	}
	got, _ = io.ReadAll(rc)
	rc.Close()
	if string(got) != "X123" {
		t.Errorf("range inside the second part: %q, want X123", got)
	}
}

func TestS3ServerSideEncryptionHeaders(t *testing.T) {
	for _, c := range []struct{ sse, kms string }{{"AES256", ""}, {"aws:kms", "arn:aws:kms:us-east-1:111122223333:key/kiln-test"}} {
		t.Run(c.sse, func(t *testing.T) {
			rec := &recorder{c: &http.Client{}}
			s := newS3(t, func(cfg *storage.S3Config) { cfg.SSE, cfg.KMSKeyID, cfg.HTTPClient = c.sse, c.kms, rec })
			// versitygw does not implement SSE and may refuse the request:
			// what matters here is that the headers are sent.
			err := s.Put(t.Context(), "p/a/shots/1/full.webp", strings.NewReader("img"), 3, storage.PutOptions{ContentType: "image/webp"})
			t.Logf("Put with SSE %s: %v", c.sse, err)
			var put *http.Request
			for _, r := range rec.requests() {
				if r.Method == http.MethodPut {
					put = r
				}
			}
			if put == nil {
				t.Fatal("no PUT request sent")
			}
			if got := put.Header.Get("X-Amz-Server-Side-Encryption"); got != c.sse {
				t.Errorf("x-amz-server-side-encryption: %q, want %q", got, c.sse)
			}
			if got := put.Header.Get("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id"); got != c.kms {
				t.Errorf("x-amz-server-side-encryption-aws-kms-key-id: %q, want %q", got, c.kms)
			}
		})
	}
	rec := &recorder{c: &http.Client{}}
	s := newS3(t, func(cfg *storage.S3Config) { cfg.HTTPClient = rec })
	if err := s.Put(t.Context(), "plain", strings.NewReader("x"), 1, storage.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, r := range rec.requests() {
		if r.Header.Get("X-Amz-Server-Side-Encryption") != "" {
			t.Error("SSE header sent without SSE configured")
		}
	}
}

func TestS3WrongCredentials(t *testing.T) {
	srv := testenv.S3(t)
	ctx := t.Context()
	good, err := storage.NewS3(ctx, s3Config(srv))
	if err != nil {
		t.Fatal(err)
	}
	if err := good.Put(ctx, "k", strings.NewReader("v"), 1, storage.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(*storage.S3Config){
		"wrong secret": func(c *storage.S3Config) { c.SecretAccessKey += "x" },
		"unknown key":  func(c *storage.S3Config) { c.AccessKeyID = "nobody" },
	} {
		cfg := s3Config(srv)
		cfg.MaxAttempts = 1
		edit(&cfg)
		bad, err := storage.NewS3(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		// GET, not HEAD: a HEAD error has no body, and versitygw answers
		// an unknown access key with a 404 (AWS: 403), so only the
		// error code tells it from a missing object.
		_, _, err = bad.Get(ctx, "k", nil)
		var re *awshttp.ResponseError
		if err == nil || errors.Is(err, storage.ErrNotFound) || !errors.As(err, &re) || re.HTTPStatusCode() < 400 {
			t.Errorf("%s: Get = %v, want an auth error, not ErrNotFound", name, err)
		}
		if err := bad.Put(ctx, "x", strings.NewReader("v"), 1, storage.PutOptions{}); err == nil {
			t.Errorf("%s: Put succeeded", name)
		}
		if _, err := bad.URL(ctx, "k", 60e9); err != nil {
			t.Errorf("%s: URL: %v", name, err)
		}
	}
}

func TestS3PublicURL(t *testing.T) {
	s := newS3(t, func(c *storage.S3Config) { c.PublicURL = "https://cdn.example.com"; c.Prefix = "kiln" })
	u, err := s.URL(t.Context(), "p/a/shots/1/thumb 1.jpg", 60e9)
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://cdn.example.com/kiln/p/a/shots/1/thumb%201.jpg"; u != want {
		t.Errorf("URL = %q, want %q", u, want)
	}
}

func TestS3ConfigFromEnv(t *testing.T) {
	env := map[string]string{
		"KILN_S3_BUCKET": "b", "KILN_S3_ENDPOINT": "http://127.0.0.1:9000/", "KILN_S3_REGION": "eu-west-3",
		"KILN_S3_PREFIX": "kiln/", "KILN_S3_PATH_STYLE": "true", "KILN_S3_SSE": "aws:kms", "KILN_S3_KMS_KEY_ID": "k1",
		"KILN_S3_PUBLIC_URL": "https://cdn/", "KILN_S3_ACCESS_KEY_ID": "ak", "KILN_S3_SECRET_ACCESS_KEY": "sk",
	}
	c, err := storage.S3ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.Bucket != "b" || c.Endpoint != "http://127.0.0.1:9000" || c.Region != "eu-west-3" || c.Prefix != "kiln/" ||
		!c.PathStyle || c.SSE != "aws:kms" || c.KMSKeyID != "k1" || c.PublicURL != "https://cdn" ||
		c.AccessKeyID != "ak" || c.SecretAccessKey != "sk" || c.PartSize != storage.DefaultS3Config().PartSize {
		t.Errorf("S3ConfigFromEnv = %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	env["KILN_S3_PATH_STYLE"] = "maybe"
	if _, err := storage.S3ConfigFromEnv(func(k string) string { return env[k] }); err == nil {
		t.Error("KILN_S3_PATH_STYLE=maybe accepted")
	}
	bad := storage.S3Config{SSE: "rot13", KMSKeyID: "", AccessKeyID: "only", PartSize: 1}
	err = bad.Validate()
	for _, want := range []string{"Bucket", "SSE", "AccessKeyID", "PartSize", "Concurrency", "MaxAttempts"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate of a bad config does not mention %s: %v", want, err)
		}
	}
}

func s3Get(bucket, key string) *s3.GetObjectInput {
	return &s3.GetObjectInput{Bucket: &bucket, Key: &key}
}

// TestS3Retries: throttling and 5xx answers are retried with backoff, up
// to MaxAttempts.
func TestS3Retries(t *testing.T) {
	var mu sync.Mutex
	fails, seen := 0, 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		mu.Lock()
		defer mu.Unlock()
		seen++
		if fails > 0 {
			fails--
			code := map[bool]int{true: http.StatusServiceUnavailable, false: http.StatusInternalServerError}[fails%2 == 0]
			w.WriteHeader(code)
			fmt.Fprintf(w, "<Error><Code>%s</Code><Message>busy</Message></Error>", map[int]string{503: "SlowDown", 500: "InternalError"}[code])
			return
		}
		w.Header().Set("ETag", `"abc"`)
	}))
	defer srv.Close()
	cfg := storage.DefaultS3Config()
	cfg.Bucket, cfg.Endpoint, cfg.PathStyle, cfg.Region = "b", srv.URL, true, "us-east-1"
	cfg.AccessKeyID, cfg.SecretAccessKey = "ak", "sk"
	cfg.MaxAttempts, cfg.MaxBackoff = 4, 20*time.Millisecond
	s, err := storage.NewS3(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		fails, wantSeen int
		ok              bool
	}{{3, 4, true}, {4, 4, false}, {0, 1, true}} {
		mu.Lock()
		fails, seen = c.fails, 0
		mu.Unlock()
		err := s.Put(t.Context(), "k", strings.NewReader("v"), 1, storage.PutOptions{})
		mu.Lock()
		if (err == nil) != c.ok || seen != c.wantSeen {
			t.Errorf("%d failures before success, 4 attempts: err %v after %d requests; want ok=%v after %d", c.fails, err, seen, c.ok, c.wantSeen)
		}
		mu.Unlock()
	}
}
