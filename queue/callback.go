package queue

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hibiken/asynq"
	"github.com/kilnrender/kiln/netguard"
)

// SignatureHeader carries a callback's signature: "t=<unix seconds>,v1=<hex
// HMAC-SHA256 of "<t>.<body>" keyed with the webhook secret>".
const SignatureHeader = "Kiln-Signature"

// CallbackEvent is the JSON body POSTed to a job's callback URL.
type CallbackEvent struct {
	Event string      `json:"event"` // "job.done" or "job.failed"
	Job   CallbackJob `json:"job"`
}

// CallbackJob describes the finished job.
type CallbackJob struct {
	ID         string           `json:"id"`
	Type       string           `json:"type"`
	State      string           `json:"state"`
	ItemID     string           `json:"itemId,omitempty"`
	ExternalID string           `json:"externalId,omitempty"`
	Reason     string           `json:"reason,omitempty"`
	Warnings   []string         `json:"warnings,omitempty"`
	Objects    []CallbackObject `json:"objects,omitempty"`
}

// CallbackObject is a result with a signed URL.
type CallbackObject struct {
	Object
	URL string `json:"url,omitempty"`
}

type callbackTask struct {
	URL  string          `json:"url"`
	Body json.RawMessage `json:"body"`
}

// Sign returns the SignatureHeader value for body at time t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte("."))
	m.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(m.Sum(nil))
}

// ErrSignature is returned by Verify for a missing, malformed, stale or
// wrong signature.
var ErrSignature = errors.New("bad signature")

// Verify checks a SignatureHeader value against body, accepting
// timestamps within tolerance of now.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts, sig string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sig == "" {
		return fmt.Errorf("verify signature: %w", ErrSignature)
	}
	t := time.Unix(sec, 0)
	if d := now.Sub(t); d > tolerance || d < -tolerance {
		return fmt.Errorf("verify signature: stale timestamp: %w", ErrSignature)
	}
	want := Sign(secret, t, body)
	if !hmac.Equal([]byte(want), []byte("t="+ts+",v1="+sig)) {
		return fmt.Errorf("verify signature: %w", ErrSignature)
	}
	return nil
}

// ErrCallbackURL is returned for a callback URL Kiln will not call: one
// netguard refuses, by its URL or by the addresses its host resolves to.
// Such errors also wrap netguard.ErrBlocked, with the reason
// netguard.BlockReason reports.
var ErrCallbackURL = errors.New("callback URL not allowed")

// maxCallbackURL bounds a callback URL, in bytes.
const maxCallbackURL = 2048

// CheckCallbackURL accepts the URLs netguard.CheckURL accepts (absolute
// http and https, no credentials, allowed ports) of at most 2048 bytes.
// Whether the host's addresses may be reached is decided when dialing,
// under the worker's network policy (a name can resolve differently
// later).
func CheckCallbackURL(raw string) error {
	if len(raw) > maxCallbackURL {
		return fmt.Errorf("check callback URL: longer than %d bytes: %w", maxCallbackURL, ErrCallbackURL)
	}
	if _, err := netguard.CheckURL(raw); err != nil {
		return fmt.Errorf("check callback URL: %w: %w", ErrCallbackURL, err)
	}
	return nil
}

// callbacker delivers callbacks through a netguard.Client: the resolved
// addresses are judged by the network policy and exactly those dialed, and
// every redirect is checked again.
type callbacker struct {
	client *http.Client
	err    error // why the client could not be built; every delivery fails with it
}

// newCallbacker returns the callbacker of a worker with cfg: under
// cfg.Network, with private addresses admitted when
// cfg.AllowPrivateCallbacks.
func newCallbacker(cfg Config) *callbacker {
	nc := cfg.Network
	if cfg.AllowPrivateCallbacks {
		nc.Policy.AllowPrivate = true
	}
	c, err := netguard.NewClient(nc)
	if err != nil {
		return &callbacker{err: fmt.Errorf("callback client: %w", err)}
	}
	return &callbacker{client: c}
}

// post delivers one callback body to url and returns the answer's status.
// A URL or address Kiln will not call fails with ErrCallbackURL (and
// netguard.ErrBlocked); other errors are faults a retry may cure.
func (cb *callbacker) post(ctx context.Context, url string, body []byte, hdr http.Header) (int, error) {
	if cb.err != nil {
		return 0, cb.err
	}
	if err := CheckCallbackURL(url); err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("build callback: %w: %w", ErrCallbackURL, err)
	}
	req.Header = hdr
	resp, err := cb.client.Do(req)
	if err != nil {
		if errors.Is(err, netguard.ErrBlocked) {
			return 0, fmt.Errorf("post callback: %w: %w", ErrCallbackURL, err)
		}
		return 0, fmt.Errorf("post callback: %w", err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return resp.StatusCode, nil
}

// callback POSTs a finished job's event. Non-2xx answers and network
// faults retry with backoff; a URL Kiln will not call, and 410 Gone, end it.
func (w *Worker) callback(ctx context.Context, t *asynq.Task) error {
	start := time.Now()
	var ct callbackTask
	if err := json.Unmarshal(t.Payload(), &ct); err != nil {
		return fmt.Errorf("decode callback: %v: %w", err, asynq.SkipRetry)
	}
	hdr := http.Header{}
	hdr.Set("Content-Type", "application/json")
	hdr.Set("User-Agent", "kiln-callback/1")
	if id, ok := asynq.GetTaskID(ctx); ok {
		hdr.Set("Kiln-Delivery", id)
	}
	if w.cfg.WebhookSecret != "" {
		hdr.Set(SignatureHeader, Sign(w.cfg.WebhookSecret, time.Now(), ct.Body))
	}
	status, err := w.cb.post(ctx, ct.URL, ct.Body, hdr)
	if err != nil {
		if errors.Is(err, ErrCallbackURL) {
			w.observe(TypeCallback, "bad_input", start)
			return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
		}
		w.observe(TypeCallback, "retry", start)
		return err
	}
	switch {
	case status >= 200 && status < 300:
		w.observe(TypeCallback, "done", start)
		return nil
	case status == http.StatusGone:
		w.observe(TypeCallback, "bad_input", start)
		return fmt.Errorf("post callback: status %d: %w", status, asynq.SkipRetry)
	}
	w.observe(TypeCallback, "retry", start)
	return fmt.Errorf("post callback: status %d", status)
}
