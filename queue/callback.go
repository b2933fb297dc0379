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
	"log/slog"
	"net"
	"net/http"
	"net/url"
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
	// RequestID is the job's (Job.RequestID), for the delivery's log lines.
	RequestID string `json:"rid,omitempty"`
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
	_, err := checkCallbackURL(raw)
	return err
}

// checkCallbackURL is CheckCallbackURL, returning the URL as netguard
// reads it.
func checkCallbackURL(raw string) (*url.URL, error) {
	if len(raw) > maxCallbackURL {
		return nil, fmt.Errorf("check callback URL: longer than %d bytes: %w", maxCallbackURL, ErrCallbackURL)
	}
	u, err := netguard.CheckURL(raw)
	if err != nil {
		return nil, fmt.Errorf("check callback URL: %w: %w", ErrCallbackURL, err)
	}
	return u, nil
}

// errAdmitted ends CheckCallback's dry-run dial: the policy admitted the
// address, and nothing is connected.
var errAdmitted = errors.New("admitted by the network policy")

// callbackCheckTimeout bounds the name lookup of CheckCallback: a submit
// must not hang on a slow resolver (a name that does not resolve is not
// refused then; the delivery decides).
const callbackCheckTimeout = 2 * time.Second

// CheckCallback is CheckCallbackURL plus the network policy callbacks go
// out under (c's Config.Network, with AllowPrivateCallbacks): a host the
// policy refuses, by name or by the addresses it resolves to now, fails
// with ErrCallbackURL and netguard.ErrBlocked. It connects to nothing: the
// policy's own dialer runs with a dial that stops once the addresses are
// judged. A name that does not resolve passes (the delivery reports it in
// the job's status), and the policy is applied again when the callback is
// sent (a name can resolve differently later).
func (c *Client) CheckCallback(ctx context.Context, raw string) error {
	u, err := checkCallbackURL(raw)
	if err != nil {
		return err
	}
	nc := callbackNetwork(c.cfg)
	nc.DialContext = func(context.Context, string, string) (net.Conn, error) { return nil, errAdmitted }
	d, err := netguard.NewDialer(nc)
	if err != nil {
		return fmt.Errorf("check callback URL: %w", err)
	}
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	ctx, cancel := context.WithTimeout(ctx, callbackCheckTimeout)
	defer cancel()
	_, err = d.DialContext(ctx, "tcp", net.JoinHostPort(u.Hostname(), port))
	if errors.Is(err, netguard.ErrBlocked) {
		return fmt.Errorf("check callback URL: %w: %w", ErrCallbackURL, err)
	}
	return nil
}

