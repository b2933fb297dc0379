package replay

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"crypto/sha256"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"sync"
)

// What inline data costs to store. A recording's images come as PNGs
// that the browser encoded for speed (rrweb's rr_dataURL: canvas
// toDataURL, zlib level 1, an alpha channel even on photos): decoded and
// encoded again (lossless: the same pixels, no alpha channel when every
// pixel is opaque, image/png's filters, zlib level 5), they take about
// two thirds of the bytes. Style sheets are gzip-compressed once.
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
	var out []byte
	if nrgba, ok := img.(*image.NRGBA); ok {
		out = encodeNRGBA(nrgba, recompressLevel, len(p))
	} else {
		var buf bytes.Buffer
		buf.Grow(len(p))
		if err := (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(&buf, img); err != nil {
			return p
		}
		out = buf.Bytes()
	}
	if len(out) >= len(p) {
		return p
	}
	return out
}

// recompressLevel is the zlib level of re-encoded NRGBA images (nearly
// all of rrweb's: canvas toDataURL decodes to NRGBA). image/png offers 6
// (DefaultCompression) or 1 (BestSpeed): on the corpus recordings' 20
// PNGs, 6 stores 0.674 of their bytes, 5 0.686 for about 0.6 of the
// deflate time, 4 0.703, 1 0.77; the bundles' bound (0.7 of gzip -6 of the
// recordings, summed) leaves room for 5.
const recompressLevel = 5

// encodeNRGBA encodes img as image/png does (8-bit RGB when every pixel
// is opaque, else RGBA; each row with the filter of the least sum of
// absolute differences, tried in image/png's order), but at zlib level
// and in one IDAT chunk; size is the room to reserve.
func encodeNRGBA(img *image.NRGBA, level, size int) []byte {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	bpp, colorType := 4, byte(6)
	if img.Opaque() {
		bpp, colorType = 3, 2
	}
	out := make([]byte, 0, size)
	out = append(out, "\x89PNG\r\n\x1a\n"...)
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, colorType
	out = appendChunk(out, "IHDR", ihdr[:])
	idat := len(out)
	out = append(out, 0, 0, 0, 0, 'I', 'D', 'A', 'T')
	buf := bytes.NewBuffer(out)
	zw, err := zlib.NewWriterLevel(buf, level)
	if err != nil {
		return nil
	}
	n := w * bpp
	var rows [5][]byte // the row filtered each way, after its filter type byte
	for i := range rows {
		rows[i] = make([]byte, n+1)
		rows[i][0] = byte(i)
	}
	prev := make([]byte, n)
	for y := 0; y < h; y++ {
		cur := rows[0][1:]
		pix := img.Pix[(y)*img.Stride:]
		if bpp == 4 {
			copy(cur, pix[:n])
		} else {
			for x, j := 0, 0; x < n; x, j = x+3, j+4 {
				cur[x], cur[x+1], cur[x+2] = pix[j], pix[j+1], pix[j+2]
			}
		}
		f := filterRow(&rows, prev, bpp)
		if _, err := zw.Write(rows[f]); err != nil {
			return nil
		}
		copy(prev, cur)
	}
	if err := zw.Close(); err != nil {
		return nil
	}
	out = buf.Bytes()
	binary.BigEndian.PutUint32(out[idat:], uint32(len(out)-idat-8))
	out = binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[idat+4:]))
	return appendChunk(out, "IEND", nil)
}

