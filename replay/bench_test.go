package replay

import (
	"bytes"
	"compress/gzip"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// corpusRecordings are the real rrweb recordings the benchmarks run over
// (copies of the corpus recordings; the big ones gzipped), by name.
var corpusRecordings = []struct{ name, path string }{
	{"todomvc-react", "todomvc-react.rrweb.json"},
	{"bootstrap-sign-in", "bootstrap-sign-in-password.rrweb.json"},
	{"creative-portfolio", "bench/creative-portfolio-lazy.rrweb.json.gz"},
	{"purple-admin", "bench/purple-admin-dashboard.rrweb.json"},
}

// readRecording reads a recording under testdata/replay, inflating a .gz.
func readRecording(t testing.TB, path string) []byte {
	t.Helper()
	b := readFile(t, filepath.Join("..", "testdata", "replay", filepath.FromSlash(path)))
	if strings.HasSuffix(path, ".gz") {
		b = gunzip(t, b)
	}
	return b
}

// BenchmarkBuild measures recording bytes processed per second on one
// core (b.SetBytes: MB/s; no pictures, no fetcher) and the bundle's size
// (every file: manifest, segments, assets) against gzip -6 and -9 of the
// input.
func BenchmarkBuild(b *testing.B) {
	for _, rc := range corpusRecordings {
		b.Run(rc.name, func(b *testing.B) {
			input := readRecording(b, rc.path)
			bl, _ := NewBuilder(Config{}, nil, nil)
			var sink *memSink
			var man *Manifest
			b.SetBytes(int64(len(input)))
			b.ReportAllocs()
			for b.Loop() {
				sink = &memSink{}
				var err error
				if man, err = bl.Build(context.Background(), bytes.NewReader(input), sink); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(sink.size())/float64(gzipSize(input, gzip.DefaultCompression)), "bundle/gzip6")
			b.ReportMetric(float64(sink.size())/float64(gzipSize(input, gzip.BestCompression)), "bundle/gzip9")
			b.ReportMetric(float64(len(man.Segments)), "segments")
		})
	}
}

// BenchmarkGzip is the baseline BenchmarkBuild's MB/s compare against:
// gzip -6 of the same recordings, on the same machine in the same run.
func BenchmarkGzip(b *testing.B) {
	for _, rc := range corpusRecordings {
		b.Run(rc.name, func(b *testing.B) {
			input := readRecording(b, rc.path)
			b.SetBytes(int64(len(input)))
			for b.Loop() {
				gzipSize(input, gzip.DefaultCompression)
			}
		})
	}
}

// BenchmarkToSnapshot measures turning the mirror's state (the end of a
// corpus recording) into a normalized snapshot: what every keyframe and
// the poster cost before the render.
func BenchmarkToSnapshot(b *testing.B) {
	for _, rc := range corpusRecordings[1:] {
		b.Run(rc.name, func(b *testing.B) {
			input := readRecording(b, rc.path)
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
