package replay

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkBuild measures recording bytes processed per second on one
// core (b.SetBytes: MB/s) and the bundle's size against gzip of the input.
func BenchmarkBuild(b *testing.B) {
	for _, name := range recordings {
		for _, level := range []int{6, 9} {
			b.Run(fmt.Sprintf("%s/gzip%d", name, level), func(b *testing.B) {
				input := readTestdata(b, name)
				bl, _ := NewBuilder(Config{GzipLevel: level}, nil, nil)
				var sink *memSink
				b.SetBytes(int64(len(input)))
				b.ReportAllocs()
				for b.Loop() {
					sink = &memSink{}
					if _, err := bl.Build(context.Background(), bytes.NewReader(input), sink); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(sink.size())/float64(gzipSize(input, gzip.DefaultCompression)), "bundle/gzip6")
				b.ReportMetric(float64(sink.size())/float64(gzipSize(input, gzip.BestCompression)), "bundle/gzip9")
			})
		}
	}
}

// BenchmarkToSnapshot measures turning the mirror's state (the end of a
// corpus recording) into a normalized snapshot: what every keyframe and
// the poster cost before the render.
func BenchmarkToSnapshot(b *testing.B) {
	cases := map[string]string{
		"bootstrap-sign-in": filepath.Join("..", "testdata", "replay", "bootstrap-sign-in-password.rrweb.json"),
		"purple-admin":      filepath.Join("..", "testdata", "replay", "bench", "purple-admin-dashboard.rrweb.json"),
	}
	for _, name := range []string{"bootstrap-sign-in", "purple-admin"} {
		b.Run(name, func(b *testing.B) {
			input, err := os.ReadFile(cases[name])
			if err != nil {
				b.Skip(err)
			}
			bl, _ := NewBuilder(Config{}, nil, nil)
			m, _, err := bl.StateAt(context.Background(), bytes.NewReader(input), 24*time.Hour)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ToSnapshot(m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
