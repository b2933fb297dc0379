package storage

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Status is where an item is in its life.
type Status string

// Item statuses.
const (
	StatusQueued  Status = "queued"
	StatusRunning Status = "running"
	StatusDone    Status = "done"
	StatusFailed  Status = "failed"
)

// Item is the small record kept for each screenshot or replay at
// Keys.Item(): what the dashboard lists, what Export writes, and what
// DeleteItem reads to find the item's objects.
type Item struct {
	ID      string    `json:"id"`
	Project string    `json:"project"`
	Kind    Kind      `json:"kind"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
	Status  Status    `json:"status"`
	// Bytes is the total size of the item's objects.
	Bytes int64 `json:"bytes"`
	// Objects are the keys of the item's objects, shared assets included.
	Objects  []string `json:"objects,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	// Error says why a failed item failed (public text only).
	Error string `json:"error,omitempty"`
}

// maxItemBytes bounds an item record read back: records are small, and a
// corrupt or hostile object must not exhaust memory.
const maxItemBytes = 1 << 20

// PutItem writes the record of it, replacing any earlier one. Created defaults
// to now; Updated is set to now.
func PutItem(ctx context.Context, s Store, it Item) error {
	k, err := ItemKeys(it.Project, it.Kind, it.ID)
	if err != nil {
		return fmt.Errorf("put item: %w", err)
	}
	now := time.Now().UTC()
	if it.Created.IsZero() {
		it.Created = now
	}
	it.Updated = now
	b, err := json.Marshal(it)
	if err != nil {
		return fmt.Errorf("put item %s: %w", it.ID, err)
	}
	if err := s.Put(ctx, k.Item(), bytes.NewReader(b), int64(len(b)), PutOptions{
		ContentType: "application/json", CacheControl: "no-store",
	}); err != nil {
		return fmt.Errorf("put item %s: %w", it.ID, err)
	}
	return nil
}

// GetItem reads an item's record; ErrNotFound if there is none.
func GetItem(ctx context.Context, s Store, project string, kind Kind, id string) (Item, error) {
	k, err := ItemKeys(project, kind, id)
	if err != nil {
		return Item{}, fmt.Errorf("get item: %w", err)
	}
	it, err := readItem(ctx, s, k.Item())
	if err != nil {
		return Item{}, fmt.Errorf("get item %s: %w", id, err)
	}
	return it, nil
}

func readItem(ctx context.Context, s Store, key string) (Item, error) {
	rc, _, err := s.Get(ctx, key, nil)
	if err != nil {
		return Item{}, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxItemBytes+1))
	if err != nil {
		return Item{}, err
	}
	if len(b) > maxItemBytes {
		return Item{}, fmt.Errorf("item record %s is larger than %d bytes", key, maxItemBytes)
	}
	var it Item
	if err := json.Unmarshal(b, &it); err != nil {
		return Item{}, fmt.Errorf("item record %s: %w", key, err)
	}
	return it, nil
}

// ListItems yields the project's items in key order (kind, then id). It
// reads the records a page at a time, 16 at once; a record deleted while
// listing is skipped. After an error it yields nothing more.
func ListItems(ctx context.Context, s Store, project string) iter.Seq2[Item, error] {
	return func(yield func(Item, error) bool) {
		prefix, err := ItemsPrefix(project)
		if err != nil {
			yield(Item{}, fmt.Errorf("list items: %w", err))
			return
		}
		token := ""
		for {
			objs, next, err := s.List(ctx, prefix, token, 500)
			if err != nil {
				yield(Item{}, fmt.Errorf("list items: %w", err))
				return
			}
			items, errs := make([]Item, len(objs)), make([]error, len(objs))
			sem := make(chan struct{}, 16)
			var wg sync.WaitGroup
			for i, o := range objs {
				if !strings.HasSuffix(o.Key, ".json") {
					errs[i] = ErrNotFound
					continue
				}
				sem <- struct{}{}
				wg.Go(func() {
					defer func() { <-sem }()
					items[i], errs[i] = readItem(ctx, s, o.Key)
				})
			}
			wg.Wait()
			for i := range objs {
				if errors.Is(errs[i], ErrNotFound) {
					continue
				}
				if errs[i] != nil {
					yield(Item{}, fmt.Errorf("list items: %w", errs[i]))
					return
				}
				if !yield(items[i], nil) {
					return
				}
			}
			if next == "" {
				return
			}
			token = next
		}
	}
}

