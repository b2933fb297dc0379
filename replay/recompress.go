package replay

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"image"
	"image/png"
	"sync"
)

// What inline data costs to store. A recording's images come as PNGs
// that the browser encoded for speed (rrweb's rr_dataURL: canvas
// toDataURL, zlib level 1, an alpha channel even on photos): decoded and
// encoded again by image/png (lossless: the same pixels, no alpha channel
// when every pixel is opaque, better filters and compression), they take
// about two thirds of the bytes. Style sheets are gzip-compressed once.
// Both cost CPU time, and the same page's recordings carry the same
// images and sheets, so the process remembers what it produced
// (transforms), for every Build of every Builder: the transformations
// are pure, and an output is only handed out for the same input.

// maxRecompressPixels bounds the images decoded to be re-encoded: a PNG
// of a few KB can claim a huge canvas (a decompression bomb); larger ones
// are stored as they came.
const maxRecompressPixels = 4 << 20

// recompressPNG returns the PNG p encoded again losslessly when that is
// smaller, else p.
func recompressPNG(p []byte) []byte {
	if !plainPNG(p) {
		return p
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(p))
	if err != nil || cfg.Width*cfg.Height > maxRecompressPixels || cfg.Width <= 0 || cfg.Height <= 0 {
		return p
	}
	img, err := png.Decode(bytes.NewReader(p))
	if err != nil {
		return p
	}
	switch img.(type) {
	case *image.NRGBA, *image.RGBA, *image.Paletted, *image.Gray, *image.NRGBA64, *image.RGBA64, *image.Gray16:
	default:
		return p
	}
	var out bytes.Buffer
	out.Grow(len(p))
	if err := (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&out, img); err != nil || out.Len() >= len(p) {
		return p
	}
	return out.Bytes()
}

// plainPNG reports whether p's chunks are all ones image/png reads and
// writes back with the same meaning: none that changes how its pixels
// look (gamma, colour profile, chromaticities, significant bits, sRGB
// intent) or moves (animation), which encoding again would drop.
func plainPNG(p []byte) bool {
	if len(p) < 8 || string(p[:8]) != "\x89PNG\r\n\x1a\n" {
		return false
	}
	for i := 8; i+8 <= len(p); {
		n := int(binary.BigEndian.Uint32(p[i:]))
		switch string(p[i+4 : i+8]) {
		case "gAMA", "cHRM", "iCCP", "sRGB", "sBIT", "acTL", "fcTL", "fdAT", "cICP", "mDCV", "cLLI", "eXIf":
			return false
		case "IEND":
			return true
		}
		if n < 0 || n > len(p)-i-12 {
			return false
		}
		i += 12 + n
	}
	return false
}

// gzipBytes compresses b at level (1..9).
func gzipBytes(b []byte, level int) []byte {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, level)
	if err != nil {
		zw = gzip.NewWriter(&buf)
	}
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// transformCache remembers the output of a deterministic transformation
// (recompressPNG, gzipBytes at the Builder's level) by the sha256 of its
// kind and input, up to maxBytes of outputs; the oldest go first. It is
// safe for concurrent use (a worker runs several builds at once).
type transformCache struct {
	mu       sync.Mutex
	maxBytes int
	bytes    int
	byKey    map[[32]byte][]byte
	order    [][32]byte
}

// transforms is the process's cache.
var transforms = newTransformCache(transformCacheBytes)

func newTransformCache(maxBytes int) *transformCache {
	return &transformCache{maxBytes: maxBytes, byKey: map[[32]byte][]byte{}}
}

// reset forgets everything (benchmarks of cold builds).
func (c *transformCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byKey, c.order, c.bytes = map[[32]byte][]byte{}, nil, 0
}

// do returns f(in), from the cache when it holds the output for kind and
// in. The output must not be modified.
func (c *transformCache) do(kind string, in []byte, f func([]byte) []byte) []byte {
	h := sha256.New()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write(in)
	var key [32]byte
	h.Sum(key[:0])
	c.mu.Lock()
	out, ok := c.byKey[key]
	c.mu.Unlock()
	if ok {
		return out
	}
	out = f(in)
	if len(out) > c.maxBytes/4 {
		return out
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[key]; !ok {
		c.byKey[key] = out
		c.order = append(c.order, key)
		c.bytes += len(out)
		for c.bytes > c.maxBytes && len(c.order) > 0 {
			old := c.order[0]
			c.order = c.order[1:]
			c.bytes -= len(c.byKey[old])
			delete(c.byKey, old)
		}
	}
	return out
}
