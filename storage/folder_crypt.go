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

// folderCipher encrypts objects at rest. Each object gets a random salt;
// its key is HKDF-SHA256(master, salt), so nonces can be counters: chunk i
// uses nonce i, the header the all-ones nonce. The header's additional
// data is the object key, so a file moved to another key fails to open.
// The header records the size, so a truncated body is detected.
type folderCipher struct {
	master []byte
}

const (
	saltLen  = 32
	encChunk = 64 << 10
	tagLen   = 16
)

func sealedLen(size int64) int64 {
	chunks := (size + encChunk - 1) / encChunk
	return size + chunks*tagLen
}

func (c *folderCipher) sealStream(w io.Writer, r io.Reader, salt []byte) (int64, error) {
	aead, err := objectAEAD(c.master, salt)
	if err != nil {
		return 0, err
	}
	buf := make([]byte, encChunk, encChunk+tagLen)
	out := make([]byte, 0, encChunk+tagLen)
	var total int64
	for i := uint64(0); ; i++ {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			out = aead.Seal(out[:0], chunkNonce(i), buf[:n], nil)
			if _, werr := w.Write(out); werr != nil {
				return total, werr
			}
			total += int64(n)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

func (c *folderCipher) sealHeader(salt []byte, key string, hb []byte) []byte {
	aead, err := objectAEAD(c.master, salt)
	if err != nil {
		panic(err) // key length was validated
	}
	out := append([]byte(nil), salt...)
	return aead.Seal(out, headerNonce(), hb, []byte("kiln:"+key))
}

func (c *folderCipher) openHeader(key string, blob []byte) (salt, hb []byte, err error) {
	if len(blob) < saltLen+tagLen {
		return nil, nil, errCorrupt
	}
	salt = blob[:saltLen]
	aead, err := objectAEAD(c.master, salt)
	if err != nil {
		return nil, nil, err
	}
	hb, err = aead.Open(nil, headerNonce(), blob[saltLen:], []byte("kiln:"+key))
	if err != nil {
		return nil, nil, fmt.Errorf("%w: header fails authentication (wrong KILN_STORE_KEY?)", errCorrupt)
	}
	return salt, hb, nil
}

func (c *folderCipher) reader(raw io.ReaderAt, salt []byte, size int64) (io.ReaderAt, error) {
	aead, err := objectAEAD(c.master, salt)
	if err != nil {
		return nil, err
	}
	return &decryptReaderAt{raw: raw, aead: aead, size: size, cur: -1}, nil
}

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
