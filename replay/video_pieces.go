package replay

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Pieces of a video (docs/replay.md, "Video"): a long session is cut at
// segment boundaries, each segment starting from a full snapshot, into
// pieces rendered on their own (by different workers) with the same
// encoder settings and joined without re-encoding (JoinVideo: ffmpeg's
// concat demuxer, stream copy). Piece k shows frames [First,
// First+Frames) of the whole video, so the joined video is frame for
// frame the one RenderVideo writes in one go, its captures aside: each
// piece captures its first frame.

// VideoPiece is one piece of a video: frames [First, First+Frames) of the
// whole (frame k at From + k/FPS), rendered from the segments
// [Segment, Segment+Segments) of the bundle. Mouse is where the cursor
// was at the piece's start (a segment's full snapshot does not say), nil
// when no position was recorded before it.
type VideoPiece struct {
	Index    int      `json:"index"`
	Segment  int      `json:"segment"`
	Segments int      `json:"segments"`
	First    int      `json:"first"`
	Frames   int      `json:"frames"`
	Captures int      `json:"captures"` // frames the piece captures
	Mouse    *MouseAt `json:"mouse,omitempty"`
}

// MouseAt is a recorded cursor position: on node ID at X, Y.
type MouseAt struct {
	X  float64 `json:"x"`
	Y  float64 `json:"y"`
	ID int64   `json:"id"`
	at int64   // ms after StartTime
}

// PieceConfig says how PlanVideoPieces cuts a video.
type PieceConfig struct {
	// Captures is about the captures a piece is given (the cost of a
	// video is its captures, not its length: an idle minute costs one): a
	// video of fewer than twice as many is made in one piece. 0: 50,
	// about 3-5 s of capture on a 2-core machine, against a piece's fixed
	// cost of about 1 s (a stage, the Replayer, ffmpeg, the queue).
	Captures int
	// Max bounds the pieces of one video (0: 16).
	Max int
}

func (c PieceConfig) withDefaults() PieceConfig {
	if c.Captures <= 0 {
		c.Captures = 50
	}
	if c.Max <= 0 {
		c.Max = 16
	}
	return c
}

