package storage

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// DefaultURI is the store used when none is configured: a kiln-data
// folder in the working directory.
const DefaultURI = "kiln-data"

// ErrUnsupportedURI reports a store URI of an unknown scheme.
var ErrUnsupportedURI = errors.New("unsupported store URI")

// Open builds the store a URI names (KILN_STORE / --store):
//
//	file:///var/lib/kiln    folder at an absolute path
//	./kiln-data, /data      a bare path: folder
//	""                      DefaultURI
//	s3://bucket/prefix      S3; the rest from S3ConfigFromEnv, the URI's
//	                        bucket and prefix winning over KILN_S3_BUCKET
//	                        and KILN_S3_PREFIX
//
// A folder reads KILN_PUBLIC_URL (where the API serves /files/, default
// http://localhost:8080), KILN_URL_SECRET (URL signing key, any string of
// 16+ bytes; default a generated url.secret in the folder) and
// KILN_STORE_KEY (base64 of 32 bytes: encrypt at rest). The caller closes
// the store if it is an io.Closer (the folder is).
func Open(ctx context.Context, uri string, getenv func(string) string) (Store, error) {
	if uri == "" {
		uri = DefaultURI
	}
	scheme, rest, hasScheme := strings.Cut(uri, "://")
	if !hasScheme {
		return openFolder(uri, getenv)
	}
	switch strings.ToLower(scheme) {
	case "file":
		u, err := url.Parse(uri)
		if err != nil {
			return nil, fmt.Errorf("open store %q: %w", uri, err)
		}
		dir := u.Path
		if u.Host != "" && u.Host != "localhost" {
			dir = u.Host + u.Path // file://relative/dir
		}
		if dir == "" {
			return nil, fmt.Errorf("open store %q: %w: no path", uri, ErrUnsupportedURI)
		}
		return openFolder(dir, getenv)
	case "s3":
		bucket, prefix, _ := strings.Cut(rest, "/")
		cfg, err := S3ConfigFromEnv(getenv)
		if err != nil {
			return nil, fmt.Errorf("open store %q: %w", uri, err)
		}
		if bucket != "" {
			cfg.Bucket = bucket
		}
		if prefix != "" {
			cfg.Prefix = prefix
		}
		s, err := NewS3(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("open store %q: %w", uri, err)
		}
		return s, nil
	}
	return nil, fmt.Errorf("open store %q: %w: want file:///path, a path or s3://bucket/prefix", uri, ErrUnsupportedURI)
}

func openFolder(dir string, getenv func(string) string) (*Folder, error) {
	cfg := DefaultFolderConfig()
	cfg.Dir = dir
	if v := getenv("KILN_PUBLIC_URL"); v != "" {
		cfg.BaseURL = strings.TrimSuffix(v, "/")
	}
	if v := getenv("KILN_URL_SECRET"); v != "" {
		cfg.URLSecret = []byte(v)
	}
	if v := getenv("KILN_STORE_KEY"); v != "" {
		k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v))
		if err != nil || len(k) != 32 {
			return nil, fmt.Errorf("open store %s: KILN_STORE_KEY is not the base64 of 32 bytes (openssl rand -base64 32)", dir)
		}
		cfg.EncryptionKey = k
	}
	return NewFolder(cfg)
}
