package replay

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kilnrender/kiln/snapshot"
)

// Videos of a bundle (docs/replay.md, "Video"): rrweb's Replayer, in a
// page of Kiln's own on a Stage, is paused at each frame's time and
// captured; ffmpeg encodes the captures. A frame is captured only when a
// recorded event falls in the time since the previous frame; otherwise
// the previous capture is shown for longer (ffmpeg's concat demuxer with
// a duration per capture, kept as the frame's duration in the video), so
// idle time costs neither a capture nor an encoded frame.

// ErrNoFFmpeg is returned when a video is asked for and ffmpeg is not
// installed (scripts/setup.sh installs Debian's package).
var ErrNoFFmpeg = errors.New("ffmpeg not found (install Debian's ffmpeg package: scripts/setup.sh)")

// Stage is a browser page of Kiln's own that runs Kiln's scripts
// (satisfied by an adapter around renderer.Stage). Eval runs a script and
// returns its value as JSON; Capture returns a PNG of the viewport.
type Stage interface {
	Eval(ctx context.Context, expr string) ([]byte, error)
	Capture(ctx context.Context) ([]byte, error)
	Close()
}

// Stager opens stages: doc is the body of the page, files are served
// relative to the page's base URL by their URL ("events.json").
type Stager interface {
	OpenStage(ctx context.Context, vp snapshot.Viewport, doc string, files []snapshot.Resource) (Stage, error)
}

// Video formats, by output file extension.
const (
	VideoMP4  = "mp4"  // H.264, yuv420p, +faststart
	VideoWebM = "webm" // VP9, yuv420p
	VideoGIF  = "gif"  // palette per video, at most MaxGIFFPS
)

// MaxGIFFPS caps a GIF's frame rate: GIF delays are in hundredths of a
// second and players slow down frames shorter than 2/100 s; past 10 fps
// a GIF grows for motion nobody reads in a ticket.
const MaxGIFFPS = 10

// VideoConfig configures RenderVideo. Zero fields take the value of
// DefaultVideoConfig.
type VideoConfig struct {
	Format string // VideoMP4, VideoWebM or VideoGIF
	// FPS is the frame rate (1..60; a GIF's is at most MaxGIFFPS): frame
	// k shows the state at From + k/FPS. Frames that repeat the one
	// before are not written: the one before lasts longer.
	FPS int
	// Width scales the video to this many pixels wide (the height keeps
	// the shape; both are made even). 0: the recorded width.
	Width int
	// From and To bound the time range (after the first event); To 0 is
	// the end.
	From, To time.Duration
	// SkipInactive, when positive, cuts short the spans longer than it
	// without user interaction (rrweb's notion: no mouse move or click,
	// scroll, resize or input event; rrweb's player skips past 10 s):
	// such a span keeps its first and last second (at most a quarter of
	// SkipInactive each) and the rest is left out of the video.
	// VideoStats.Skipped lists what was left out, so that a video's time
	// maps back to the session's. 0: real time throughout.
	SkipInactive time.Duration
	// EveryFrame captures every frame, changed or not: the per-frame
	// screenshot loop, for comparison (benchmarks).
	EveryFrame bool
	// MaxFrames bounds the frames of one video (frame rate × duration):
	// 108000 is two hours at 15 fps.
	MaxFrames int
	// FrameTimeout bounds the seek and capture of one frame; EncodeTimeout
	// one ffmpeg run.
	FrameTimeout, EncodeTimeout time.Duration
	// EncodeMemory bounds the address space of one ffmpeg run, in bytes
	// (RLIMIT_AS, on Linux): an encoder that needs more fails with its
	// error instead of taking the worker's memory (0: 2 GiB).
	EncodeMemory int64
	// FFmpeg is the ffmpeg program ("": found on PATH).
	FFmpeg string
	// Player holds rrweb's Replayer as the player package serves it
	// (vendor/rrweb/rrweb.js and style.css): player.FS().
	Player fs.FS
	// Progress, when set, is told the frames done out of the total.
	Progress func(done, total int)
	// OnCapture, when set, is given each capture (PNG) with the frame
	// it starts at (of the whole video, for a piece), before encoding
	// (tests compare them losslessly).
	OnCapture func(frame int, png []byte)
	// Piece, when set, renders that piece of the video only (from
	// PlanVideoPieces, with the same configuration): its frames, from its
	// segments (the bundle needs no others), its first frame captured, in
	// a file JoinVideo joins to the others without re-encoding. Not for
	// GIFs.
	Piece *VideoPiece
}

