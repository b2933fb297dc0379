package storage

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
)

// ErrCrypto reports an object (or a project's data key) that does not
// decrypt: a wrong or missing master key (KILN_STORE_KEY), a project key
// that was shredded, or bytes altered at rest. Authentication cannot tell
// these apart; the message says which check failed.
var ErrCrypto = errors.New("cannot decrypt")

// Sealed objects, on both backends: the body is cut in encChunk-byte
// chunks, each sealed with AES-256-GCM (nonce = chunk index, no additional
// data) under a key of its own object, HKDF-SHA256(secret, salt, info),
// with a random salt per Put. The properties (size, types, metadata, ETag)
// are sealed with the same key under the all-ones nonce, with the object's
// key as additional data, so a body or header moved to another key fails
// to open, and the size they record catches a truncated body.
//
// The secret, and so the version, depends on the key:
//
//	sealV1  the master key; info "kiln folder object v1", AAD "kiln:"+key.
//	        Objects outside any project, and every object written before
//	        project keys existed.
//	sealV2  the project's data key (keyring.go); info "kiln object v2",
//	        AAD "kiln2:"+hex(key id)+":"+key. The header carries the key
//	        id in clear so a shredded key is told from a wrong one.
const (
	saltLen  = 32
	encChunk = 64 << 10
	tagLen   = 16
	kidLen   = 16

	sealV1 = 1
	sealV2 = 2
)

// sealedLen is the length of a sealed body of size plaintext bytes.
func sealedLen(size int64) int64 {
	chunks := (size + encChunk - 1) / encChunk
	return size + chunks*tagLen
}

// plainLen inverts sealedLen; false for a length no sealed body has.
func plainLen(sealed int64) (int64, bool) {
	if sealed < 0 {
		return 0, false
	}
	full, rem := sealed/(encChunk+tagLen), sealed%(encChunk+tagLen)
	switch {
	case rem == 0:
		return full * encChunk, true
	case rem <= tagLen:
		return 0, false
	}
	return full*encChunk + rem - tagLen, true
}

// seal is the key one object is sealed under.
type seal struct {
	version byte
	kid     []byte // sealV2: the data key's id
	secret  []byte // the master key (sealV1) or the project's data key (sealV2)
}

func (s seal) aead(salt []byte) (cipher.AEAD, error) {
	info := "kiln folder object v1"
	if s.version == sealV2 {
		info = "kiln object v2"
	}
	return gcm(s.secret, salt, info)
}

func (s seal) aad(key string) []byte {
	if s.version == sealV2 {
		return fmt.Appendf(nil, "kiln2:%x:%s", s.kid, key)
	}
	return []byte("kiln:" + key)
}

