package replay

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Pieces of a video (docs/replay.md, "Video"): a long session is cut, by
// captures, into pieces rendered on their own (by different workers)
// with the same encoder settings and joined without re-encoding
// (JoinVideo: ffmpeg's concat demuxer, stream copy). Piece k shows frames [First,
// First+Frames) of the whole video, so the joined video is frame for
// frame the one RenderVideo writes in one go, its captures aside: each
// piece captures its first frame. A piece may start inside a segment
// (each segment starts from a full snapshot): its stage loads the
// segment that holds its start, and the Replayer is paused at its first
// frame's time, replaying the segment's events before it, before the
// first capture. The frame plan is the whole video's, so frames and
// their durations are those of the video made in one go.

// VideoPiece is one piece of a video: frames [First, First+Frames) of the
// whole (frame k at From + k/FPS), rendered from the segments
// [Segment, Segment+Segments) of the bundle: the first holds frame
// First's time (which may be past its start), the last frame
// First+Frames-1's. Mouse is where the cursor was at segment Segment's
// start (a segment's full snapshot does not say), nil when no position
// was recorded before it.
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
// segments in b) into pieces of about pc.Captures captures or more, at
// most pc.Max, with the same number of captures each (give or take one;
// 5% more or less when a segment's first frame is near the even cut).
// The plan is a function of the bundle and vc alone (the same pieces
// every time). A GIF is one piece (its
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
	// cum[k]: captures of the whole video before frame k; caps: the
	// frames captured, in order.
	cum := make([]int, n+1)
	var caps []int
	for k, c := range plan.capture {
		cum[k+1] = cum[k]
		if c {
			cum[k+1]++
			caps = append(caps, k)
		}
	}
	total := len(caps)
	whole := []VideoPiece{{Segments: len(man.Segments), Frames: n, Captures: total}}
	count := min(pc.Max, total/pc.Captures)
	if vc.Format == VideoGIF || vc.EveryFrame || vc.SkipInactive > 0 || count < 2 {
		return whole, nil
	}
	// seg[k]: the segment frame k is drawn from, the last one starting at
	// or before its time.
	seg := make([]int, n)
	// bound[k]: frame k is the first of segment seg[k].
	bound := make([]bool, n)
	for i := 1; i < len(man.Segments); i++ {
		if k := firstAtOrAfter(plan.times, float64(man.Segments[i].StartMs)); k < n {
			seg[k], bound[k] = i, k > 0
		}
	}
	for k := 1; k < n; k++ {
		seg[k] = max(seg[k], seg[k-1])
	}
	starts := []int{0}
	for p := 1; p < count; p++ {
		if s := pieceStart(caps, cum, bound, total*p, count); s > starts[len(starts)-1] {
			starts = append(starts, s)
		}
	}
	if len(starts) < 2 {
		return whole, nil
	}
	pieces := make([]VideoPiece, len(starts))
	for i, s := range starts {
		end := n
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		c := cum[end] - cum[s]
		if !plan.capture[s] {
			c++ // a piece captures its first frame
		}
		pieces[i] = VideoPiece{Index: i, Segment: seg[s], Segments: seg[end-1] - seg[s] + 1, First: s, Frames: end - s,
			Captures: c, Mouse: mice[seg[s]]}
	}
	return pieces, nil
}

// pieceStart is the first frame of the piece that follows the
// captures' share/count (share: captures × pieces before it): by
// default the capture that starts that share, so that pieces have the
// same number of captures (their cost: an idle minute is one capture)
// and the piece's first capture is one the video makes anyway. Within
// 5% of a piece's captures of the share, a segment's first frame is
// taken instead, nearest the share: the piece then replays no events
// before its start, and may need one segment less.
func pieceStart(caps, cum []int, bound []bool, share, count int) int {
	want := float64(share) / float64(count)
	tol := max(1, len(caps)/count/20)
	best, dist := caps[min(len(caps)-1, int(math.Round(want)))], math.Inf(1)
	// The frames k with cum[k] within tol of want: after capture lo-1,
	// up to capture hi.
	lo, hi := max(1, int(math.Ceil(want))-tol), min(len(caps)-1, int(want)+tol)
	if lo > hi {
		return best
	}
	for k := caps[lo-1] + 1; k <= caps[hi]; k++ {
		if d := math.Abs(float64(cum[k]) - want); bound[k] && d < dist {
			best, dist = k, d
		}
	}
	return best
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
	if err := runFFmpeg(ctx, ffmpeg, args, vc.EncodeTimeout, vc.EncodeMemory); err != nil {
		return fmt.Errorf("join video: %w", err)
	}
	return moveFile(part, out)
}
