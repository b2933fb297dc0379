package ingest

// Request parsing: bodies within their caps, and the options shared by
// every submission.

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kilnrender/kiln/netguard"
	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/snapshot"
)

// readBody reads a request body within the compressed and inflated caps.
// allowed lists the accepted media types.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, allowed ...string) ([]byte, string, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, "", unsupportedMedia("Content-Type must be one of " + strings.Join(allowed, ", "))
	}
	ok := false
	for _, a := range allowed {
		ok = ok || mt == a
	}
	if !ok {
		return nil, "", unsupportedMedia("Content-Type must be one of " + strings.Join(allowed, ", "))
	}
	if r.ContentLength > s.cfg.MaxBodyBytes {
		return nil, "", errTooLarge
	}
	release, err := s.uploads.acquire(s.clientOf(r))
	if err != nil {
		return nil, "", err
	}
	defer release()
	body := http.MaxBytesReader(w, &paced{r: r.Body, rc: http.NewResponseController(w), cfg: &s.cfg, start: time.Now()}, s.cfg.MaxBodyBytes)
	var src io.Reader = body
	limit, tooLarge := s.cfg.MaxBodyBytes, errTooLarge
	switch strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))) {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(body)
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, "", errTooLarge
			}
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return nil, "", errSlowBody
			}
			return nil, "", badRequest("body: not valid gzip")
		}
		defer zr.Close()
		// Inflate at most one byte over the cap: a bomb stops there.
		src, limit, tooLarge = zr, s.cfg.MaxInflatedBytes, errInflated
	default:
		return nil, "", unsupportedMedia("Content-Encoding must be gzip or identity")
	}
	data, err := io.ReadAll(io.LimitReader(src, limit+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, "", errTooLarge
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return nil, "", errSlowBody
		}
		return nil, "", badRequest("body: could not be read (truncated or corrupt)")
	}
	if int64(len(data)) > limit {
		return nil, "", tooLarge
	}
	if len(data) == 0 {
		return nil, "", badRequest("body: empty")
	}
	return data, mt, nil
}

// param reads an option from the query (name) or a header (Kiln-Name).
func param(r *http.Request, name, header string) string {
	if v := r.URL.Query().Get(name); v != "" {
		return v
	}
	return r.Header.Get(header)
}

// submitOptions are the options shared by every submission.
type submitOptions struct {
	Priority   string
	Callback   string
	ExternalID string
	Render     *queue.RenderOptions
	// Override replaces the input's viewport, device scale factor and
	// scroll (screenshots only), as the render command's flags do.
	Override *snapshot.Override `json:",omitempty"`
	// RequestID is not part of what is submitted (the idempotency key
	// leaves it out): it follows the job into the worker's logs.
	RequestID string `json:"-"`
}

// job is the queue.Job part every submission shares.
func (o submitOptions) job() queue.Job {
	return queue.Job{ExternalID: o.ExternalID, Callback: o.Callback, RequestID: o.RequestID}
}

// itemJob is job() for a part of item itemID, with set applied.
func (o submitOptions) itemJob(itemID string, set func(*queue.Job)) queue.Job {
	j := o.job()
	j.ItemID = itemID
	set(&j)
	return j
}

// Bounds of the override options. The snapshot's limits apply too (the
// parser checks the viewport it ends with); these only keep the numbers
// sane before it runs.
const (
	maxOverrideSide = 16384
	maxOverrideDPR  = 8
	maxScroll       = 1 << 20
)

// intParam reads an integer option within [lo, hi]; ok is false when it
// is absent.
func intParam(r *http.Request, name, header string, lo, hi int) (v int, ok bool, err error) {
	raw := param(r, name, header)
	if raw == "" {
		return 0, false, nil
	}
	v, err = strconv.Atoi(raw)
	if err != nil || v < lo || v > hi {
		return 0, false, badRequest(fmt.Sprintf("%s: must be an integer from %d to %d", name, lo, hi))
	}
	return v, true, nil
}

// parseOverride reads width, height, dpr, scrollX and scrollY (query, or
// Kiln-Width, Kiln-Height, Kiln-Dpr, Kiln-Scroll-X and Kiln-Scroll-Y); nil
// when none is given.
func parseOverride(r *http.Request) (*snapshot.Override, error) {
	var ov snapshot.Override
	var errs []error
	set := false
	if v, ok, err := intParam(r, "width", "Kiln-Width", 1, maxOverrideSide); ok {
		ov.Width, set = v, true
	} else if err != nil {
		errs = append(errs, err)
	}
	if v, ok, err := intParam(r, "height", "Kiln-Height", 1, maxOverrideSide); ok {
		ov.Height, set = v, true
	} else if err != nil {
		errs = append(errs, err)
	}
	if raw := param(r, "dpr", "Kiln-Dpr"); raw != "" {
		d, err := strconv.ParseFloat(raw, 64)
		if err != nil || !(d >= 0.25 && d <= maxOverrideDPR) {
			errs = append(errs, badRequest(fmt.Sprintf("dpr: must be a number from 0.25 to %d", maxOverrideDPR)))
		} else {
			ov.DPR, set = d, true
		}
	}
	if v, ok, err := intParam(r, "scrollX", "Kiln-Scroll-X", 0, maxScroll); ok {
		ov.ScrollX, set = &v, true
	} else if err != nil {
		errs = append(errs, err)
	}
	if v, ok, err := intParam(r, "scrollY", "Kiln-Scroll-Y", 0, maxScroll); ok {
		ov.ScrollY, set = &v, true
	} else if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errs[0]
	}
	if !set {
		return nil, nil
	}
	return &ov, nil
}

