package replay

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/kilnrender/kiln/snapshot"
)

// Builder turns recordings into bundles. Shooter and Fetcher may be nil:
// then no pictures are rendered (keyframes are listed without images) and
// no assets are fetched (asset capture is off: every remote URL is
// replaced by snapshot.NeutralURL and listed in Manifest.Assets.Removed,
// since a bundle must not send its player to the recorded site).
type Builder struct {
	cfg     Config
	shooter Shooter
	fetcher Fetcher
}

// NewBuilder validates cfg and returns a Builder.
func NewBuilder(cfg Config, shooter Shooter, fetcher Fetcher) (*Builder, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Builder{cfg: cfg.withDefaults(), shooter: shooter, fetcher: fetcher}, nil
}

// build is one Build call.
type build struct {
	b      *Builder
	ctx    context.Context
	sink   Sink
	cfg    Config
	m      *Mirror
	man    *Manifest
	warn   warnings
	fatal  error
	start  int64
	loaded int64 // the first page-load event before the start (see origin)
	last   int64
	begun  bool
	meta   *snapshot.Event // Meta waiting for its FullSnapshot
	needFS bool            // the segment began with a recorded Meta: a FullSnapshot must follow
	// navigated is set by a Meta with a new href until its FullSnapshot.
	navigated bool

	seg      bytes.Buffer
	segN     int
	segSynth int
	segStart int64
	segLast  int64
	segSnap  int // bytes of the full snapshot the segment starts with
	segRec   int // bytes of the recorded events after it
	gz       *gzip.Writer
	gzBuf    bytes.Buffer

	kfPending    []pendingKeyframe
	nextPeriodic int64
	lastShot     int64
	shots        int
	posterDone   bool
	pictureWarn  bool
	shotRetries  int // pictures tried a second time (a browser restarting); at most maxShotRetries

	assetByURL map[string]assetResult // URL -> what capturing it gave
	assetStore map[string]bool        // sha256 stored
	inlined    map[string]string      // inline data (a data: URL, a JSON string of CSS) -> what replaces it ("": left inline)
	outBuf     [2][]byte              // outline's buffers (scratch)
	removedAt  map[string]int         // URL and reason -> index in Assets.Removed
}

// Build reads a recording from r and writes a bundle through sink:
// segments, assets, pictures, and manifest.json last (its presence marks a
// complete bundle). It returns the manifest. Errors wrap ErrInvalid,
// ErrUnsupported or ErrTooLarge, a Sink error, or ctx's error; malformed or
// out-of-order events are skipped with a warning.
func (b *Builder) Build(ctx context.Context, r io.Reader, sink Sink) (*Manifest, error) {
	bd := &build{b: b, ctx: ctx, sink: sink, cfg: b.cfg,
		man: &Manifest{Format: BundleFormat, Version: BundleVersion, Events: map[string]int{},
			Viewports: []ViewportAt{}, Pages: []PageAt{}, Segments: []Segment{}, Keyframes: []Keyframe{},
			Assets:   Assets{Base: b.cfg.AssetBaseURL, Items: []Asset{}, Failed: []FailedAsset{}, Removed: []RemovedURL{}},
			Timeline: b.cfg.Timeline},
		assetByURL: map[string]assetResult{}, assetStore: map[string]bool{}, inlined: map[string]string{}, removedAt: map[string]int{}, lastShot: -1 << 62}
	if b.cfg.AssetBaseURL == "" {
		bd.man.Assets.Scheme = assetScheme
	}
	bd.seg, bd.gzBuf = *bytes.NewBuffer(getBuffer()), *bytes.NewBuffer(getBuffer())
	bd.outBuf = [2][]byte{getBuffer(), getBuffer()}
	defer bd.putBuffers()
	m, err := NewMirror(b.cfg, bd.warn.add)
	if err != nil {
		return nil, err
	}
	m.removed = bd.removedURL
	bd.m = m
	gz, err := segmentWriter(b.cfg.GzipLevel)
	if err != nil {
		return nil, fmt.Errorf("build bundle: %w: %v", ErrInvalid, err)
	}
	defer putSegmentWriter(b.cfg.GzipLevel, gz)
	bd.gz = gz

	dec, err := b.decoder(r)
	if err != nil {
		return nil, err
	}
	bd.useResources(dec, b.shooter != nil)
	err = eachEvent(ctx, dec, func(skip string) {
		bd.man.Input.Dropped++
		bd.warn.add(skip)
	}, func(ev snapshot.Event) error {
		if err := bd.event(ev); err != nil {
			return err
		}
		return bd.fatal
	})
	if err != nil {
		return nil, err
	}
	bd.man.Input.Format = string(dec.Format())
	bd.man.Input.Bytes = dec.BytesRead()
	bd.man.Input.Events = dec.Events()
	if !bd.begun {
		return nil, fmt.Errorf("build bundle: %w: no Meta and FullSnapshot events", ErrInvalid)
	}
	return bd.finish()
}

