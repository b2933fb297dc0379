package storage

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// On-disk format of an object file:
//
//	body | header | footer
//
// body is the object's bytes, or when sealed its 64 KiB chunks each
// sealed with AES-256-GCM (16 bytes of tag each; crypt.go). header is the
// JSON of objHeader, or when sealed that JSON sealed, after the salt (32)
// and, in version 2, the data key's id (16). footer is 16 bytes: header
// length (uint32 BE), version, flags (bit 0: sealed), two zero bytes, the
// magic "kilnobj1". Version 1 is a plain file, or one sealed under the
// master key (the only format before project keys, still written for
// objects outside projects); version 2 is sealed under the project's data
// key. Properties travel in the same file as the bytes, so one rename
// publishes both and no sidecar can be orphaned; a plain object's file
// starts with its exact bytes.
const (
	footerLen   = 16
	fileVersion = 1
	flagEnc     = 1
	fileMagic   = "kilnobj1"
	maxHeader   = 64 << 10
)

type objHeader struct {
	Size            int64             `json:"size"`
	ContentType     string            `json:"content_type,omitempty"`
	ContentEncoding string            `json:"content_encoding,omitempty"`
	CacheControl    string            `json:"cache_control,omitempty"`
	Metadata        map[string]string `json:"metadata,omitempty"`
	ModTime         time.Time         `json:"mtime"`
	ETag            string            `json:"etag"`
}

func (h objHeader) object(key string) Object {
	return Object{
		Key: key, Size: h.Size, ContentType: h.ContentType, ContentEncoding: h.ContentEncoding,
		CacheControl: h.CacheControl, Metadata: maps0(h.Metadata), ModTime: h.ModTime, ETag: h.ETag,
	}
}

// trailer is what follows the body: the header hb (sealed when flags has
// flagEnc) and the footer.
func trailer(hb []byte, version, flags byte) []byte {
	var foot [footerLen]byte
	binary.BigEndian.PutUint32(foot[0:4], uint32(len(hb)))
	foot[4] = version
	foot[5] = flags
	copy(foot[8:], fileMagic)
	return append(hb, foot[:]...)
}

var errCorrupt = errors.New("corrupt object file")

// objFile is an object file's layout, read from its footer.
type objFile struct {
	version byte
	sealed  bool
	hb      []byte // the header as stored
	bodyLen int64
	mtime   time.Time
}

func readFooter(fh *os.File) (objFile, error) {
	st, err := fh.Stat()
	if err != nil {
		return objFile{}, err
	}
	if st.IsDir() {
		return objFile{}, ErrNotFound
	}
	fsize := st.Size()
	if fsize < footerLen {
		return objFile{}, errCorrupt
	}
	var foot [footerLen]byte
	if _, err := fh.ReadAt(foot[:], fsize-footerLen); err != nil {
		return objFile{}, err
	}
	hlen := int64(binary.BigEndian.Uint32(foot[0:4]))
	v, sealed := foot[4], foot[5]&flagEnc != 0
	if string(foot[8:]) != fileMagic || hlen > maxHeader || hlen > fsize-footerLen ||
		!(v == fileVersion || v == sealV2 && sealed) {
		return objFile{}, errCorrupt
	}
	of := objFile{version: v, sealed: sealed, hb: make([]byte, hlen), bodyLen: fsize - footerLen - hlen, mtime: st.ModTime()}
	if _, err := fh.ReadAt(of.hb, of.bodyLen); err != nil {
		return objFile{}, err
	}
	return of, nil
}

// listed describes an object whose header does not open (its project key
// was shredded, or no key is configured) from what the file shows, so it
// can still be listed and deleted: the size from the sealed length, the
// file's time, an ETag from the sealed header.
func (of objFile) listed(key string) Object {
	size, _ := plainLen(of.bodyLen)
	sum := sha256.Sum256(of.hb)
	return Object{Key: key, Size: size, ModTime: of.mtime.UTC(), ETag: `"` + hex.EncodeToString(sum[:16]) + `"`}
}

func (f *Folder) readHeader(ctx context.Context, fh *os.File, key string) (objHeader, *io.SectionReader, error) {
	of, err := readFooter(fh)
	if err != nil {
		return objHeader{}, nil, err
	}
	return f.openFile(ctx, fh, key, of)
}

func (f *Folder) openFile(ctx context.Context, fh *os.File, key string, of objFile) (objHeader, *io.SectionReader, error) {
	hb := of.hb
	var sl seal
	var salt []byte
	if of.sealed {
		if f.keys == nil {
			return objHeader{}, nil, fmt.Errorf("%w: object is encrypted and no key is configured (KILN_STORE_KEY)", ErrCrypto)
		}
		kid, s, sealed, err := splitHeader(of.version, hb)
		if err != nil {
			return objHeader{}, nil, err
		}
		if sl, err = f.keys.forRead(ctx, key, of.version, kid); err != nil {
			return objHeader{}, nil, err
		}
		if hb, err = sl.openHeader(key, s, sealed); err != nil {
			return objHeader{}, nil, err
		}
		salt = s
	}
	var h objHeader
	if err := json.Unmarshal(hb, &h); err != nil {
		return objHeader{}, nil, errCorrupt
	}
	raw := io.NewSectionReader(fh, 0, of.bodyLen)
	if !of.sealed {
		if of.bodyLen != h.Size {
			return objHeader{}, nil, errCorrupt
		}
		return h, raw, nil
	}
	if of.bodyLen != sealedLen(h.Size) {
		return objHeader{}, nil, errCorrupt
	}
	aead, err := sl.aead(salt)
	if err != nil {
		return objHeader{}, nil, err
	}
	dec := &decryptReaderAt{raw: raw, aead: aead, size: h.Size, cur: -1}
	return h, io.NewSectionReader(dec, 0, h.Size), nil
}
