package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxKeyLen is the longest key, in bytes: S3's limit, which every backend
// keeps so that data moves between backends unchanged.
const MaxKeyLen = 1024

// MaxListLimit is the largest page List returns (S3's own page size).
const MaxListLimit = 1000

// MaxURLTTL is the longest lifetime a URL may be given: SigV4 presigned
// URLs cannot live longer, and the folder backend keeps the same rule.
const MaxURLTTL = 7 * 24 * time.Hour

// maxMetadataBytes is S3's limit on user metadata (names plus values).
const maxMetadataBytes = 2048

// ValidateKey reports whether key obeys the Store key rules: not empty, at
// most MaxKeyLen bytes of valid UTF-8, no control character (NUL included),
// no leading slash, no empty, "." or ".." segment. The error wraps
// ErrInvalidKey.
func ValidateKey(key string) error {
	if key == "" {
		return fmt.Errorf("%w: empty", ErrInvalidKey)
	}
	if err := validateChars(key); err != nil {
		return err
	}
	for seg := range strings.SplitSeq(key, "/") {
		if err := validateSegment(key, seg); err != nil {
			return err
		}
	}
	return nil
}

// ValidatePrefix reports whether prefix can start a key: the key rules,
// except that it may be empty and its last segment may be empty or partial
// ("p/acme/", "p/ac").
func ValidatePrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	if err := validateChars(prefix); err != nil {
		return err
	}
	segs := strings.Split(prefix, "/")
	for i, seg := range segs {
		if i == len(segs)-1 && (seg == "" || (seg != "." && seg != "..")) {
			break
		}
		if err := validateSegment(prefix, seg); err != nil {
			return err
		}
	}
	return nil
}

func validateChars(key string) error {
	if len(key) > MaxKeyLen {
		return fmt.Errorf("%w: %d bytes, more than %d", ErrInvalidKey, len(key), MaxKeyLen)
	}
	if !utf8.ValidString(key) {
		return fmt.Errorf("%w: %q is not UTF-8", ErrInvalidKey, key)
	}
	for _, r := range key {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("%w: %q has a control character", ErrInvalidKey, key)
		}
	}
	if key[0] == '/' {
		return fmt.Errorf("%w: %q is absolute", ErrInvalidKey, key)
	}
	return nil
}

func validateSegment(key, seg string) error {
	switch seg {
	case "":
		return fmt.Errorf("%w: %q has an empty segment", ErrInvalidKey, key)
	case ".", "..":
		return fmt.Errorf("%w: %q has a %q segment", ErrInvalidKey, key, seg)
	}
	return nil
}

// validateOptions checks what every backend can store unchanged.
func validateOptions(o PutOptions) error {
	n := 0
	for k, v := range o.Metadata {
		if k == "" {
			return fmt.Errorf("%w: empty metadata name", ErrInvalidOptions)
		}
		for i := 0; i < len(k); i++ {
			c := k[i]
			if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
				return fmt.Errorf("%w: metadata name %q: only a-z, 0-9 and -", ErrInvalidOptions, k)
			}
		}
		for i := 0; i < len(v); i++ {
			if v[i] < 0x20 || v[i] > 0x7e {
				return fmt.Errorf("%w: metadata %q: value is not printable ASCII", ErrInvalidOptions, k)
			}
		}
		n += len(k) + len(v)
	}
	if n > maxMetadataBytes {
		return fmt.Errorf("%w: %d bytes of metadata, more than %d", ErrInvalidOptions, n, maxMetadataBytes)
	}
	for _, h := range []string{o.ContentType, o.ContentEncoding, o.CacheControl} {
		for i := 0; i < len(h); i++ {
			if h[i] < 0x20 || h[i] > 0x7e {
				return fmt.Errorf("%w: header value %q is not printable ASCII", ErrInvalidOptions, h)
			}
		}
	}
	return nil
}

func validateTTL(ttl time.Duration) error {
	if ttl <= 0 || ttl > MaxURLTTL {
		return fmt.Errorf("%w: URL lifetime %v outside (0, %v]", ErrInvalidOptions, ttl, MaxURLTTL)
	}
	return nil
}

// validateRange checks what can be checked without the object's size.
func validateRange(r *Range) error {
	if r == nil {
		return nil
	}
	if r.Start < 0 || (r.End >= 0 && r.End < r.Start) {
		return fmt.Errorf("%w: [%d, %d]", ErrInvalidRange, r.Start, r.End)
	}
	return nil
}

// clampRange resolves r against an object of size bytes: the offset and
// length to read. A start at or past the end is ErrInvalidRange; an end
// past the end is clamped, as HTTP does.
func clampRange(r *Range, size int64) (off, n int64, err error) {
	if r == nil {
		return 0, size, nil
	}
	if err := validateRange(r); err != nil {
		return 0, 0, err
	}
	if r.Start >= size {
		return 0, 0, fmt.Errorf("%w: start %d, object has %d bytes", ErrInvalidRange, r.Start, size)
	}
	end := r.End
	if end < 0 || end >= size {
		end = size - 1
	}
	return r.Start, end - r.Start + 1, nil
}

// ctxReader fails reads once ctx is done, so a long copy stops promptly.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// errSizeMismatch reports a body longer or shorter than the size given to Put.
var errSizeMismatch = errors.New("body length differs from the declared size")

// sizedReader yields exactly size bytes of r and fails otherwise (size < 0:
// any length).
type sizedReader struct {
	r    io.Reader
	size int64
	n    int64
}

func (s *sizedReader) Read(p []byte) (int, error) {
	if s.size >= 0 && int64(len(p)) > s.size-s.n+1 {
		p = p[:s.size-s.n+1]
	}
	n, err := s.r.Read(p)
	s.n += int64(n)
	if s.size >= 0 {
		if s.n > s.size {
			return n, fmt.Errorf("%w: more than %d bytes", errSizeMismatch, s.size)
		}
		if err == io.EOF && s.n != s.size {
			return n, fmt.Errorf("%w: %d bytes, want %d", errSizeMismatch, s.n, s.size)
		}
	}
	return n, err
}

// BatchDeleter is implemented by stores that delete many keys per request
// (S3's DeleteObjects). DeleteKeys removes the keys, missing ones included,
// and reports the first failure.
type BatchDeleter interface {
	DeleteKeys(ctx context.Context, keys []string) error
}

// FileServer is implemented by stores whose URLs can point at Kiln's own
// API (the folder backend; S3 when it seals objects client-side): mount
// Handler on the API's mux at "/files/". Handler is nil when the store's
// URLs point elsewhere (S3's presigned URLs).
type FileServer interface {
	Handler() http.Handler
}

// DeleteKeys removes keys from s, in batches when s is a BatchDeleter.
func DeleteKeys(ctx context.Context, s Store, keys []string) error {
	if bd, ok := s.(BatchDeleter); ok {
		return bd.DeleteKeys(ctx, keys)
	}
	for _, k := range keys {
		if err := s.Delete(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

// signedCacheControl is the Cache-Control of a response to a signed URL
// that expires in left: private, and cached no longer than the link lives
// (a cache must not serve an object after its link expired or the object
// was deleted), whatever the object was stored with, unless that says
// no-store.
func signedCacheControl(stored string, left time.Duration) string {
	if strings.Contains(strings.ToLower(stored), "no-store") {
		return "private, no-store"
	}
	return "private, max-age=" + strconv.FormatInt(max(0, int64(left/time.Second)), 10)
}
