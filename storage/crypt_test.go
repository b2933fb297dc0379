package storage_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/storage"
)

// secretText is the known plaintext the at-rest tests look for.
const secretText = "confidential bug report from alice"

// rawObject is an object as its backend keeps it: the folder's file, or an
// S3 object's body and user metadata.
type rawObject struct {
	body []byte
	meta map[string]string
}

// sealedPlace is one place (a folder, a bucket prefix) with sealing
// stores on it and a view behind their back.
type sealedPlace struct {
	name string
	// open returns a new store on the place, with master as its key (a
	// new process: nothing cached).
	open func(t *testing.T, master []byte) storage.Store
	// raw and restore read and write an object's stored bytes.
	raw     func(t *testing.T, key string) rawObject
	restore func(t *testing.T, key string, o rawObject)
	// rawKey is the wrapped data key of project, nil if there is none.
	rawKey func(t *testing.T, project string) []byte
	// all is every stored byte (bodies, metadata, key objects).
	all func(t *testing.T) []byte
}

func folderPlace(t *testing.T) sealedPlace {
	dir := t.TempDir()
	return sealedPlace{
		name: "folder",
		open: func(t *testing.T, master []byte) storage.Store {
			cfg := storage.DefaultFolderConfig()
			cfg.Dir, cfg.EncryptionKey, cfg.URLSecret, cfg.NoSync = dir, master, []byte("test-url-secret-0123"), true
			f, err := storage.NewFolder(cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { f.Close() })
			return f
		},
		raw: func(t *testing.T, key string) rawObject {
			b, err := os.ReadFile(filepath.Join(dir, "objects", key))
			if err != nil {
				t.Fatal(err)
			}
			return rawObject{body: b}
		},
		restore: func(t *testing.T, key string, o rawObject) {
			p := filepath.Join(dir, "objects", key)
			os.MkdirAll(filepath.Dir(p), 0o700)
			if err := os.WriteFile(p, o.body, 0o600); err != nil {
				t.Fatal(err)
			}
		},
		rawKey: func(t *testing.T, project string) []byte {
			b, err := os.ReadFile(filepath.Join(dir, "keys", project))
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			if err != nil {
				t.Fatal(err)
			}
			return b
		},
		all: func(t *testing.T) []byte {
			var all []byte
			filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err == nil && d.Type().IsRegular() {
					b, _ := os.ReadFile(p)
					all = append(all, b...)
				}
				return nil
			})
			return all
		},
	}
}

func s3Place(t *testing.T) sealedPlace {
	srv := testenv.S3(t)
	c := testenv.S3Client(srv)
	get := func(t *testing.T, key string) (rawObject, bool) {
		out, err := c.GetObject(t.Context(), s3Get(srv.Bucket, srv.Prefix+key))
		if err != nil {
			return rawObject{}, false
		}
		defer out.Body.Close()
		b, err := io.ReadAll(out.Body)
		if err != nil {
			t.Fatal(err)
		}
		return rawObject{body: b, meta: out.Metadata}, true
	}
	return sealedPlace{
		name: "s3",
		open: func(t *testing.T, master []byte) storage.Store { return newSealedS3(t, srv, master, nil) },
		raw: func(t *testing.T, key string) rawObject {
			o, ok := get(t, key)
			if !ok {
				t.Fatalf("raw get %s: missing", key)
			}
			return o
		},
		restore: func(t *testing.T, key string, o rawObject) {
			_, err := c.PutObject(t.Context(), &s3.PutObjectInput{Bucket: &srv.Bucket, Key: aws.String(srv.Prefix + key),
				Body: bytes.NewReader(o.body), Metadata: o.meta})
			if err != nil {
				t.Fatal(err)
			}
		},
		rawKey: func(t *testing.T, project string) []byte {
			o, ok := get(t, storage.KeysPrefix+project)
			if !ok {
				return nil
			}
			return o.body
		},
		all: func(t *testing.T) []byte {
			var all []byte
			p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: &srv.Bucket, Prefix: &srv.Prefix})
			for p.HasMorePages() {
				page, err := p.NextPage(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				for _, o := range page.Contents {
					r, _ := get(t, strings.TrimPrefix(aws.ToString(o.Key), srv.Prefix))
					all = append(all, r.body...)
					for k, v := range r.meta {
						all = append(append(all, k...), v...)
					}
				}
			}
			return all
		},
	}
}

