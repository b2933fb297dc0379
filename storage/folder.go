package storage

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"syscall"
	"time"
)

var (
	_ Store        = (*Folder)(nil)
	_ BatchDeleter = (*Folder)(nil)
	_ FileServer   = (*Folder)(nil)
)

// validateEncryption checks a backend's encryption settings.
func validateEncryption(backend string, key []byte, cacheSize int, cacheTTL time.Duration) []error {
	var errs []error
	if key != nil && len(key) != 32 {
		errs = append(errs, fmt.Errorf("%s: EncryptionKey has %d bytes, want 32", backend, len(key)))
	}
	if cacheSize < 0 {
		errs = append(errs, fmt.Errorf("%s: KeyCacheSize %d, want >= 0", backend, cacheSize))
	}
	if cacheTTL < 0 {
		errs = append(errs, fmt.Errorf("%s: KeyCacheTTL %v, want >= 0", backend, cacheTTL))
	}
	return errs
}

// FolderConfig configures the folder backend.
type FolderConfig struct {
	// Dir holds the store: objects/ (the data), tmp/ (uploads in flight)
	// and url.secret (the URL signing key, when URLSecret is nil).
	Dir string
	// BaseURL is where Kiln's API serves Handler, without a trailing slash
	// ("http://localhost:8080"); URL returns BaseURL + "/files/" + key.
	BaseURL string
	// URLSecret signs URLs (HMAC-SHA256), at least 16 bytes. Nil: read
	// Dir/url.secret, creating it (32 random bytes, mode 0600) if missing.
	URLSecret []byte
	// EncryptionKey, when set (32 bytes), is the master key: objects are
	// sealed at rest with AES-256-GCM, those of a project under its own
	// data key (wrapped by this key, in keys/{project}), any other under
	// this key. Nil stores plain files.
	EncryptionKey []byte
	// KeyCacheSize is how many projects' data keys are kept in memory (0:
	// DefaultKeyCacheSize), KeyCacheTTL how long one is used before it is
	// read again (0: DefaultKeyCacheTTL): the longest a key shredded by
	// another process stays usable here.
	KeyCacheSize int
	KeyCacheTTL  time.Duration
	// NoSync skips fsync of each object and its directory. Faster (see the
	// benchmark) but a power loss may lose recent objects; for tests.
	NoSync bool
}

// DefaultFolderConfig is a kiln-data folder in the working directory,
// served by an API on localhost:8080.
func DefaultFolderConfig() FolderConfig {
	return FolderConfig{Dir: "kiln-data", BaseURL: "http://localhost:8080"}
}

// Validate reports every problem in c at once.
func (c FolderConfig) Validate() error {
	var errs []error
	if c.Dir == "" {
		errs = append(errs, errors.New("folder: Dir is empty"))
	}
	if c.BaseURL == "" || !(strings.HasPrefix(c.BaseURL, "http://") || strings.HasPrefix(c.BaseURL, "https://")) {
		errs = append(errs, fmt.Errorf("folder: BaseURL %q is not an http(s) URL", c.BaseURL))
	} else if strings.HasSuffix(c.BaseURL, "/") {
		errs = append(errs, fmt.Errorf("folder: BaseURL %q ends with a slash", c.BaseURL))
	}
	if c.URLSecret != nil && len(c.URLSecret) < 16 {
		errs = append(errs, fmt.Errorf("folder: URLSecret has %d bytes, want at least 16", len(c.URLSecret)))
	}
	errs = append(errs, validateEncryption("folder", c.EncryptionKey, c.KeyCacheSize, c.KeyCacheTTL)...)
	return errors.Join(errs...)
}

// Folder stores objects as files under a directory. Every access goes
// through an os.Root, so neither a key nor a symlink planted in the folder
// can reach outside it. Writes go to tmp/ and are renamed into place, so a
// reader sees the old object or the new one, never a part.
//
// A key cannot be both an object and a prefix of other objects ("a/b" and
// "a/b/c"): a file cannot also be a directory. Put reports ErrInvalidKey
// then. Kiln's layout never does this.
type Folder struct {
	cfg  FolderConfig
	root *os.Root
	urls urlSigner
	keys *keyring // nil: plain files
}

