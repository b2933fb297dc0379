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
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hibiken/asynq"
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

// ErrCallbackURL is returned for a callback URL Kiln will not call.
var ErrCallbackURL = errors.New("callback URL not allowed")

// CheckCallbackURL accepts absolute http and https URLs without
// credentials. Whether the host's addresses are public is checked when
// dialing (a name can resolve differently later).
func CheckCallbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || len(raw) > 2048 {
		return fmt.Errorf("check callback URL: %w", ErrCallbackURL)
	}
	return nil
}

// publicAddr reports whether a may be dialed for a callback: not loopback,
// private, link-local, CGNAT, unspecified, multicast, broadcast or other
// special-purpose ranges.
func publicAddr(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() {
		return false
	}
	for _, p := range blockedPrefixes {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

var blockedPrefixes = func() []netip.Prefix {
	var ps []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15",
		"198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4", "255.255.255.255/32",
		"64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/32", "2001:db8::/32", "2002::/16", "fec0::/10",
	} {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	return ps
}()

type callbacker struct {
	cfg    Config
	client *http.Client
}

func newCallbacker(cfg Config) *callbacker {
	d := &net.Dialer{Timeout: 10 * time.Second}
	if !cfg.AllowPrivateCallbacks {
		// The check runs on the address actually dialed, after DNS: a name
		// that resolves to a private address, or a redirect to one, fails.
		d.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !publicAddr(ap.Addr()) {
				return fmt.Errorf("dial %s: %w", address, ErrCallbackURL)
			}
			return nil
		}
	}
	tr := &http.Transport{
		DialContext:           d.DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 10 * time.Second,
		MaxIdleConnsPerHost:   2,
		Proxy:                 nil,
	}
	return &callbacker{cfg: cfg, client: &http.Client{
		Transport: tr,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 3 {
				return errors.New("too many redirects")
			}
			return CheckCallbackURL(req.URL.String())
		},
	}}
}

// callback POSTs a finished job's event. Non-2xx answers and network
// faults retry with backoff; a URL Kiln will not call, and 410 Gone, end it.
func (w *Worker) callback(ctx context.Context, t *asynq.Task) error {
	start := time.Now()
	var ct callbackTask
	if err := json.Unmarshal(t.Payload(), &ct); err != nil {
		return fmt.Errorf("decode callback: %v: %w", err, asynq.SkipRetry)
	}
	if err := CheckCallbackURL(ct.URL); err != nil {
		w.observe(TypeCallback, "bad_input", start)
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ct.URL, bytes.NewReader(ct.Body))
	if err != nil {
		return fmt.Errorf("build callback: %v: %w", err, asynq.SkipRetry)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "kiln-callback/1")
	if id, ok := asynq.GetTaskID(ctx); ok {
		req.Header.Set("Kiln-Delivery", id)
	}
	if w.cfg.WebhookSecret != "" {
		req.Header.Set(SignatureHeader, Sign(w.cfg.WebhookSecret, time.Now(), ct.Body))
	}
	resp, err := w.cb.client.Do(req)
	if err != nil {
		if errors.Is(err, ErrCallbackURL) {
			w.observe(TypeCallback, "bad_input", start)
			return fmt.Errorf("post callback: %w: %w", ErrCallbackURL, asynq.SkipRetry)
		}
		w.observe(TypeCallback, "retry", start)
		return fmt.Errorf("post callback: %w", err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		w.observe(TypeCallback, "done", start)
		return nil
	case resp.StatusCode == http.StatusGone:
		w.observe(TypeCallback, "bad_input", start)
		return fmt.Errorf("post callback: status %d: %w", resp.StatusCode, asynq.SkipRetry)
	}
	w.observe(TypeCallback, "retry", start)
	return fmt.Errorf("post callback: status %d", resp.StatusCode)
}
