package storage_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kilnrender/kiln/storage"
)

func TestLayout(t *testing.T) {
	k, err := storage.ItemKeys("acme", storage.KindScreenshot, "01hx9")
	if err != nil {
		t.Fatal(err)
	}
	for got, want := range map[string]string{
		k.ShotImage("webp"): "p/acme/shots/01hx9/full.webp",
		k.ShotImage("jpg"):  "p/acme/shots/01hx9/full.jpeg",
		k.ShotImage("png"):  "p/acme/shots/01hx9/full.png",
		k.ShotImage("../x"): "p/acme/shots/01hx9/full.bin",
		k.ShotThumb():       "p/acme/shots/01hx9/thumb.jpg",
		k.ShotRender():      "p/acme/shots/01hx9/render.json",
		k.Input():           "p/acme/inputs/01hx9",
		k.Item():            "p/acme/items/screenshot-01hx9.json",
		k.Prefix():          "p/acme/shots/01hx9/",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
		if err := storage.ValidateKey(strings.TrimSuffix(got, "/")); err != nil {
			t.Errorf("%q: %v", got, err)
		}
	}
	r, _ := storage.ItemKeys("acme", storage.KindReplay, "r-1")
	for got, want := range map[string]string{
		r.ReplayManifest():   "p/acme/replays/r-1/manifest.json",
		r.ReplaySegment(12):  "p/acme/replays/r-1/segments/12.json.gz",
		r.Item():             "p/acme/items/replay-r-1.json",
		r.Prefix():           "p/acme/replays/r-1/",
		mustAsset(t, "acme"): "p/acme/assets/" + strings.Repeat("ab", 32),
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	for _, c := range []struct {
		project, id string
		kind        storage.Kind
	}{
		{"", "a", storage.KindScreenshot}, {"Acme", "a", storage.KindScreenshot}, {"acme", "../a", storage.KindScreenshot},
		{"acme", "-a", storage.KindScreenshot}, {"acme", strings.Repeat("a", 64), storage.KindScreenshot},
		{"acme", "a/b", storage.KindScreenshot}, {"acme", "a", "video"}, {"ac me", "a", storage.KindReplay},
	} {
		if _, err := storage.ItemKeys(c.project, c.kind, c.id); !errors.Is(err, storage.ErrInvalidName) {
			t.Errorf("ItemKeys(%q, %q, %q): %v, want ErrInvalidName", c.project, c.kind, c.id, err)
		}
	}
	if _, err := storage.ItemKeys("a", storage.KindReplay, strings.Repeat("a", 63)); err != nil {
		t.Errorf("63-byte id: %v", err)
	}
	if _, err := storage.AssetKey("acme", "ABC"); !errors.Is(err, storage.ErrInvalidName) {
		t.Errorf("AssetKey with a bad hash: %v", err)
	}
}

func mustAsset(t *testing.T, project string) string {
	k, err := storage.AssetKey(project, strings.Repeat("ab", 32))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestItemRecord(t *testing.T) {
	s := newFolder(t, nil)
	ctx := t.Context()
	created := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	it := storage.Item{ID: "s1", Project: "acme", Kind: storage.KindScreenshot, Created: created, Status: storage.StatusDone,
		Bytes: 1234, Objects: []string{"p/acme/shots/s1/full.webp"}, Warnings: []string{"font fallback"}}
	if err := storage.PutItem(ctx, s, it); err != nil {
		t.Fatal(err)
	}
	got, err := storage.GetItem(ctx, s, "acme", storage.KindScreenshot, "s1")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "s1" || !got.Created.Equal(created) || got.Status != storage.StatusDone || got.Bytes != 1234 ||
		!slices.Equal(got.Objects, it.Objects) || !slices.Equal(got.Warnings, it.Warnings) || time.Since(got.Updated) > time.Minute {
		t.Errorf("GetItem = %+v", got)
	}
	if _, err := storage.GetItem(ctx, s, "acme", storage.KindReplay, "s1"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("GetItem of another kind: %v, want ErrNotFound", err)
	}
	if err := storage.PutItem(ctx, s, storage.Item{ID: "x", Project: "acme", Kind: "video"}); !errors.Is(err, storage.ErrInvalidName) {
		t.Errorf("PutItem with a bad kind: %v", err)
	}
}

// fillProject stores n screenshot items of project, each with an image, a
// thumbnail and its record (3n objects), 32 at a time; every tenth item
// also lists a shared asset, and fails with a warning.
func fillProject(t testing.TB, s storage.Store, project string, n int) {
	ctx := context.Background()
	asset, _ := storage.AssetKey(project, strings.Repeat("0f", 32))
	if err := s.Put(ctx, asset, strings.NewReader("font"), 4, storage.PutOptions{ContentType: "font/woff2"}); err != nil {
		t.Fatal(err)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for i := range jobs {
				id := fmt.Sprintf("s%04d", i)
				k, _ := storage.ItemKeys(project, storage.KindScreenshot, id)
				img := bytes.Repeat([]byte{byte(i)}, 100+i)
				it := storage.Item{ID: id, Project: project, Kind: storage.KindScreenshot, Status: storage.StatusDone,
					Created: time.Unix(1_780_000_000+int64(i), 0).UTC(), Bytes: int64(len(img) + 3),
					Objects: []string{k.ShotImage("webp"), k.ShotThumb()}}
				if i%10 == 0 {
					it.Status, it.Warnings = storage.StatusFailed, []string{"=HYPERLINK(\"x\")", "blank render"}
					it.Objects = append(it.Objects, asset)
				}
				for _, o := range []struct {
					key string
					b   []byte
				}{{k.ShotImage("webp"), img}, {k.ShotThumb(), []byte("jpg")}} {
					if err := s.Put(ctx, o.key, bytes.NewReader(o.b), int64(len(o.b)), storage.PutOptions{ContentType: "image/webp"}); err != nil {
						t.Error(err)
					}
				}
				if err := storage.PutItem(ctx, s, it); err != nil {
					t.Error(err)
				}
			}
		})
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
}

func countPrefix(t testing.TB, s storage.Store, prefix string) int {
	n, token := 0, ""
	for {
		objs, next, err := s.List(context.Background(), prefix, token, 1000)
		if err != nil {
			t.Fatal(err)
		}
		n += len(objs)
		if next == "" {
			return n
		}
		token = next
	}
}

// testProjectLifecycle: 1000 items (3001 objects) exported, then deleted.
func testProjectLifecycle(t *testing.T, s storage.Store) {
	const n = 1000
	start := time.Now()
	fillProject(t, s, "big", n)
	fillProject(t, s, "other", 3)
	t.Logf("stored %d objects in %v", 3*n+1, time.Since(start))
	ctx := t.Context()
	if got := countPrefix(t, s, "p/big/"); got != 3*n+1 {
		t.Fatalf("project holds %d objects, want %d", got, 3*n+1)
	}

	var buf bytes.Buffer
	start = time.Now()
	if err := storage.Export(ctx, s, "big", &buf); err != nil {
		t.Fatal(err)
	}
	t.Logf("exported %d items (%d bytes of CSV) in %v", n, buf.Len(), time.Since(start))
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("export is not valid CSV: %v", err)
	}
	if len(rows) != n+1 || !slices.Equal(rows[0], storage.ExportHeader) {
		t.Fatalf("export: %d rows, header %q", len(rows), rows[0])
	}
	for i, row := range rows[1:] {
		id := fmt.Sprintf("s%04d", i)
		k, _ := storage.ItemKeys("big", storage.KindScreenshot, id)
		want := []string{id, "screenshot", time.Unix(1_780_000_000+int64(i), 0).UTC().Format(time.RFC3339), "done",
			strconv.Itoa(100 + i + 3), k.ShotImage("webp") + ";" + k.ShotThumb(), ""}
		if i%10 == 0 {
			want[3], want[6] = "failed", "'=HYPERLINK(\"x\")\nblank render"
			want[5] += ";" + mustAsset0("big")
		}
		if !slices.Equal(row, want) {
			t.Fatalf("row %d:\n got %q\nwant %q", i+1, row, want)
		}
	}

	var calls []int
	start = time.Now()
	if err := storage.DeleteProject(ctx, s, "big", func(n int) { calls = append(calls, n) }); err != nil {
		t.Fatal(err)
	}
	t.Logf("deleted %d objects in %v (%d progress calls)", 3*n+1, time.Since(start), len(calls))
	if len(calls) < 3 || calls[len(calls)-1] != 3*n+1 || !slices.IsSorted(calls) {
		t.Errorf("progress calls %v, want a rising count ending at %d", calls, 3*n+1)
	}
	if got := countPrefix(t, s, "p/big/"); got != 0 {
		t.Errorf("after DeleteProject, %d objects remain", got)
	}
	if got := countPrefix(t, s, "p/other/"); got != 3*3+1 {
		t.Errorf("DeleteProject touched another project: %d objects left, want 10", got)
	}
	// Again: nothing to do, no error.
	if err := storage.DeleteProject(ctx, s, "big", nil); err != nil {
		t.Errorf("second DeleteProject: %v", err)
	}
	buf.Reset()
	if err := storage.Export(ctx, s, "big", &buf); err != nil || strings.Count(buf.String(), "\n") != 1 {
		t.Errorf("export of a deleted project: %q, %v; want the header only", buf.String(), err)
	}
}

