// Package storagetest is the conformance suite every storage.Store passes.
//
// A backend's test calls Run with a constructor that returns a fresh, empty
// store for each subtest (a new folder, a new bucket). Subtests run in
// parallel; URL tests fetch with net/http, so the store's URLs must be
// served (for the folder backend, start an httptest.Server on its Handler
// before returning it).
package storagetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kilnrender/kiln/storage"
)

// Run runs the conformance suite against the stores newStore returns.
func Run(t *testing.T, newStore func(t *testing.T) storage.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s storage.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"UnknownSize", testUnknownSize},
		{"SizeMismatch", testSizeMismatch},
		{"Empty", testEmpty},
		{"Ranges", testRanges},
		{"Missing", testMissing},
		{"InvalidKeys", testInvalidKeys},
		{"InvalidOptions", testInvalidOptions},
		{"Overwrite", testOverwrite},
		{"ConcurrentOverwrite", testConcurrentOverwrite},
		{"ListPagination", testListPagination},
		{"DeletePrefix", testDeletePrefix},
		{"URL", testURL},
		{"URLExpired", testURLExpired},
		{"Cancel", testCancel},
		{"ProjectKeys", testProjectKeys},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, newStore(t))
		})
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func payload(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func put(t *testing.T, s storage.Store, key string, b []byte, o storage.PutOptions) {
	t.Helper()
	if err := s.Put(ctxT(t), key, bytes.NewReader(b), int64(len(b)), o); err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
}

func get(t *testing.T, s storage.Store, key string, rng *storage.Range) ([]byte, storage.Object) {
	t.Helper()
	rc, obj, err := s.Get(ctxT(t), key, rng)
	if err != nil {
		t.Fatalf("Get(%q, %v): %v", key, rng, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("Get(%q): read: %v", key, err)
	}
	return b, obj
}

func testRoundTrip(t *testing.T, s storage.Store) {
	data := payload(300<<10, 1)
	opts := storage.PutOptions{
		ContentType:     "image/webp",
		ContentEncoding: "identity",
		CacheControl:    "private, max-age=3600",
		Metadata:        map[string]string{"project": "acme", "render-ms": "412"},
	}
	before := time.Now().Add(-time.Minute)
	put(t, s, "p/acme/shots/a1/full.webp", data, opts)
	got, obj := get(t, s, "p/acme/shots/a1/full.webp", nil)
	if !bytes.Equal(got, data) {
		t.Fatalf("Get returned %d bytes, not the %d put", len(got), len(data))
	}
	head, err := s.Head(ctxT(t), "p/acme/shots/a1/full.webp")
	if err != nil {
		t.Fatalf("Head: %v", err)
	}
	for name, o := range map[string]storage.Object{"Get": obj, "Head": head} {
		if o.Key != "p/acme/shots/a1/full.webp" || o.Size != int64(len(data)) {
			t.Errorf("%s: key %q size %d, want %q %d", name, o.Key, o.Size, "p/acme/shots/a1/full.webp", len(data))
		}
		if o.ContentType != opts.ContentType || o.ContentEncoding != opts.ContentEncoding || o.CacheControl != opts.CacheControl {
			t.Errorf("%s: properties %q %q %q, want %q %q %q", name, o.ContentType, o.ContentEncoding, o.CacheControl,
				opts.ContentType, opts.ContentEncoding, opts.CacheControl)
		}
		if len(o.Metadata) != 2 || o.Metadata["project"] != "acme" || o.Metadata["render-ms"] != "412" {
			t.Errorf("%s: metadata %v, want %v", name, o.Metadata, opts.Metadata)
		}
		if o.ModTime.Before(before) || o.ModTime.After(time.Now().Add(time.Minute)) {
			t.Errorf("%s: mod time %v is not about now", name, o.ModTime)
		}
		if o.ETag == "" {
			t.Errorf("%s: empty ETag", name)
		}
	}
	if obj.ETag != head.ETag {
		t.Errorf("ETag differs between Get %q and Head %q", obj.ETag, head.ETag)
	}
}

// onlyReader hides every interface but io.Reader (no Seek, no WriterTo).
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

func testUnknownSize(t *testing.T, s storage.Store) {
	data := payload(1<<20+17, 2)
	pr, pw := io.Pipe()
	go func() {
		for b := data; len(b) > 0; {
			n := min(len(b), 7000)
			pw.Write(b[:n])
			b = b[n:]
		}
		pw.Close()
	}()
	if err := s.Put(ctxT(t), "stream/x.bin", onlyReader{pr}, -1, storage.PutOptions{ContentType: "application/octet-stream"}); err != nil {
		t.Fatalf("Put of a non-seekable reader of unknown size: %v", err)
	}
	got, obj := get(t, s, "stream/x.bin", nil)
	if !bytes.Equal(got, data) || obj.Size != int64(len(data)) {
		t.Fatalf("got %d bytes (size %d), want %d", len(got), obj.Size, len(data))
	}
	// Known size, non-seekable.
	if err := s.Put(ctxT(t), "stream/y.bin", onlyReader{bytes.NewReader(data)}, int64(len(data)), storage.PutOptions{}); err != nil {
		t.Fatalf("Put of a non-seekable reader of known size: %v", err)
	}
	if got, _ := get(t, s, "stream/y.bin", nil); !bytes.Equal(got, data) {
		t.Fatalf("got %d bytes, want %d", len(got), len(data))
	}
}

func testSizeMismatch(t *testing.T, s storage.Store) {
	for _, c := range []struct{ n, size int }{{5, 10}, {10, 5}} {
		key := fmt.Sprintf("mismatch/%d-%d", c.n, c.size)
		err := s.Put(ctxT(t), key, onlyReader{bytes.NewReader(payload(c.n, 3))}, int64(c.size), storage.PutOptions{})
		if err == nil {
			t.Errorf("Put of %d bytes declared as %d: no error", c.n, c.size)
		}
		if _, err := s.Head(ctxT(t), key); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("after a failed Put, Head(%q) = %v, want ErrNotFound", key, err)
		}
	}
}

func testEmpty(t *testing.T, s storage.Store) {
	put(t, s, "empty", nil, storage.PutOptions{ContentType: "text/plain"})
	got, obj := get(t, s, "empty", nil)
	if len(got) != 0 || obj.Size != 0 || obj.ContentType != "text/plain" {
		t.Fatalf("empty object: %d bytes, size %d, type %q", len(got), obj.Size, obj.ContentType)
	}
	if _, _, err := s.Get(ctxT(t), "empty", &storage.Range{Start: 0, End: -1}); !errors.Is(err, storage.ErrInvalidRange) {
		t.Fatalf("range on an empty object: %v, want ErrInvalidRange", err)
	}
}

func testRanges(t *testing.T, s storage.Store) {
	data := payload(200_000, 4) // several encryption chunks
	put(t, s, "r/obj", data, storage.PutOptions{ContentType: "application/octet-stream"})
	for _, c := range []struct{ start, end, wantStart, wantEnd int64 }{
		{0, 0, 0, 0},
		{10, 19, 10, 19},
		{65530, 65550, 65530, 65550}, // across a 64 KiB boundary
		{199_990, -1, 199_990, 199_999},
		{199_995, 500_000, 199_995, 199_999}, // end clamped
		{0, -1, 0, 199_999},
	} {
		got, obj := get(t, s, "r/obj", &storage.Range{Start: c.start, End: c.end})
		if want := data[c.wantStart : c.wantEnd+1]; !bytes.Equal(got, want) {
			t.Errorf("range [%d,%d]: got %d bytes, want %d (data differs: %v)", c.start, c.end, len(got), len(want), len(got) == len(want))
		}
		if obj.Size != int64(len(data)) {
			t.Errorf("range [%d,%d]: Object.Size %d, want the whole %d", c.start, c.end, obj.Size, len(data))
		}
	}
	for _, r := range []storage.Range{{Start: 200_000, End: -1}, {Start: 300_000, End: 300_010}, {Start: -1, End: 5}, {Start: 20, End: 10}} {
		rc, _, err := s.Get(ctxT(t), "r/obj", &r)
		if !errors.Is(err, storage.ErrInvalidRange) {
			if rc != nil {
				rc.Close()
			}
			t.Errorf("range [%d,%d]: err %v, want ErrInvalidRange", r.Start, r.End, err)
		}
	}
}

func testMissing(t *testing.T, s storage.Store) {
	ctx := ctxT(t)
	if _, _, err := s.Get(ctx, "no/such/key", nil); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Get missing: %v, want ErrNotFound", err)
	}
	if _, _, err := s.Get(ctx, "no/such/key", &storage.Range{Start: 0, End: 9}); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("ranged Get missing: %v, want ErrNotFound", err)
	}
	if _, err := s.Head(ctx, "no/such/key"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Head missing: %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, "no/such/key"); err != nil {
		t.Errorf("Delete missing: %v, want nil", err)
	}
	objs, next, err := s.List(ctx, "no/such/", "", 10)
	if err != nil || len(objs) != 0 || next != "" {
		t.Errorf("List of an empty prefix: %d objects, token %q, err %v", len(objs), next, err)
	}
	put(t, s, "gone", []byte("x"), storage.PutOptions{})
	if err := s.Delete(ctx, "gone"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Head(ctx, "gone"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Head after Delete: %v, want ErrNotFound", err)
	}
}

