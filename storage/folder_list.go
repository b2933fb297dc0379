package storage

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"syscall"
)

// List implements Store. Keys come in byte order; the token is the last
// key of the previous page. Objects carry every property.
func (f *Folder) List(ctx context.Context, prefix, token string, limit int) ([]Object, string, error) {
	if err := ValidatePrefix(prefix); err != nil {
		return nil, "", fmt.Errorf("list objects: %w", err)
	}
	if limit <= 0 || limit > MaxListLimit {
		limit = MaxListLimit
	}
	if err := ctx.Err(); err != nil {
		return nil, "", fmt.Errorf("list objects %s: %w", prefix, err)
	}
	keys, err := f.walk(ctx, prefix, token)
	if err != nil {
		return nil, "", fmt.Errorf("list objects %s: %w", prefix, err)
	}
	slices.Sort(keys)
	next := ""
	if len(keys) > limit {
		keys = keys[:limit]
		next = keys[limit-1]
	}
	objs := make([]Object, 0, len(keys))
	for _, k := range keys {
		o, err := f.listObject(ctx, k)
		if errors.Is(err, ErrNotFound) {
			continue // deleted since the walk
		}
		if err != nil {
			return nil, "", fmt.Errorf("list objects %s: %s: %w", prefix, k, err)
		}
		objs = append(objs, o)
	}
	return objs, next, nil
}

// listObject describes key for List. An object that does not decrypt (its
// project's key shredded, a deletion interrupted) is still listed, from
// what its file shows, so that deleting the prefix can finish.
func (f *Folder) listObject(ctx context.Context, key string) (Object, error) {
	fh, err := f.root.Open(objPath(key))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return Object{}, ErrNotFound
		}
		return Object{}, err
	}
	defer fh.Close()
	of, err := readFooter(fh)
	if err != nil {
		return Object{}, err
	}
	h, _, err := f.openFile(ctx, fh, key, of)
	if errors.Is(err, ErrCrypto) {
		return of.listed(key), nil
	}
	if err != nil {
		return Object{}, err
	}
	return h.object(key), nil
}

// walk returns the keys under prefix that sort after token, unordered.
func (f *Folder) walk(ctx context.Context, prefix, token string) ([]string, error) {
	start := "objects"
	if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
		start = "objects/" + prefix[:i]
	}
	var keys []string
	fsys := f.root.FS()
	err := fs.WalkDir(fsys, start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
				if p == start {
					return fs.SkipAll
				}
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if p == "objects" {
			return nil
		}
		key := strings.TrimPrefix(p, "objects/")
		if d.IsDir() {
			dirKey := key + "/"
			// Skip subtrees outside the prefix or wholly before the token.
			if !strings.HasPrefix(dirKey, prefix) && !strings.HasPrefix(prefix, dirKey) {
				return fs.SkipDir
			}
			if token != "" && dirKey < token && !strings.HasPrefix(token, dirKey) {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && strings.HasPrefix(key, prefix) && key > token {
			keys = append(keys, key)
		}
		return nil
	})
	return keys, err
}