// DefaultVideoConfig returns the defaults: MP4 at 15 fps.
func DefaultVideoConfig() VideoConfig {
	return VideoConfig{Format: VideoMP4, FPS: 15, MaxFrames: 108000, FrameTimeout: 30 * time.Second, EncodeTimeout: 30 * time.Minute,
		EncodeMemory: DefaultEncodeMemory}
}

// DefaultEncodeMemory is the address space an ffmpeg run may use. An
// H.264 or VP9 encode of 1280×800 frames runs within 512 MiB; a GIF
// holds each distinct frame (about 4 MB at 1280×800) until its palette is
// made, so 50 distinct frames fit in 600 MiB and 200 in 2 GiB but not in
// 600 MiB (TestFFmpegMemoryBound). Beyond that the video fails
// with ErrTooLarge instead of taking the worker's memory.
const DefaultEncodeMemory = 2 << 30

func (c VideoConfig) withDefaults() VideoConfig {
	d := DefaultVideoConfig()
	if c.Format == "" {
		c.Format = d.Format
	}
	if c.FPS == 0 {
		c.FPS = d.FPS
	}
	if c.MaxFrames == 0 {
		c.MaxFrames = d.MaxFrames
	}
	if c.FrameTimeout == 0 {
		c.FrameTimeout = d.FrameTimeout
	}
	if c.EncodeTimeout == 0 {
		c.EncodeTimeout = d.EncodeTimeout
	}
	if c.EncodeMemory == 0 {
		c.EncodeMemory = d.EncodeMemory
	}
	return c
}

// Validate reports every invalid field at once, wrapping ErrInvalid.
func (c VideoConfig) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("validate video config: %w: "+format, append([]any{ErrInvalid}, args...)...))
	}
	switch c.Format {
	case "", VideoMP4, VideoWebM, VideoGIF:
	default:
		bad("format %q: want mp4, webm or gif", c.Format)
	}
	if c.FPS < 0 || c.FPS > 60 {
		bad("FPS must be 1..60")
	}
	if c.Width < 0 || c.Width > 7680 || c.Width == 1 {
		bad("Width must be 2..7680 (0: the recorded width)")
	}
	if c.From < 0 || c.To < 0 || (c.To > 0 && c.To <= c.From) {
		bad("From and To must be a range after the first event")
	}
	if c.SkipInactive < 0 || (c.SkipInactive > 0 && c.SkipInactive < time.Second) {
		bad("SkipInactive must be 0 (off) or at least 1s")
	}
	if c.MaxFrames < 0 || c.FrameTimeout < 0 || c.EncodeTimeout < 0 || c.EncodeMemory < 0 {
		bad("limits must not be negative")
	}
	return errors.Join(errs...)
}

// VideoStats describes a video written.
type VideoStats struct {
	Frames        int // frames in the video
	Captured      int // frames captured (the others repeat one)
	Width, Height int // of the video
	Bytes         int64
	Duration      time.Duration // of the video
	Capture       time.Duration // spent seeking and capturing
	Encode        time.Duration // spent in ffmpeg
	// Skipped are the spans of the session left out (SkipInactive), in
	// order: a video time v shows the session at From + v plus the
	// lengths of the spans that start at or before that.
	Skipped []VideoSpan
}

// VideoSpan is a span of a session, in ms after its first event.
type VideoSpan struct {
	FromMs int64 `json:"fromMs"`
	ToMs   int64 `json:"toMs"`
}

