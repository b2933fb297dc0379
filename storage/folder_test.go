package storage_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kilnrender/kiln/storage"
	"github.com/kilnrender/kiln/storage/storagetest"
)

// newFolder returns a folder store in a temp dir, its URLs served by an
// httptest server.
func newFolder(t testing.TB, key []byte) *storage.Folder {
	t.Helper()
	var f *storage.Folder
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	cfg := storage.DefaultFolderConfig()
	cfg.Dir = t.TempDir()
	cfg.BaseURL = srv.URL
	cfg.EncryptionKey = key
	var err error
	f, err = storage.NewFolder(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func randKey() []byte {
	k := make([]byte, 32)
	rand.Read(k)
	return k
}

func TestFolderConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Store { return newFolder(t, nil) })
}

func TestFolderEncryptedConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Store { return newFolder(t, randKey()) })
}

func TestFolderPlainFileHoldsBytes(t *testing.T) {
	f := newFolder(t, nil)
	data := []byte("plain bytes at the start of the file")
	if err := f.Put(t.Context(), "p/a/x.txt", bytes.NewReader(data), int64(len(data)), storage.PutOptions{ContentType: "text/plain"}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(f.Dir(), "objects", "p", "a", "x.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(raw, data) {
		t.Fatalf("plain object file does not start with its bytes: %q", raw[:min(len(raw), 40)])
	}
	if ents, _ := os.ReadDir(filepath.Join(f.Dir(), "tmp")); len(ents) != 0 {
		t.Errorf("tmp/ keeps %d files after a Put", len(ents))
	}
}

func TestFolderEncryptedAtRest(t *testing.T) {
	key := randKey()
	f := newFolder(t, key)
	data := bytes.Repeat([]byte("confidential bug report "), 10_000)
	ctx := t.Context()
	if err := f.Put(ctx, "p/a/secret", bytes.NewReader(data), int64(len(data)), storage.PutOptions{ContentType: "text/plain", Metadata: map[string]string{"user": "alice"}}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(f.Dir(), "objects", "p", "a", "secret")
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"confidential", "alice", "text/plain"} {
		if bytes.Contains(raw, []byte(s)) {
			t.Errorf("encrypted file contains %q in clear", s)
		}
	}
	if len(raw) < len(data) {
		t.Fatalf("file is %d bytes, smaller than the object (%d)", len(raw), len(data))
	}

	// The same folder opened with another key, or none, cannot read it.
	for name, k := range map[string][]byte{"wrong key": randKey(), "no key": nil} {
		cfg := storage.DefaultFolderConfig()
		cfg.Dir, cfg.EncryptionKey = f.Dir(), k
		g, err := storage.NewFolder(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := g.Get(ctx, "p/a/secret", nil); err == nil || errors.Is(err, storage.ErrNotFound) {
			t.Errorf("%s: Get = %v, want a decryption error", name, err)
		}
		g.Close()
	}

	// A flipped bit in the body is detected.
	raw[100] ^= 1
	if err := os.WriteFile(p, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	rc, _, err := f.Get(ctx, "p/a/secret", nil)
	if err == nil {
		_, err = io.ReadAll(rc)
		rc.Close()
	}
	if err == nil {
		t.Fatal("tampered ciphertext read without error")
	}

	// A file moved to another key does not open there.
	raw[100] ^= 1
	os.WriteFile(p, raw, 0o600)
	if err := os.WriteFile(filepath.Join(f.Dir(), "objects", "p", "a", "moved"), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Head(ctx, "p/a/moved"); err == nil {
		t.Error("an encrypted file copied to another key opens there")
	}
	if _, err := f.Head(ctx, "p/a/secret"); err != nil {
		t.Errorf("restored file: %v", err)
	}
}

func TestFolderSymlinkEscape(t *testing.T) {
	f := newFolder(t, nil)
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "passwd"), []byte("root:x:0:0"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(f.Dir(), "objects", "evil")); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, _, err := f.Get(ctx, "evil/passwd", nil); err == nil {
		t.Error("Get through a symlink out of the folder succeeded")
	}
	if err := f.Put(ctx, "evil/planted", strings.NewReader("x"), 1, storage.PutOptions{}); err == nil {
		t.Error("Put through a symlink out of the folder succeeded")
	}
	if _, err := os.Stat(filepath.Join(outside, "planted")); err == nil {
		t.Error("a file was written outside the folder")
	}
}

func TestFolderKeyConflict(t *testing.T) {
	f := newFolder(t, nil)
	ctx := t.Context()
	if err := f.Put(ctx, "a/b", strings.NewReader("x"), 1, storage.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := f.Put(ctx, "a/b/c", strings.NewReader("x"), 1, storage.PutOptions{}); !errors.Is(err, storage.ErrInvalidKey) {
		t.Errorf("Put under an object: %v, want ErrInvalidKey", err)
	}
	if err := f.Put(ctx, "a", strings.NewReader("x"), 1, storage.PutOptions{}); !errors.Is(err, storage.ErrInvalidKey) {
		t.Errorf("Put over a prefix: %v, want ErrInvalidKey", err)
	}
	if _, err := f.Head(ctx, "a"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Head of a prefix: %v, want ErrNotFound", err)
	}
}

func TestFolderDeleteRemovesDirectories(t *testing.T) {
	f := newFolder(t, nil)
	ctx := t.Context()
	for _, k := range []string{"p/x/shots/1/full.webp", "p/x/shots/1/thumb.jpg", "p/x/items/screenshot-1.json", "p/y/keep"} {
		if err := f.Put(ctx, k, strings.NewReader("x"), 1, storage.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := f.DeletePrefix(ctx, "p/x/"); err != nil || n != 3 {
		t.Fatalf("DeletePrefix = %d, %v", n, err)
	}
	if _, err := os.Stat(filepath.Join(f.Dir(), "objects", "p", "x")); !os.IsNotExist(err) {
		t.Errorf("objects/p/x left behind: %v", err)
	}
	if _, err := os.Stat(filepath.Join(f.Dir(), "objects", "p", "y", "keep")); err != nil {
		t.Errorf("objects/p/y/keep: %v", err)
	}
}

func TestFolderHandler(t *testing.T) {
	f := newFolder(t, nil)
	ctx := t.Context()
	gz := []byte("\x1f\x8b fake gzip segment")
	if err := f.Put(ctx, "p/a/replays/r1/segments/0.json.gz", bytes.NewReader(gz), int64(len(gz)),
		storage.PutOptions{ContentType: "application/json", ContentEncoding: "gzip", CacheControl: "private, max-age=60"}); err != nil {
		t.Fatal(err)
	}
	u, err := f.URL(ctx, "p/a/replays/r1/segments/0.json.gz", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(body, gz) {
		t.Fatalf("GET: %s %q", resp.Status, body)
	}
	for h, want := range map[string]string{
		"Content-Type": "application/json", "Content-Encoding": "gzip",
		"X-Content-Type-Options": "nosniff", "Accept-Ranges": "bytes",
	} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	// The response may be cached for what is left of the link's minute,
	// never longer: whole seconds, rounded down (59 once the clock has
	// passed a second since signing; slower than 5 s is a failure).
	if cc := resp.Header.Get("Cache-Control"); !slices.Contains([]string{"private, max-age=60", "private, max-age=59", "private, max-age=58", "private, max-age=57", "private, max-age=56", "private, max-age=55"}, cc) {
		t.Errorf("Cache-Control: %q, want private, max-age=55..60", cc)
	}

	for name, mod := range map[string]func(string) string{
		"bad signature": func(u string) string { return u[:len(u)-3] + "AAA" },
		"no signature":  func(u string) string { return u[:strings.Index(u, "&sig=")] },
		"later expiry":  func(u string) string { return strings.Replace(u, "exp=", "exp=9", 1) },
	} {
		resp, err := c.Get(mod(u))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %s, want 403", name, resp.Status)
		}
	}

	missing, _ := f.URL(ctx, "p/a/nothing", time.Minute)
	resp, err = c.Get(missing)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("signed URL of a missing key: %s, want 404", resp.Status)
	}

	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Range", "bytes=500-600")
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("range past the end: %s, want 416", resp.Status)
	}
}

func TestFolderURLSecretPersists(t *testing.T) {
	dir := t.TempDir()
	cfg := storage.DefaultFolderConfig()
	cfg.Dir = dir
	open := func(cfg storage.FolderConfig) *storage.Folder {
		f, err := storage.NewFolder(cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		if err := f.Put(t.Context(), "k", strings.NewReader("v"), 1, storage.PutOptions{}); err != nil {
			t.Fatal(err)
		}
		return f
	}
	a := open(cfg)
	st, err := os.Stat(filepath.Join(dir, "url.secret"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("url.secret mode %v, want 0600", st.Mode().Perm())
	}
	ua, err := a.URL(t.Context(), "k", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	status := func(f *storage.Folder, u string) int {
		rec := httptest.NewRecorder()
		f.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, strings.TrimPrefix(u, cfg.BaseURL), nil))
		return rec.Code
	}
	if got := status(open(cfg), ua); got != http.StatusOK {
		t.Errorf("the folder reopened refuses its own URL: %d", got)
	}
	cfg.URLSecret = []byte("0123456789abcdef0123")
	if got := status(open(cfg), ua); got != http.StatusForbidden {
		t.Errorf("a folder with another secret accepts the URL: %d, want 403", got)
	}
}

func TestFolderConfigValidate(t *testing.T) {
	err := storage.FolderConfig{BaseURL: "ftp://x/", URLSecret: []byte("short"), EncryptionKey: []byte("k")}.Validate()
	if err == nil {
		t.Fatal("Validate accepted a bad config")
	}
	for _, want := range []string{"Dir", "BaseURL", "URLSecret", "EncryptionKey"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate error does not mention %s: %v", want, err)
		}
	}
	if err := storage.DefaultFolderConfig().Validate(); err != nil {
		t.Errorf("DefaultFolderConfig: %v", err)
	}
}

func TestFolderKeyAddedLater(t *testing.T) {
	plain := newFolder(t, nil)
	ctx := t.Context()
	if err := plain.Put(ctx, "old", strings.NewReader("before"), 6, storage.PutOptions{ContentType: "text/plain"}); err != nil {
		t.Fatal(err)
	}
	cfg := storage.DefaultFolderConfig()
	cfg.Dir, cfg.EncryptionKey = plain.Dir(), randKey()
	enc, err := storage.NewFolder(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	rc, obj, err := enc.Get(ctx, "old", &storage.Range{Start: 1, End: 3})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if string(b) != "efo" || obj.ContentType != "text/plain" || obj.Size != 6 {
		t.Errorf("plain object through an encrypting folder: %q %+v", b, obj)
	}
}

// An API and a worker started together on one new folder: each must read
// the one URL secret, never a half-written file, and sign URLs the other
// accepts.
func TestFolderURLSecretConcurrentOpen(t *testing.T) {
	for round := range 20 {
		cfg := storage.DefaultFolderConfig()
		cfg.Dir = filepath.Join(t.TempDir(), fmt.Sprint(round))
		const n = 8
		folders := make([]*storage.Folder, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { folders[i], errs[i] = storage.NewFolder(cfg) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d: open %d of %d: %v", round, i, n, err)
			}
			t.Cleanup(func() { folders[i].Close() })
		}
		if err := folders[0].Put(t.Context(), "k", strings.NewReader("v"), 1, storage.PutOptions{}); err != nil {
			t.Fatal(err)
		}
		for i, f := range folders {
			u, err := f.URL(t.Context(), "k", time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			folders[(i+1)%n].Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, strings.TrimPrefix(u, cfg.BaseURL), nil))
			if rec.Code != http.StatusOK {
				t.Fatalf("round %d: folder %d refuses a URL signed by folder %d: %d", round, (i+1)%n, i, rec.Code)
			}
		}
		if ents, _ := os.ReadDir(filepath.Join(cfg.Dir, "tmp")); len(ents) != 0 {
			t.Errorf("round %d: %d files left in tmp/", round, len(ents))
		}
	}
}