// appendChunk appends a PNG chunk.
func appendChunk(b []byte, typ string, data []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	start := len(b)
	b = append(append(b, typ...), data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
}

// filterRow fills rows[1..4] with the row rows[0] (after its type byte)
// filtered against prev (bpp bytes a pixel) and returns the filter of the
// least sum of absolute differences (the order and the early exits are
// image/png's).
func filterRow(rows *[5][]byte, prev []byte, bpp int) int {
	cur, sub, up, avg, pth := rows[0][1:], rows[1][1:], rows[2][1:], rows[3][1:], rows[4][1:]
	n := len(cur)
	sum := 0
	for i := 0; i < n; i++ {
		up[i] = cur[i] - prev[i]
		sum += abs8(up[i])
	}
	best, filter := sum, 2
	sum = 0
	for i := 0; i < bpp; i++ {
		pth[i] = cur[i] - prev[i]
		sum += abs8(pth[i])
	}
	for i := bpp; i < n && sum < best; i++ {
		pth[i] = cur[i] - paeth(cur[i-bpp], prev[i], prev[i-bpp])
		sum += abs8(pth[i])
	}
	if sum < best {
		best, filter = sum, 4
	}
	sum = 0
	for i := 0; i < n && sum < best; i++ {
		sum += abs8(cur[i])
	}
	if sum < best {
		best, filter = sum, 0
	}
	sum = 0
	for i := 0; i < bpp; i++ {
		sub[i] = cur[i]
		sum += abs8(sub[i])
	}
	for i := bpp; i < n && sum < best; i++ {
		sub[i] = cur[i] - cur[i-bpp]
		sum += abs8(sub[i])
	}
	if sum < best {
		best, filter = sum, 1
	}
	sum = 0
	for i := 0; i < bpp; i++ {
		avg[i] = cur[i] - prev[i]/2
		sum += abs8(avg[i])
	}
	for i := bpp; i < n && sum < best; i++ {
		avg[i] = cur[i] - uint8((int(cur[i-bpp])+int(prev[i]))/2)
		sum += abs8(avg[i])
	}
	if sum < best {
		filter = 3
	}
	return filter
}

// abs8 is the absolute value of a filtered byte read as signed.
func abs8(d uint8) int {
	if d < 128 {
		return int(d)
	}
	return 256 - int(d)
}

// paeth is the PNG Paeth predictor of a (left), b (up), c (up left).
func paeth(a, b, c uint8) uint8 {
	pc := int(c)
	pa := int(b) - pc
	pb := int(a) - pc
	pc = absInt(pa + pb)
	pa, pb = absInt(pa), absInt(pb)
	if pa <= pb && pa <= pc {
		return a
	} else if pb <= pc {
		return b
	}
	return c
}

func absInt(x int) int {
	m := x >> 63
	return (x ^ m) - m
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
// (recompressPNG, gzipBytes at the Builder's level) by its kind and the
// sha256 of its input, up to maxBytes of outputs; the oldest go first.
// It keeps the sha256 of the output too: assets are named by one or the
// other, and a warm build then hashes each input once. It is safe for
// concurrent use (a worker runs several builds at once).
type transformCache struct {
	mu       sync.Mutex
	maxBytes int
	bytes    int
	byKey    map[transformKey]transformed
	order    []transformKey
}

type transformKey struct {
	kind string
	in   [32]byte // sha256 of the input
}

// transformed is an output, with the sha256 of its input and its own.
type transformed struct {
	out           []byte
	inSum, outSum [32]byte
}

// transforms is the process's cache.
var transforms = newTransformCache(transformCacheBytes)

func newTransformCache(maxBytes int) *transformCache {
	return &transformCache{maxBytes: maxBytes, byKey: map[transformKey]transformed{}}
}

// reset forgets everything (benchmarks of cold builds).
func (c *transformCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byKey, c.order, c.bytes = map[transformKey]transformed{}, nil, 0
}

// do returns f(in), from the cache when it holds the output for kind and
// in. The output must not be modified.
func (c *transformCache) do(kind string, in []byte, f func([]byte) []byte) transformed {
	key := transformKey{kind, sha256.Sum256(in)}
	c.mu.Lock()
	t, ok := c.byKey[key]
	c.mu.Unlock()
	if ok {
		return t
	}
	t = transformed{out: f(in), inSum: key.in, outSum: key.in}
	if len(t.out) != len(in) || len(in) > 0 && &t.out[0] != &in[0] { // not in itself
		t.outSum = sha256.Sum256(t.out)
	}
	if len(t.out) > c.maxBytes/4 {
		return t
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[key]; !ok {
		c.byKey[key] = t
		c.order = append(c.order, key)
		c.bytes += len(t.out)
		for c.bytes > c.maxBytes && len(c.order) > 0 {
			old := c.order[0]
			c.order = c.order[1:]
			c.bytes -= len(c.byKey[old].out)
			delete(c.byKey, old)
		}
	}
	return t
}
