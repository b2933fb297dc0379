package storage

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// urlSigner makes and checks the URLs of stores served by Kiln's API:
// base + "/files/" + key + "?exp=...&sig=...". exp is the Unix second at
// which the URL stops working (now + ttl, rounded up); sig is
// base64url(HMAC-SHA256(secret, key + "\n" + exp)).
type urlSigner struct {
	base   string
	secret []byte
}

func (u urlSigner) url(ctx context.Context, key string, ttl time.Duration) (string, error) {
	if err := checkURL(ctx, key, ttl); err != nil {
		return "", err
	}
	exp := time.Now().Add(ttl + time.Second - 1).Unix()
	return u.base + "/files/" + escapeKey(key) + "?exp=" + strconv.FormatInt(exp, 10) + "&sig=" + u.sign(key, exp), nil
}

// checkURL checks the arguments of a Store's URL.
func checkURL(ctx context.Context, key string, ttl time.Duration) error {
	if err := ValidateKey(key); err != nil {
		return fmt.Errorf("sign URL: %w", err)
	}
	if err := validateTTL(ttl); err != nil {
		return fmt.Errorf("sign URL %s: %w", key, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("sign URL %s: %w", key, err)
	}
	return nil
}

// escapeKey escapes each segment of key for a URL path.
func escapeKey(key string) string {
	segs := strings.Split(key, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

func (u urlSigner) sign(key string, exp int64) string {
	m := hmac.New(sha256.New, u.secret)
	m.Write([]byte(key + "\n" + strconv.FormatInt(exp, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// handler serves GET and HEAD /files/{key...}?exp=..&sig=.. for URLs made
// by url, opening objects with open: 403 for a bad or expired signature,
// 404 for a missing object, 500 for any other failure (one that does not
// decrypt included; no detail is sent), Range requests (206/416) through
// http.ServeContent, and the stored Content-Type, Content-Encoding and
// Cache-Control (shortened to the link's life). Responses carry nosniff
// and a sandboxing CSP: stored inputs may be HTML and are served from the
// API's origin.
func (u urlSigner) handler(open func(r *http.Request, key string) (Object, io.ReadSeeker, io.Closer, error)) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /files/{key...}", func(w http.ResponseWriter, r *http.Request) {
		key := r.PathValue("key")
		q := r.URL.Query()
		exp, err := strconv.ParseInt(q.Get("exp"), 10, 64)
		sig := q.Get("sig")
		if err != nil || sig == "" || !hmac.Equal([]byte(sig), []byte(u.sign(key, exp))) {
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
		obj, body, c, err := open(r, key)
		if errors.Is(err, ErrNotFound) {
			http.NotFound(w, r)
			return
		}
		if err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		defer c.Close()
		hd := w.Header()
		ct := obj.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		hd.Set("Content-Type", ct)
		if obj.ContentEncoding != "" {
			hd.Set("Content-Encoding", obj.ContentEncoding)
		}
		hd.Set("Cache-Control", signedCacheControl(obj.CacheControl, time.Until(time.Unix(exp, 0))))
		if obj.ETag != "" {
			hd.Set("ETag", obj.ETag)
		}
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
		http.ServeContent(w, r, "", obj.ModTime, body)
	})
	return mux
}