// forEachPlace runs fn on a fresh folder and a fresh S3 prefix.
func forEachPlace(t *testing.T, fn func(t *testing.T, p sealedPlace)) {
	for _, mk := range []func(*testing.T) sealedPlace{folderPlace, s3Place} {
		p := mk(t)
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			fn(t, p)
		})
	}
}

func putString(t *testing.T, s storage.Store, key, v string, o storage.PutOptions) {
	t.Helper()
	if err := s.Put(t.Context(), key, strings.NewReader(v), int64(len(v)), o); err != nil {
		t.Fatalf("Put(%s): %v", key, err)
	}
}

func getString(t *testing.T, s storage.Store, key string) (string, error) {
	rc, _, err := s.Get(t.Context(), key, nil)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	return string(b), err
}

// No byte stored, body, metadata or key object, holds the plaintext, its
// properties, or the data key.
func TestSealedAtRestHasNoPlaintext(t *testing.T) {
	forEachPlace(t, func(t *testing.T, p sealedPlace) {
		master := randKey()
		s := p.open(t, master)
		text := strings.Repeat(secretText+"; ", 5000) // several chunks
		opts := storage.PutOptions{ContentType: "text/x-secret-type", CacheControl: "private, max-age=77",
			Metadata: map[string]string{"reporter": "alice-in-metadata"}}
		putString(t, s, "p/acme/inputs/s1", text, opts)
		putString(t, s, "outside/any/project", text, opts)
		if err := s.Put(t.Context(), "p/acme/stream", strings.NewReader(text), -1, opts); err != nil {
			t.Fatal(err)
		}
		all := p.all(t)
		if len(all) < 3*len(text) {
			t.Fatalf("%d bytes stored for 3 objects of %d", len(all), len(text))
		}
		for _, needle := range []string{secretText[:16], "alice-in-metadata", "x-secret-type", "max-age=77"} {
			if bytes.Contains(all, []byte(needle)) {
				t.Errorf("the stored bytes contain %q in clear", needle)
			}
		}
		blob := p.rawKey(t, "acme")
		_, dk, err := storage.UnwrapDataKey(master, "acme", blob)
		if err != nil {
			t.Fatalf("the key object does not unwrap with the master key: %v", err)
		}
		if bytes.Contains(all, dk) || bytes.Contains(all, master) {
			t.Error("a key is stored in clear")
		}
		for _, k := range []string{"p/acme/inputs/s1", "outside/any/project", "p/acme/stream"} {
			got, err := getString(t, s, k)
			if err != nil || got != text {
				t.Errorf("%s reads back %d bytes, %v", k, len(got), err)
			}
		}
	})
}

// Two projects get two data keys, neither the master key; an object moved
// to the other project does not open there.
func TestProjectsHaveOwnDataKeys(t *testing.T) {
	forEachPlace(t, func(t *testing.T, p sealedPlace) {
		master := randKey()
		s := p.open(t, master)
		putString(t, s, "p/acme/inputs/s1", secretText, storage.PutOptions{})
		putString(t, s, "p/globex/inputs/s1", secretText, storage.PutOptions{})
		idA, keyA, errA := storage.UnwrapDataKey(master, "acme", p.rawKey(t, "acme"))
		idB, keyB, errB := storage.UnwrapDataKey(master, "globex", p.rawKey(t, "globex"))
		if errA != nil || errB != nil {
			t.Fatalf("unwrap: %v, %v", errA, errB)
		}
		if bytes.Equal(keyA, keyB) || bytes.Equal(idA, idB) || bytes.Equal(keyA, master) || len(keyA) != 32 {
			t.Fatalf("data keys: acme %x (id %x), globex %x (id %x)", keyA, idA, keyB, idB)
		}
		// A wrapped key copied to another project does not open there.
		if _, _, err := storage.UnwrapDataKey(master, "globex", p.rawKey(t, "acme")); !errors.Is(err, storage.ErrCrypto) {
			t.Errorf("acme's key unwrapped as globex's: %v", err)
		}
		if p.rawKey(t, "outside") != nil {
			t.Error("a data key was made for a key outside projects")
		}
		p.restore(t, "p/globex/inputs/moved", p.raw(t, "p/acme/inputs/s1"))
		if _, err := getString(t, s, "p/globex/inputs/moved"); !errors.Is(err, storage.ErrCrypto) {
			t.Errorf("acme's object read under globex: %v, want ErrCrypto", err)
		}
	})
}