// callbackNetwork is the network callbacks go out under.
func callbackNetwork(cfg Config) netguard.Config {
	nc := cfg.Network
	if cfg.AllowPrivateCallbacks {
		nc.Policy.AllowPrivate = true
	}
	return nc
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
	c, err := netguard.NewClient(callbackNetwork(cfg))
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

// CallbackStatus is how a job's completion callback went, as the job's
// status shows it: State is pending (not sent yet), retrying (an attempt
// failed; another follows), delivered or failed (no more attempts).
// Reason is public: the refusal's or failure's class, never the error
// text of the network stack.
type CallbackStatus struct {
	State    string `json:"state"`
	Attempts int    `json:"attempts"`
	// LastStatus is the HTTP status of the endpoint's last answer (0: it
	// did not answer).
	LastStatus int    `json:"lastStatus,omitempty"`
	Reason     string `json:"reason,omitempty"`
}

// Callback delivery states.
const (
	CallbackPending   = "pending"
	CallbackRetrying  = "retrying"
	CallbackDelivered = "delivered"
	CallbackFailed    = "failed"
)

// callbackResult is what a callback attempt records as its task's result.
type callbackResult struct {
	Status int    `json:"status,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// deliveryReason is the public reason of a failed delivery.
func deliveryReason(status int, err error) string {
	switch {
	case errors.Is(err, ErrCallbackURL) && errors.Is(err, netguard.ErrBlocked):
		return "the network policy refuses the callback URL (" + netguard.BlockReason(err) + ")"
	case errors.Is(err, ErrCallbackURL):
		return "the callback URL is not one Kiln calls"
	case err != nil:
		return "the callback endpoint could not be reached (" + netguard.BlockReason(err) + ")"
	case status == http.StatusGone:
		return "the callback endpoint answered 410 Gone: not retried"
	}
	return "the callback endpoint answered HTTP " + strconv.Itoa(status)
}

// callback POSTs a finished job's event. Non-2xx answers and network
// faults retry with backoff; a URL Kiln will not call, and 410 Gone, end it.
// Every attempt records its outcome (callbackResult) for the job's status.
func (w *Worker) callback(ctx context.Context, t *asynq.Task) error {
	start := time.Now()
	var ct callbackTask
	if err := json.Unmarshal(t.Payload(), &ct); err != nil {
		return fmt.Errorf("decode callback: %v: %w", err, asynq.SkipRetry)
	}
	hdr := http.Header{}
	hdr.Set("Content-Type", "application/json")
	hdr.Set("User-Agent", "kiln-callback/1")
	id, _ := asynq.GetTaskID(ctx)
	if id != "" {
		hdr.Set("Kiln-Delivery", id)
	}
	if w.cfg.WebhookSecret != "" {
		hdr.Set(SignatureHeader, Sign(w.cfg.WebhookSecret, time.Now(), ct.Body))
	}
	status, postErr := w.cb.post(ctx, ct.URL, ct.Body, hdr)
	err, outcome := postErr, "retry"
	switch {
	case err != nil && errors.Is(err, ErrCallbackURL):
		outcome, err = "bad_input", fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	case err != nil:
	case status >= 200 && status < 300:
		outcome = "done"
	case status == http.StatusGone:
		outcome, err = "bad_input", fmt.Errorf("post callback: status %d: %w", status, asynq.SkipRetry)
	default:
		err = fmt.Errorf("post callback: status %d", status)
	}
	w.observe(TypeCallback, outcome, start)
	res := callbackResult{Status: status}
	if outcome != "done" {
		res.Reason = deliveryReason(status, postErr)
		w.log.LogAttrs(ctx, slog.LevelWarn, "callback failed", slog.String("delivery", id),
			slog.String("request_id", ct.RequestID), slog.Int("status", status), slog.String("reason", res.Reason))
	}
	b, _ := json.Marshal(res)
	if rw := t.ResultWriter(); rw != nil {
		if _, werr := rw.Write(b); werr != nil {
			w.log.Warn("record callback result", "delivery", id, "err", werr)
		}
	}
	return err
}

// callbackStatus reads the delivery of job id's callback (nil when the job
// has none). The callback task is enqueued when the job ends, so a
// finished job whose task is not there yet is pending.
func (c *Client) callbackStatus(id string) *CallbackStatus {
	info, err := c.insp.GetTaskInfo(QueueDefault, callbackID(id))
	if err != nil {
		return &CallbackStatus{State: CallbackPending}
	}
	var res callbackResult
	if len(info.Result) > 0 {
		_ = json.Unmarshal(info.Result, &res)
	}
	cs := &CallbackStatus{State: CallbackPending, Attempts: info.Retried, LastStatus: res.Status, Reason: res.Reason}
	switch info.State {
	case asynq.TaskStateActive:
		cs.Attempts++
	case asynq.TaskStateCompleted:
		cs.State, cs.Attempts, cs.Reason = CallbackDelivered, info.Retried+1, ""
	case asynq.TaskStateArchived:
		cs.State, cs.Attempts = CallbackFailed, info.Retried+1
		if cs.Reason == "" {
			cs.Reason = "the callback failed after its last attempt"
		}
	default:
		if info.Retried > 0 {
			cs.State = CallbackRetrying
		}
	}
	return cs
}