// MemorySink keeps a bundle in memory (a video's source).
type MemorySink struct {
	Files map[string]MemoryFile
}

// MemoryFile is one bundle file.
type MemoryFile struct {
	Data                         []byte
	ContentType, ContentEncoding string
}

// Put keeps a copy of data under name.
func (s *MemorySink) Put(ctx context.Context, name string, data []byte, contentType, contentEncoding string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.Files == nil {
		s.Files = map[string]MemoryFile{}
	}
	s.Files[name] = MemoryFile{Data: bytes.Clone(data), ContentType: contentType, ContentEncoding: contentEncoding}
	return nil
}

// videoDoc is the stage's page: rrweb's style sheet (the cursor and the
// click mark), with the cursor's transition off so that a frame shows
// where the cursor is at its time, not on its way there.
const videoDoc = `<link rel="stylesheet" href="vendor/rrweb/style.css">
<style>html,body{margin:0;padding:0;overflow:hidden;background:#fff}.replayer-mouse{transition:none!important}#root iframe{border:0;display:block}</style>
<div id="root"></div>`

// videoJS starts rrweb's Replayer on events.json (kiln-asset: references
// pointed at the stage's assets/) and defines kilnVideo.at(ms): pause at
// ms after KILN_START (the manifest's startTime, put in by
// captureFrames), refuse a replay frame that could run scripts,
// and wait (bounded) for the images, style sheets and fonts it shows.
const videoJS = `(async () => {
  const base = document.baseURI;
  const rrweb = await import(new URL("vendor/rrweb/rrweb.js", base).href);
  const text = await (await fetch("events.json")).text();
  const events = JSON.parse(text.replaceAll("kiln-asset:", new URL("assets/", base).href));
  const r = new rrweb.Replayer(events, {root: document.getElementById("root"), mouseTail: false, showWarning: false,
    showDebug: false, triggerFocus: false, skipInactive: false, UNSAFE_replayCanvas: false});
  // The Replayer applies the first Meta and snapshot in a timer of its own.
  await new Promise(ok => setTimeout(ok, 0));
  const bounded = (ps) => Promise.race([Promise.all(ps), new Promise(ok => setTimeout(ok, 3000))]);
  const loaded = (el) => new Promise(ok => { el.addEventListener("load", ok, {once: true}); el.addEventListener("error", ok, {once: true}); });
  window.kilnVideo = {
    // ms after the manifest's startTime; the Replayer counts from the
    // first event it was given.
    async at(ms) {
      r.pause(KILN_START + ms - events[0].timestamp);
      const f = document.querySelector("#root iframe");
      if (!f || (f.getAttribute("sandbox") || "") !== "allow-same-origin") throw new Error("the replay frame is not sandboxed");
      const d = f.contentDocument;
      const waits = [...d.images].filter(i => !i.complete).map(loaded);
      waits.push(...[...d.querySelectorAll("link[rel~=stylesheet]")].filter(l => !l.sheet).map(loaded));
      if (waits.length) await bounded(waits);
      await bounded([d.fonts.ready]);
      return true;
    },
  };
  return events.length;
})()`

