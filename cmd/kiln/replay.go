package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kilnrender/kiln/renderer"
	"github.com/kilnrender/kiln/replay"
	"github.com/kilnrender/kiln/snapshot"
)

const replayUsage = `usage: kiln replay -o DIR [flags] INPUT
       kiln replay --at MS --out FILE [flags] INPUT
       kiln replay --video FILE [--fps N] [--width PX] [--from D] [--to D] [--skip-inactive] [flags] INPUT

Turns a session recording (rrweb events, Kiln replay JSON with the
recording's resources and density, or a Gleap feedback body or
webReplay) into a replay bundle in DIR, or renders the state MS
milliseconds after the first event to FILE (.webp/.jpg/.png through the
renderer; .html writes the normalized snapshot, .json the rrweb
full-snapshot node), or writes a video of the bundle to FILE (.mp4
H.264, .webm VP9, .gif; frame k shows the state at --from + k/--fps, and
only frames after a recorded event are captured; needs ffmpeg;
--skip-inactive cuts spans of over 10 s without user interaction short
and lists them).
Resources the input carries win over fetching; other subresources are
fetched from public addresses and the hosts of --net-allow. INPUT "-"
reads standard input; gzip input is recognized. Every flag has an
environment twin (KILN_REPLAY_*, KILN_FFMPEG_PATH for --ffmpeg, and
KILN_NET_ALLOW and KILN_NET_DENY for --net-allow and --net-deny).`

// replayFlags are the replay command's options.
type replayFlags struct {
	outDir       string
	at           int64
	out          string
	segment      time.Duration
	segEvents    int
	segBytes     int
	ratio        float64
	gzipLevel    int
	keyframes    time.Duration
	maxKeyframes int
	posterAt     time.Duration
	mask         string
	block        string
	assetBase    string
	maxInput     int64
	dpr          float64
	mobile       string
	video        string
	fps, width   int
	from, to     time.Duration
	ffmpeg       string
	skipInactive bool
	recompress   bool
	net          *netFlags
}