// PlanVideoPieces cuts the video vc describes of the bundle (man, its
// segments in b) into pieces at segment boundaries, each with about
// pc.Captures captures or more, at most pc.Max. A GIF is one piece (its
// palette is made from the whole video), as is a video of EveryFrame or
// SkipInactive (its skipped spans are the whole session's).
// Errors are RenderVideo's.
func PlanVideoPieces(man *Manifest, b *MemorySink, vc VideoConfig, pc PieceConfig) ([]VideoPiece, error) {
	if err := vc.Validate(); err != nil {
		return nil, err
	}
	vc = vc.withDefaults()
	pc = pc.withDefaults()
	if len(man.Segments) == 0 {
		return nil, fmt.Errorf("plan video: %w: no segments", ErrInvalid)
	}
	var changes []int64
	// mice[i] is the cursor at segment i's start.
	mice := make([]*MouseAt, len(man.Segments))
	var mouse *MouseAt
	for i := range man.Segments {
		mice[i] = mouse
		sc, err := readSegment(man, b, i)
		if err != nil {
			return nil, err
		}
		changes = append(changes, sc.changes...)
		if sc.mouse != nil {
			mouse = sc.mouse
		}
	}
	if vc.Format == VideoGIF {
		vc.FPS = min(vc.FPS, MaxGIFFPS)
	}
	plan, err := planFrames(man.DurationMs, changes, nil, vc)
	if err != nil {
		return nil, err
	}
	n := len(plan.times)
	// cum[k]: captures of the whole video before frame k.
	cum := make([]int, n+1)
	for k, c := range plan.capture {
		cum[k+1] = cum[k]
		if c {
			cum[k+1]++
		}
	}
	whole := []VideoPiece{{Segments: len(man.Segments), Frames: n, Captures: cum[n]}}
	count := min(pc.Max, cum[n]/pc.Captures)
	if vc.Format == VideoGIF || vc.EveryFrame || vc.SkipInactive > 0 || count < 2 {
		return whole, nil
	}
	// Where a piece may start: the first frame at or after a segment's
	// start (frames before it are drawn from the segment before).
	type cut struct{ seg, frame int }
	var cuts []cut
	for i := 1; i < len(man.Segments); i++ {
		k := firstAtOrAfter(plan.times, float64(man.Segments[i].StartMs))
		if k > 0 && k < n && (len(cuts) == 0 || k > cuts[len(cuts)-1].frame) {
			cuts = append(cuts, cut{i, k})
		}
	}
	// The cut nearest each count-th of the captures, so that pieces cost
	// about the same (their captures, not their length: an idle minute
	// is one capture).
	starts := []cut{{0, 0}}
	for p := 1; p < count; p++ {
		want := cum[n] * p / count
		best := -1
		for j, c := range cuts {
			if c.frame <= starts[len(starts)-1].frame {
				continue
			}
			if best < 0 || abs(cum[c.frame]-want) < abs(cum[cuts[best].frame]-want) {
				best = j
			}
		}
		if best >= 0 {
			starts = append(starts, cuts[best])
		}
	}
	if len(starts) < 2 {
		return whole, nil
	}
	pieces := make([]VideoPiece, len(starts))
	for i, s := range starts {
		end, next := n, len(man.Segments)
		if i+1 < len(starts) {
			end, next = starts[i+1].frame, starts[i+1].seg
		}
		c := cum[end] - cum[s.frame]
		if !plan.capture[s.frame] {
			c++ // a piece captures its first frame
		}
		pieces[i] = VideoPiece{Index: i, Segment: s.seg, Segments: next - s.seg, First: s.frame, Frames: end - s.frame,
			Captures: c, Mouse: mice[s.seg]}
	}
	return pieces, nil
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// firstAtOrAfter is the first k with times[k] >= t (len(times) when
// none).
func firstAtOrAfter(times []float64, t float64) int {
	for k, v := range times {
		if v >= t {
			return k
		}
	}
	return len(times)
}

// SegmentsOf lists the bundle files a piece is rendered from: its
// segments and the assets they name (by name, in their events).
func SegmentsOf(man *Manifest, p VideoPiece) []string {
	var names []string
	for i := p.Segment; i < p.Segment+p.Segments && i < len(man.Segments); i++ {
		names = append(names, man.Segments[i].Name)
	}
	return names
}

// AssetsOf lists the assets of man the events in b's segments name.
func AssetsOf(man *Manifest, b *MemorySink, segments []string) ([]string, error) {
	var raw [][]byte
	for _, s := range segments {
		f, ok := b.Files[s]
		if !ok {
			return nil, fmt.Errorf("plan video: %w: segment %s missing", ErrInvalid, s)
		}
		data, err := inflateGzip(f.Data)
		if err != nil {
			return nil, fmt.Errorf("plan video: read %s: %w: %v", s, ErrInvalid, err)
		}
		raw = append(raw, data)
	}
	var names []string
	for _, a := range man.Assets.Items {
		for _, r := range raw {
			if bytes.Contains(r, []byte(a.Name)) {
				names = append(names, "assets/"+a.Name)
				break
			}
		}
	}
	return names, nil
}

// JoinVideo writes the pieces (files of RenderVideo with Piece set, in
// order, each lasting frames/fps) to out without re-encoding: ffmpeg's
// concat demuxer, each file's duration given so that the offsets are
// exact, and stream copy. format is VideoMP4 or VideoWebM.
func JoinVideo(ctx context.Context, parts []string, frames []int, out string, vc VideoConfig) error {
	vc = vc.withDefaults()
	if vc.Format == VideoGIF {
		return fmt.Errorf("join video: %w: a GIF is not joined", ErrInvalid)
	}
	if len(parts) == 0 || len(parts) != len(frames) {
		return fmt.Errorf("join video: %w: %d pieces, %d frame counts", ErrInvalid, len(parts), len(frames))
	}
	ffmpeg, err := lookFFmpeg(vc.FFmpeg)
	if err != nil {
		return fmt.Errorf("join video: %w", err)
	}
	dir, err := os.MkdirTemp("", "kiln-join-")
	if err != nil {
		return fmt.Errorf("join video: %w", err)
	}
	defer os.RemoveAll(dir)
	var list bytes.Buffer
	list.WriteString("ffconcat version 1.0\n")
	total := 0
	for i, p := range parts {
		abs, err := filepath.Abs(p)
		if err != nil {
			return fmt.Errorf("join video: %w", err)
		}
		if strings.ContainsAny(abs, "'\n") {
			return fmt.Errorf("join video: %w: piece path %q", ErrInvalid, p)
		}
		fmt.Fprintf(&list, "file '%s'\nduration %s\n", abs, strconv.FormatFloat(float64(frames[i])/float64(vc.FPS), 'f', 6, 64))
		total += frames[i]
	}
	name := filepath.Join(dir, "pieces.ffconcat")
	if err := os.WriteFile(name, list.Bytes(), 0o600); err != nil {
		return fmt.Errorf("join video: %w", err)
	}
	part := filepath.Join(dir, "out."+vc.Format)
	args := []string{"-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "concat", "-safe", "0", "-i", name,
		"-c", "copy", "-t", strconv.FormatFloat(float64(total)/float64(vc.FPS), 'f', 6, 64)}
	if vc.Format == VideoMP4 {
		args = append(args, "-movflags", "+faststart")
	}
	args = append(args, "-f", vc.Format, part)
	if err := runFFmpeg(ctx, ffmpeg, args, vc.EncodeTimeout); err != nil {
		return fmt.Errorf("join video: %w", err)
	}
	return moveFile(part, out)
}
