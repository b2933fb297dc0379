package replay

import (
	"bytes"
	"compress/gzip"
	"context"
	"path/filepath"
	"strings"
	"syscall"
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

// BenchmarkBuild measures recording bytes processed per second (b.SetBytes:
// MB/s of wall time; MB/cpu-s per second of CPU time, which other
// processes on the machine do not inflate) without pictures or fetcher,
// and the bundle's size (every file: manifest, segments, assets) against
// gzip -6 and -9 of the input. "cold" empties the process's cache of
// recompressed images and compressed sheets before each build, so they
// are made every time; "warm" keeps it (an untimed first build makes
// them), as a worker's is for the recordings of one page.
func BenchmarkBuild(b *testing.B) {
	for _, rc := range corpusRecordings {
		for _, mode := range []string{"cold", "warm"} {
			b.Run(rc.name+"/"+mode, func(b *testing.B) {
				input := readRecording(b, rc.path)
				bl, _ := NewBuilder(Config{}, nil, nil)
				var sink *memSink
				var man *Manifest
				if mode == "warm" { // the first build fills the cache, untimed
					transforms.reset()
					if _, err := bl.Build(context.Background(), bytes.NewReader(input), &memSink{}); err != nil {
						b.Fatal(err)
					}
				}
				b.SetBytes(int64(len(input)))
				b.ReportAllocs()
				cpu := cpuTime()
				for b.Loop() {
					if mode == "cold" {
						transforms.reset()
					}
					sink = &memSink{}
					var err error
					if man, err = bl.Build(context.Background(), bytes.NewReader(input), sink); err != nil {
						b.Fatal(err)
					}
				}
				reportCPU(b, len(input), cpu)
				b.ReportMetric(float64(sink.size())/float64(gzipSize(input, gzip.DefaultCompression)), "bundle/gzip6")
				b.ReportMetric(float64(sink.size())/float64(gzipSize(input, gzip.BestCompression)), "bundle/gzip9")
				b.ReportMetric(float64(len(man.Segments)), "segments")
			})
		}
	}
}

// BenchmarkGzip is the baseline BenchmarkBuild's MB/s compare against:
// gzip -6 of the same recordings, on the same machine in the same run.
func BenchmarkGzip(b *testing.B) {
	for _, rc := range corpusRecordings {
		b.Run(rc.name, func(b *testing.B) {
			input := readRecording(b, rc.path)
			b.SetBytes(int64(len(input)))
			cpu := cpuTime()
			for b.Loop() {
				gzipSize(input, gzip.DefaultCompression)
			}
			reportCPU(b, len(input), cpu)
		})
	}
}

// cpuTime is the CPU time the process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports MB of input per second of CPU time since start: on a
// shared machine, wall time counts the other processes too, CPU time
// does not (the figure is per core; it includes the garbage collector).
func reportCPU(b *testing.B, size int, start time.Duration) {
	if d := cpuTime() - start; d > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/1e6/d.Seconds(), "MB/cpu-s")
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
