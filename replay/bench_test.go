package replay

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"testing"
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