var invalidKeys = []string{
	"", "../x", "a/../b", "a/..", "/abs", "a//b", "a/", "./a", "a/./b", "a\x00b", "a\nb", "\xff\xfe",
	strings.Repeat("a", storage.MaxKeyLen+1),
}

func testInvalidKeys(t *testing.T, s storage.Store) {
	ctx := ctxT(t)
	for _, k := range invalidKeys {
		name := fmt.Sprintf("%.40q", k)
		if err := s.Put(ctx, k, strings.NewReader("x"), 1, storage.PutOptions{}); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("Put(%s): %v, want ErrInvalidKey", name, err)
		}
		if _, _, err := s.Get(ctx, k, nil); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("Get(%s): %v, want ErrInvalidKey", name, err)
		}
		if _, err := s.Head(ctx, k); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("Head(%s): %v, want ErrInvalidKey", name, err)
		}
		if err := s.Delete(ctx, k); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("Delete(%s): %v, want ErrInvalidKey", name, err)
		}
		if _, err := s.URL(ctx, k, time.Minute); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("URL(%s): %v, want ErrInvalidKey", name, err)
		}
	}
	for _, p := range []string{"../", "/abs/", "a//", "a\x00", ""} {
		if _, err := s.DeletePrefix(ctx, p); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("DeletePrefix(%q): %v, want ErrInvalidKey", p, err)
		}
	}
	if _, _, err := s.List(ctx, "../", "", 10); !errors.Is(err, storage.ErrInvalidKey) {
		t.Errorf("List(\"../\"): %v, want ErrInvalidKey", err)
	}
	// Unusual but valid keys work.
	for _, k := range []string{"a b/c%20d/e+f?g#h&i.txt", "ünï/cödé", "..a/b..", strings.Repeat("k", 200)} {
		put(t, s, k, []byte(k), storage.PutOptions{})
		if got, _ := get(t, s, k, nil); string(got) != k {
			t.Errorf("key %q: got %q", k, got)
		}
	}
}