// putBuffers hands the build's large buffers to a later build
// (buffers.go); the sink has been given copies of nothing in them but
// the segments, which it must not keep past Put.
func (bd *build) putBuffers() {
	bd.seg.Reset()
	bd.gzBuf.Reset()
	putBuffer(bd.seg.Bytes())
	putBuffer(bd.gzBuf.Bytes())
	putBuffer(bd.outBuf[0])
	putBuffer(bd.outBuf[1])
	bd.seg, bd.gzBuf, bd.outBuf = bytes.Buffer{}, bytes.Buffer{}, [2][]byte{}
}

// segmentWriters keep the segments' gzip writers between builds, per
// level: a new one allocates and clears about a megabyte of tables, most
// of the fixed cost of a small recording's build. (flush resets one before
// each segment, so a writer that served another build writes the same
// bytes.)
var segmentWriters [gzip.BestCompression + 1]sync.Pool

// segmentWriter returns a gzip writer at level (1..9) from
// segmentWriters, or a new one.
func segmentWriter(level int) (*gzip.Writer, error) {
	if level < gzip.BestSpeed || level > gzip.BestCompression {
		return gzip.NewWriterLevel(io.Discard, level) // its error
	}
	if zw, ok := segmentWriters[level].Get().(*gzip.Writer); ok {
		return zw, nil
	}
	return gzip.NewWriterLevel(io.Discard, level)
}

// putSegmentWriter gives a writer of segmentWriter back.
func putSegmentWriter(level int, zw *gzip.Writer) {
	if level >= gzip.BestSpeed && level <= gzip.BestCompression {
		segmentWriters[level].Put(zw)
	}
}

