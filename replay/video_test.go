package replay

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
	"testing"
	"time"
)

// Inactivity skipping: a span of over SkipInactive without user
// interaction keeps a second at each end; the video is shorter by what
// is left out, its frames' times jump over it, and a change inside it
// is captured by the first frame after.
func TestVideoSkipInactive(t *testing.T) {
	spans := inactiveSpans([]int64{1000, 2000, 30000}, 31000, 10*time.Second)
	if fmt.Sprint(spans) != "[{3000 29000}]" {
		t.Fatalf("spans %v", spans)
	}
	vc := DefaultVideoConfig()
	vc.FPS = 10
	p, err := planFrames(31000, []int64{1000, 15000, 30000}, spans, vc)
	if err != nil {
		t.Fatal(err)
	}
	// 31 s less 26 s skipped: 5 s at 10 fps, and the last frame.
	if len(p.times) != 51 || p.times[30] != 3000+26000 || p.times[29] != 2900 || p.times[50] != 31000 {
		t.Fatalf("%d frames, times %v", len(p.times), p.times)
	}
	if !p.capture[10] || !p.capture[30] || !p.capture[40] || p.capture[20] || p.capture[31] {
		t.Errorf("captures %v", p.capture)
	}
	// Off: real time.
	p, _ = planFrames(31000, nil, nil, vc)
	if len(p.times) != 311 {
		t.Errorf("%d frames without skipping", len(p.times))
	}
}

// gzJSON is a segment's bytes.
func gzJSON(t *testing.T, s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return b.Bytes()
}

// A video is cut by captures, at segment boundaries when they fall near
// the even cut: pieces follow each other frame for frame, each starts at
// the first frame of its segment,
// carries the cursor of the segments before, and names only the assets
// its segments use. A GIF, or a video of few captures, is one piece.
func TestVideoPlanPieces(t *testing.T) {
	man, b := pieceBundle(t, 50, 50, 50, 50)
	vc := DefaultVideoConfig()
	vc.FPS = 10
	pieces, err := PlanVideoPieces(man, b, vc, PieceConfig{Captures: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(pieces) != 4 {
		t.Fatalf("pieces %+v", pieces)
	}
	next := 0
	for i, p := range pieces {
		if p.Index != i || p.Segment != i || p.Segments != 1 || p.First != next || p.First != i*100 {
			t.Errorf("piece %d: %+v", i, p)
		}
		next += p.Frames
		if i == 0 && p.Mouse != nil || i > 0 && (p.Mouse == nil || p.Mouse.X != float64((i-1)*100+49) || p.Mouse.ID != 7) {
			t.Errorf("piece %d: mouse %+v", i, p.Mouse)
		}
		assets, err := AssetsOf(man, b, SegmentsOf(man, p))
		if err != nil || len(assets) != 1 || assets[0] != "assets/"+strings.Repeat(string(rune('a'+i%2)), 64) {
			t.Errorf("piece %d: assets %v %v", i, assets, err)
		}
	}
	if next != 401 {
		t.Errorf("pieces end at frame %d, want 401", next)
	}
	if p, _ := PlanVideoPieces(man, b, vc, PieceConfig{Captures: 50, Max: 2}); len(p) != 2 || p[1].Segment != 2 {
		t.Errorf("at most 2: %+v", p)
	}
	if p, _ := PlanVideoPieces(man, b, vc, PieceConfig{Captures: 150}); len(p) != 1 || p[0].Frames != 401 {
		t.Errorf("150 captures a piece: %+v", p)
	}
	vc.Format = VideoGIF
	if p, _ := PlanVideoPieces(man, b, vc, PieceConfig{Captures: 50}); len(p) != 1 {
		t.Errorf("GIF: %+v", p)
	}
}

// pieceBundle is a bundle of segments 10 s apart at 1 s after the
// manifest's StartTime, segment i with moves[i] mouse moves 100 ms apart
// (one capture each at 10 fps) from its start, and an asset named by its
// snapshot (a's and b's in turn).
func pieceBundle(t *testing.T, moves ...int) (*Manifest, *MemorySink) {
	man := &Manifest{StartTime: 1000, DurationMs: int64(len(moves)) * 10000,
		Assets: Assets{Items: []Asset{{Name: strings.Repeat("a", 64)}, {Name: strings.Repeat("b", 64)}}}}
	b := &MemorySink{Files: map[string]MemoryFile{}}
	for i, m := range moves {
		start := 1000 + int64(i)*10000
		asset := strings.Repeat(string(rune('a'+i%2)), 64)
		evs := []string{fmt.Sprintf(`{"type":4,"timestamp":%d,"data":{}}`, start), fmt.Sprintf(`{"type":2,"timestamp":%d,"data":{"src":"kiln-asset:%s"}}`, start, asset)}
		for k := range m {
			evs = append(evs, fmt.Sprintf(`{"type":3,"timestamp":%d,"data":{"source":1,"positions":[{"x":%d,"y":5,"id":7,"timeOffset":0}]}}`, start+int64(k+1)*100, i*100+k))
		}
		name := fmt.Sprintf("segments/%03d.json.gz", i)
		man.Segments = append(man.Segments, Segment{Name: name, StartMs: start - 1000, EndMs: start + 9000, Synthetic: 2})
		b.Files[name] = MemoryFile{Data: gzJSON(t, "["+strings.Join(evs, ",")+"]")}
	}
	return man, b
}

// Where the captures crowd into one segment, a piece starts inside it, at
// a capture (so that it captures no frame the video does not), drawn from
// that segment and the cursor at its start; pieces have the same
// captures, give or take one.
func TestVideoPlanPiecesInside(t *testing.T) {
	// 1 + 90 captures in segment 0, 10 in 1, none in 2.
	man, b := pieceBundle(t, 90, 10, 0)
	vc := DefaultVideoConfig()
	vc.FPS = 10
	pieces, err := PlanVideoPieces(man, b, vc, PieceConfig{Captures: 30})
	if err != nil {
		t.Fatal(err)
	}
	if len(pieces) != 3 {
		t.Fatalf("pieces %+v", pieces)
	}
	want := []VideoPiece{
		{Index: 0, Segment: 0, Segments: 1, First: 0, Frames: 34, Captures: 34},
		{Index: 1, Segment: 0, Segments: 1, First: 34, Frames: 33, Captures: 33},
		{Index: 2, Segment: 0, Segments: 3, First: 67, Frames: 234, Captures: 34},
	}
	for i, p := range pieces {
		if p.Mouse != nil {
			t.Errorf("piece %d: mouse %+v, want none (the segment's start has none)", i, p.Mouse)
		}
		p.Mouse = nil
		if p != want[i] {
			t.Errorf("piece %d: %+v, want %+v", i, p, want[i])
		}
	}
	// A piece inside segment 1 carries segment 0's last cursor.
	man, b = pieceBundle(t, 10, 90)
	pieces, err = PlanVideoPieces(man, b, vc, PieceConfig{Captures: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(pieces) != 2 || pieces[1].Segment != 1 || pieces[1].First != 100+41 || pieces[1].Mouse == nil || pieces[1].Mouse.X != 9 {
		t.Errorf("pieces %+v", pieces)
	}
}