func testInvalidOptions(t *testing.T, s storage.Store) {
	ctx := ctxT(t)
	for _, m := range []map[string]string{
		{"Upper": "x"}, {"under_score": "x"}, {"": "x"}, {"ok": "ünïcode"}, {"big": strings.Repeat("v", 3000)},
	} {
		if err := s.Put(ctx, "opts", strings.NewReader("x"), 1, storage.PutOptions{Metadata: m}); !errors.Is(err, storage.ErrInvalidOptions) {
			t.Errorf("Put with metadata %.40v: %v, want ErrInvalidOptions", m, err)
		}
	}
	for _, ttl := range []time.Duration{0, -time.Second, storage.MaxURLTTL + time.Second} {
		if _, err := s.URL(ctx, "opts", ttl); !errors.Is(err, storage.ErrInvalidOptions) {
			t.Errorf("URL with ttl %v: %v, want ErrInvalidOptions", ttl, err)
		}
	}
}

func testOverwrite(t *testing.T, s storage.Store) {
	a, b := payload(40_000, 5), payload(1000, 6)
	put(t, s, "ow", a, storage.PutOptions{ContentType: "image/png", Metadata: map[string]string{"v": "1"}})
	h1, _ := s.Head(ctxT(t), "ow")
	put(t, s, "ow", b, storage.PutOptions{ContentType: "image/jpeg"})
	got, obj := get(t, s, "ow", nil)
	if !bytes.Equal(got, b) || obj.Size != int64(len(b)) || obj.ContentType != "image/jpeg" || len(obj.Metadata) != 0 {
		t.Fatalf("after overwrite: %d bytes, size %d, type %q, metadata %v", len(got), obj.Size, obj.ContentType, obj.Metadata)
	}
	if obj.ETag == h1.ETag {
		t.Errorf("ETag %q unchanged after overwrite with different bytes", obj.ETag)
	}
}

