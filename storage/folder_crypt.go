package storage

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"sync"
)

func objectAEAD(master, salt []byte) (cipher.AEAD, error) {
	k, err := hkdf.Key(sha256.New, master, salt, "kiln folder object v1", 32)
	if err != nil {
		return nil, err
	}
	b, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

func chunkNonce(i uint64) []byte {
	n := make([]byte, 12)
	binary.BigEndian.PutUint64(n[4:], i)
	return n
}

func headerNonce() []byte {
	n := make([]byte, 12)
	for i := range n {
		n[i] = 0xff
	}
	return n
}

// decryptReaderAt reads plaintext from a sealed body, one chunk at a time,
// keeping the last chunk so sequential reads decrypt each chunk once.
type decryptReaderAt struct {
	raw  io.ReaderAt
	aead cipher.AEAD
	size int64

	mu  sync.Mutex
	cur int64 // index of the chunk in buf, -1 for none
	ct  []byte
	buf []byte
}

func (d *decryptReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("read at %d: negative offset", off)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for n < len(p) {
		if off >= d.size {
			return n, io.EOF
		}
		idx := off / encChunk
		if err := d.load(idx); err != nil {
			return n, err
		}
		c := copy(p[n:], d.buf[off-idx*encChunk:])
		n += c
		off += int64(c)
	}
	return n, nil
}

func (d *decryptReaderAt) load(idx int64) error {
	if d.cur == idx {
		return nil
	}
	plain := min(int64(encChunk), d.size-idx*encChunk)
	if cap(d.ct) < encChunk+tagLen {
		d.ct = make([]byte, encChunk+tagLen)
		d.buf = make([]byte, 0, encChunk)
	}
	ct := d.ct[:plain+tagLen]
	if _, err := d.raw.ReadAt(ct, idx*(encChunk+tagLen)); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return err
	}
	buf, err := d.aead.Open(d.buf[:0], chunkNonce(uint64(idx)), ct, nil)
	if err != nil {
		d.cur = -1
		return fmt.Errorf("%w: chunk %d fails authentication", errCorrupt, idx)
	}
	d.buf = buf
	d.cur = idx
	return nil
}