// RenderVideo writes a video of the bundle (man, its files in b) to out,
// rendered on a stage from st. Frame k shows the state at From + k/FPS;
// it is captured only when an event falls in the time since the frame
// before (or always, with EveryFrame). Errors wrap ErrInvalid (bad
// configuration, a bundle without segments), ErrTooLarge (over
// MaxFrames), ErrNoFFmpeg, or come from the stage or ffmpeg.
func RenderVideo(ctx context.Context, man *Manifest, b *MemorySink, st Stager, out string, vc VideoConfig) (*VideoStats, error) {
	if err := vc.Validate(); err != nil {
		return nil, err
	}
	vc = vc.withDefaults()
	if vc.Format == VideoGIF {
		vc.FPS = min(vc.FPS, MaxGIFFPS)
	}
	if vc.Player == nil {
		return nil, fmt.Errorf("render video: %w: no player files", ErrInvalid)
	}
	ffmpeg, err := lookFFmpeg(vc.FFmpeg)
	if err != nil {
		return nil, fmt.Errorf("render video: %w", err)
	}
	first, count := 0, len(man.Segments)
	var mouse *MouseAt
	if p := vc.Piece; p != nil {
		if vc.Format == VideoGIF {
			return nil, fmt.Errorf("render video: %w: a GIF is made in one piece", ErrInvalid)
		}
		first, count, mouse = p.Segment, p.Segments, p.Mouse
	}
	events, changes, inputs, err := videoEvents(man, b, first, count, mouse)
	if err != nil {
		return nil, err
	}
	var skips []VideoSpan
	if vc.SkipInactive > 0 {
		if vc.Piece != nil {
			return nil, fmt.Errorf("render video: %w: SkipInactive is made in one piece", ErrInvalid)
		}
		skips = inactiveSpans(inputs, man.DurationMs, vc.SkipInactive)
	}
	plan, err := planFrames(man.DurationMs, changes, skips, vc)
	if err != nil {
		return nil, err
	}
	if p := vc.Piece; p != nil {
		if plan, err = plan.piece(p.First, p.Frames); err != nil {
			return nil, err
		}
	}
	files, err := videoFiles(man, b, events, vc.Player)
	if err != nil {
		return nil, err
	}
	vp := snapshot.Viewport{DeviceScaleFactor: 1}
	for _, v := range man.Viewports {
		vp.Width, vp.Height = max(vp.Width, v.Width), max(vp.Height, v.Height)
	}
	if vp.Width < 2 || vp.Height < 2 {
		return nil, fmt.Errorf("render video: %w: no viewport", ErrInvalid)
	}
	tmp, err := os.MkdirTemp("", "kiln-video-")
	if err != nil {
		return nil, fmt.Errorf("render video: %w", err)
	}
	defer os.RemoveAll(tmp)

	stats := &VideoStats{Frames: len(plan.times), Duration: time.Duration(len(plan.times)) * time.Second / time.Duration(vc.FPS), Skipped: plan.skipped}
	start := time.Now()
	shots, err := captureFrames(ctx, st, vp, files, man, plan, tmp, vc)
	if err != nil {
		return nil, err
	}
	stats.Captured, stats.Capture = len(shots), time.Since(start)

	stats.Width, stats.Height = videoSize(vp, vc.Width)
	start = time.Now()
	if err := encodeVideo(ctx, ffmpeg, tmp, shots, stats, out, vc); err != nil {
		return nil, err
	}
	stats.Encode = time.Since(start)
	if fi, err := os.Stat(out); err == nil {
		stats.Bytes = fi.Size()
	}
	return stats, nil
}

// videoEvents joins the segments [first, first+count) of the bundle into
// one event list, as a player playing across them does (later segments
// without the Meta and FullSnapshot Kiln put at their start), and lists
// the times (ms after the first event) at which the replayed state
// changes: every recorded event, and every mouse or touch position a move
// event carries, and the times of user interactions. mouse, when given,
// is put after the first segment's snapshot: where the cursor was at its
// start.
func videoEvents(man *Manifest, b *MemorySink, first, count int, mouse *MouseAt) (events []byte, changes, inputs []int64, err error) {
	if len(man.Segments) == 0 {
		return nil, nil, nil, fmt.Errorf("render video: %w: no segments", ErrInvalid)
	}
	if first < 0 || count < 1 || first+count > len(man.Segments) {
		return nil, nil, nil, fmt.Errorf("render video: %w: segments %d+%d of %d", ErrInvalid, first, count, len(man.Segments))
	}
	var all bytes.Buffer
	all.WriteByte('[')
	n := 0
	add := func(ev []byte) {
		if n > 0 {
			all.WriteByte(',')
		}
		all.Write(ev)
		n++
	}
	for i := first; i < first+count; i++ {
		sc, err := readSegment(man, b, i)
		if err != nil {
			return nil, nil, nil, err
		}
		evs := sc.events
		if i > first {
			evs = evs[sc.synthetic:]
		}
		for k, ev := range evs {
			add(ev)
			if i == first && k == sc.synthetic-1 && mouse != nil {
				add(mouseEvent(man.StartTime+man.Segments[i].StartMs, mouse))
			}
		}
		changes = append(changes, sc.changes...)
		inputs = append(inputs, sc.inputs...)
	}
	all.WriteByte(']')
	return all.Bytes(), changes, inputs, nil
}