// Another master key fails cleanly, with ErrCrypto (not ErrNotFound, not
// garbage), on reads and on writes to a project that has a key; a missing
// object is still ErrNotFound.
func TestWrongMasterKey(t *testing.T) {
	forEachPlace(t, func(t *testing.T, p sealedPlace) {
		putString(t, p.open(t, randKey()), "p/acme/inputs/s1", secretText, storage.PutOptions{})
		putString(t, p.open(t, randKey()), "outside", secretText, storage.PutOptions{})
		s := p.open(t, randKey())
		ctx := t.Context()
		for _, k := range []string{"p/acme/inputs/s1", "outside"} {
			if _, err := getString(t, s, k); !errors.Is(err, storage.ErrCrypto) {
				t.Errorf("Get(%s) with another master key: %v, want ErrCrypto", k, err)
			}
			if _, err := s.Head(ctx, k); !errors.Is(err, storage.ErrCrypto) {
				t.Errorf("Head(%s) with another master key: %v, want ErrCrypto", k, err)
			}
		}
		err := s.Put(ctx, "p/acme/inputs/s2", strings.NewReader("x"), 1, storage.PutOptions{})
		if !errors.Is(err, storage.ErrCrypto) {
			t.Errorf("Put into acme with another master key: %v, want ErrCrypto", err)
		}
		if _, err := s.Head(ctx, "p/acme/inputs/none"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("Head of a missing object: %v, want ErrNotFound", err)
		}
		// Listing and deleting need no key: a project can be deleted
		// without its master key.
		if objs, _, err := s.List(ctx, "p/acme/", "", 10); err != nil || len(objs) != 1 || objs[0].Size != int64(len(secretText)) {
			t.Errorf("List with another master key: %+v, %v", objs, err)
		}
	})
}

// Shredding destroys the project's key first: a copy of an object taken
// before (a backup of the folder, an old S3 object version) is unreadable
// after, put back in the store (even once the project has a new key), in
// a new process, and with the master key itself.
func TestShredMakesCopiesUnreadable(t *testing.T) {
	forEachPlace(t, func(t *testing.T, p sealedPlace) {
		master := randKey()
		s := p.open(t, master)
		ctx := t.Context()
		const key = "p/acme/inputs/s1"
		putString(t, s, key, secretText, storage.PutOptions{ContentType: "application/json"})
		putString(t, s, "p/globex/inputs/s1", "other project", storage.PutOptions{})
		if _, err := getString(t, s, key); err != nil {
			t.Fatal(err)
		}
		copied := p.raw(t, key)
		if p.rawKey(t, "acme") == nil {
			t.Fatal("no key object for acme")
		}

		if err := storage.ShredProject(ctx, s, "acme", nil); err != nil {
			t.Fatalf("ShredProject: %v", err)
		}
		if p.rawKey(t, "acme") != nil {
			t.Error("acme's key object survives the shredding")
		}
		if objs, _, err := s.List(ctx, "p/acme/", "", 10); err != nil || len(objs) != 0 {
			t.Errorf("after ShredProject, List(p/acme/) = %d objects, %v", len(objs), err)
		}
		if got, err := getString(t, s, "p/globex/inputs/s1"); err != nil || got != "other project" {
			t.Errorf("another project after the shredding: %q, %v", got, err)
		}

		// The project lives again, with a new key; the old copy comes back.
		putString(t, s, "p/acme/inputs/s2", "new life", storage.PutOptions{})
		p.restore(t, key, copied)
		for name, st := range map[string]storage.Store{"the store": s, "a new process": p.open(t, master)} {
			if _, err := getString(t, st, key); !errors.Is(err, storage.ErrCrypto) {
				t.Errorf("%s reads the copy: %v, want ErrCrypto", name, err)
			}
			if got, err := getString(t, st, "p/acme/inputs/s2"); err != nil || got != "new life" {
				t.Errorf("%s: the project's new object: %q, %v", name, got, err)
			}
		}
		// Nor does the master key open it, as either format.
		blob := copied.body
		if p.name == "s3" {
			blob = []byte(copied.meta["kiln-seal"])
		}
		if err := storage.OpenWithMaster(master, key, blob, p.name == "s3"); err == nil {
			t.Error("the master key opens a shredded object")
		}
		// Without the project's key the copy is noise: the plaintext is
		// nowhere in it.
		if bytes.Contains(copied.body, []byte(secretText[:12])) {
			t.Error("the copy holds the plaintext")
		}
	})
}

