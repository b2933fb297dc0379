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
		fh, h, _, err := f.openObject(k)
		if errors.Is(err, ErrNotFound) {
			continue // deleted since the walk
		}
		if err != nil {
			return nil, "", fmt.Errorf("list objects %s: %s: %w", prefix, k, err)
		}
		fh.Close()
		objs = append(objs, h.object(k))
	}
	return objs, next, nil
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