func parseReplayFlags(args []string) (*replayFlags, []string, error) {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	d := replay.DefaultConfig()
	e := newEnvFlags(fs)
	outDir := e.String("o", "KILN_REPLAY_OUTPUT", "", "bundle directory")
	at := e.Int("at", "KILN_REPLAY_AT", -1, "render the state at this many ms after the first event")
	out := e.String("out", "KILN_REPLAY_OUT", "", "file for --at (.webp/.jpg/.png, .html or .json)")
	segment := e.Duration("segment", "KILN_REPLAY_SEGMENT", d.SegmentDuration, "target segment duration")
	segEvents := e.Int("segment-events", "KILN_REPLAY_SEGMENT_EVENTS", d.SegmentEvents, "maximum events per segment")
	segBytes := e.Int("segment-bytes", "KILN_REPLAY_SEGMENT_BYTES", d.SegmentBytes, "maximum uncompressed bytes per segment")
	ratio := e.Float("snapshot-ratio", "KILN_REPLAY_SNAPSHOT_RATIO", d.SnapshotRatio, "recorded bytes per snapshot byte before a segment may end by duration (negative: off)")
	gzipLevel := e.Int("gzip-level", "KILN_REPLAY_GZIP_LEVEL", d.GzipLevel, "segment gzip level 1..9")
	keyframes := e.Duration("keyframe-interval", "KILN_REPLAY_KEYFRAME_INTERVAL", d.KeyframeInterval, "filmstrip spacing (negative: only navigations and resizes)")
	maxKeyframes := e.Int("max-keyframes", "KILN_REPLAY_MAX_KEYFRAMES", d.MaxKeyframes, "maximum filmstrip pictures")
	posterAt := e.Duration("poster-at", "KILN_REPLAY_POSTER_AT", 0, "poster time after the first event (0: the end)")
	mask := e.String("mask", "KILN_REPLAY_MASK", "", "extra mask selectors, ';'-separated (e.g. '.card;input[name=iban]')")
	block := e.String("block", "KILN_REPLAY_BLOCK", "", "block selectors, ';'-separated")
	assetBase := e.String("asset-base", "KILN_REPLAY_ASSET_BASE", "", "absolute URL of the bundle's assets/ folder, ending in /")
	maxInput := e.Int("max-input-bytes", "KILN_REPLAY_MAX_INPUT_BYTES", int(d.Limits.MaxRecordingBytes), "maximum recording size")
	dpr := e.Float("dpr", "KILN_REPLAY_DPR", 0, "device pixel ratio of the pictures (0: the input's, else 1)")
	mobile := e.String("mobile", "KILN_REPLAY_MOBILE", "", "true or false: mobile/touch emulation for the pictures (empty: the input's)")
	video := e.String("video", "KILN_REPLAY_VIDEO", "", "write a video of the bundle (.mp4, .webm or .gif)")
	fps := e.Int("fps", "KILN_REPLAY_FPS", replay.DefaultVideoConfig().FPS, "video frame rate (1..60)")
	width := e.Int("width", "KILN_REPLAY_WIDTH", 0, "video width in pixels (0: the recorded width)")
	from := e.Duration("from", "KILN_REPLAY_FROM", 0, "video start after the first event")
	to := e.Duration("to", "KILN_REPLAY_TO", 0, "video end after the first event (0: the end)")
	ffmpeg := e.String("ffmpeg", "KILN_FFMPEG_PATH", "", "ffmpeg binary for --video (default: found on PATH)")
	skipInactive := e.Bool("skip-inactive", "KILN_REPLAY_SKIP_INACTIVE", false, "leave out of the video most of each span of over 10 s without user interaction (listed on stderr)")
	recompress := e.Bool("recompress-images", "KILN_REPLAY_RECOMPRESS_IMAGES", true, recompressUsage)
	netPolicy := addNetFlags(e)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, replayUsage)
			fs.SetOutput(os.Stderr)
			fs.PrintDefaults()
		}
		return nil, nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	if err := e.Err(); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	f := &replayFlags{
		outDir: *outDir, at: int64(*at), out: *out, segment: *segment, segEvents: *segEvents,
		segBytes: *segBytes, ratio: *ratio, gzipLevel: *gzipLevel, keyframes: *keyframes,
		maxKeyframes: *maxKeyframes, posterAt: *posterAt, mask: *mask, block: *block,
		assetBase: *assetBase, maxInput: int64(*maxInput), dpr: *dpr, mobile: *mobile, net: netPolicy,
		video: *video, fps: *fps, width: *width, from: *from, to: *to, ffmpeg: *ffmpeg, skipInactive: *skipInactive,
		recompress: *recompress,
	}
	if f.dpr < 0 || f.dpr > snapshot.DefaultMaxDPR || (f.mobile != "" && f.mobile != "true" && f.mobile != "false") {
		return nil, nil, fmt.Errorf("%w: --dpr must be 0..%d and --mobile true or false", errUsage, snapshot.DefaultMaxDPR)
	}
	return f, fs.Args(), nil
}

// recompressUsage is the usage of --recompress-images (kiln replay, the
// worker and kiln dev).
const recompressUsage = "re-encode the PNGs a recording carries, losslessly (about 0.69 of their bytes, for about 4x the CPU time of a first build; false: stored as recorded)"

func (f *replayFlags) config() replay.Config {
	return replay.Config{
		RecompressImages: recompressSetting(f.recompress),
		SegmentDuration:  f.segment,
		SegmentEvents:    f.segEvents,
		SegmentBytes:     f.segBytes,
		SnapshotRatio:    f.ratio,
		GzipLevel:        f.gzipLevel,
		Limits:           snapshot.Limits{MaxRecordingBytes: f.maxInput},
		KeyframeInterval: f.keyframes,
		MaxKeyframes:     f.maxKeyframes,
		PosterAt:         f.posterAt,
		MaskSelectors:    splitSelectors(f.mask),
		BlockSelectors:   splitSelectors(f.block),
		AssetBaseURL:     f.assetBase,
	}
}

