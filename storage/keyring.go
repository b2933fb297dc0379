package storage

import (
	"bytes"
	"container/list"
	"context"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Envelope encryption: each project's objects are sealed under keys
// derived from a random 32-byte data key of the project's own, created on
// its first write; the data key is stored wrapped (AES-256-GCM) by the
// master key, as a small object of its own, "keys/{project}" (a file
// beside objects/ in a folder, an object under the store's prefix in S3).
// Destroying that one object makes every copy of the project's objects
// unreadable, wherever it went (crypto-shredding; see Shredder).
//
// Wrapped key format, 84 bytes:
//
//	"kilnkey" | version 1 | key id (16) | nonce (12) | sealed data key (32+16)
//
// sealed under HKDF-SHA256(master, nil, "kiln data key wrap v1") with the
// additional data "kiln data key:" + project + ":" + key id, so a key file
// copied to another project does not open there.
const (
	// DefaultKeyCacheSize is how many projects' data keys a store keeps in
	// memory: enough for every active project of a large install, at about
	// 200 bytes each.
	DefaultKeyCacheSize = 4096
	// DefaultKeyCacheTTL is how long a data key is used from memory before
	// it is read again. It bounds how long a shredded key lives on in
	// another process (an API or worker that had it cached): a minute
	// costs one small read per active project and process a minute.
	DefaultKeyCacheTTL = time.Minute
)

// KeysPrefix holds the wrapped data keys: "keys/{project}". On a sealed S3
// store the prefix is reserved (ErrInvalidKey for objects under it).
const KeysPrefix = "keys/"

const (
	wrapMagic = "kilnkey"
	wrapLen   = len(wrapMagic) + 1 + kidLen + 12 + 32 + tagLen
)

// ErrNotEncrypted reports a store that seals nothing, so has no key to
// shred.
var ErrNotEncrypted = errors.New("store does not encrypt")

// errKeyExists reports a createKey that lost to a concurrent one.
var errKeyExists = errors.New("data key exists")

// Shredder is implemented by the stores that can seal projects under data
// keys of their own (Folder and S3, when given a master key).
//
// ShredKey destroys the project's data key: it deletes the wrapped key
// (every version of it, on S3) and evicts it from this store's cache, and
// returns only once that is done. From then on no object the project had
// can be decrypted, by this process at once, by any other within its
// KeyCacheTTL. A store without a master key returns ErrNotEncrypted. The
// objects themselves are left: DeleteProject and ShredProject remove them.
type Shredder interface {
	ShredKey(ctx context.Context, project string) error
}

// keyStore keeps wrapped data keys: the backend's part of the keyring.
type keyStore interface {
	// readKey returns the wrapped key of project, ErrNotFound if none.
	readKey(ctx context.Context, project string) ([]byte, error)
	// createKey stores blob unless project has a key (errKeyExists).
	createKey(ctx context.Context, project string, blob []byte) error
	// deleteKey removes project's key, every copy the backend keeps; a
	// missing key is not an error.
	deleteKey(ctx context.Context, project string) error
}

type dataKey struct {
	id  []byte
	key []byte
}

type cached struct {
	project string
	dk      dataKey
	expires time.Time
}

// keyring hands out the seal of each object: the master key outside
// projects, the project's data key inside, loading and creating data keys
// through a keyStore and caching them (LRU, at most size, each for ttl).
type keyring struct {
	master []byte
	wrap   cipher.AEAD
	store  keyStore
	size   int
	ttl    time.Duration
	now    func() time.Time

	mu    sync.Mutex
	gen   uint64 // bumped by every shred: loads begun before do not cache
	lru   *list.List
	byKey map[string]*list.Element
}

func newKeyring(master []byte, ks keyStore, size int, ttl time.Duration) *keyring {
	if size <= 0 {
		size = DefaultKeyCacheSize
	}
	if ttl <= 0 {
		ttl = DefaultKeyCacheTTL
	}
	wrap, err := gcm(master, nil, "kiln data key wrap v1")
	if err != nil {
		panic(err) // the master key's length was validated
	}
	return &keyring{master: bytes.Clone(master), wrap: wrap, store: ks, size: size, ttl: ttl, now: time.Now,
		lru: list.New(), byKey: map[string]*list.Element{}}
}

// projectOf is the project a key belongs to: "p/{project}/..." with a
// valid name. Other keys belong to none.
func projectOf(key string) (string, bool) {
	rest, ok := strings.CutPrefix(key, "p/")
	if !ok {
		return "", false
	}
	project, _, ok := strings.Cut(rest, "/")
	if !ok || ValidateName(project) != nil {
		return "", false
	}
	return project, true
}

func (k *keyring) masterSeal() seal { return seal{version: sealV1, secret: k.master} }

// forWrite is the seal a new object under key gets, creating the project's
// data key on its first write.
func (k *keyring) forWrite(ctx context.Context, key string) (seal, error) {
	project, ok := projectOf(key)
	if !ok {
		return k.masterSeal(), nil
	}
	dk, err := k.get(ctx, project, true, false)
	if err != nil {
		return seal{}, err
	}
	return seal{version: sealV2, kid: dk.id, secret: dk.key}, nil
}

// forRead is the seal of an object of key stored with version and kid.
func (k *keyring) forRead(ctx context.Context, key string, version byte, kid []byte) (seal, error) {
	switch version {
	case sealV1:
		return k.masterSeal(), nil
	case sealV2:
	default:
		return seal{}, errCorrupt
	}
	project, ok := projectOf(key)
	if !ok {
		return seal{}, fmt.Errorf("%w: sealed under a project key outside any project", errCorrupt)
	}
	dk, err := k.get(ctx, project, false, false)
	if err == nil && !bytes.Equal(dk.id, kid) {
		// Perhaps our copy is stale (shredded and created again
		// elsewhere): read the key again before giving up.
		dk, err = k.get(ctx, project, false, true)
	}
	if err != nil {
		return seal{}, err
	}
	if !bytes.Equal(dk.id, kid) {
		return seal{}, fmt.Errorf("%w: sealed under data key %x of project %s, which now has key %x: the old key was shredded", ErrCrypto, kid, project, dk.id)
	}
	return seal{version: sealV2, kid: dk.id, secret: dk.key}, nil
}

// get returns project's data key: from the cache unless reload, else from
// the store, creating it when create is set and there is none.
func (k *keyring) get(ctx context.Context, project string, create, reload bool) (dataKey, error) {
	k.mu.Lock()
	if e, ok := k.byKey[project]; ok {
		c := e.Value.(*cached)
		if !reload && k.now().Before(c.expires) {
			k.lru.MoveToFront(e)
			k.mu.Unlock()
			return c.dk, nil
		}
		k.lru.Remove(e)
		delete(k.byKey, project)
	}
	gen, start := k.gen, k.now()
	k.mu.Unlock()

	dk, err := k.load(ctx, project, create)
	if err != nil {
		return dataKey{}, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.gen != gen {
		return dk, nil // a shred ran meanwhile: use it once, keep nothing
	}
	if e, ok := k.byKey[project]; ok {
		k.lru.Remove(e)
	}
	// The TTL counts from before the read: the bound holds even for a slow
	// one.
	k.byKey[project] = k.lru.PushFront(&cached{project: project, dk: dk, expires: start.Add(k.ttl)})
	for k.lru.Len() > k.size {
		old := k.lru.Back()
		k.lru.Remove(old)
		delete(k.byKey, old.Value.(*cached).project)
	}
	return dk, nil
}

func (k *keyring) load(ctx context.Context, project string, create bool) (dataKey, error) {
	for range 3 {
		blob, err := k.store.readKey(ctx, project)
		if err == nil {
			return k.unwrap(project, blob)
		}
		if !errors.Is(err, ErrNotFound) {
			return dataKey{}, fmt.Errorf("read data key of project %s: %w", project, err)
		}
		if !create {
			return dataKey{}, fmt.Errorf("%w: project %s has no data key (shredded?)", ErrCrypto, project)
		}
		dk := dataKey{id: make([]byte, kidLen), key: make([]byte, 32)}
		rand.Read(dk.id)
		rand.Read(dk.key)
		err = k.store.createKey(ctx, project, k.wrapKey(project, dk))
		if err == nil {
			return dk, nil
		}
		if !errors.Is(err, errKeyExists) {
			return dataKey{}, fmt.Errorf("create data key of project %s: %w", project, err)
		}
		// Another writer created it first: use theirs.
	}
	return dataKey{}, fmt.Errorf("create data key of project %s: created and deleted concurrently, again and again", project)
}

func wrapAAD(project string, id []byte) []byte {
	return fmt.Appendf(nil, "kiln data key:%s:%x", project, id)
}

func (k *keyring) wrapKey(project string, dk dataKey) []byte {
	nonce := make([]byte, 12)
	rand.Read(nonce)
	out := append([]byte(wrapMagic), 1)
	out = append(append(out, dk.id...), nonce...)
	return k.wrap.Seal(out, nonce, dk.key, wrapAAD(project, dk.id))
}

func (k *keyring) unwrap(project string, blob []byte) (dataKey, error) {
	m := len(wrapMagic)
	if len(blob) != wrapLen || string(blob[:m]) != wrapMagic || blob[m] != 1 {
		return dataKey{}, fmt.Errorf("%w: data key of project %s is not a wrapped key", ErrCrypto, project)
	}
	id := bytes.Clone(blob[m+1 : m+1+kidLen])
	nonce := blob[m+1+kidLen : m+1+kidLen+12]
	key, err := k.wrap.Open(nil, nonce, blob[m+1+kidLen+12:], wrapAAD(project, id))
	if err != nil {
		return dataKey{}, fmt.Errorf("%w: data key of project %s does not open with this master key (wrong KILN_STORE_KEY?)", ErrCrypto, project)
	}
	return dataKey{id: id, key: key}, nil
}

// shredWith is a store's ShredKey: kr is nil when the store seals nothing.
func shredWith(ctx context.Context, kr *keyring, project string) error {
	if err := ValidateName(project); err != nil {
		return fmt.Errorf("shred key: project: %w", err)
	}
	if kr == nil {
		return fmt.Errorf("shred key of project %s: %w", project, ErrNotEncrypted)
	}
	return kr.shred(ctx, project)
}

// shred evicts project's key and deletes it from the store. The eviction
// comes first and again after, and loads that began before it do not
// cache what they read, so this process holds no copy once it returns.
func (k *keyring) shred(ctx context.Context, project string) error {
	k.evict(project)
	err := k.store.deleteKey(ctx, project)
	k.evict(project)
	if err != nil {
		return fmt.Errorf("shred data key of project %s: %w", project, err)
	}
	return nil
}

func (k *keyring) evict(project string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.gen++
	// The key's bytes are not zeroed: a Put may be deriving from them.
	if e, ok := k.byKey[project]; ok {
		k.lru.Remove(e)
		delete(k.byKey, project)
	}
}

// cachedKeys is how many data keys are in memory (for tests).
func (k *keyring) cachedKeys() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.lru.Len()
}
