package feedback

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kilnrender/kiln/storage"
)

// Row is one line of a project's CSV export: an item, with what its jobs
// came to.
type Row struct {
	Item *Item
	// Status sums up the item's jobs: queued, done, failed, partial (one
	// done, one failed) or "" for an item without jobs.
	Status string
	// Results are the result objects' keys or signed URLs.
	Results []string
}

// csvFixed are the export's columns before the form fields and after
// them.
var (
	csvHead = []string{"id", "created", "type", "priority", "status", "outbound"}
	csvTail = []string{"browser", "os", "app_version", "url", "console", "network", "timeline", "errors", "results"}
)

// CSVHeader is the export's header for the given form field names: the
// fixed columns, one "form.<name>" column per field, then the essentials,
// counts and results.
func CSVHeader(formKeys []string) []string {
	h := append([]string(nil), csvHead...)
	for _, k := range formKeys {
		h = append(h, "form."+k)
	}
	return append(h, csvTail...)
}

// FormKeys collects the form field names across items, sorted, for
// CSVHeader (the first pass of an export; it keeps names only).
func FormKeys(items iter.Seq2[*Item, error]) ([]string, error) {
	set := map[string]bool{}
	for it, err := range items {
		if err != nil {
			return nil, err
		}
		for k := range it.Form {
			set[k] = true
		}
	}
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, nil
}

// WriteCSV streams rows as CSV, one line per row, holding one row at a
// time: memory does not grow with the number of items. Cells a
// spreadsheet would read as a formula (=, +, -, @, tab, CR first) are
// prefixed with a quote so they show as text.
func WriteCSV(w io.Writer, formKeys []string, rows iter.Seq2[Row, error]) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader(formKeys)); err != nil {
		return err
	}
	rec := make([]string, 0, len(csvHead)+len(formKeys)+len(csvTail))
	for r, err := range rows {
		if err != nil {
			cw.Flush()
			return err
		}
		it := r.Item
		rec = append(rec[:0], it.ID, it.Created.UTC().Format(time.RFC3339), it.Type, it.Priority, r.Status, it.Outbound)
		for _, k := range formKeys {
			rec = append(rec, cell(it.Form[k]))
		}
		e, c := it.Essentials, it.Counts
		rec = append(rec, e.Browser, e.OS, e.AppVersion, e.URL,
			strconv.Itoa(c.Console), strconv.Itoa(c.Network), strconv.Itoa(c.Timeline), strconv.Itoa(c.Errors),
			strings.Join(r.Results, " "))
		for i := range rec {
			rec[i] = neutralize(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// neutralize keeps a spreadsheet from evaluating a cell (CSV formula
// injection, OWASP's advice).
func neutralize(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Export writes project's items as CSV (WriteCSV): every feedback item,
// with its jobs' status and result keys, then every job submitted on its
// own (a screenshot or replay without an item) as a row of its kind. Two
// passes over the store (form field names, then rows), one item in memory
// at a time.
func Export(ctx context.Context, st storage.Store, project string, w io.Writer) error {
	keys, err := FormKeys(Items(ctx, st, project))
	if err != nil {
		return fmt.Errorf("export project %s: %w", project, err)
	}
	rows := func(yield func(Row, error) bool) {
		for it, err := range Items(ctx, st, project) {
			if err != nil {
				yield(Row{}, err)
				return
			}
			if !yield(rowOf(ctx, st, it), nil) {
				return
			}
		}
		for rec, err := range storage.ListItems(ctx, st, project) {
			if err != nil {
				yield(Row{}, err)
				return
			}
			if strings.HasSuffix(rec.ID, "-s") || strings.HasSuffix(rec.ID, "-r") {
				continue // a feedback item's job: on its item's row
			}
			it := &Item{ID: rec.ID, Project: project, Created: rec.Created, Type: string(rec.Kind)}
			if !yield(Row{Item: it, Status: string(rec.Status), Results: rec.Objects}, nil) {
				return
			}
		}
	}
	if err := WriteCSV(w, keys, rows); err != nil {
		return fmt.Errorf("export project %s: %w", project, err)
	}
	return nil
}

// rowOf reads an item's job records for its export row.
func rowOf(ctx context.Context, st storage.Store, it *Item) Row {
	r := Row{Item: it}
	var states []storage.Status
	for _, j := range []struct {
		id   string
		kind storage.Kind
	}{{it.Jobs.Screenshot, storage.KindScreenshot}, {it.Jobs.Replay, storage.KindReplay}} {
		if j.id == "" {
			continue
		}
		rec, err := storage.GetItem(ctx, st, it.Project, j.kind, j.id)
		if err != nil {
			continue
		}
		states = append(states, rec.Status)
		for _, o := range rec.Objects {
			if !strings.Contains(o, "/inputs/") {
				r.Results = append(r.Results, o)
			}
		}
	}
	r.Status = summarize(states)
	return r
}

func summarize(states []storage.Status) string {
	if len(states) == 0 {
		return ""
	}
	all := func(s storage.Status) bool {
		for _, x := range states {
			if x != s {
				return false
			}
		}
		return true
	}
	switch {
	case all(storage.StatusDone):
		return "done"
	case all(storage.StatusFailed):
		return "failed"
	case all(storage.StatusQueued):
		return "queued"
	}
	for _, x := range states {
		if x == storage.StatusQueued {
			return "queued"
		}
	}
	return "partial"
}

// Items reads project's feedback records in key order.
func Items(ctx context.Context, st storage.Store, project string) iter.Seq2[*Item, error] {
	return func(yield func(*Item, error) bool) {
		prefix, err := storage.FeedbackPrefix(project, "")
		if err != nil {
			yield(nil, err)
			return
		}
		token := ""
		for {
			objs, next, err := st.List(ctx, prefix, token, 500)
			if err != nil {
				yield(nil, err)
				return
			}
			for _, o := range objs {
				if !strings.HasSuffix(o.Key, "/item.json") {
					continue
				}
				it, err := ReadItem(ctx, st, o.Key)
				if errors.Is(err, storage.ErrNotFound) {
					continue // deleted meanwhile
				}
				if !yield(it, err) || err != nil {
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

// maxRecordBytes bounds a stored item record read back.
const maxRecordBytes = 16 << 20

// ReadItem reads a stored item record.
func ReadItem(ctx context.Context, st storage.Store, key string) (*Item, error) {
	var it Item
	if err := readRecord(ctx, st, key, &it); err != nil {
		return nil, err
	}
	return &it, nil
}

// ReadTimeline reads page n of a stored item's timeline.
func ReadTimeline(ctx context.Context, st storage.Store, project, id string, n int) ([]Entry, error) {
	key, err := storage.FeedbackTimeline(project, id, n)
	if err != nil {
		return nil, err
	}
	var page []Entry
	if err := readRecord(ctx, st, key, &page); err != nil {
		return nil, err
	}
	return page, nil
}

// readRecord reads a JSON record of at most maxRecordBytes into v;
// storage.ErrNotFound passes through.
func readRecord(ctx context.Context, st storage.Store, key string, v any) error {
	rc, _, err := st.Get(ctx, key, nil)
	if err != nil {
		return err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxRecordBytes+1))
	if err != nil {
		return err
	}
	if len(b) > maxRecordBytes {
		return fmt.Errorf("record %s: over %d bytes", key, maxRecordBytes)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("record %s: %w", key, err)
	}
	return nil
}