// gcm is AES-256-GCM under HKDF-SHA256(secret, salt, info).
func gcm(secret, salt []byte, info string) (cipher.AEAD, error) {
	k, err := hkdf.Key(sha256.New, secret, salt, info, 32)
	if err != nil {
		return nil, err
	}
	b, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

// sealHeader seals the properties hb of key: [key id (sealV2)] | salt |
// sealed hb.
func (s seal) sealHeader(key string, salt, hb []byte) ([]byte, error) {
	aead, err := s.aead(salt)
	if err != nil {
		return nil, err
	}
	out := append(append([]byte(nil), s.kid...), salt...)
	return aead.Seal(out, headerNonce(), hb, s.aad(key)), nil
}

// splitHeader parses what sealHeader wrote for version.
func splitHeader(version byte, blob []byte) (kid, salt, sealed []byte, err error) {
	n := 0
	if version == sealV2 {
		n = kidLen
	}
	if len(blob) < n+saltLen+tagLen {
		return nil, nil, nil, errCorrupt
	}
	return blob[:n], blob[n : n+saltLen], blob[n+saltLen:], nil
}

// openHeader opens the sealed properties of key under s.
func (s seal) openHeader(key string, salt, sealed []byte) ([]byte, error) {
	aead, err := s.aead(salt)
	if err != nil {
		return nil, err
	}
	hb, err := aead.Open(nil, headerNonce(), sealed, s.aad(key))
	if err != nil {
		if s.version == sealV2 {
			return nil, fmt.Errorf("%w: header fails authentication under the project's data key (altered, or moved from another key)", ErrCrypto)
		}
		return nil, fmt.Errorf("%w: header fails authentication (wrong KILN_STORE_KEY?)", ErrCrypto)
	}
	return hb, nil
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

// chunks is an io.Reader over a sequence of chunks: it serves the one at
// hand and asks next for another when it is used up.
type chunks struct {
	cur  []byte
	next func() ([]byte, error)
}

func (c *chunks) Read(p []byte) (int, error) {
	for len(c.cur) == 0 {
		b, err := c.next()
		if err != nil {
			return 0, err
		}
		c.cur = b
	}
	n := copy(p, c.cur)
	c.cur = c.cur[n:]
	return n, nil
}

// sealReader reads r and yields its chunks sealed; n counts the plaintext.
// A read error of r is returned as is, and nothing of the chunk it broke.
type sealReader struct {
	chunks
	r    io.Reader
	aead cipher.AEAD
	idx  uint64
	n    int64
	buf  []byte
	out  []byte
	err  error
}

func newSealReader(r io.Reader, aead cipher.AEAD) *sealReader {
	s := &sealReader{r: r, aead: aead, buf: make([]byte, encChunk), out: make([]byte, 0, encChunk+tagLen)}
	s.chunks.next = s.seal
	return s
}

func (s *sealReader) seal() ([]byte, error) {
	if s.err != nil {
		return nil, s.err
	}
	n, err := io.ReadFull(s.r, s.buf)
	switch err {
	case nil:
	case io.EOF, io.ErrUnexpectedEOF:
		s.err = io.EOF
	default:
		s.err = err
		return nil, err
	}
	if n == 0 {
		return nil, nil
	}
	s.idx++
	s.n += int64(n)
	return s.aead.Seal(s.out[:0], chunkNonce(s.idx-1), s.buf[:n], nil), nil
}

// openChunk opens chunk idx into dst.
func openChunk(aead cipher.AEAD, dst []byte, idx uint64, ct []byte) ([]byte, error) {
	pt, err := aead.Open(dst, chunkNonce(idx), ct, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: chunk %d fails authentication", ErrCrypto, idx)
	}
	return pt, nil
}

// openReader decrypts a stream of sealed chunks that starts at chunk idx
// and holds left bytes (the rest of the sealed body).
type openReader struct {
	chunks
	r    io.Reader
	aead cipher.AEAD
	idx  uint64
	left int64
	ct   []byte
	buf  []byte
}

func newOpenReader(r io.Reader, aead cipher.AEAD, idx uint64, left int64) *openReader {
	o := &openReader{r: r, aead: aead, idx: idx, left: left,
		ct: make([]byte, encChunk+tagLen), buf: make([]byte, 0, encChunk)}
	o.chunks.next = o.open
	return o
}

func (o *openReader) open() ([]byte, error) {
	if o.left <= 0 {
		return nil, io.EOF
	}
	m := min(o.left, encChunk+tagLen)
	if m <= tagLen {
		return nil, errCorrupt
	}
	if _, err := io.ReadFull(o.r, o.ct[:m]); err != nil {
		return nil, noEOF(err)
	}
	pt, err := openChunk(o.aead, o.buf[:0], o.idx, o.ct[:m])
	if err != nil {
		return nil, err
	}
	o.idx++
	o.left -= m
	return pt, nil
}

// noEOF is err, but an early end of a sealed body is no clean end.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
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
		return noEOF(err)
	}
	buf, err := openChunk(d.aead, d.buf[:0], uint64(idx), ct)
	if err != nil {
		d.cur = -1
		return err
	}
	d.buf = buf
	d.cur = idx
	return nil
}
