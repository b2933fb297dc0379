package storage_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

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
