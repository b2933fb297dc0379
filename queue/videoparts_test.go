package queue_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/replay"
)

// gzBundle builds a bundle whose segment names an asset (and another
// asset it does not name).
type gzBundle struct{}

var (
	assetA, assetB = strings.Repeat("a", 64), strings.Repeat("b", 64)
)

var gzSegment = func() []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(`[{"type":2,"src":"kiln-asset:` + assetA + `"}]`))
	zw.Close()
	return b.Bytes()
}()

func (gzBundle) BuildReplay(ctx context.Context, r io.Reader, sink replay.Sink, _ queue.ReplayOptions) ([]string, error) {
	if _, err := io.ReadAll(r); err != nil {
		return nil, err
	}
	man, _ := json.Marshal(replay.Manifest{DurationMs: 1234, Segments: []replay.Segment{{Name: "segments/000.json.gz"}},
		Assets: replay.Assets{Items: []replay.Asset{{Name: assetA}, {Name: assetB}}}})
	for _, f := range []struct{ name, data string }{
		{"segments/000.json.gz", string(gzSegment)}, {"assets/" + assetA, "A"}, {"assets/" + assetB, "B"}, {"manifest.json", string(man)},
	} {
		if err := sink.Put(ctx, f.name, []byte(f.data), "application/octet-stream", ""); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// fakePieces cuts every video into three pieces; a piece is "P<k>" and
// the join their concatenation. fail makes piece k fail (every attempt
// when forever, else the first).
type fakePieces struct {
	fakeVideo
	fail    int
	forever bool

	mu    sync.Mutex
	tries map[int]int
	joins int
}

func (f *fakePieces) PlanPieces(man *replay.Manifest, b *replay.MemorySink, spec queue.VideoSpec, pc replay.PieceConfig) ([]replay.VideoPiece, error) {
	if !bytes.Equal(b.Files["segments/000.json.gz"].Data, gzSegment) {
		return nil, errors.New("not the bundle that was built")
	}
	return []replay.VideoPiece{{Index: 0, Segments: 1, Frames: 2}, {Index: 1, First: 2, Segments: 1, Frames: 3}, {Index: 2, First: 5, Segments: 1, Frames: 4}}, nil
}

func (f *fakePieces) MakePiece(ctx context.Context, man *replay.Manifest, b *replay.MemorySink, spec queue.VideoSpec, p replay.VideoPiece, out string) error {
	f.mu.Lock()
	f.tries[p.Index]++
	n := f.tries[p.Index]
	f.mu.Unlock()
	// Read from the store: the draft manifest, the piece's segment and
	// the asset it names, not the other.
	if man.DurationMs != 1234 || !bytes.Equal(b.Files["segments/000.json.gz"].Data, gzSegment) || string(b.Files["assets/"+assetA].Data) != "A" {
		return errors.New("not the bundle that was built")
	}
	if _, ok := b.Files["assets/"+assetB]; ok {
		return errors.New("an asset the piece does not name was read")
	}
	if p.Index == f.fail && (f.forever || n == 1) {
		return errors.New("the stage crashed")
	}
	return os.WriteFile(out, fmt.Appendf(nil, "P%d", p.Index), 0o600)
}

func (f *fakePieces) JoinPieces(ctx context.Context, spec queue.VideoSpec, parts []string, frames []int, out string) error {
	f.mu.Lock()
	f.joins++
	f.mu.Unlock()
	var all bytes.Buffer
	for _, p := range parts {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		all.Write(b)
	}
	if fmt.Sprint(frames) != "[2 3 4]" {
		return fmt.Errorf("frames %v", frames)
	}
	return os.WriteFile(out, all.Bytes(), 0o600)
}

func redisKeys(t *testing.T, e *env, pattern string) []string {
	t.Helper()
	keys, err := e.rdb.Keys(context.Background(), pattern).Result()
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// A video in pieces: each piece is a task of its own (a failing piece is
// retried alone), the join makes the video and the manifest naming it,
// the job is done after the join with the bundle, the manifest and the
// video; no state of the pieces is left in Redis or the store, and
// deleting the job leaves no Redis key of it.
func TestVideoPieces(t *testing.T) {
	e := newEnv(t, testConfig())
	f := &fakePieces{fail: 1, tries: map[int]int{}}
	e.startWorker(t, queue.Handlers{Renderer: &fakeRenderer{}, Replay: gzBundle{}, Video: f})
	id := queue.NewID()
	st := submitVideo(t, e, id, queue.VideoMP4)
	if st.State != queue.StateDone {
		t.Fatalf("status %+v", st)
	}
	f.mu.Lock()
	if fmt.Sprint(f.tries) != "map[0:1 1:2 2:1]" || f.joins != 1 {
		t.Errorf("tries %v, joins %d", f.tries, f.joins)
	}
	f.mu.Unlock()
	names := map[string]string{}
	for _, o := range st.Objects {
		names[o.Name] = o.Key
	}
	if names["video"] != queue.ReplayKey("acme", id, "video.mp4") || names["manifest.json"] == "" || names["segments/000.json.gz"] == "" {
		t.Fatalf("objects %+v", st.Objects)
	}
	if got := readObject(t, e.store, names["video"]); string(got) != "P0P1P2" {
		t.Errorf("video %q", got)
	}
	if man := readObject(t, e.store, names["manifest.json"]); !bytes.Contains(man, []byte(`"name": "video.mp4"`)) {
		t.Errorf("manifest %s", man)
	}
	if objs, _, err := e.store.List(context.Background(), queue.ReplayKey("acme", id, "video-parts/"), "", 10); err != nil || len(objs) != 0 {
		t.Errorf("pieces left in the store: %+v %v", objs, err)
	}
	if keys := redisKeys(t, e, "kiln:video:*"); len(keys) != 0 {
		t.Errorf("video state left: %v", keys)
	}
	if ok, err := e.client.DeleteItem(context.Background(), "acme", id); err != nil || !ok {
		t.Fatalf("delete: %v %v", ok, err)
	}
	if keys := redisKeys(t, e, "*"+id+"*"); len(keys) != 0 {
		t.Errorf("keys of the deleted job: %v", keys)
	}
}

// A piece that fails at every attempt fails the job, with a reason, once;
// deleting the job then leaves no Redis key of it.
func TestVideoPieceFails(t *testing.T) {
	e := newEnv(t, testConfig())
	f := &fakePieces{fail: 2, forever: true, tries: map[int]int{}}
	e.startWorker(t, queue.Handlers{Renderer: &fakeRenderer{}, Replay: gzBundle{}, Video: f})
	id := queue.NewID()
	st := submitVideo(t, e, id, queue.VideoMP4)
	if st.State != queue.StateFailed || !strings.Contains(st.Reason, "video failed after its last attempt") || len(st.Objects) != 0 {
		t.Fatalf("status %+v", st)
	}
	f.mu.Lock()
	if f.tries[2] != testConfig().MaxRetry+1 || f.joins != 0 {
		t.Errorf("tries %v, joins %d", f.tries, f.joins)
	}
	f.mu.Unlock()
	if ok, err := e.client.DeleteItem(context.Background(), "acme", id); err != nil || !ok {
		t.Fatalf("delete: %v %v", ok, err)
	}
	if keys := redisKeys(t, e, "*"+id+"*"); len(keys) != 0 {
		t.Errorf("keys of the deleted job: %v", keys)
	}
}
