package storage

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
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
// Both read KILN_STORE_KEY, the master key (base64 of 32 bytes): objects
// are sealed at rest, each project under a data key of its own. A folder
// without it uses the key in its FolderKeyFile if there is one (kiln dev
// makes it). Where URLs point at the API (a folder, or S3 with a master
// key) they are KILN_PUBLIC_URL/files/... (default http://localhost:8080),
// signed with KILN_URL_SECRET (any string of 16+ bytes; default a
// generated url.secret in a folder, a key derived from the master key on
// S3). The caller closes the store if it is an io.Closer (the folder is).
func Open(ctx context.Context, uri string, getenv func(string) string) (Store, error) {
	if uri == "" {
		uri = DefaultURI
	}
	if dir, ok, err := FolderDir(uri); err != nil {
		return nil, fmt.Errorf("open store %q: %w", uri, err)
	} else if ok {
		return openFolder(dir, getenv)
	}
	scheme, rest, _ := strings.Cut(uri, "://")
	if strings.ToLower(scheme) == "s3" {
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

// FolderDir is the directory of a folder store URI ("file:///path", a bare
// path, "" for DefaultURI); false for another scheme.
func FolderDir(uri string) (string, bool, error) {
	if uri == "" {
		uri = DefaultURI
	}
	scheme, _, hasScheme := strings.Cut(uri, "://")
	if !hasScheme {
		return uri, true, nil
	}
	if strings.ToLower(scheme) != "file" {
		return "", false, nil
	}
	u, err := url.Parse(uri)
	if err != nil {
		return "", false, err
	}
	dir := u.Path
	if u.Host != "" && u.Host != "localhost" {
		dir = u.Host + u.Path // file://relative/dir
	}
	if dir == "" {
		return "", false, fmt.Errorf("%w: no path", ErrUnsupportedURI)
	}
	return dir, true, nil
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
		k, err := parseMasterKey(v)
		if err != nil {
			return nil, fmt.Errorf("open store %s: KILN_STORE_KEY is %w", dir, err)
		}
		cfg.EncryptionKey = k
	} else if k, err := readKeyFile(filepath.Join(dir, FolderKeyFile)); err == nil {
		cfg.EncryptionKey = k
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	return NewFolder(cfg)
}