func testConcurrentOverwrite(t *testing.T, s storage.Store) {
	const n = 6
	datas := make([][]byte, n)
	for i := range datas {
		datas[i] = payload(150_000+i, uint64(100+i))
	}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if err := s.Put(ctxT(t), "race", bytes.NewReader(datas[i]), int64(len(datas[i])), storage.PutOptions{}); err != nil {
				t.Errorf("Put %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	got, _ := get(t, s, "race", nil)
	for _, d := range datas {
		if bytes.Equal(got, d) {
			return
		}
	}
	t.Fatalf("after concurrent Puts the object (%d bytes) is none of the versions written", len(got))
}

func testListPagination(t *testing.T, s storage.Store) {
	keys := []string{"l/B", "l/a", "l/a-1", "l/a.x", "l/a0", "l/b/1", "l/b/2", "l/b/10", "l/b/c/d/e", "l/b-c", "l/z", "l/é"}
	for i := range 21 {
		keys = append(keys, fmt.Sprintf("l/n/%03d", i))
	}
	outside := []string{"lx", "m/x", "k/l/a"}
	var wg sync.WaitGroup
	for _, k := range append(slices.Clone(keys), outside...) {
		wg.Go(func() {
			if err := s.Put(ctxT(t), k, strings.NewReader(k), int64(len(k)), storage.PutOptions{}); err != nil {
				t.Errorf("Put(%q): %v", k, err)
			}
		})
	}
	wg.Wait()
	want := slices.Clone(keys)
	slices.Sort(want)

	var got []string
	token, pages := "", 0
	for {
		objs, next, err := s.List(ctxT(t), "l/", token, 7)
		if err != nil {
			t.Fatalf("List page %d: %v", pages, err)
		}
		if len(objs) > 7 {
			t.Fatalf("page %d has %d objects, limit 7", pages, len(objs))
		}
		for _, o := range objs {
			got = append(got, o.Key)
			if o.Size != int64(len(o.Key)) || o.ETag == "" || o.ModTime.IsZero() {
				t.Errorf("listed %q: size %d etag %q mtime %v", o.Key, o.Size, o.ETag, o.ModTime)
			}
		}
		pages++
		if next == "" {
			break
		}
		if pages > 20 {
			t.Fatal("List does not end")
		}
		token = next
	}
	if !slices.Equal(got, want) {
		t.Fatalf("List in pages of 7:\n got %q\nwant %q", got, want)
	}
	if pages != 5 {
		t.Errorf("%d keys in pages of 7 took %d pages, want 5", len(want), pages)
	}
	// A partial last segment is a plain string prefix.
	objs, _, err := s.List(ctxT(t), "l/a", "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var sub []string
	for _, o := range objs {
		sub = append(sub, o.Key)
	}
	if w := []string{"l/a", "l/a-1", "l/a.x", "l/a0"}; !slices.Equal(sub, w) {
		t.Errorf("List(\"l/a\") = %q, want %q", sub, w)
	}
}

func testDeletePrefix(t *testing.T, s storage.Store) {
	const n = 2000
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for i := range jobs {
				k := fmt.Sprintf("d/%02d/%04d.json", i%37, i)
				if err := s.Put(ctxT(t), k, strings.NewReader("{}"), 2, storage.PutOptions{ContentType: "application/json"}); err != nil {
					t.Errorf("Put(%q): %v", k, err)
				}
			}
		})
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for _, k := range []string{"d2/keep", "dd", "e/keep"} {
		put(t, s, k, []byte("keep"), storage.PutOptions{})
	}
	got, err := s.DeletePrefix(ctxT(t), "d/")
	if err != nil {
		t.Fatalf("DeletePrefix: %v", err)
	}
	if got != n {
		t.Errorf("DeletePrefix removed %d, want %d", got, n)
	}
	if objs, next, err := s.List(ctxT(t), "d/", "", 1000); err != nil || len(objs) != 0 || next != "" {
		t.Fatalf("after DeletePrefix, List(d/) = %d objects, token %q, err %v", len(objs), next, err)
	}
	for _, k := range []string{"d2/keep", "dd", "e/keep"} {
		if _, err := s.Head(ctxT(t), k); err != nil {
			t.Errorf("DeletePrefix(d/) touched %q: %v", k, err)
		}
	}
	if again, err := s.DeletePrefix(ctxT(t), "d/"); err != nil || again != 0 {
		t.Errorf("second DeletePrefix: %d, %v; want 0, nil", again, err)
	}
}

func testURL(t *testing.T, s storage.Store) {
	data := payload(70_000, 7)
	// An object stored with a long cache lifetime: a signed URL must still
	// not be cacheable past its own expiry (nor past a deletion).
	put(t, s, "u/shot 1.png", data, storage.PutOptions{ContentType: "image/png", CacheControl: "public, max-age=31536000, immutable"})
	u, err := s.URL(ctxT(t), "u/shot 1.png", 5*time.Minute)
	if err != nil {
		t.Fatalf("URL: %v", err)
	}
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, data) {
		t.Fatalf("GET %s: %s, %d bytes (want 200, %d bytes)", u, resp.Status, len(body), len(data))
	}
	if ct := resp.Header.Get("Content-Type"); ct != "image/png" {
		t.Errorf("Content-Type %q, want image/png", ct)
	}
	if cc := resp.Header.Get("Cache-Control"); !cacheWithin(cc, 5*time.Minute) {
		t.Errorf("Cache-Control %q of a 5-minute URL: want private and a max-age of at most 300 s", cc)
	}
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Range", "bytes=100-199")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, data[100:200]) {
		t.Errorf("ranged GET: %s, %d bytes (want 206, the 100 bytes asked)", resp.Status, len(body))
	}
	// A URL for another key, or a tampered one, is refused.
	put(t, s, "u/other", []byte("secret"), storage.PutOptions{})
	if i := strings.Index(u, "shot%201.png"); i > 0 {
		bad := u[:i] + "other" + u[i+len("shot%201.png"):]
		if resp, err := http.Get(bad); err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("URL with the key swapped: %s, want 403", resp.Status)
			}
		}
	} else {
		t.Errorf("URL %s does not contain the escaped key", u)
	}
}