func runReplay(ctx context.Context, args []string) error {
	f, rest, err := parseReplayFlags(args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return fmt.Errorf("%w: one INPUT expected\n%s", errUsage, replayUsage)
	}
	atMode := f.at >= 0
	switch {
	case f.video != "" && (atMode || f.outDir != ""):
		return fmt.Errorf("%w: --video goes without -o and --at", errUsage)
	case f.video != "":
	case atMode && f.out == "":
		return fmt.Errorf("%w: --at needs --out FILE", errUsage)
	case !atMode && f.outDir == "":
		return fmt.Errorf("%w: -o DIR (or --at MS --out FILE) is required", errUsage)
	}
	cfg := f.config()
	// Keyframes and asset capture fetch under the same network policy.
	nc := f.net.config()
	if err := errors.Join(cfg.Validate(), nc.Validate()); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	in, closeIn, err := openRecording(rest[0], f.maxInput)
	if err != nil {
		return err
	}
	defer closeIn()
	// A big recording takes a while: show the MB read on a terminal.
	prog := newProgress(0, false)
	defer prog.clear()
	in = &progressReader{r: in, p: prog}

	format := renderer.FormatWebP
	if atMode {
		switch strings.ToLower(filepath.Ext(f.out)) {
		case ".png":
			format = renderer.FormatPNG
		case ".jpg", ".jpeg":
			format = renderer.FormatJPEG
		}
	}
	rc := renderer.DefaultConfig()
	rc.Fetch = nc
	shooter, closeShooter, err := newShooter(format, rc)
	if err != nil {
		return err
	}
	defer closeShooter()
	shooter = f.density(shooter)
	fetcher, closeFetcher, err := newFetcher(nc)
	if err != nil {
		return err
	}
	defer closeFetcher()

	if f.video != "" {
		return replayVideo(ctx, f, cfg, rc, fetcher, in)
	}
	if atMode {
		return replayAt(ctx, cfg, shooter, fetcher, in, time.Duration(f.at)*time.Millisecond, f.out)
	}
	if shooter == nil {
		fmt.Fprintln(os.Stderr, "kiln replay: warning: no renderer in this build; keyframes and poster are listed without pictures")
	}
	if fetcher == nil {
		fmt.Fprintln(os.Stderr, "kiln replay: warning: no fetcher in this build; remote URLs are neutralized and listed in the manifest")
	}
	b, err := replay.NewBuilder(cfg, shooter, fetcher)
	if err != nil {
		return err
	}
	start := time.Now()
	man, err := b.Build(ctx, in, replay.DirSink{Dir: f.outDir})
	if err != nil {
		return err
	}
	var segBytes int
	for _, s := range man.Segments {
		segBytes += s.Bytes
	}
	fmt.Fprintf(os.Stderr, "kiln replay: %s: %d ms, %d events (%d dropped), %d segments (%d bytes), %d keyframes, %d assets (%d failed), %d warnings, in %s\n",
		f.outDir, man.DurationMs, man.Input.Events, man.Input.Dropped, len(man.Segments), segBytes,
		len(man.Keyframes), len(man.Assets.Items), len(man.Assets.Failed), len(man.Warnings), time.Since(start).Round(time.Millisecond))
	for _, w := range man.Warnings {
		fmt.Fprintf(os.Stderr, "  warning: %s\n", w)
	}
	return nil
}

// replayAt renders (or, for .html/.json, serializes) the state at one
// moment: the path keyframes take, assets captured as a bundle's are.
func replayAt(ctx context.Context, cfg replay.Config, shooter replay.Shooter, fetcher replay.Fetcher, in io.Reader, at time.Duration, out string) error {
	b, err := replay.NewBuilder(cfg, shooter, fetcher)
	if err != nil {
		return err
	}
	m, warns, err := b.StateAt(ctx, in, at)
	if err != nil {
		return err
	}
	for _, w := range warns {
		fmt.Fprintf(os.Stderr, "kiln replay: warning: %s\n", w)
	}
	var data []byte
	switch strings.ToLower(filepath.Ext(out)) {
	case ".json":
		if data, err = m.DocumentJSON(); err != nil {
			return err
		}
	case ".html", ".htm":
		s, err := replay.ToSnapshot(m)
		if err != nil {
			return err
		}
		data = s.HTML
	default:
		if shooter == nil {
			return errors.New("render state: no renderer in this build (write .html or .json instead)")
		}
		s, err := replay.ToSnapshot(m)
		if err != nil {
			return err
		}
		pic, err := shooter.Shoot(ctx, s)
		if err != nil {
			return fmt.Errorf("render state: %w", err)
		}
		for _, w := range pic.Warnings {
			fmt.Fprintf(stderr, "kiln replay: render warning: %s\n", w)
		}
		data = pic.Image
	}
	return os.WriteFile(out, data, 0o644)
}

// openInput opens a file or standard input, inflating gzip.
func openInput(name string) (io.Reader, func(), error) {
	var r io.Reader = os.Stdin
	closeFn := func() {}
	if name != "-" {
		fh, err := os.Open(name)
		if err != nil {
			return nil, nil, err
		}
		r, closeFn = fh, func() { fh.Close() }
	}
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			closeFn()
			return nil, nil, fmt.Errorf("open input: %w", err)
		}
		return zr, closeFn, nil
	}
	return br, closeFn, nil
}

