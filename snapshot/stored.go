package snapshot

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
)

// Stored form: a normalized Snapshot as Kiln keeps it between the API and
// the worker, so that an input is parsed and normalized once (at the API)
// and the worker only reads it back. What is stored is the sanitized,
// privacy-enforced document, never the raw input.
//
// Layout: StoredMagic, a 4-byte big-endian header length, the JSON header
// (storedHeader), then the HTML bytes and each resource's bytes, back to
// back, in the header's order. Bytes are not base64'd: resources (images,
// fonts) are most of a snapshot, and the worker reads them without a JSON
// decode.

// StoredMagic opens every stored snapshot.
const StoredMagic = "KILNSNAP1\n"

// StoredContentType is the media type of a stored snapshot.
const StoredContentType = "application/vnd.kiln.snapshot"

// maxStoredHeader bounds the JSON header: metadata of at most
// DefaultMaxResources resources with URLs of up to a few KB.
const maxStoredHeader = 16 << 20

type storedHeader struct {
	Source    Source           `json:"source"`
	URL       string           `json:"url"`
	Viewport  Viewport         `json:"viewport"`
	Scroll    Scroll           `json:"scroll"`
	Mask      []string         `json:"mask,omitempty"`
	Nodes     int              `json:"nodes"`
	Warnings  []string         `json:"warnings,omitempty"`
	HTML      int64            `json:"html"`
	Resources []storedResource `json:"resources,omitempty"`
}

type storedResource struct {
	URL         string `json:"url"`
	ContentType string `json:"contentType"`
	Size        int64  `json:"size"`
}

// Encode writes s in the stored form.
func Encode(w io.Writer, s *Snapshot) error {
	h := storedHeader{Source: s.Source, URL: s.URL, Viewport: s.Viewport, Scroll: s.Scroll, Mask: s.Mask,
		Nodes: s.Nodes, Warnings: s.Warnings, HTML: int64(len(s.HTML))}
	for _, r := range s.Resources {
		h.Resources = append(h.Resources, storedResource{URL: r.URL, ContentType: r.ContentType, Size: int64(len(r.Data))})
	}
	hb, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("encode snapshot: %w", err)
	}
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(hb)))
	parts := [][]byte{[]byte(StoredMagic), n[:], hb, s.HTML}
	for _, r := range s.Resources {
		parts = append(parts, r.Data)
	}
	for _, p := range parts {
		if _, err := w.Write(p); err != nil {
			return fmt.Errorf("encode snapshot: %w", err)
		}
	}
	return nil
}

// EncodeBytes returns s in the stored form.
func EncodeBytes(s *Snapshot) []byte {
	size := len(StoredMagic) + 4 + 512 + len(s.HTML)
	for _, r := range s.Resources {
		size += len(r.Data) + len(r.URL) + 64
	}
	b := bytes.NewBuffer(make([]byte, 0, size))
	_ = Encode(b, s) // a bytes.Buffer does not fail
	return b.Bytes()
}

// IsStored reports whether data is a stored snapshot (it starts with
// StoredMagic).
func IsStored(data []byte) bool { return bytes.HasPrefix(data, []byte(StoredMagic)) }

// Decode reads a stored snapshot back. It checks the framing (sizes add up,
// the header is within bounds) but does not normalize again: the stored
// form is written by Kiln after Parse. The HTML and resource bytes alias
// data. Errors wrap ErrInvalid.
func Decode(data []byte) (*Snapshot, error) {
	if !IsStored(data) {
		return nil, invalidf("stored snapshot: no magic")
	}
	rest := data[len(StoredMagic):]
	if len(rest) < 4 {
		return nil, invalidf("stored snapshot: truncated header")
	}
	hl := int64(binary.BigEndian.Uint32(rest))
	rest = rest[4:]
	if hl > maxStoredHeader || hl > int64(len(rest)) {
		return nil, invalidf("stored snapshot: header of %d bytes", hl)
	}
	var h storedHeader
	if err := json.Unmarshal(rest[:hl], &h); err != nil {
		return nil, invalidf("stored snapshot: header")
	}
	rest = rest[hl:]
	take := func(n int64) ([]byte, bool) {
		if n < 0 || n > int64(len(rest)) {
			return nil, false
		}
		b := rest[:n:n]
		rest = rest[n:]
		return b, true
	}
	s := &Snapshot{Source: h.Source, URL: h.URL, Viewport: h.Viewport, Scroll: h.Scroll, Mask: h.Mask,
		Nodes: h.Nodes, Warnings: h.Warnings}
	var ok bool
	if s.HTML, ok = take(h.HTML); !ok {
		return nil, invalidf("stored snapshot: truncated document")
	}
	if len(h.Resources) > 0 {
		s.Resources = make([]Resource, len(h.Resources))
	}
	for i, r := range h.Resources {
		d, ok := take(r.Size)
		if !ok {
			return nil, invalidf("stored snapshot: truncated resource %d", i)
		}
		s.Resources[i] = Resource{URL: r.URL, ContentType: r.ContentType, Data: d}
	}
	if len(rest) != 0 {
		return nil, invalidf("stored snapshot: %d trailing bytes", len(rest))
	}
	return s, nil
}