func mustAsset0(project string) string {
	k, _ := storage.AssetKey(project, strings.Repeat("0f", 32))
	return k
}

func TestProjectLifecycleFolder(t *testing.T) {
	t.Parallel()
	testProjectLifecycle(t, newFolder(t, nil))
}

func TestProjectLifecycleS3(t *testing.T) {
	t.Parallel()
	testProjectLifecycle(t, newS3(t, nil))
}

func testDeleteItem(t *testing.T, s storage.Store) {
	ctx := t.Context()
	fillProject(t, s, "acme", 12)
	k, _ := storage.ItemKeys("acme", storage.KindScreenshot, "s0000")
	if err := s.Put(ctx, k.Input(), strings.NewReader("{}"), 2, storage.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, k.ShotRender(), strings.NewReader("{}"), 2, storage.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	before := countPrefix(t, s, "p/acme/")
	if err := storage.DeleteItem(ctx, s, "acme", storage.KindScreenshot, "s0000"); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{k.ShotImage("webp"), k.ShotThumb(), k.ShotRender(), k.Input(), k.Item()} {
		if _, err := s.Head(ctx, key); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("after DeleteItem, %s: %v", key, err)
		}
	}
	if got := countPrefix(t, s, "p/acme/"); got != before-5 {
		t.Errorf("DeleteItem removed %d objects, want 5", before-got)
	}
	if countPrefix(t, s, "p/acme/shots/s0000") != 0 {
		t.Error("orphans under the item's prefix")
	}
	// The asset is still listed by s0010: the sweep keeps it.
	if n, err := storage.SweepAssets(ctx, s, "acme", 0); err != nil || n != 0 {
		t.Errorf("SweepAssets with the asset in use: %d, %v", n, err)
	}
	if err := storage.DeleteItem(ctx, s, "acme", storage.KindScreenshot, "s0010"); err != nil {
		t.Fatal(err)
	}
	if n, err := storage.SweepAssets(ctx, s, "acme", time.Hour); err != nil || n != 0 {
		t.Errorf("SweepAssets within grace: %d, %v; want 0", n, err)
	}
	if n, err := storage.SweepAssets(ctx, s, "acme", -time.Second); err != nil || n != 1 {
		t.Errorf("SweepAssets of the unused asset: %d, %v; want 1", n, err)
	}
	if err := storage.DeleteItem(ctx, s, "acme", storage.KindScreenshot, "s0000"); err != nil {
		t.Errorf("DeleteItem again: %v", err)
	}
	if got := countPrefix(t, s, "p/acme/"); got != before-5-3-1 {
		t.Errorf("%d objects left, want %d", got, before-9)
	}
}

func TestDeleteItemFolder(t *testing.T) {
	t.Parallel()
	testDeleteItem(t, newFolder(t, randKey()))
}

func TestDeleteItemS3(t *testing.T) {
	t.Parallel()
	testDeleteItem(t, newS3(t, nil))
}