// openRecording opens a recording like openInput. A named file that
// holds Kiln replay JSON with version, viewport or resources after its
// events (as serializers that sort keys write them) is read twice: once
// to find them, then as an object with them before the events, which is
// the order the replay decoder needs (it reads a recording in one pass).
// The first pass holds one event at a time and the moved fields; it
// reads at most max bytes, past which (and on malformed JSON) the file
// is read as it is, and the decoder reports what is wrong.
func openRecording(name string, max int64) (io.Reader, func(), error) {
	in, closeIn, err := openInput(name)
	if err != nil || name == "-" {
		return in, closeIn, err
	}
	br := bufio.NewReader(in)
	if b, _ := br.Peek(64); len(bytes.TrimLeft(b, " \t\r\n")) == 0 || bytes.TrimLeft(b, " \t\r\n")[0] != '{' {
		return br, closeIn, nil
	}
	late, start, end, ok := lateReplayFields(io.LimitReader(br, max+1))
	closeIn()
	if in, closeIn, err = openInput(name); err != nil || !ok || len(late) == 0 {
		return in, closeIn, err
	}
	if _, err := io.CopyN(io.Discard, in, start); err != nil {
		closeIn()
		return nil, nil, fmt.Errorf("open input: %w", err)
	}
	head := append(append([]byte{'{'}, late...), ',')
	return io.MultiReader(bytes.NewReader(head), io.LimitReader(in, end-start), strings.NewReader("}")), closeIn, nil
}

// lateReplayFields walks a top-level JSON object: late holds the fields of
// Kiln replay JSON that follow its events array (`"key":value,` each,
// without the last comma), start the offset just after the opening brace
// and end the offset just after the events array. ok is false when the
// object is malformed or has no events array.
func lateReplayFields(r io.Reader) (late []byte, start, end int64, ok bool) {
	dec := json.NewDecoder(r)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, 0, 0, false
	}
	start = dec.InputOffset()
	var parts [][]byte
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, 0, 0, false
		}
		key, _ := tok.(string)
		switch {
		case key == "events" && end == 0:
			if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
				return nil, 0, 0, false
			}
			for dec.More() {
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					return nil, 0, 0, false
				}
			}
			if _, err := dec.Token(); err != nil {
				return nil, 0, 0, false
			}
			end = dec.InputOffset()
		case key == "webReplay":
			return nil, 0, 0, false // a Gleap body: nothing to move
		case end > 0 && (key == "version" || key == "viewport" || key == "resources"):
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return nil, 0, 0, false
			}
			k, _ := json.Marshal(key)
			parts = append(parts, append(append(k, ':'), v...))
		default:
			if !skipValue(dec) {
				return nil, 0, 0, false
			}
		}
	}
	return bytes.Join(parts, []byte{','}), start, end, end > 0
}

// skipValue reads past the next JSON value token by token, without
// holding it.
func skipValue(dec *json.Decoder) bool {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return true
		}
	}
}

// progressReader reports the megabytes read so far through p.
type progressReader struct {
	r    io.Reader
	p    *progress
	n    int64
	last int64
}

func (r *progressReader) Read(b []byte) (int, error) {
	n, err := r.r.Read(b)
	r.n += int64(n)
	if r.n>>20 != r.last {
		r.last = r.n >> 20
		r.p.set(int(r.last), "recording read (MB)")
	}
	return n, err
}

// density wraps sh so that its pictures take --dpr and --mobile over what
// the input gives (nil stays nil).
func (f *replayFlags) density(sh replay.Shooter) replay.Shooter {
	if sh == nil || (f.dpr == 0 && f.mobile == "") {
		return sh
	}
	return densityShooter{sh, f.dpr, f.mobile}
}

// densityShooter sets the density of every snapshot it renders.
type densityShooter struct {
	replay.Shooter
	dpr    float64
	mobile string
}

func (d densityShooter) Shoot(ctx context.Context, s *snapshot.Snapshot) (*replay.Picture, error) {
	c := *s
	if d.dpr > 0 {
		c.Viewport.DeviceScaleFactor = d.dpr
	}
	if d.mobile != "" {
		c.Viewport.Mobile = d.mobile == "true"
	}
	return d.Shooter.Shoot(ctx, &c)
}