func (bd *build) event(ev snapshot.Event) error {
	if bd.last != 0 && ev.Timestamp < bd.last {
		bd.man.Input.Dropped++
		bd.warn.add("event out of order skipped")
		return nil
	}
	if !bd.begun {
		return bd.beforeStart(ev)
	}
	if d := time.Duration(ev.Timestamp-bd.start) * time.Millisecond; d > bd.cfg.MaxDuration {
		return fmt.Errorf("build bundle: %w: recording longer than %s", ErrTooLarge, bd.cfg.MaxDuration)
	}
	bd.keyframesBefore(ev.Timestamp)

	// A segment ends before the event that crosses a target.
	long := ev.Timestamp-bd.segStart >= bd.cfg.SegmentDuration.Milliseconds() &&
		(bd.cfg.SnapshotRatio < 0 || float64(bd.segRec) >= bd.cfg.SnapshotRatio*float64(bd.segSnap))
	if !bd.needFS && (long || bd.segN >= bd.cfg.SegmentEvents || bd.seg.Len() >= bd.cfg.SegmentBytes) {
		if err := bd.flush(); err != nil {
			return err
		}
		bd.segStart = ev.Timestamp
		if ev.Type == snapshot.EventMeta {
			bd.needFS = true // the recording's own Meta + FullSnapshot start it
		} else if err := bd.synthesize(ev.Timestamp, false); err != nil {
			return err
		}
	} else if bd.needFS && ev.Type != snapshot.EventFullSnapshot {
		bd.warn.add("meta without a full snapshot; state synthesized")
		if err := bd.synthesize(ev.Timestamp, true); err != nil {
			return err
		}
	}
	bd.needFS = bd.needFS && ev.Type == snapshot.EventMeta

	prevW, prevH := bd.m.Viewport()
	prevHref := bd.m.Href()
	if err := bd.m.Apply(&ev); err != nil {
		if errors.Is(err, ErrTooLarge) {
			return err
		}
		bd.man.Input.Dropped++
		bd.warn.add(fmt.Sprintf("%s event skipped: %s", ev.Kind(), errText(err)))
		return nil
	}
	bd.append(ev)
	bd.man.Events[ev.Kind()]++
	for _, f := range bd.m.FollowUps() {
		bd.append(f)
		bd.man.Events[f.Kind()]++
		bd.man.Input.Added++
	}
	at := ev.Timestamp - bd.start
	if w, h := bd.m.Viewport(); w != prevW || h != prevH {
		bd.man.Viewports = append(bd.man.Viewports, ViewportAt{at, w, h})
		bd.schedule(ev.Timestamp, "resize")
	}
	if ev.Type == snapshot.EventMeta && bd.m.Href() != prevHref {
		bd.man.Pages = append(bd.man.Pages, PageAt{at, bd.m.Href()})
		bd.navigated = true
	}
	if ev.Type == snapshot.EventFullSnapshot && bd.navigated {
		// The new page's DOM, not the old one under the new URL.
		bd.navigated = false
		bd.schedule(ev.Timestamp, "navigation")
	}
	return nil
}

// eachEvent calls f with each event of the recording in turn, and
// skipped with the warning of each element skipped, until the input ends
// (nil), f fails or ctx ends (checked every 256 events).
func eachEvent(ctx context.Context, dec *snapshot.EventDecoder, skipped func(string), f func(snapshot.Event) error) error {
	for {
		ev, skip, err := nextEvent(dec)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if skip != "" {
			skipped(skip)
			continue
		}
		if dec.Events()%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := f(ev); err != nil {
			return err
		}
	}
}

// nextEvent reads the next event of the recording: io.EOF after the last
// one; skip is the warning for an element dropped (malformed, over
// MaxEventBytes, or without the timestamp rrweb gives every event: it
// cannot be placed in time). Other errors end the recording.
func nextEvent(dec *snapshot.EventDecoder) (ev snapshot.Event, skip string, err error) {
	ev, err = dec.Next()
	var ee *snapshot.EventError
	switch {
	case err == io.EOF:
		return ev, "", err
	case errors.As(err, &ee) && errors.Is(err, snapshot.ErrTooLarge):
		return ev, "decode: event over MaxEventBytes skipped", nil
	case errors.As(err, &ee), err == nil && ev.Timestamp == 0:
		return ev, "decode: malformed event skipped", nil
	case err != nil:
		return ev, "", fromSnapshot("read recording", err)
	}
	return ev, "", nil
}

// errText is an error's last part, without the package prefixes nor the
// snapshot package's sentinel, for warnings.
func errText(err error) string {
	s := err.Error()
	for _, e := range []error{snapshot.ErrInvalid, snapshot.ErrUnsupported, snapshot.ErrTooLarge} {
		s = strings.TrimSuffix(s, ": "+e.Error())
	}
	if i := strings.LastIndex(s, ": "); i >= 0 && len(s)-i < 80 {
		return s[i+2:]
	}
	return s
}

// origin is where a recording's times count from: its first event, as in
// rrweb's player. That is its Meta event, unless the recorder started
// while the page loaded and the DomContentLoaded or Load events it emits
// then (at loaded, no state) came first, at most maxLoadLead before it.
func origin(loaded, meta int64) int64 {
	if loaded > 0 && loaded <= meta && meta-loaded <= maxLoadLead.Milliseconds() {
		return loaded
	}
	return meta
}

// maxLoadLead bounds how long before its Meta event a recording may start.
const maxLoadLead = time.Minute