// shredRecorder is a store that records the order of destructive calls.
type shredRecorder struct {
	*storage.Folder
	mu  sync.Mutex
	ops []string
}

func (r *shredRecorder) add(op string) {
	r.mu.Lock()
	r.ops = append(r.ops, op)
	r.mu.Unlock()
}

func (r *shredRecorder) ShredKey(ctx context.Context, project string) error {
	r.add("shred")
	return r.Folder.ShredKey(ctx, project)
}

func (r *shredRecorder) DeleteKeys(ctx context.Context, keys []string) error {
	r.add("delete")
	return r.Folder.DeleteKeys(ctx, keys)
}

func (r *shredRecorder) DeletePrefix(ctx context.Context, prefix string) (int, error) {
	r.add("delete-prefix")
	return r.Folder.DeletePrefix(ctx, prefix)
}

// DeleteProject on a sealing store shreds before it deletes anything, and
// once more at the end; ShredProject refuses a store that does not seal.
func TestDeleteProjectShredsFirst(t *testing.T) {
	r := &shredRecorder{Folder: newFolder(t, randKey())}
	fillProject(t, r, "acme", 5)
	if err := storage.DeleteProject(t.Context(), r, "acme", nil); err != nil {
		t.Fatal(err)
	}
	if len(r.ops) < 3 || r.ops[0] != "shred" || r.ops[len(r.ops)-1] != "shred" || slices.Index(r.ops[1:], "shred") != len(r.ops)-2 {
		t.Errorf("calls %v: want shred, deletions, shred", r.ops)
	}

	plain := &shredRecorder{Folder: newFolder(t, nil)}
	fillProject(t, plain, "acme", 2)
	if err := storage.ShredProject(t.Context(), plain, "acme", nil); !errors.Is(err, storage.ErrNotEncrypted) {
		t.Errorf("ShredProject on a plain store: %v, want ErrNotEncrypted", err)
	}
	if n := countPrefix(t, plain, "p/acme/"); n != 2*3+1 {
		t.Errorf("ShredProject on a plain store deleted something: %d objects left", n)
	}
	if err := storage.DeleteProject(t.Context(), plain, "acme", nil); err != nil {
		t.Errorf("DeleteProject on a plain store: %v", err)
	}
}

// An interrupted deletion leaves objects, none readable: the key went
// first. Running it again finishes.
func TestDeleteProjectInterrupted(t *testing.T) {
	f := newFolder(t, randKey())
	fillProject(t, f, "acme", 20)
	ctx, cancel := context.WithCancel(t.Context())
	err := storage.DeleteProject(ctx, f, "acme", func(int) { cancel() })
	if err == nil {
		t.Fatal("DeleteProject with a context cancelled after the first batch: no error")
	}
	objs, _, err := f.List(t.Context(), "p/acme/", "", 1000)
	if err != nil || len(objs) == 0 {
		t.Fatalf("after the interruption: %d objects, %v", len(objs), err)
	}
	for _, o := range objs {
		if _, err := getString(t, f, o.Key); !errors.Is(err, storage.ErrCrypto) {
			t.Errorf("%s after an interrupted deletion: %v, want ErrCrypto", o.Key, err)
		}
	}
	if err := storage.DeleteProject(t.Context(), f, "acme", nil); err != nil {
		t.Fatal(err)
	}
	if n := countPrefix(t, f, "p/acme/"); n != 0 {
		t.Errorf("%d objects left", n)
	}
}

