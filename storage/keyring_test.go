package storage

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"
	"sync"
	"testing"
	"time"
)

// memKeys is a keyStore in memory; block, when set, holds readKey until
// it is closed.
type memKeys struct {
	mu    sync.Mutex
	m     map[string][]byte
	reads int
	block chan struct{}
}

func (k *memKeys) readKey(ctx context.Context, project string) ([]byte, error) {
	k.mu.Lock()
	b, ok := k.m[project]
	k.reads++
	block := k.block
	k.mu.Unlock()
	if block != nil {
		<-block
	}
	if !ok {
		return nil, ErrNotFound
	}
	return b, nil
}

func (k *memKeys) createKey(ctx context.Context, project string, blob []byte) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.m[project]; ok {
		return errKeyExists
	}
	k.m[project] = blob
	return nil
}

func (k *memKeys) deleteKey(ctx context.Context, project string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, project)
	return nil
}

func testKeyring(ttl time.Duration) (*keyring, *memKeys) {
	master := make([]byte, 32)
	rand.Read(master)
	ks := &memKeys{m: map[string][]byte{}}
	return newKeyring(master, ks, 2, ttl), ks
}

// Writers racing on a new project agree on one key.
func TestKeyringCreateRace(t *testing.T) {
	kr, _ := testKeyring(time.Minute)
	var wg sync.WaitGroup
	ids := make([][]byte, 16)
	for i := range ids {
		wg.Go(func() {
			s, err := kr.forWrite(t.Context(), "p/acme/x")
			if err != nil {
				t.Error(err)
			}
			ids[i] = s.kid
		})
	}
	wg.Wait()
	for _, id := range ids {
		if !bytes.Equal(id, ids[0]) {
			t.Fatalf("concurrent first writes got different keys: %x and %x", ids[0], id)
		}
	}
}

// A load that began before a shred does not put the shredded key in the
// cache.
func TestKeyringShredDuringLoad(t *testing.T) {
	kr, ks := testKeyring(time.Hour)
	ctx := t.Context()
	if _, err := kr.get(ctx, "acme", true, false); err != nil {
		t.Fatal(err)
	}
	kr.evict("acme")
	ks.block = make(chan struct{})
	done := make(chan error)
	go func() {
		_, err := kr.get(ctx, "acme", false, false) // reads the key, then waits
		done <- err
	}()
	for {
		ks.mu.Lock()
		n := ks.reads
		ks.mu.Unlock()
		if n >= 2 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if err := kr.shred(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	close(ks.block)
	if err := <-done; err != nil {
		t.Fatalf("the racing load: %v", err)
	}
	if n := kr.cachedKeys(); n != 0 {
		t.Errorf("%d keys cached after a shred that raced a load, want 0", n)
	}
	ks.block = nil
	if _, err := kr.get(ctx, "acme", false, false); err == nil {
		t.Error("the shredded key is still served")
	}
}

// The cache holds at most size keys, each until its TTL.
func TestKeyringBoundAndTTL(t *testing.T) {
	kr, ks := testKeyring(time.Minute)
	now := time.Unix(1_800_000_000, 0)
	kr.now = func() time.Time { return now }
	ctx := t.Context()
	for _, p := range []string{"a", "b", "c"} {
		if _, err := kr.get(ctx, p, true, false); err != nil {
			t.Fatal(err)
		}
	}
	if n := kr.cachedKeys(); n != 2 {
		t.Errorf("%d cached, want 2", n)
	}
	reads := ks.reads
	kr.get(ctx, "c", false, false)
	if ks.reads != reads {
		t.Error("a cached key was read again")
	}
	now = now.Add(time.Minute)
	kr.get(ctx, "c", false, false)
	if ks.reads != reads+1 {
		t.Error("a key past its TTL was not read again")
	}
}

func TestSealedLen(t *testing.T) {
	for _, n := range []int64{0, 1, 15, 16, 17, encChunk - 1, encChunk, encChunk + 1, 3*encChunk + 5, 1 << 30} {
		if got, ok := plainLen(sealedLen(n)); !ok || got != n {
			t.Errorf("plainLen(sealedLen(%d)) = %d, %v", n, got, ok)
		}
	}
	for _, bad := range []int64{1, 16, encChunk + tagLen + 16, -1} {
		if _, ok := plainLen(bad); ok {
			t.Errorf("plainLen(%d) accepted", bad)
		}
	}
}

// BenchmarkCipher is the cipher alone, in memory: sealing and opening a
// 4 MiB body in 64 KiB chunks (HKDF per object included). It bounds what
// sealing can cost a backend per core.
func BenchmarkCipher(b *testing.B) {
	secret := make([]byte, 32)
	rand.Read(secret)
	s := seal{version: sealV2, kid: make([]byte, kidLen), secret: secret}
	data := make([]byte, 4<<20)
	rand.Read(data)
	salt := make([]byte, saltLen)
	var sealed bytes.Buffer
	b.Run("Seal", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			aead, _ := s.aead(salt)
			sealed.Reset()
			if _, err := sealed.ReadFrom(newSealReader(bytes.NewReader(data), aead)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Open", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		ct := sealed.Bytes()
		for b.Loop() {
			aead, _ := s.aead(salt)
			if n, err := io.Copy(io.Discard, newOpenReader(bytes.NewReader(ct), aead, 0, int64(len(ct)))); err != nil || n != int64(len(data)) {
				b.Fatal(n, err)
			}
		}
	})
}
