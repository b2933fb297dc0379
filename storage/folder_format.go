package storage

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"os"
	"time"
)

// On-disk format of an object file:
//
//	body | header | footer
//
// body is the object's bytes, or with encryption its 64 KiB chunks each
// sealed with AES-256-GCM (16 bytes of tag each). header is the JSON of
// objHeader, or with encryption salt(32) + sealed JSON. footer is 16 bytes:
// header length (uint32 BE), version (1), flags (bit 0: encrypted), two
// zero bytes, the magic "kilnobj1". Properties travel in the same file as
// the bytes, so one rename publishes both and no sidecar can be orphaned;
// a plain object's file starts with its exact bytes.
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
func trailer(hb []byte, flags byte) []byte {
	var foot [footerLen]byte
	binary.BigEndian.PutUint32(foot[0:4], uint32(len(hb)))
	foot[4] = fileVersion
	foot[5] = flags
	copy(foot[8:], fileMagic)
	return append(hb, foot[:]...)
}

var errCorrupt = errors.New("corrupt object file")

func (f *Folder) readHeader(fh *os.File, key string) (objHeader, *io.SectionReader, error) {
	st, err := fh.Stat()
	if err != nil {
		return objHeader{}, nil, err
	}
	if st.IsDir() {
		return objHeader{}, nil, ErrNotFound
	}
	fsize := st.Size()
	if fsize < footerLen {
		return objHeader{}, nil, errCorrupt
	}
	var foot [footerLen]byte
	if _, err := fh.ReadAt(foot[:], fsize-footerLen); err != nil {
		return objHeader{}, nil, err
	}
	hlen := int64(binary.BigEndian.Uint32(foot[0:4]))
	if string(foot[8:]) != fileMagic || foot[4] != fileVersion || hlen > maxHeader || hlen > fsize-footerLen {
		return objHeader{}, nil, errCorrupt
	}
	hb := make([]byte, hlen)
	bodyLen := fsize - footerLen - hlen
	if _, err := fh.ReadAt(hb, bodyLen); err != nil {
		return objHeader{}, nil, err
	}
	encrypted := foot[5]&flagEnc != 0
	var salt []byte
	if encrypted {
		if f.enc == nil {
			return objHeader{}, nil, errors.New("object is encrypted and no key is configured (KILN_STORE_KEY)")
		}
		if salt, hb, err = f.enc.openHeader(key, hb); err != nil {
			return objHeader{}, nil, err
		}
	}
	var h objHeader
	if err := json.Unmarshal(hb, &h); err != nil {
		return objHeader{}, nil, errCorrupt
	}
	raw := io.NewSectionReader(fh, 0, bodyLen)
	if !encrypted {
		if bodyLen != h.Size {
			return objHeader{}, nil, errCorrupt
		}
		return h, raw, nil
	}
	if bodyLen != sealedLen(h.Size) {
		return objHeader{}, nil, errCorrupt
	}
	dec, err := f.enc.reader(raw, salt, h.Size)
	if err != nil {
		return objHeader{}, nil, err
	}
	return h, io.NewSectionReader(dec, 0, h.Size), nil
}
