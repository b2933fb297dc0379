package storage_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/storage"
)

// BenchmarkPut measures uploads of typical outputs: a 30 KB and a 300 KB
// image, a 5 KB replay segment, and 5 KB segments 16 at a time. It
// reports MB/s and µs/object (wall time per object).
func BenchmarkPut(b *testing.B) {
	backends := []struct {
		name string
		new  func(b *testing.B) storage.Store
	}{
		{"folder", func(b *testing.B) storage.Store { return newFolder(b, nil) }},
		{"folder-nosync", func(b *testing.B) storage.Store {
			f := newFolder(b, nil)
			cfg := storage.DefaultFolderConfig()
			cfg.Dir, cfg.NoSync = f.Dir(), true
			g, err := storage.NewFolder(cfg)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { g.Close() })
			return g
		}},
		{"folder-encrypted", func(b *testing.B) storage.Store { return newFolder(b, randKey()) }},
		{"s3", func(b *testing.B) storage.Store { return newS3(b, nil) }},
	}
	sizes := []struct {
		name     string
		size     int
		parallel bool
	}{{"30KB", 30 << 10, false}, {"300KB", 300 << 10, false}, {"5KB", 5 << 10, false}, {"5KBx16", 5 << 10, true}}
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			s := be.new(b)
			for _, sz := range sizes {
				b.Run(sz.name, func(b *testing.B) {
					data := make([]byte, sz.size)
					r := rand.New(rand.NewPCG(1, 2))
					for i := range data {
						data[i] = byte(r.Uint32())
					}
					ctx := context.Background()
					var n atomic.Int64
					put := func() {
						i := n.Add(1)
						key := fmt.Sprintf("p/bench/replays/r%d/segments/%d.json.gz", i/1000, i)
						if err := s.Put(ctx, key, bytes.NewReader(data), int64(len(data)), storage.PutOptions{ContentType: "image/webp"}); err != nil {
							b.Fatal(err)
						}
					}
					b.SetBytes(int64(sz.size))
					start := time.Now()
					if sz.parallel {
						// RunParallel starts parallelism × GOMAXPROCS goroutines: 16.
						b.SetParallelism((16 + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
						b.RunParallel(func(pb *testing.PB) {
							for pb.Next() {
								put()
							}
						})
					} else {
						for b.Loop() {
							put()
						}
					}
					el := time.Since(start)
					objs := float64(n.Load())
					b.ReportMetric(float64(el.Microseconds())/objs, "µs/object")
					b.ReportMetric(objs*float64(sz.size)/1e6/el.Seconds(), "MB/s")
				})
			}
		})
	}
}

// BenchmarkSealed measures what sealing costs: Put and Get of a 300 KB
// image and a 4 MiB bundle, plain and sealed under a project key, on the
// folder (without fsync, so the cipher is not hidden behind the disk) and
// on S3 (versitygw on loopback). It reports MB/s of plaintext.
func BenchmarkSealed(b *testing.B) {
	srv := testenv.S3(b)
	backends := []struct {
		name string
		new  func(b *testing.B) storage.Store
	}{
		{"folder-plain", func(b *testing.B) storage.Store { return noSyncFolder(b, nil) }},
		{"folder-sealed", func(b *testing.B) storage.Store { return noSyncFolder(b, randKey()) }},
		{"s3-plain", func(b *testing.B) storage.Store { return newS3(b, nil) }},
		{"s3-sealed", func(b *testing.B) storage.Store { return newSealedS3(b, srv, randKey(), nil) }},
	}
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			s := be.new(b)
			for _, size := range []int{300 << 10, 4 << 20} {
				data := make([]byte, size)
				r := rand.New(rand.NewPCG(3, 4))
				for i := range data {
					data[i] = byte(r.Uint32())
				}
				ctx := context.Background()
				key := "p/bench/inputs/" + strconv.Itoa(size)
				b.Run(fmt.Sprintf("Put/%dKB", size>>10), func(b *testing.B) {
					b.SetBytes(int64(size))
					var start time.Time
					for b.Loop() {
						if start.IsZero() {
							start = time.Now()
						}
						if err := s.Put(ctx, key, bytes.NewReader(data), int64(size), storage.PutOptions{}); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(b.N)*float64(size)/1e6/time.Since(start).Seconds(), "MB/s")
				})
				b.Run(fmt.Sprintf("Get/%dKB", size>>10), func(b *testing.B) {
					if err := s.Put(ctx, key, bytes.NewReader(data), int64(size), storage.PutOptions{}); err != nil {
						b.Fatal(err)
					}
					b.SetBytes(int64(size))
					var start time.Time
					for b.Loop() {
						if start.IsZero() {
							start = time.Now()
						}
						rc, _, err := s.Get(ctx, key, nil)
						if err != nil {
							b.Fatal(err)
						}
						if n, err := io.Copy(io.Discard, rc); err != nil || n != int64(size) {
							b.Fatal(n, err)
						}
						rc.Close()
					}
					b.ReportMetric(float64(b.N)*float64(size)/1e6/time.Since(start).Seconds(), "MB/s")
				})
			}
		})
	}
}

func noSyncFolder(b *testing.B, key []byte) storage.Store {
	cfg := storage.DefaultFolderConfig()
	cfg.Dir, cfg.EncryptionKey, cfg.NoSync = b.TempDir(), key, true
	f, err := storage.NewFolder(cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { f.Close() })
	return f
}
