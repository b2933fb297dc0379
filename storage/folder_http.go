package storage

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// URL implements Store: BaseURL + "/files/" + key + "?exp=...&sig=...",
// served by Handler. exp is the Unix second at which the URL stops working
// (now + ttl, rounded up); sig is
// base64url(HMAC-SHA256(secret, key + "\n" + exp)). The key need not exist
// yet.
func (f *Folder) URL(ctx context.Context, key string, ttl time.Duration) (string, error) {
	if err := ValidateKey(key); err != nil {
		return "", fmt.Errorf("sign URL: %w", err)
	}
	if err := validateTTL(ttl); err != nil {
		return "", fmt.Errorf("sign URL %s: %w", key, err)
	}
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("sign URL %s: %w", key, err)
	}
	exp := time.Now().Add(ttl + time.Second - 1).Unix()
	return f.cfg.BaseURL + "/files/" + escapeKey(key) + "?exp=" + strconv.FormatInt(exp, 10) + "&sig=" + f.sign(key, exp), nil
}

// escapeKey escapes each segment of key for a URL path.
func escapeKey(key string) string {
	segs := strings.Split(key, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

func (f *Folder) sign(key string, exp int64) string {
	m := hmac.New(sha256.New, f.secret)
	m.Write([]byte(key + "\n" + strconv.FormatInt(exp, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Handler serves GET and HEAD /files/{key...}?exp=..&sig=.. for URLs made
// by URL: 403 for a bad or expired signature, 404 for a missing object,
// Range requests (206/416) through http.ServeContent, and the stored
// Content-Type, Content-Encoding and Cache-Control. Responses carry
// nosniff and a sandboxing CSP: stored inputs may be HTML and are served
// from the API's origin. Mount it on the API's mux at "/files/".
func (f *Folder) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /files/{key...}", f.serveFile)
	return mux
}

func (f *Folder) serveFile(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	q := r.URL.Query()
	exp, err := strconv.ParseInt(q.Get("exp"), 10, 64)
	sig := q.Get("sig")
	if err != nil || sig == "" || !hmac.Equal([]byte(sig), []byte(f.sign(key, exp))) {
		http.Error(w, "forbidden: bad signature", http.StatusForbidden)
		return
	}
	if !time.Now().Before(time.Unix(exp, 0)) {
		http.Error(w, "forbidden: link expired", http.StatusForbidden)
		return
	}
	if ValidateKey(key) != nil {
		http.NotFound(w, r)
		return
	}
	fh, h, body, err := f.openObject(key)
	if errors.Is(err, ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	defer fh.Close()
	hd := w.Header()
	ct := h.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	hd.Set("Content-Type", ct)
	if h.ContentEncoding != "" {
		hd.Set("Content-Encoding", h.ContentEncoding)
	}
	hd.Set("Cache-Control", signedCacheControl(h.CacheControl, time.Until(time.Unix(exp, 0))))
	hd.Set("ETag", h.ETag)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", h.ModTime, body)
}