// cacheWithin reports whether a Cache-Control header keeps a response
// private and cached for at most ttl.
func cacheWithin(cc string, ttl time.Duration) bool {
	private, maxAge := false, -1
	for _, d := range strings.Split(cc, ",") {
		d = strings.ToLower(strings.TrimSpace(d))
		switch {
		case d == "private" || d == "no-store":
			private = true
		case d == "immutable" || d == "public":
			return false
		case strings.HasPrefix(d, "max-age="):
			n, err := strconv.Atoi(d[len("max-age="):])
			if err != nil {
				return false
			}
			maxAge = n
		}
	}
	return private && (maxAge >= 0 && maxAge <= int(ttl.Seconds()) || strings.Contains(cc, "no-store"))
}

func testURLExpired(t *testing.T, s storage.Store) {
	put(t, s, "exp", []byte("soon gone"), storage.PutOptions{ContentType: "text/plain"})
	// Signing times are whole seconds: start just after a second ticks so
	// a 1 s URL really has about a second.
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second + 20*time.Millisecond)))
	u, err := s.URL(ctxT(t), "exp", time.Second)
	if err != nil {
		t.Fatalf("URL: %v", err)
	}
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "soon gone" {
		t.Fatalf("fresh 1 s URL: %s %q, want 200", resp.Status, body)
	}
	time.Sleep(2100 * time.Millisecond)
	resp, err = http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || bytes.Contains(body, []byte("soon gone")) {
		t.Fatalf("expired URL: %s, want 403 and no content", resp.Status)
	}
}

// cancelReader cancels its context after n bytes, then keeps yielding.
type cancelReader struct {
	n      int
	cancel context.CancelFunc
}

func (c *cancelReader) Read(p []byte) (int, error) {
	if c.n <= 0 {
		c.cancel()
	}
	for i := range p {
		p[i] = 'z'
	}
	c.n -= len(p)
	return len(p), nil
}