// The old format: a folder written by the master-key-only code (before
// project keys) still reads, plain and sealed, whole and in ranges; new
// writes to its project get the project's key and both kinds coexist.
func TestFolderOldFormatFixture(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("testdata/folder-v1")); err != nil {
		t.Fatal(err)
	}
	master := sha256.Sum256([]byte("kiln folder v1 fixture master key"))
	cfg := storage.DefaultFolderConfig()
	cfg.Dir, cfg.EncryptionKey, cfg.URLSecret = dir, master[:], []byte("fixture-url-secret-0123")
	f, err := storage.NewFolder(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx := t.Context()
	r := rand.New(rand.NewPCG(1, 1))
	img := make([]byte, 70_000)
	for i := range img {
		img[i] = byte(r.Uint32())
	}
	want := map[string]struct {
		body  string
		ctype string
	}{
		"p/acme/shots/s1/full.webp": {string(img), "image/webp"},
		"p/acme/inputs/s1":          {strings.Repeat(secretText+"; ", 40), "application/json"},
		"legacy/outside.txt":        {"sealed with the master key, outside any project", "text/plain"},
		"p/acme/plain.txt":          {"plain, written before any key", "text/plain"},
	}
	for k, w := range want {
		rc, obj, err := f.Get(ctx, k, nil)
		if err != nil {
			t.Fatalf("Get(%s): %v", k, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || string(b) != w.body || obj.ContentType != w.ctype || obj.Size != int64(len(w.body)) {
			t.Errorf("%s: %d bytes (%v), type %q, size %d; want %d bytes of %q", k, len(b), err, obj.ContentType, obj.Size, len(w.body), w.ctype)
		}
	}
	if obj, _ := f.Head(ctx, "p/acme/shots/s1/full.webp"); obj.Metadata["render-ms"] != "412" {
		t.Errorf("old object's metadata: %v", obj.Metadata)
	}
	rc, _, err := f.Get(ctx, "p/acme/shots/s1/full.webp", &storage.Range{Start: 65530, End: 65545})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(b, img[65530:65546]) {
		t.Errorf("range across a chunk boundary of an old object: %d bytes differ", len(b))
	}
	// A new object in the same project is sealed under the project's key.
	putString(t, f, "p/acme/inputs/s2", "new", storage.PutOptions{})
	if _, err := os.Stat(filepath.Join(dir, "keys", "acme")); err != nil {
		t.Errorf("no data key after a new write: %v", err)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "objects", "p", "acme", "inputs", "s2"))
	old, _ := os.ReadFile(filepath.Join(dir, "objects", "p", "acme", "inputs", "s1"))
	if v := raw[len(raw)-12]; v != 2 {
		t.Errorf("a new object's file has version %d, want 2", v)
	}
	if v := old[len(old)-12]; v != 1 {
		t.Errorf("the fixture's file has version %d, want 1", v)
	}
	if got, err := getString(t, f, "p/acme/inputs/s1"); err != nil || got != want["p/acme/inputs/s1"].body {
		t.Errorf("old object beside a new one: %v", err)
	}
	objs, _, err := f.List(ctx, "p/acme/", "", 100)
	if err != nil || len(objs) != 4 {
		t.Errorf("List of a mixed project: %d objects, %v", len(objs), err)
	}
	// Without the master key, the old sealed objects do not open.
	cfg.EncryptionKey = randKey()
	g, err := storage.NewFolder(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if _, err := g.Head(ctx, "p/acme/inputs/s1"); !errors.Is(err, storage.ErrCrypto) {
		t.Errorf("old object under another master key: %v, want ErrCrypto", err)
	}
}

// The key cache: bounded in entries, each used no longer than its TTL, so
// a key shredded by another process stops working here within the TTL.
func TestKeyCacheBound(t *testing.T) {
	dir := t.TempDir()
	master := randKey()
	open := func(size int, ttl time.Duration) *storage.Folder {
		cfg := storage.DefaultFolderConfig()
		cfg.Dir, cfg.EncryptionKey, cfg.URLSecret, cfg.NoSync = dir, master, []byte("test-url-secret-0123"), true
		cfg.KeyCacheSize, cfg.KeyCacheTTL = size, ttl
		f, err := storage.NewFolder(cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	worker := open(3, 300*time.Millisecond)
	for _, p := range []string{"a", "b", "c", "d", "e"} {
		putString(t, worker, "p/"+p+"/x", p, storage.PutOptions{})
	}
	if n := storage.CachedKeys(worker); n != 3 {
		t.Errorf("%d keys cached, want the bound, 3", n)
	}
	// An API process shreds e, which the worker has cached.
	api := open(0, 0)
	if err := api.ShredKey(t.Context(), "e"); err != nil {
		t.Fatal(err)
	}
	if _, err := getString(t, api, "p/e/x"); !errors.Is(err, storage.ErrCrypto) {
		t.Errorf("the shredding process reads e: %v", err)
	}
	if got, err := getString(t, worker, "p/e/x"); err != nil || got != "e" {
		t.Logf("the worker read e within its TTL: %q, %v (allowed, not required)", got, err)
	}
	time.Sleep(350 * time.Millisecond)
	if _, err := getString(t, worker, "p/e/x"); !errors.Is(err, storage.ErrCrypto) {
		t.Errorf("the worker still reads a shredded key after its TTL: %v", err)
	}
	if got, err := getString(t, worker, "p/a/x"); err != nil || got != "a" {
		t.Errorf("an evicted key is read again: %q, %v", got, err)
	}
}

// kiln dev's key file: created 0600 once, reused after; Open uses it when
// KILN_STORE_KEY is unset.
func TestCreateKeyFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kiln-data")
	path := filepath.Join(dir, storage.FolderKeyFile)
	created, err := storage.CreateKeyFile(path)
	if err != nil || !created {
		t.Fatalf("CreateKeyFile: %v, %v", created, err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v; want mode 0600", st.Mode(), err)
	}
	first, _ := os.ReadFile(path)
	if created, err := storage.CreateKeyFile(path); err != nil || created {
		t.Errorf("CreateKeyFile again: %v, %v; want it reused", created, err)
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(first, again) {
		t.Error("the key file changed")
	}
	s, err := storage.Open(t.Context(), dir, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	defer s.(io.Closer).Close()
	putString(t, s, "p/dev/inputs/x", secretText, storage.PutOptions{})
	raw, _ := os.ReadFile(filepath.Join(dir, "objects", "p", "dev", "inputs", "x"))
	if bytes.Contains(raw, []byte(secretText)) {
		t.Error("a folder with a key file stores plaintext")
	}
	// Started together (kiln dev's API and worker), creators agree on one
	// key and nobody reads a partial file.
	for round := range 20 {
		p := filepath.Join(t.TempDir(), fmt.Sprint(round), storage.FolderKeyFile)
		var wg sync.WaitGroup
		var won atomic.Int32
		errs := make([]error, 8)
		for i := range errs {
			wg.Go(func() {
				created, err := storage.CreateKeyFile(p)
				if created {
					won.Add(1)
				}
				errs[i] = err
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil || won.Load() != 1 {
			t.Fatalf("round %d: concurrent CreateKeyFile: %d created, %v", round, won.Load(), err)
		}
		if ents, _ := os.ReadDir(filepath.Dir(p)); len(ents) != 1 {
			t.Errorf("round %d: %d files beside the key, want none", round, len(ents)-1)
		}
	}
	if err := os.WriteFile(path, []byte("not a key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := storage.CreateKeyFile(path); err == nil {
		t.Error("CreateKeyFile accepted a broken key file")
	}
	if _, err := storage.Open(t.Context(), dir, func(string) string { return "" }); err == nil {
		t.Error("Open accepted a broken key file")
	}
}

// On a sealed S3 store keys/ is reserved and unlisted, a CDN URL would
// serve ciphertext so it is refused, URLs point at the API and its
// handler decrypts, and plain objects written before the key still read.
func TestS3Sealed(t *testing.T) {
	srv := testenv.S3(t)
	master := randKey()
	s := newSealedS3(t, srv, master, nil)
	ctx := t.Context()
	putString(t, s, "p/acme/inputs/s1", secretText, storage.PutOptions{ContentType: "text/plain"})
	for _, k := range []string{"keys/acme", "keys/x/y"} {
		if err := s.Put(ctx, k, strings.NewReader("x"), 1, storage.PutOptions{}); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("Put(%s): %v, want ErrInvalidKey", k, err)
		}
		if _, _, err := s.Get(ctx, k, nil); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("Get(%s): %v, want ErrInvalidKey", k, err)
		}
		if err := s.Delete(ctx, k); !errors.Is(err, storage.ErrInvalidKey) {
			t.Errorf("Delete(%s): %v, want ErrInvalidKey", k, err)
		}
	}
	if _, err := s.DeletePrefix(ctx, "keys/"); !errors.Is(err, storage.ErrInvalidKey) {
		t.Errorf("DeletePrefix(keys/): %v, want ErrInvalidKey", err)
	}
	putString(t, s, "keyz", "after keys/", storage.PutOptions{})
	putString(t, s, "kept", "before keys/", storage.PutOptions{})
	objs, _, err := s.List(ctx, "k", "", 1)
	if err != nil || len(objs) != 1 || objs[0].Key != "kept" {
		t.Errorf("List(k, limit 1) = %+v, %v", objs, err)
	}
	var keys []string
	for token := ""; ; {
		objs, next, err := s.List(ctx, "", token, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range objs {
			keys = append(keys, o.Key)
		}
		if next == "" {
			break
		}
		token = next
	}
	if want := []string{"kept", "keyz", "p/acme/inputs/s1"}; !slices.Equal(keys, want) {
		t.Errorf("listing in pages of 1: %q, want %q (no data keys)", keys, want)
	}

	cfg := s3Config(srv)
	cfg.EncryptionKey, cfg.PublicURL = master, "https://cdn.example.com"
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "ciphertext") {
		t.Errorf("PublicURL with a master key: %v, want refused", err)
	}

	u, err := s.URL(ctx, "p/acme/inputs/s1", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(u, "/files/p/acme/inputs/s1?exp=") || strings.Contains(u, "X-Amz-") {
		t.Errorf("sealed URL %s: want the API's /files/ link, not a presigned one", u)
	}
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != secretText || resp.Header.Get("Content-Type") != "text/plain" {
		t.Errorf("GET %s: %s %q %q", u, resp.Status, b, resp.Header.Get("Content-Type"))
	}
	etag := resp.Header.Get("ETag")
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("If-None-Match", etag)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusNotModified {
		t.Errorf("GET with If-None-Match %s: %v, %v; want 304", etag, resp.Status, err)
	} else {
		resp.Body.Close()
	}
	if resp, err := http.Head(u); err != nil || resp.StatusCode != 200 || resp.ContentLength != int64(len(secretText)) {
		t.Errorf("HEAD %s: %v, %v; want 200 and the plaintext's length", u, resp, err)
	} else {
		resp.Body.Close()
	}
	// Another process with the same master key signs the same URLs.
	if u2, _ := newSealedS3(t, srv, master, nil).URL(ctx, "p/acme/inputs/s1", time.Minute); u2[strings.Index(u2, "/files/"):] != u[strings.Index(u, "/files/"):] {
		t.Errorf("two processes sign differently: %s, %s", u, u2)
	}

	// A plain object, written before the key was set.
	plain := newS3(t, func(c *storage.S3Config) { c.Prefix = srv.Prefix; c.Bucket = srv.Bucket })
	data := randKey()
	for len(data) < 70_000 {
		data = append(data, randKey()...)
	}
	if err := plain.Put(ctx, "p/acme/old.bin", bytes.NewReader(data), int64(len(data)), storage.PutOptions{ContentType: "image/png"}); err != nil {
		t.Fatal(err)
	}
	for _, r := range []*storage.Range{nil, {Start: 65540, End: 65560}, {Start: 69_990, End: -1}} {
		rc, obj, err := s.Get(ctx, "p/acme/old.bin", r)
		if err != nil {
			t.Fatalf("Get of a plain object, range %v: %v", r, err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		want := data
		if r != nil {
			end := r.End
			if end < 0 {
				end = int64(len(data)) - 1
			}
			want = data[r.Start : end+1]
		}
		if !bytes.Equal(b, want) || obj.Size != int64(len(data)) || obj.ContentType != "image/png" {
			t.Errorf("plain object through a sealed store, range %v: %d bytes, size %d", r, len(b), obj.Size)
		}
	}
	// And the plain store refuses a sealed object instead of handing out
	// ciphertext.
	if _, _, err := plain.Get(ctx, "p/acme/inputs/s1", nil); !errors.Is(err, storage.ErrCrypto) {
		t.Errorf("plain store reading a sealed object: %v, want ErrCrypto", err)
	}
}

func TestProjectLifecycleSealedS3(t *testing.T) {
	t.Parallel()
	testProjectLifecycle(t, newSealedS3(t, testenv.S3(t), randKey(), nil))
}

func TestProjectLifecycleSealedFolder(t *testing.T) {
	t.Parallel()
	testProjectLifecycle(t, newFolder(t, randKey()))
}