// mouseEvent is a recorded mouse move to m at ts (Unix ms).
func mouseEvent(ts int64, m *MouseAt) []byte {
	b, _ := json.Marshal(map[string]any{"type": 3, "timestamp": ts, "data": map[string]any{
		"source": 1, "positions": []map[string]any{{"x": m.X, "y": m.Y, "id": m.ID, "timeOffset": 0}}}})
	return b
}

// videoSegment is one segment read: its events (the first synthetic of
// them Kiln's), the change times of its recorded events (ms after the
// manifest's StartTime), those of user interactions and the last cursor
// position they record.
type videoSegment struct {
	events    []json.RawMessage
	synthetic int
	changes   []int64
	inputs    []int64
	mouse     *MouseAt
}

func readSegment(man *Manifest, b *MemorySink, i int) (*videoSegment, error) {
	s := man.Segments[i]
	f, ok := b.Files[s.Name]
	if !ok {
		return nil, fmt.Errorf("render video: %w: segment %s missing", ErrInvalid, s.Name)
	}
	raw, err := inflateGzip(f.Data)
	if err != nil {
		return nil, fmt.Errorf("render video: read %s: %w: %v", s.Name, ErrInvalid, err)
	}
	sc := &videoSegment{}
	if err := json.Unmarshal(raw, &sc.events); err != nil {
		return nil, fmt.Errorf("render video: read %s: %w: %v", s.Name, ErrInvalid, err)
	}
	sc.synthetic = min(s.Synthetic, len(sc.events))
	for _, ev := range sc.events[sc.synthetic:] {
		var e struct {
			Type      int   `json:"type"`
			Timestamp int64 `json:"timestamp"`
			Data      struct {
				Source    *int     `json:"source"`
				X         *float64 `json:"x"`
				Y         *float64 `json:"y"`
				ID        int64    `json:"id"`
				Positions []struct {
					X          float64 `json:"x"`
					Y          float64 `json:"y"`
					ID         int64   `json:"id"`
					TimeOffset int64   `json:"timeOffset"`
				} `json:"positions"`
			} `json:"data"`
		}
		if err := json.Unmarshal(ev, &e); err != nil {
			return nil, fmt.Errorf("render video: read %s: %w: %v", s.Name, ErrInvalid, err)
		}
		at := e.Timestamp - man.StartTime
		sc.changes = append(sc.changes, at)
		// rrweb's user interactions: sources MouseMove to Input.
		if e.Type == int(snapshot.EventIncremental) && e.Data.Source != nil && *e.Data.Source >= 1 && *e.Data.Source <= 5 {
			sc.inputs = append(sc.inputs, at)
		}
		for _, p := range e.Data.Positions {
			sc.changes = append(sc.changes, at+p.TimeOffset)
			if t := at + p.TimeOffset; sc.mouse == nil || t >= sc.mouse.at {
				sc.mouse = &MouseAt{X: p.X, Y: p.Y, ID: p.ID, at: t}
			}
		}
		if e.Type == int(snapshot.EventIncremental) && e.Data.Source != nil && *e.Data.Source == 2 && e.Data.X != nil && e.Data.Y != nil &&
			(sc.mouse == nil || at >= sc.mouse.at) {
			sc.mouse = &MouseAt{X: *e.Data.X, Y: *e.Data.Y, ID: e.Data.ID, at: at}
		}
	}
	return sc, nil
}