func testCancel(t *testing.T, s storage.Store) {
	put(t, s, "c/obj", payload(1000, 8), storage.PutOptions{})
	dead, cancel := context.WithCancel(t.Context())
	cancel()
	check := func(op string, err error) {
		t.Helper()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v, want context.Canceled", op, err)
		}
	}
	check("Put", s.Put(dead, "c/new", strings.NewReader("x"), 1, storage.PutOptions{}))
	_, _, err := s.Get(dead, "c/obj", nil)
	check("Get", err)
	_, err = s.Head(dead, "c/obj")
	check("Head", err)
	_, _, err = s.List(dead, "c/", "", 10)
	check("List", err)
	check("Delete", s.Delete(dead, "c/obj"))
	_, err = s.DeletePrefix(dead, "c/")
	check("DeletePrefix", err)
	if _, err := s.Head(ctxT(t), "c/obj"); err != nil {
		t.Errorf("object gone after cancelled calls: %v", err)
	}

	// Cancelled in the middle of an upload of unknown size: Put stops and
	// publishes nothing.
	ctx, cancel2 := context.WithCancel(t.Context())
	defer cancel2()
	done := make(chan error, 1)
	go func() {
		done <- s.Put(ctx, "c/partial", onlyReader{&cancelReader{n: 3 << 20, cancel: cancel2}}, -1, storage.PutOptions{})
	}()
	select {
	case err := <-done:
		check("Put cancelled midway", err)
	case <-time.After(30 * time.Second):
		t.Fatal("Put did not return within 30 s of its context being cancelled")
	}
	if _, err := s.Head(ctxT(t), "c/partial"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("after a cancelled Put, Head: %v, want ErrNotFound", err)
	}

}

// testProjectKeys repeats the basics under "p/{project}/", where a store
// that encrypts seals under the project's own key: several projects at
// once, bodies of several chunks, ranges across chunk boundaries, sizes in
// listings, overwrites and URLs.
func testProjectKeys(t *testing.T, s storage.Store) {
	sizes := []int{0, 1, 65535, 65536, 65537, 200_000}
	projects := []string{"acme", "globex", "initech"}
	var wg sync.WaitGroup
	for _, project := range projects {
		for i, n := range sizes {
			wg.Go(func() {
				k := fmt.Sprintf("p/%s/shots/s%d/full.webp", project, i)
				if err := s.Put(ctxT(t), k, bytes.NewReader(payload(n, uint64(n))), int64(n), storage.PutOptions{ContentType: "image/webp"}); err != nil {
					t.Errorf("Put(%q): %v", k, err)
				}
			})
		}
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for _, project := range projects {
		objs, _, err := s.List(ctxT(t), "p/"+project+"/", "", 100)
		if err != nil || len(objs) != len(sizes) {
			t.Fatalf("List(p/%s/) = %d objects, %v; want %d", project, len(objs), err, len(sizes))
		}
		for _, o := range objs {
			var i int
			fmt.Sscanf(strings.TrimPrefix(o.Key, "p/"+project+"/shots/s"), "%d", &i)
			if o.Size != int64(sizes[i]) {
				t.Errorf("listed %s: size %d, want %d", o.Key, o.Size, sizes[i])
			}
		}
		for i, n := range sizes {
			k := fmt.Sprintf("p/%s/shots/s%d/full.webp", project, i)
			data := payload(n, uint64(n))
			got, obj := get(t, s, k, nil)
			if !bytes.Equal(got, data) || obj.Size != int64(n) || obj.ContentType != "image/webp" {
				t.Errorf("%s: %d bytes, size %d, type %q; want %d bytes", k, len(got), obj.Size, obj.ContentType, n)
			}
			for _, r := range [][2]int64{{0, 0}, {65530, 65545}, {65536, -1}, {int64(n) - 3, int64(n) + 100}, {131071, 131073}} {
				if r[0] < 0 || r[0] >= int64(n) {
					continue
				}
				end := r[1]
				if end < 0 || end >= int64(n) {
					end = int64(n) - 1
				}
				got, _ := get(t, s, k, &storage.Range{Start: r[0], End: r[1]})
				if !bytes.Equal(got, data[r[0]:end+1]) {
					t.Errorf("%s range %v: %d bytes, want %d", k, r, len(got), end+1-r[0])
				}
			}
		}
	}
	// An overwrite under a project reads back the new bytes.
	k := "p/acme/shots/s5/full.webp"
	put(t, s, k, []byte("replaced"), storage.PutOptions{ContentType: "text/plain"})
	if got, obj := get(t, s, k, nil); string(got) != "replaced" || obj.ContentType != "text/plain" {
		t.Errorf("after overwrite: %q %q", got, obj.ContentType)
	}
	u, err := s.URL(ctxT(t), "p/globex/shots/s5/full.webp", time.Minute)
	if err != nil {
		t.Fatalf("URL: %v", err)
	}
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Range", "bytes=65530-65545")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := payload(200_000, 200_000)[65530:65546]; resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, want) {
		t.Errorf("ranged GET of a project's URL: %s, %d bytes (want 206, 16 bytes)", resp.Status, len(body))
	}
}