// ExportHeader is the header row Export writes.
var ExportHeader = []string{"id", "kind", "created", "status", "bytes", "objects", "warnings"}

// Export writes the project's items to w as CSV (RFC 4180, encoding/csv):
// ExportHeader, then one row per item in ListItems order. created is
// RFC 3339 UTC; objects are ";"-joined; warnings are joined with newlines
// (quoted cells), and a cell that a spreadsheet would take for a formula
// (leading =, +, -, @, tab or CR) is prefixed with a single quote. Rows
// stream as they are read, so on error w holds a partial file: an HTTP
// handler should buffer or write to a temp file if it needs all-or-nothing.
func Export(ctx context.Context, s Store, project string, w io.Writer) error {
	if err := ValidateName(project); err != nil {
		return fmt.Errorf("export project: %w", err)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(ExportHeader); err != nil {
		return fmt.Errorf("export project %s: %w", project, err)
	}
	n := 0
	for it, err := range ListItems(ctx, s, project) {
		if err != nil {
			cw.Flush()
			return fmt.Errorf("export project %s: %w", project, err)
		}
		row := []string{
			it.ID, string(it.Kind), it.Created.UTC().Format(time.RFC3339), string(it.Status),
			strconv.FormatInt(it.Bytes, 10), strings.Join(it.Objects, ";"), strings.Join(it.Warnings, "\n"),
		}
		for i := range row {
			row[i] = csvSafe(row[i])
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("export project %s: %w", project, err)
		}
		if n++; n%256 == 0 {
			cw.Flush()
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export project %s: %w", project, err)
	}
	return nil
}

func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// DeleteItem removes one item: its outputs (Keys.Prefix), its input, the
// objects its record lists outside the shared assets, then the record
// itself, last, so an interrupted call can be repeated and finds its way.
// Deleting a missing item is not an error. Shared assets stay: other items
// may use them; SweepAssets removes those no item lists.
func DeleteItem(ctx context.Context, s Store, project string, kind Kind, id string) error {
	k, err := ItemKeys(project, kind, id)
	if err != nil {
		return fmt.Errorf("delete item: %w", err)
	}
	var extra []string
	it, err := readItem(ctx, s, k.Item())
	switch {
	case err == nil:
		assets := k.project() + "assets/"
		for _, o := range it.Objects {
			if strings.HasPrefix(o, k.project()) && !strings.HasPrefix(o, assets) && ValidateKey(o) == nil {
				extra = append(extra, o)
			}
		}
	case !errors.Is(err, ErrNotFound):
		return fmt.Errorf("delete item %s: %w", id, err)
	}
	if _, err := s.DeletePrefix(ctx, k.Prefix()); err != nil {
		return fmt.Errorf("delete item %s: %w", id, err)
	}
	if err := DeleteKeys(ctx, s, append(extra, k.Input())); err != nil {
		return fmt.Errorf("delete item %s: %w", id, err)
	}
	if err := s.Delete(ctx, k.Item()); err != nil {
		return fmt.Errorf("delete item %s: %w", id, err)
	}
	return nil
}

// DeleteProject removes every object of the project: first its outputs,
// inputs and assets, then the item records (so until the end the project
// still lists what is left), in pages of 1000 (one DeleteObjects request
// each on S3). progress, when not nil, gets the running count after each
// batch. Interrupted, it can be called again and finishes the job; when it
// returns nil, listing the project's prefix returns nothing.
//
// On a store that seals projects under keys of their own (a Shredder with
// a master key) it shreds first: the project's data key is destroyed
// before any object is touched, so even an interrupted deletion leaves
// nothing readable, and every copy of the objects (a backup, an S3
// version) is unreadable too. It destroys the key once more at the end,
// should a write racing with the deletion have created a new one: an
// object such a write left is unreadable, and the next DeleteProject
// removes it.
func DeleteProject(ctx context.Context, s Store, project string, progress func(n int)) error {
	return deleteProject(ctx, s, project, progress, false)
}

// ShredProject is DeleteProject for stores that can shred: it refuses,
// with ErrNotEncrypted and before deleting anything, a store that does not
// seal projects under keys of their own, where deleting would leave copies
// readable. Use it where erasure must reach backups.
func ShredProject(ctx context.Context, s Store, project string, progress func(n int)) error {
	return deleteProject(ctx, s, project, progress, true)
}

// shredKey destroys the project's key when s has one: false when s does
// not encrypt.
func shredKey(ctx context.Context, s Store, project string) (bool, error) {
	sh, ok := s.(Shredder)
	if !ok {
		return false, nil
	}
	if err := sh.ShredKey(ctx, project); errors.Is(err, ErrNotEncrypted) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return true, nil
}

func deleteProject(ctx context.Context, s Store, project string, progress func(n int), mustShred bool) error {
	prefix, err := ProjectPrefix(project)
	if err != nil {
		return fmt.Errorf("delete project: %w", err)
	}
	shredded, err := shredKey(ctx, s, project)
	if err != nil {
		return fmt.Errorf("delete project %s: %w", project, err)
	}
	if mustShred && !shredded {
		return fmt.Errorf("shred project %s: %w: deleting would leave copies readable", project, ErrNotEncrypted)
	}
	items := prefix + "items/"
	total := 0
	report := func(n int) {
		total += n
		if progress != nil && n > 0 {
			progress(total)
		}
	}
	// Pass 1: everything but the records, walking with a token (deleting
	// behind the cursor does not disturb it).
	token := ""
	for {
		objs, next, err := s.List(ctx, prefix, token, MaxListLimit)
		if err != nil {
			return fmt.Errorf("delete project %s: %w", project, err)
		}
		var keys []string
		for _, o := range objs {
			if !strings.HasPrefix(o.Key, items) {
				keys = append(keys, o.Key)
			}
		}
		if len(keys) > 0 {
			if err := DeleteKeys(ctx, s, keys); err != nil {
				return fmt.Errorf("delete project %s: %w", project, err)
			}
			report(len(keys))
		}
		if next == "" {
			break
		}
		token = next
	}
	// Pass 2: the records, then anything written meanwhile.
	for _, p := range []string{items, prefix} {
		for {
			objs, _, err := s.List(ctx, p, "", MaxListLimit)
			if err != nil {
				return fmt.Errorf("delete project %s: %w", project, err)
			}
			if len(objs) == 0 {
				break
			}
			keys := make([]string, len(objs))
			for i, o := range objs {
				keys[i] = o.Key
			}
			if err := DeleteKeys(ctx, s, keys); err != nil {
				return fmt.Errorf("delete project %s: %w", project, err)
			}
			report(len(keys))
		}
	}
	// Lets a backend finish its own way (S3 aborts unfinished uploads).
	n, err := s.DeletePrefix(ctx, prefix)
	if err != nil {
		return fmt.Errorf("delete project %s: %w", project, err)
	}
	report(n)
	if shredded {
		if _, err := shredKey(ctx, s, project); err != nil {
			return fmt.Errorf("delete project %s: %w", project, err)
		}
	}
	return nil
}

// SweepAssets deletes the project's shared assets that no item record
// lists and that are older than grace (an asset uploaded for a job whose
// record is not written yet must survive: give grace well above the
// longest job). It returns how many it deleted.
func SweepAssets(ctx context.Context, s Store, project string, grace time.Duration) (int, error) {
	prefix, err := ProjectPrefix(project)
	if err != nil {
		return 0, fmt.Errorf("sweep assets: %w", err)
	}
	used := map[string]bool{}
	for it, err := range ListItems(ctx, s, project) {
		if err != nil {
			return 0, fmt.Errorf("sweep assets %s: %w", project, err)
		}
		for _, o := range it.Objects {
			used[o] = true
		}
	}
	cutoff := time.Now().Add(-grace)
	n, token := 0, ""
	for {
		objs, next, err := s.List(ctx, prefix+"assets/", token, MaxListLimit)
		if err != nil {
			return n, fmt.Errorf("sweep assets %s: %w", project, err)
		}
		var keys []string
		for _, o := range objs {
			if !used[o.Key] && o.ModTime.Before(cutoff) {
				keys = append(keys, o.Key)
			}
		}
		if err := DeleteKeys(ctx, s, keys); err != nil {
			return n, fmt.Errorf("sweep assets %s: %w", project, err)
		}
		n += len(keys)
		if next == "" {
			return n, nil
		}
		token = next
	}
}
