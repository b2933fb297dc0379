package queue

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kilnrender/kiln/replay"
	"github.com/kilnrender/kiln/storage"
)

// bigRecording writes a recording of about size bytes: the TodoMVC corpus
// recording, then input events on its text field (1 KB values, 10 ms
// apart), as a long session typing into a form would record. It returns
// the file's path.
func bigRecording(b *testing.B, size int64) string {
	b.Helper()
	raw, err := os.ReadFile("../testdata/replay/todomvc-react.rrweb.json")
	if err != nil {
		b.Fatal(err)
	}
	var events []map[string]any
	if err := json.Unmarshal(raw, &events); err != nil {
		b.Fatal(err)
	}
	var target float64
	last := events[len(events)-1]["timestamp"].(float64)
	for _, ev := range events {
		if d, ok := ev["data"].(map[string]any); ok && ev["type"].(float64) == 3 && d["source"].(float64) == 5 {
			target = d["id"].(float64)
		}
	}
	path := filepath.Join(b.TempDir(), "big.rrweb.json")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(strings.TrimSuffix(strings.TrimSpace(string(raw)), "]"))
	text := strings.Repeat("lorem ipsum ", 85)
	var n int64 = int64(len(raw))
	for i := 0; n < size; i++ {
		k, _ := fmt.Fprintf(w, `,{"type":3,"data":{"source":5,"id":%d,"text":"%s %d","isChecked":false},"timestamp":%d}`,
			int(target), text, i, int64(last)+int64(i+1)*10)
		n += int64(k)
	}
	w.WriteString("]")
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	return path
}

// peakHeap samples the heap in use until stop is called and returns the
// largest value seen, in bytes.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

// builderJobs is the worker's replay builder without pictures (the
// memory of pictures is the renderer's, not the job's).
type builderJobs struct{}

func (builderJobs) BuildReplay(ctx context.Context, input io.Reader, sink replay.Sink, _ ReplayOptions) ([]string, error) {
	b, err := replay.NewBuilder(replay.DefaultConfig(), nil, nil)
	if err != nil {
		return nil, err
	}
	m, err := b.Build(ctx, input, sink)
	if err != nil {
		return nil, err
	}
	return m.Warnings, nil
}

// memSink keeps every file in memory, as the job path did before replays
// streamed: the baseline of BenchmarkReplayJobMemory.
type memSink struct {
	files []struct {
		name, ct, ce string
		data         []byte
	}
}

func (m *memSink) Put(_ context.Context, name string, data []byte, ct, ce string) error {
	m.files = append(m.files, struct {
		name, ct, ce string
		data         []byte
	}{name, ct, ce, append([]byte(nil), data...)})
	return nil
}

// BenchmarkReplayJobMemory runs a replay job on a ~100 MB recording in a
// folder store and reports the peak heap: "stream" is the job path (the
// recording read from the store as a stream, each file stored as it is
// produced); "buffered" is the path before (the recording read whole,
// every file collected, then stored), measured in the same run.
//
//	go test ./queue -run '^$' -bench ReplayJobMemory -benchtime 1x
func BenchmarkReplayJobMemory(b *testing.B) {
	size := int64(100 << 20)
	if testing.Short() {
		size = 10 << 20
	}
	path := bigRecording(b, size)
	st, err := storage.NewFolder(storage.FolderConfig{Dir: b.TempDir(), BaseURL: "http://127.0.0.1:1", NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	f, _ := os.Open(path)
	fi, _ := f.Stat()
	job := Job{Project: "acme", Input: InputKey("acme", "big")}
	if err := st.Put(ctx, job.Input, f, fi.Size(), storage.PutOptions{}); err != nil {
		b.Fatal(err)
	}
	f.Close()
	h := &Handlers{Store: st, Replay: builderJobs{}}
	for _, mode := range []string{"stream", "buffered"} {
		b.Run(mode, func(b *testing.B) {
			for range b.N {
				runtime.GC()
				stop := peakHeap()
				start := time.Now()
				var res *Result
				var err error
				if mode == "stream" {
					res, err = h.replay(ctx, "job-"+mode, job)
				} else {
					res, err = bufferedReplay(ctx, h, "job-"+mode, job)
				}
				peak := stop()
				if err != nil {
					b.Fatal(err)
				}
				segs := 0
				for _, o := range res.Objects {
					if strings.HasPrefix(o.Name, "segments/") {
						segs++
					}
				}
				b.ReportMetric(float64(fi.Size())/(1<<20), "input-MB")
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
				b.ReportMetric(float64(segs), "segments")
				b.ReportMetric(float64(fi.Size())/(1<<20)/time.Since(start).Seconds(), "MB/s")
			}
		})
	}
}

// bufferedReplay is the replay job as it was before streaming.
func bufferedReplay(ctx context.Context, h *Handlers, id string, job Job) (*Result, error) {
	data, err := h.loadInput(ctx, job)
	if err != nil {
		return nil, err
	}
	var ms memSink
	if _, err := h.Replay.BuildReplay(ctx, bytes.NewReader(data), &ms, ReplayOptions{}); err != nil {
		return nil, err
	}
	sink := &storeSink{h: h, project: job.Project, id: id}
	for _, f := range ms.files {
		if err := sink.Put(ctx, f.name, f.data, f.ct, f.ce); err != nil {
			return nil, err
		}
	}
	return &Result{Objects: sink.objects}, nil
}