// beforeStart handles events until the first Meta + FullSnapshot pair.
func (bd *build) beforeStart(ev snapshot.Event) error {
	switch ev.Type {
	case snapshot.EventDomContentLoaded, snapshot.EventLoad:
		// No state: the segments start at Meta; the times count from it.
		if bd.loaded == 0 {
			bd.loaded = ev.Timestamp
		}
		bd.man.Input.Dropped++
		return nil
	case snapshot.EventMeta:
		if err := bd.m.Apply(&ev); err != nil {
			bd.man.Input.Dropped++
			bd.warn.add("meta event skipped: " + errText(err))
			return nil
		}
		if bd.meta != nil {
			bd.man.Input.Dropped++
		}
		bd.meta = &ev
		bd.last = ev.Timestamp
		return nil
	case snapshot.EventFullSnapshot:
		if err := bd.m.Apply(&ev); err != nil {
			if errors.Is(err, ErrTooLarge) {
				return err
			}
			bd.man.Input.Dropped++
			bd.warn.add("fullSnapshot event skipped: " + errText(err))
			return nil
		}
		bd.begun = true
		meta := bd.meta
		if meta == nil {
			bd.warn.add("full snapshot without a Meta event; Meta synthesized")
			w, h := bd.m.Viewport()
			data, _ := marshal(map[string]any{"href": bd.m.Href(), "width": w, "height": h})
			meta = &snapshot.Event{Type: snapshot.EventMeta, Data: data, Timestamp: ev.Timestamp}
		}
		bd.start = origin(bd.loaded, meta.Timestamp)
		bd.segStart = meta.Timestamp
		bd.nextPeriodic = bd.start
		bd.man.StartTime = bd.start
		bd.man.Start = time.UnixMilli(bd.start).UTC().Format(time.RFC3339Nano)
		bd.append(*meta)
		bd.man.Events[meta.Kind()]++
		bd.append(ev)
		bd.man.Events[ev.Kind()]++
		w, h := bd.m.Viewport()
		at := meta.Timestamp - bd.start
		bd.man.Viewports = append(bd.man.Viewports, ViewportAt{at, w, h})
		bd.man.Pages = append(bd.man.Pages, PageAt{at, bd.m.Href()})
		bd.meta = nil
		return nil
	}
	bd.man.Input.Dropped++
	bd.warn.add("events before the first full snapshot dropped")
	return nil
}

func (bd *build) finish() (*Manifest, error) {
	bd.keyframesBefore(1 << 62)
	if err := bd.flush(); err != nil {
		return nil, err
	}
	bd.man.DurationMs = bd.last - bd.start
	poster := Keyframe{AtMs: bd.man.DurationMs, Reason: "poster"}
	if p := bd.cfg.PosterAt.Milliseconds(); p > 0 && p < bd.man.DurationMs {
		// The poster was shot on the way (see keyframesBefore).
		for _, k := range bd.man.Keyframes {
			if k.Reason == "poster" {
				poster = k
			}
		}
		kept := bd.man.Keyframes[:0]
		for _, k := range bd.man.Keyframes {
			if k.Reason != "poster" {
				kept = append(kept, k)
			}
		}
		bd.man.Keyframes = kept
	} else {
		poster = bd.shoot(poster, "poster")
	}
	bd.man.Poster = &poster
	if bd.fatal != nil {
		return nil, bd.fatal
	}
	for _, w := range bd.m.sanitizeWarnings() {
		bd.warn.add(w)
	}
	if n := bd.man.Assets.RemovedCount; n > 0 {
		bd.warn.add(fmt.Sprintf("replaced %d URLs that no stored asset stands for (assets.removed)", n))
	}
	bd.man.Warnings = bd.warn.list()
	data, err := bd.man.Encode()
	if err != nil {
		return nil, fmt.Errorf("write manifest: %w", err)
	}
	if err := bd.sink.Put(bd.ctx, "manifest.json", data, "application/json", ""); err != nil {
		return nil, fmt.Errorf("store manifest: %w", err)
	}
	return bd.man, nil
}
