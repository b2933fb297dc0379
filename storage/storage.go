package storage

import (
	"context"
	"errors"
	"io"
	"time"
)

// Store is an object store. Keys are slash-separated relative paths
// ("p/acme/shots/123/full.webp"): no leading slash, no "." or ".." segment,
// no empty segment, no NUL, at most 1024 bytes. Also valid UTF-8 without
// control characters (ValidateKey; the package documentation has the whole
// contract).
//
// Error contract: a missing key gives an error wrapping ErrNotFound; a key
// that breaks the rules above gives ErrInvalidKey; a ranged read outside the
// object gives ErrInvalidRange. Every call honours ctx.
type Store interface {
	// Put stores r under key, replacing any object there. size is the byte
	// count, or -1 when unknown.
	Put(ctx context.Context, key string, r io.Reader, size int64, opts PutOptions) error
	// Get opens key for reading; rng, when not nil, selects a byte range.
	// The returned Object describes the whole object.
	Get(ctx context.Context, key string, rng *Range) (io.ReadCloser, Object, error)
	// Head describes key without reading it.
	Head(ctx context.Context, key string) (Object, error)
	// Delete removes key; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
	// DeletePrefix removes every object whose key starts with prefix, in
	// batches, and returns how many it removed. Interrupted, it can be called
	// again and finishes the job.
	DeletePrefix(ctx context.Context, prefix string) (int, error)
	// List returns up to limit objects whose key starts with prefix, in key
	// order, after the continuation token (empty for the first page), and
	// the token for the next page (empty at the end).
	List(ctx context.Context, prefix, token string, limit int) ([]Object, string, error)
	// URL returns a URL at which key can be fetched with GET until ttl has
	// passed.
	URL(ctx context.Context, key string, ttl time.Duration) (string, error)
}

// PutOptions are the HTTP properties stored with an object.
type PutOptions struct {
	ContentType     string
	ContentEncoding string
	CacheControl    string
	Metadata        map[string]string // lower-case ASCII keys
}

// Object describes a stored object.
type Object struct {
	Key             string
	Size            int64
	ContentType     string
	ContentEncoding string
	CacheControl    string
	Metadata        map[string]string
	ModTime         time.Time
	ETag            string
}

// Range is an inclusive byte range [Start, End]; End < 0 means to the end.
type Range struct {
	Start, End int64
}

// Errors of the Store contract.
var (
	ErrNotFound     = errors.New("object not found")
	ErrInvalidKey   = errors.New("invalid object key")
	ErrInvalidRange = errors.New("invalid range")
	// ErrInvalidOptions reports PutOptions a backend cannot store
	// faithfully (metadata names outside [a-z0-9-], non-ASCII values, more
	// than 2 KB of metadata) or a URL lifetime outside (0, 7 days].
	ErrInvalidOptions = errors.New("invalid object options")
)