func inflateGzip(data []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// framePlan is the frames of a video: times[k] is frame k's time (ms
// after the first event, fractional), capture[k] whether it is captured.
type framePlan struct {
	times   []float64
	capture []bool
	first   int         // of the whole video's frames, for a piece
	skipped []VideoSpan // left out (SkipInactive)
}

// piece is the plan of frames [first, first+n), its first captured.
func (p *framePlan) piece(first, n int) (*framePlan, error) {
	if first < 0 || n < 1 || first+n > len(p.times) {
		return nil, fmt.Errorf("render video: %w: piece of frames %d+%d of %d", ErrInvalid, first, n, len(p.times))
	}
	q := &framePlan{times: p.times[first : first+n], capture: slices.Clone(p.capture[first : first+n]), first: first}
	q.capture[0] = true
	return q, nil
}

// planFrames lays out the frames of [From, To] at FPS: frame k at
// From + k/FPS (plus the lengths of the skipped spans before it), up to
// the last frame at or before the end, captured when k is 0 or a change
// falls in (time of frame k-1, time of frame k].
func planFrames(durationMs int64, changes []int64, skips []VideoSpan, vc VideoConfig) (*framePlan, error) {
	from, to := float64(vc.From.Milliseconds()), float64(durationMs)
	if vc.To > 0 {
		to = math.Min(to, float64(vc.To.Milliseconds()))
	}
	if from > to {
		return nil, fmt.Errorf("render video: %w: From %v is past the end (%d ms)", ErrInvalid, vc.From, durationMs)
	}
	// The skipped spans within the range.
	var spans []VideoSpan
	var cut int64
	for _, s := range skips {
		s.FromMs, s.ToMs = max(s.FromMs, int64(from)), min(s.ToMs, int64(to))
		if s.ToMs > s.FromMs {
			spans = append(spans, s)
			cut += s.ToMs - s.FromMs
		}
	}
	step := 1000 / float64(vc.FPS)
	// In whole ms (as from and to are), so that 2 s at 15 fps is 31
	// frames whatever the rounding of step.
	n := int((int64(to-from)-cut)*int64(vc.FPS)/1000) + 1
	if n > vc.MaxFrames {
		return nil, fmt.Errorf("render video: %w: %d frames (at most %d)", ErrTooLarge, n, vc.MaxFrames)
	}
	p := &framePlan{times: make([]float64, n), capture: make([]bool, n), skipped: spans}
	for k := range n {
		t := from + float64(k)*step
		for _, s := range spans {
			if t >= float64(s.FromMs) {
				t += float64(s.ToMs - s.FromMs)
			}
		}
		p.times[k] = t
	}
	p.capture[0] = true
	for _, c := range changes {
		t := float64(c)
		if t <= from || t > p.times[n-1] {
			continue
		}
		// The first frame whose time is at or after t.
		if k, _ := slices.BinarySearch(p.times, t); k < n {
			p.capture[k] = true
		}
	}
	if vc.EveryFrame {
		for k := range p.capture {
			p.capture[k] = true
		}
	}
	return p, nil
}

// inactiveSpans are the spans longer than after without user
// interaction (inputs, ms after the first event; the session's start
// and end count as interactions), less their first and last second (at
// most a quarter of after each): what SkipInactive leaves out.
func inactiveSpans(inputs []int64, durationMs int64, after time.Duration) []VideoSpan {
	pts := append([]int64{0}, inputs...)
	pts = append(pts, durationMs)
	slices.Sort(pts)
	keep := min(1000, after.Milliseconds()/4)
	var out []VideoSpan
	for i := 1; i < len(pts); i++ {
		if pts[i]-pts[i-1] > after.Milliseconds() {
			out = append(out, VideoSpan{FromMs: pts[i-1] + keep, ToMs: pts[i] - keep})
		}
	}
	return out
}

// videoFiles is what the stage serves: the Replayer, the events and the
// bundle's assets (inflated: the stage serves no Content-Encoding).
func videoFiles(man *Manifest, b *MemorySink, events []byte, player fs.FS) ([]snapshot.Resource, error) {
	var files []snapshot.Resource
	for _, name := range []string{"vendor/rrweb/rrweb.js", "vendor/rrweb/style.css"} {
		data, err := fs.ReadFile(player, name)
		if err != nil {
			return nil, fmt.Errorf("render video: player files: %w", err)
		}
		ct := "text/javascript"
		if strings.HasSuffix(name, ".css") {
			ct = "text/css"
		}
		files = append(files, snapshot.Resource{URL: name, ContentType: ct, Data: data})
	}
	files = append(files, snapshot.Resource{URL: "events.json", ContentType: "application/json", Data: events})
	for _, a := range man.Assets.Items {
		f, ok := b.Files["assets/"+a.Name]
		if !ok {
			continue
		}
		data := f.Data
		if a.Encoding == "gzip" {
			var err error
			if data, err = inflateGzip(data); err != nil {
				return nil, fmt.Errorf("render video: asset %s: %w: %v", a.Name, ErrInvalid, err)
			}
		}
		files = append(files, snapshot.Resource{URL: "assets/" + a.Name, ContentType: a.ContentType, Data: data})
	}
	return files, nil
}

// shot is one captured frame: its file, and how many frames show it.
type shot struct {
	file   string
	frames int
}

// captureFrames seeks the Replayer to each frame to capture and writes
// the capture as a PNG in dir.
func captureFrames(ctx context.Context, st Stager, vp snapshot.Viewport, files []snapshot.Resource, man *Manifest, p *framePlan, dir string, vc VideoConfig) ([]shot, error) {
	sctx, cancel := context.WithTimeout(ctx, vc.FrameTimeout*time.Duration(len(p.times)+2))
	defer cancel()
	stage, err := st.OpenStage(sctx, vp, videoDoc, files)
	if err != nil {
		return nil, fmt.Errorf("render video: %w", err)
	}
	defer stage.Close()
	js := strings.Replace(videoJS, "KILN_START", strconv.FormatInt(man.StartTime, 10), 1)
	if _, err := evalWithin(sctx, stage, vc.FrameTimeout, js); err != nil {
		return nil, fmt.Errorf("render video: start replayer: %w", err)
	}
	var shots []shot
	for k, t := range p.times {
		if !p.capture[k] {
			shots[len(shots)-1].frames++
			continue
		}
		if _, err := evalWithin(sctx, stage, vc.FrameTimeout, fmt.Sprintf("kilnVideo.at(%.3f)", t)); err != nil {
			return nil, fmt.Errorf("render video: seek to %.0f ms: %w", t, err)
		}
		fctx, cancel := context.WithTimeout(sctx, vc.FrameTimeout)
		png, err := stage.Capture(fctx)
		cancel()
		if err != nil {
			return nil, fmt.Errorf("render video: capture %.0f ms: %w", t, err)
		}
		name := filepath.Join(dir, fmt.Sprintf("f%06d.png", k))
		if err := os.WriteFile(name, png, 0o600); err != nil {
			return nil, fmt.Errorf("render video: %w", err)
		}
		shots = append(shots, shot{file: name, frames: 1})
		if vc.OnCapture != nil {
			vc.OnCapture(p.first+k, png)
		}
		if vc.Progress != nil {
			vc.Progress(k+1, len(p.times))
		}
	}
	if vc.Progress != nil {
		vc.Progress(len(p.times), len(p.times))
	}
	return shots, nil
}

func evalWithin(ctx context.Context, s Stage, d time.Duration, expr string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	return s.Eval(ctx, expr)
}

// videoSize is the video's size: the stage's, scaled to width when
// given, both even (yuv420p needs them so).
func videoSize(vp snapshot.Viewport, width int) (int, int) {
	w, h := vp.Width, vp.Height
	if width > 0 {
		h = int(math.Round(float64(h) * float64(width) / float64(w)))
		w = width
	}
	return max(w&^1, 2), max(h&^1, 2)
}