// NewFolder opens (creating if needed) the folder store in cfg.Dir.
func NewFolder(cfg FolderConfig) (*Folder, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("open folder store: %w", err)
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("open folder store: %w", err)
	}
	root, err := os.OpenRoot(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("open folder store: %w", err)
	}
	f := &Folder{cfg: cfg, root: root}
	if err := f.init(); err != nil {
		root.Close()
		return nil, fmt.Errorf("open folder store %s: %w", cfg.Dir, err)
	}
	return f, nil
}

func (f *Folder) init() error {
	for _, d := range []string{"objects", "tmp"} {
		if err := f.root.Mkdir(d, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	secret := f.cfg.URLSecret
	if secret == nil {
		s, err := f.loadSecret()
		if err != nil {
			return err
		}
		secret = s
	}
	f.urls = urlSigner{base: f.cfg.BaseURL, secret: secret}
	if f.cfg.EncryptionKey != nil {
		if err := f.root.Mkdir("keys", 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
		f.keys = newKeyring(f.cfg.EncryptionKey, f, f.cfg.KeyCacheSize, f.cfg.KeyCacheTTL)
	}
	// Uploads interrupted by a crash leave files in tmp/: drop old ones.
	if ents, err := fs.ReadDir(f.root.FS(), "tmp"); err == nil {
		for _, e := range ents {
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > time.Hour {
				f.root.Remove("tmp/" + e.Name())
			}
		}
	}
	return nil
}

// loadSecret reads url.secret, creating it on first use.
func (f *Folder) loadSecret() ([]byte, error) {
	const name = "url.secret"
	if b, err := f.root.ReadFile(name); err == nil {
		s, derr := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
		if derr != nil || len(s) < 16 {
			return nil, fmt.Errorf("read %s: not 16+ bytes of base64", name)
		}
		return s, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	s := make([]byte, 32)
	rand.Read(s)
	// Of two processes starting together (an API and a worker on one
	// folder) exactly one creates it; a reader never sees it half-written.
	err := f.createOnce(name, ".", []byte(base64.StdEncoding.EncodeToString(s)+"\n"))
	if errors.Is(err, fs.ErrExist) {
		return f.loadSecret() // another process was first: use theirs
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Close releases the folder.
func (f *Folder) Close() error { return f.root.Close() }

// Dir is the folder's directory.
func (f *Folder) Dir() string { return f.cfg.Dir }

func maps0(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

func objPath(key string) string { return "objects/" + key }

// Put implements Store.
func (f *Folder) Put(ctx context.Context, key string, r io.Reader, size int64, opts PutOptions) error {
	if err := ValidateKey(key); err != nil {
		return fmt.Errorf("put object: %w", err)
	}
	if err := validateOptions(opts); err != nil {
		return fmt.Errorf("put object %s: %w", key, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("put object %s: %w", key, err)
	}
	if err := f.put(ctx, key, r, size, opts); err != nil {
		return fmt.Errorf("put object %s: %w", key, err)
	}
	return nil
}

func (f *Folder) put(ctx context.Context, key string, r io.Reader, size int64, opts PutOptions) (err error) {
	var sl seal
	if f.keys != nil {
		if sl, err = f.keys.forWrite(ctx, key); err != nil {
			return err
		}
	}
	var nb [12]byte
	rand.Read(nb[:])
	tmpName := "tmp/put-" + hex.EncodeToString(nb[:])
	tmp, err := f.root.OpenFile(tmpName, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	published := false
	defer func() {
		if !published {
			tmp.Close()
			f.root.Remove(tmpName)
		}
	}()

	sum := sha256.New()
	body := io.TeeReader(&sizedReader{r: ctxReader{ctx, r}, size: size}, sum)
	var salt []byte
	var sr *sealReader
	if f.keys != nil {
		salt = make([]byte, saltLen)
		rand.Read(salt)
		aead, err := sl.aead(salt)
		if err != nil {
			return err
		}
		sr = newSealReader(body, aead)
		body = sr
	}
	n, err := io.CopyBuffer(onlyWriter{tmp}, body, make([]byte, encChunk+tagLen))
	if err != nil {
		return err
	}
	if sr != nil {
		n = sr.n
	}
	h := objHeader{
		Size: n, ContentType: opts.ContentType, ContentEncoding: opts.ContentEncoding,
		CacheControl: opts.CacheControl, Metadata: maps0(opts.Metadata),
		ModTime: time.Now().UTC().Truncate(time.Millisecond),
		ETag:    `"` + hex.EncodeToString(sumPrefix(sum)) + `"`,
	}
	hb, err := json.Marshal(h)
	if err != nil {
		return err
	}
	version, flags := byte(fileVersion), byte(0)
	if f.keys != nil {
		if hb, err = sl.sealHeader(key, salt, hb); err != nil {
			return err
		}
		version, flags = sl.version, flagEnc
	}
	if _, err := tmp.Write(trailer(hb, version, flags)); err != nil {
		return err
	}
	if !f.cfg.NoSync {
		if err := tmp.Sync(); err != nil {
			return err
		}
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := f.publish(tmpName, key); err != nil {
		return err
	}
	published = true
	return nil
}

func sumPrefix(h hash.Hash) []byte { return h.Sum(nil)[:16] }

// onlyWriter hides ReadFrom so io.CopyBuffer uses our buffer and ctxReader.
type onlyWriter struct{ w io.Writer }

func (o onlyWriter) Write(p []byte) (int, error) { return o.w.Write(p) }

// publish renames tmpName to key's path, creating directories. A
// concurrent Delete may remove an emptied directory between the two
// steps: retry a few times.
func (f *Folder) publish(tmpName, key string) error {
	dst := objPath(key)
	var err error
	for range 5 {
		if dir := path.Dir(dst); dir != "objects" {
			if err = f.root.MkdirAll(dir, 0o700); err != nil {
				return mapFSErr(key, err)
			}
		}
		err = f.root.Rename(tmpName, dst)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return mapFSErr(key, err)
		}
	}
	if err != nil {
		return err
	}
	if !f.cfg.NoSync {
		if d, err := f.root.Open(path.Dir(dst)); err == nil {
			d.Sync()
			d.Close()
		}
	}
	return nil
}

// mapFSErr turns file-system refusals caused by the key into ErrInvalidKey.
func mapFSErr(key string, err error) error {
	switch {
	case errors.Is(err, syscall.ENOTDIR), errors.Is(err, syscall.EISDIR),
		errors.Is(err, syscall.ENOTEMPTY), errors.Is(err, fs.ErrExist):
		return fmt.Errorf("%w: %q conflicts with an object or prefix already stored", ErrInvalidKey, key)
	case errors.Is(err, syscall.ENAMETOOLONG):
		return fmt.Errorf("%w: %q has a segment too long for the file system", ErrInvalidKey, key)
	}
	return err
}

// openObject opens key and reads its header. The caller closes the file.
func (f *Folder) openObject(ctx context.Context, key string) (*os.File, objHeader, *io.SectionReader, error) {
	fh, err := f.root.Open(objPath(key))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return nil, objHeader{}, nil, ErrNotFound
		}
		return nil, objHeader{}, nil, mapFSErr(key, err)
	}
	h, body, err := f.readHeader(ctx, fh, key)
	if err != nil {
		fh.Close()
		return nil, objHeader{}, nil, err
	}
	return fh, h, body, nil
}

// Get implements Store.
func (f *Folder) Get(ctx context.Context, key string, rng *Range) (io.ReadCloser, Object, error) {
	if err := ValidateKey(key); err != nil {
		return nil, Object{}, fmt.Errorf("get object: %w", err)
	}
	if err := validateRange(rng); err != nil {
		return nil, Object{}, fmt.Errorf("get object %s: %w", key, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, Object{}, fmt.Errorf("get object %s: %w", key, err)
	}
	fh, h, body, err := f.openObject(ctx, key)
	if err != nil {
		return nil, Object{}, fmt.Errorf("get object %s: %w", key, err)
	}
	off, n, err := clampRange(rng, h.Size)
	if err != nil {
		fh.Close()
		return nil, Object{}, fmt.Errorf("get object %s: %w", key, err)
	}
	rc := &fileReadCloser{ctx: ctx, r: io.NewSectionReader(body, off, n), f: fh}
	return rc, h.object(key), nil
}

type fileReadCloser struct {
	ctx context.Context
	r   io.Reader
	f   *os.File
}

func (r *fileReadCloser) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

func (r *fileReadCloser) Close() error { return r.f.Close() }

// Head implements Store.
func (f *Folder) Head(ctx context.Context, key string) (Object, error) {
	if err := ValidateKey(key); err != nil {
		return Object{}, fmt.Errorf("head object: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return Object{}, fmt.Errorf("head object %s: %w", key, err)
	}
	fh, h, _, err := f.openObject(ctx, key)
	if err != nil {
		return Object{}, fmt.Errorf("head object %s: %w", key, err)
	}
	fh.Close()
	return h.object(key), nil
}

// Delete implements Store.
func (f *Folder) Delete(ctx context.Context, key string) error {
	if err := ValidateKey(key); err != nil {
		return fmt.Errorf("delete object: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete object %s: %w", key, err)
	}
	if err := f.remove(key); err != nil {
		return fmt.Errorf("delete object %s: %w", key, err)
	}
	f.prune(path.Dir(objPath(key)))
	return nil
}

// remove deletes key's file; a missing key or a directory is not an error.
func (f *Folder) remove(key string) error {
	p := objPath(key)
	st, err := f.root.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return nil
	}
	if err != nil {
		return err
	}
	if st.IsDir() {
		return nil
	}
	if err := f.root.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// prune removes empty directories from dir up to objects/.
func (f *Folder) prune(dir string) {
	for dir != "objects" && dir != "." && strings.HasPrefix(dir, "objects/") {
		if err := f.root.Remove(dir); err != nil {
			return // not empty (or gone): stop
		}
		dir = path.Dir(dir)
	}
}

// DeleteKeys implements BatchDeleter.
func (f *Folder) DeleteKeys(ctx context.Context, keys []string) error {
	dirs := map[string]bool{}
	for _, k := range keys {
		if err := ValidateKey(k); err != nil {
			return fmt.Errorf("delete objects: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("delete objects: %w", err)
		}
		if err := f.remove(k); err != nil {
			return fmt.Errorf("delete objects %s: %w", k, err)
		}
		dirs[path.Dir(objPath(k))] = true
	}
	// Deepest first, so parents are empty by the time they are tried.
	ds := make([]string, 0, len(dirs))
	for d := range dirs {
		ds = append(ds, d)
	}
	slices.SortFunc(ds, func(a, b string) int { return strings.Count(b, "/") - strings.Count(a, "/") })
	for _, d := range ds {
		f.prune(d)
	}
	return nil
}

// DeletePrefix implements Store. An empty prefix is refused (ErrInvalidKey):
// emptying a whole store is not something to do by accident.
func (f *Folder) DeletePrefix(ctx context.Context, prefix string) (int, error) {
	return deletePrefix(ctx, f, prefix)
}

// deletePrefix lists the first page again and again, deleting it, until
// the prefix is empty: interrupted, it simply starts over.
func deletePrefix(ctx context.Context, s interface {
	Store
	BatchDeleter
}, prefix string) (int, error) {
	if prefix == "" {
		return 0, fmt.Errorf("delete prefix: %w: empty prefix", ErrInvalidKey)
	}
	if err := ValidatePrefix(prefix); err != nil {
		return 0, fmt.Errorf("delete prefix: %w", err)
	}
	total := 0
	var last []string
	for {
		objs, _, err := s.List(ctx, prefix, "", MaxListLimit)
		if err != nil {
			return total, fmt.Errorf("delete prefix %s: %w", prefix, err)
		}
		if len(objs) == 0 {
			return total, nil
		}
		keys := make([]string, len(objs))
		for i, o := range objs {
			keys[i] = o.Key
		}
		if slices.Equal(keys, last) {
			// The store said it deleted them, yet lists them again.
			return total, fmt.Errorf("delete prefix %s: %d objects from %s on survive deletion", prefix, len(keys), keys[0])
		}
		last = keys
		if err := s.DeleteKeys(ctx, keys); err != nil {
			return total, fmt.Errorf("delete prefix %s: %w", prefix, err)
		}
		total += len(keys)
	}
}
