package scrub

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkItem scrubs the real Gleap payloads; MB/s is of the payload's
// JSON text (the local one is mostly base64 images, which are skipped; the
// live one is mostly markup and replay events, which are scanned).
func BenchmarkItem(b *testing.B) {
	s := mustNew(b, Config{})
	for _, path := range corpusFiles {
		raw := readCorpus(b, path)
		var in any
		if err := json.Unmarshal(raw, &in); err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(filepath.Dir(path)), func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				s.Item(in)
			}
		})
	}
}

// BenchmarkText measures the value rules on 1 MiB strings built to be
// expensive: every byte a digit or a separator (the card rule's worst
// case), dense JWT-like and URL-like text, and plain prose.
func BenchmarkText(b *testing.B) {
	s := mustNew(b, Config{})
	const size = 1 << 20
	cases := map[string]string{
		"digits":   strings.Repeat("4 ", size/2),
		"jwt-like": strings.Repeat("eyJhbGciOi.x.y ", size/15),
		"urls":     strings.Repeat("https://u:p@h.example/p?token=abc&x=1 ", size/38),
		"prose":    strings.Repeat("The pay button does nothing when I click it twice. ", size/51),
	}
	for _, name := range []string{"digits", "jwt-like", "urls", "prose"} {
		in := cases[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				s.Text(in)
			}
		})
	}
}
