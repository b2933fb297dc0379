package replay

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/draw"
	"image/png"
	"strings"
	"testing"
)

// Images moved out of a recording are re-encoded without changing a
// pixel, in fewer bytes: every PNG asset of the corpus bundles decodes to
// the pixels of the recorded data: URL it stands for.
func TestRecompressedImagesKeepTheirPixels(t *testing.T) {
	for _, rc := range corpusRecordings[1:] {
		input := readRecording(t, rc.path)
		recorded := map[string][]byte{} // asset name -> recorded PNG
		_, as := buildBundle(t, Config{RecompressImages: -1}, input)
		man, _ := buildBundle(t, Config{}, input)
		for name, f := range as.files {
			if f.contentType == "image/png" {
				recorded[strings.TrimPrefix(name, "assets/")] = f.data
			}
		}
		before, after, n := 0, 0, 0
		for _, p := range recorded {
			re := recompressPNG(p)
			if !samePixels(t, p, re) {
				t.Errorf("%s: a re-encoded image differs from the recorded one", rc.name)
			}
			before, after, n = before+len(p), after+len(re), n+1
		}
		stored := 0
		for _, a := range man.Assets.Items {
			if a.ContentType == "image/png" {
				stored += a.Bytes
			}
		}
		t.Logf("%s: %d PNGs, %d B recorded, %d B re-encoded (%.2f), %d B stored", rc.name, n, before, after, float64(after)/float64(before), stored)
		if n == 0 || after >= before || stored != after {
			t.Errorf("%s: %d PNGs of %d B stored in %d B (re-encoded %d B)", rc.name, n, before, stored, after)
		}
	}
}

func samePixels(t *testing.T, a, b []byte) bool {
	t.Helper()
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	na, nb := image.NewNRGBA(ia.Bounds()), image.NewNRGBA(ib.Bounds())
	draw.Draw(na, na.Rect, ia, ia.Bounds().Min, draw.Src)
	draw.Draw(nb, nb.Rect, ib, ib.Bounds().Min, draw.Src)
	return na.Rect == nb.Rect && bytes.Equal(na.Pix, nb.Pix)
}

// PNGs that encoding again would change (a gamma chunk, which image/png
// drops) or that claim a huge canvas are stored as they came.
func TestRecompressLeavesSomePNGsAlone(t *testing.T) {
	var buf bytes.Buffer
	img := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	(&png.Encoder{CompressionLevel: png.NoCompression}).Encode(&buf, img)
	plain := buf.Bytes()
	if re := recompressPNG(plain); len(re) >= len(plain) || !samePixels(t, plain, re) {
		t.Fatalf("an uncompressed PNG was not re-encoded (%d -> %d B)", len(plain), len(re))
	}
	withGamma := insertChunk(plain, "gAMA", []byte{0, 0, 0xb1, 0x8f})
	if re := recompressPNG(withGamma); !bytes.Equal(re, withGamma) {
		t.Error("a PNG with a gamma chunk was re-encoded")
	}
	huge := bytes.Clone(plain)
	binary.BigEndian.PutUint32(huge[16:], 1<<16) // IHDR width
	binary.BigEndian.PutUint32(huge[20:], 1<<16)
	binary.BigEndian.PutUint32(huge[29:], crc32.ChecksumIEEE(huge[12:29]))
	if re := recompressPNG(huge); !bytes.Equal(re, huge) {
		t.Error("a PNG claiming 65536x65536 pixels was decoded")
	}
	for _, bad := range [][]byte{nil, []byte("\x89PNG\r\n\x1a\n"), plain[:40]} {
		if re := recompressPNG(bad); !bytes.Equal(re, bad) {
			t.Errorf("a broken PNG of %d B was changed", len(bad))
		}
	}
}

// insertChunk adds a chunk after the IHDR of the PNG p.
func insertChunk(p []byte, typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(append(c, typ...), data...)
	c = binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
	out := append(bytes.Clone(p[:33]), c...)
	return append(out, p[33:]...)
}
