package replay

import (
	"bytes"
	"compress/gzip"
	"context"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kilnrender/kiln/snapshot"
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

// BenchmarkBuild measures how fast recordings become bundles without
// pictures or fetcher, per core: MB of recording per second of the
// process's CPU time (getrusage: user and system, every thread, the
// garbage collector included; other processes on a shared machine do not
// inflate it, and Build runs on one goroutine, so it is per core whatever
// GOMAXPROCS is). Beside it, in the same sub-benchmark, the same figure
// for Go's gzip -6 of the same input (gzip6-MB/cpu-s) and their quotient
// (x-gzip6, the figure that compares across machines), and the bundle's
// size (every file: manifest, segments, assets) against gzip -6 and -9
// of the input. Each recording is a sub-benchmark, and "all" builds the
// four one after the other per iteration (the corpus figures: sums of
// bytes and CPU time). "cold" empties the process's caches of
// recompressed images, compressed sheets and sheets with their numbers
// restored (snapshot.RestoreNumbers) before each build, so they are made
// every time; "warm" keeps them (an untimed first build makes
// them), as a worker's is for the recordings of one page;
// "cold-asrecorded" is cold with PNGs stored as recorded
// (--recompress-images=false: more bytes, less CPU). The timed
// builds run under the pprof label bench=timed (-tagfocus bench=timed
// leaves out the untimed ones).
func BenchmarkBuild(b *testing.B) {
	all := struct{ name, path string }{"all", ""}
	for _, rc := range append(corpusRecordings[:len(corpusRecordings):len(corpusRecordings)], all) {
		for _, mode := range []string{"cold", "warm", "cold-asrecorded"} {
			b.Run(rc.name+"/"+mode, func(b *testing.B) {
				var inputs [][]byte
				total := 0
				for _, c := range corpusRecordings {
					if rc.path == "" || c.path == rc.path {
						inputs = append(inputs, readRecording(b, c.path))
						total += len(inputs[len(inputs)-1])
					}
				}
				cfg := Config{}
				if mode == "cold-asrecorded" {
					cfg.RecompressImages = -1 // --recompress-images=false
				}
				bl, _ := NewBuilder(cfg, nil, nil)
				sinks := make([]*memSink, len(inputs))
				segments := 0
				build := func(cold bool) {
					segments = 0
					for i, in := range inputs {
						if cold {
							transforms.reset()
							snapshot.ForgetRestoredSheets()
						}
						sinks[i] = &memSink{}
						man, err := bl.Build(context.Background(), bytes.NewReader(in), sinks[i])
						if err != nil {
							b.Fatal(err)
						}
						segments += len(man.Segments)
					}
				}
				transforms.reset()
				snapshot.ForgetRestoredSheets()
				if mode == "warm" { // the first build fills the cache, untimed
					build(false)
				}
				b.SetBytes(int64(total))
				b.ReportAllocs()
				var cpu time.Duration
				pprof.Do(context.Background(), pprof.Labels("bench", "timed"), func(context.Context) {
					start := cpuTime()
					for b.Loop() {
						build(mode != "warm")
					}
					cpu = cpuTime() - start
				})
				b.StopTimer()
				speed := reportCPU(b, total, cpu)
				gz6, gz9 := 0, 0
				for _, in := range inputs {
					gz6 += gzipSize(in, gzip.DefaultCompression)
					gz9 += gzipSize(in, gzip.BestCompression)
				}
				bundle := 0
				for _, s := range sinks {
					bundle += s.size()
				}
				b.ReportMetric(float64(bundle)/float64(gz6), "bundle/gzip6")
				b.ReportMetric(float64(bundle)/float64(gz9), "bundle/gzip9")
				b.ReportMetric(float64(segments), "segments")
				if g := gzipSpeed(inputs); g > 0 {
					b.ReportMetric(g, "gzip6-MB/cpu-s")
					b.ReportMetric(speed/g, "x-gzip6")
				}
			})
		}
	}
}

// gzipSpeed is Go's gzip -6 of inputs in MB per CPU-second, over at
// least 100 ms of CPU time: BenchmarkBuild's baseline of the same run.
func gzipSpeed(inputs [][]byte) float64 {
	size, start := 0, cpuTime()
	for cpuTime()-start < 100*time.Millisecond {
		for _, in := range inputs {
			gzipSize(in, gzip.DefaultCompression)
			size += len(in)
		}
	}
	return float64(size) / 1e6 / (cpuTime() - start).Seconds()
}

// BenchmarkGzip is gzip -6 of the same recordings on its own, with
// BenchmarkBuild's units.
func BenchmarkGzip(b *testing.B) {
	for _, rc := range corpusRecordings {
		b.Run(rc.name, func(b *testing.B) {
			input := readRecording(b, rc.path)
			b.SetBytes(int64(len(input)))
			start := cpuTime()
			for b.Loop() {
				gzipSize(input, gzip.DefaultCompression)
			}
			reportCPU(b, len(input), cpuTime()-start)
		})
	}
}

// cpuTime is the CPU time the process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports and returns MB of input per second of CPU time d
// over b.N iterations of size bytes: on a shared machine, wall time
// counts the other processes too, CPU time does not (the figure is per
// core; it includes the garbage collector).
func reportCPU(b *testing.B, size int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	v := float64(size) * float64(b.N) / 1e6 / d.Seconds()
	b.ReportMetric(v, "MB/cpu-s")
	return v
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