func (s *Server) parseOptions(r *http.Request, render bool) (submitOptions, error) {
	var o submitOptions
	var err error
	o.Priority = strings.ToUpper(param(r, "priority", "Kiln-Priority"))
	if _, err = queue.QueueFor(o.Priority); err != nil {
		return o, badRequest("priority: must be HIGH, MEDIUM or LOW")
	}
	o.RequestID = RequestID(r.Context())
	o.Callback = param(r, "callbackUrl", "Kiln-Callback-Url")
	if o.Callback != "" {
		// The queue's check is netguard's policy, the one the worker's
		// delivery applies: refused here, it would be refused there.
		if err := s.d.Queue.CheckCallback(r.Context(), o.Callback); err != nil {
			if reason := netguard.BlockReason(err); errors.Is(err, netguard.ErrBlocked) && isAddressReason(reason) {
				return o, badRequest("callbackUrl: the network policy refuses this address (" + reason + ")")
			}
			return o, badRequest("callbackUrl: must be an absolute http or https URL without credentials, on an allowed port")
		}
	}
	o.ExternalID = param(r, "externalId", "Kiln-External-Id")
	if len(o.ExternalID) > 256 {
		return o, badRequest("externalId: at most 256 characters")
	}
	if !render {
		return o, nil
	}
	ro := &queue.RenderOptions{}
	switch f := strings.ToLower(param(r, "format", "Kiln-Format")); f {
	case "", "webp":
		ro.Format = "webp"
	case "png", "jpeg":
		ro.Format = f
	case "jpg":
		ro.Format = "jpeg"
	default:
		return o, badRequest("format: must be webp, jpeg or png")
	}
	if v := param(r, "quality", "Kiln-Quality"); v != "" {
		if ro.Quality, err = strconv.Atoi(v); err != nil || ro.Quality < 1 || ro.Quality > 100 {
			return o, badRequest("quality: must be an integer from 1 to 100")
		}
	}
	if v := param(r, "thumbWidth", "Kiln-Thumb-Width"); v != "" {
		if ro.ThumbWidth, err = strconv.Atoi(v); err != nil || ro.ThumbWidth < 16 || ro.ThumbWidth > 2048 {
			return o, badRequest("thumbWidth: must be an integer from 16 to 2048")
		}
	}
	if v := param(r, "fullPage", "Kiln-Full-Page"); v != "" {
		if ro.FullPage, err = strconv.ParseBool(v); err != nil {
			return o, badRequest("fullPage: must be true or false")
		}
	}
	o.Render = ro
	if o.Override, err = parseOverride(r); err != nil {
		return o, err
	}
	return o, nil
}

// isAddressReason reports whether a netguard block reason is about where
// a URL leads (its host or addresses) rather than how it is spelled.
func isAddressReason(reason string) bool {
	switch reason {
	case netguard.ReasonScheme, netguard.ReasonUserinfo, netguard.ReasonPort, netguard.ReasonMalformed, netguard.ReasonHost:
		return false
	}
	return true
}

// idemKey is the idempotency key of a submission: the client's
// Idempotency-Key, or else the SHA-256 of the body and options, so that an
// identical resubmission returns the same job.
func idemKey(r *http.Request, kind string, body []byte, o submitOptions) (string, error) {
	h := sha256.New()
	if k := r.Header.Get("Idempotency-Key"); k != "" {
		if len(k) > 255 {
			return "", badRequest("Idempotency-Key: at most 255 characters")
		}
		fmt.Fprintf(h, "key\x00%s\x00%s", kind, k)
	} else {
		opts, _ := json.Marshal(o)
		fmt.Fprintf(h, "body\x00%s\x00%s\x00", kind, opts)
		h.Write(body)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// paced reads a request body under a deadline that grows with what has
// arrived: BodyGrace plus one second per MinBodyRate bytes, at most
// MaxBodyTime from the start. The deadline is the connection's, so a
// stalled read ends with os.ErrDeadlineExceeded.
type paced struct {
	r     io.ReadCloser
	rc    *http.ResponseController
	cfg   *Config
	start time.Time
	n     int64
}

func (p *paced) Close() error { return p.r.Close() }

func (p *paced) Read(b []byte) (int, error) {
	d := p.cfg.BodyGrace + time.Duration(p.n/p.cfg.MinBodyRate)*time.Second
	// A server or writer that cannot set deadlines reads without.
	_ = p.rc.SetReadDeadline(p.start.Add(min(d, p.cfg.MaxBodyTime)))
	n, err := p.r.Read(b)
	p.n += int64(n)
	return n, err
}

// clientOf names the client a request comes from, for the upload cap.
func (s *Server) clientOf(r *http.Request) string {
	if h := s.cfg.ClientIPHeader; h != "" {
		if v := strings.TrimSpace(strings.Split(r.Header.Get(h), ",")[0]); v != "" {
			return v
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// uploads counts the bodies each client is sending.
type uploads struct {
	max int
	mu  sync.Mutex
	n   map[string]int
}

// acquire takes one of client's upload slots; release gives it back.
func (u *uploads) acquire(client string) (release func(), err error) {
	if u.max == 0 {
		return func() {}, nil
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.n[client] >= u.max {
		return nil, errTooManyUploads
	}
	u.n[client]++
	return func() {
		u.mu.Lock()
		defer u.mu.Unlock()
		if u.n[client]--; u.n[client] <= 0 {
			delete(u.n, client)
		}
	}, nil
}
