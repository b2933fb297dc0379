package replay

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/url"
	"strings"
	"time"

	"github.com/kilnrender/kiln/snapshot"
)

// Bundle format.
const (
	BundleFormat  = "kiln-replay"
	BundleVersion = 1
	// assetScheme prefixes the sha256 of a stored asset in events when
	// Config.AssetBaseURL is empty; a player replaces it by the URL of the
	// bundle's assets/ folder.
	assetScheme = "kiln-asset:"
)

// Manifest describes a bundle (manifest.json). Times ending in Ms are
// milliseconds from StartTime.
type Manifest struct {
	Format     string         `json:"format"`
	Version    int            `json:"version"`
	Input      InputInfo      `json:"input"`
	StartTime  int64          `json:"startTime"` // Unix ms of the first kept event
	Start      string         `json:"start"`     // StartTime in RFC 3339
	DurationMs int64          `json:"durationMs"`
	Viewports  []ViewportAt   `json:"viewports"`
	Pages      []PageAt       `json:"pages"`
	Events     map[string]int `json:"events"` // recorded events kept, by kind
	Segments   []Segment      `json:"segments"`
	Keyframes  []Keyframe     `json:"keyframes"`
	Poster     *Keyframe      `json:"poster,omitempty"`
	Assets     Assets         `json:"assets"`
	Warnings   []string       `json:"warnings"`
}

// InputInfo describes what was read.
type InputInfo struct {
	Format  string `json:"format"` // "rrweb" or "gleap" (snapshot.SourceRRWeb, SourceGleap)
	Bytes   int64  `json:"bytes"`
	Events  int    `json:"events"`  // events read
	Dropped int    `json:"dropped"` // events not in the bundle
}

// ViewportAt is a window size from AtMs on.
type ViewportAt struct {
	AtMs   int64 `json:"atMs"`
	Width  int   `json:"width"`
	Height int   `json:"height"`
}

// PageAt is a page visited from AtMs on.
type PageAt struct {
	AtMs int64  `json:"atMs"`
	Href string `json:"href"`
}

// Segment is one gzip-compressed JSON array of rrweb events covering
// [StartMs, EndMs]. It starts with a Meta and a FullSnapshot (Synthetic
// when Kiln built them from the state at StartMs), so a player can start
// at any segment.
type Segment struct {
	Name      string `json:"name"`
	StartMs   int64  `json:"startMs"`
	EndMs     int64  `json:"endMs"`
	Events    int    `json:"events"`    // recorded events in the segment
	Synthetic int    `json:"synthetic"` // events Kiln added at its start
	Bytes     int    `json:"bytes"`     // compressed
	RawBytes  int    `json:"rawBytes"`  // JSON before compression
	SHA256    string `json:"sha256"`    // of the compressed bytes
	Encoding  string `json:"encoding"`  // "gzip"
}

// Keyframe is a picture of the state at AtMs. Image is empty when no
// Shooter was configured or the render failed (see warnings).
type Keyframe struct {
	AtMs        int64  `json:"atMs"`
	Reason      string `json:"reason"` // "start", "interval", "navigation", "resize", "poster"
	Image       string `json:"image,omitempty"`
	ContentType string `json:"contentType,omitempty"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
	Thumb       string `json:"thumb,omitempty"`
	SHA256      string `json:"sha256,omitempty"`
}

// Assets lists stored subresources.
type Assets struct {
	// Base is Config.AssetBaseURL; when empty, events reference assets as
	// Scheme+sha256 and a player substitutes the URL of assets/.
	Base   string        `json:"base,omitempty"`
	Scheme string        `json:"scheme,omitempty"`
	Items  []Asset       `json:"items"`
	Failed []FailedAsset `json:"failed"`
}

// Asset maps an original URL to its stored copy assets/<Name>.
type Asset struct {
	URL         string `json:"url"`
	Name        string `json:"name"` // sha256 hex of the stored bytes
	ContentType string `json:"contentType"`
	Bytes       int    `json:"bytes"`
}

// FailedAsset is a URL left as recorded.
type FailedAsset struct {
	URL    string `json:"url"`
	Reason string `json:"reason"`
}

// Builder turns recordings into bundles. Shooter and Fetcher may be nil:
// then no pictures are rendered (keyframes are listed without images) and
// no assets are fetched (events keep their URLs).
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

// warnings collects deduplicated warnings with counts.
type warnings struct {
	order []string
	count map[string]int
}

func (w *warnings) add(s string) {
	if w.count == nil {
		w.count = make(map[string]int)
	}
	if _, ok := w.count[s]; !ok {
		if len(w.order) >= 100 {
			return
		}
		w.order = append(w.order, s)
	}
	w.count[s]++
}

func (w *warnings) list() []string {
	out := make([]string, 0, len(w.order))
	for _, s := range w.order {
		if n := w.count[s]; n > 1 {
			s = fmt.Sprintf("%s (%d times)", s, n)
		}
		out = append(out, s)
	}
	return out
}

type pendingKeyframe struct {
	at     int64 // absolute ms
	reason string
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

	assetByURL map[string]string // URL -> reference
	assetStore map[string]bool   // sha256 stored
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
			Assets: Assets{Base: b.cfg.AssetBaseURL, Items: []Asset{}, Failed: []FailedAsset{}}},
		assetByURL: map[string]string{}, assetStore: map[string]bool{}, lastShot: -1 << 62}
	if b.cfg.AssetBaseURL == "" {
		bd.man.Assets.Scheme = assetScheme
	}
	m, err := NewMirror(b.cfg, bd.warn.add)
	if err != nil {
		return nil, err
	}
	if b.fetcher != nil {
		m.assetURL = func(u string) string { return bd.asset(u, 0) }
	}
	bd.m = m
	gz, err := gzip.NewWriterLevel(&bd.gzBuf, b.cfg.GzipLevel)
	if err != nil {
		return nil, fmt.Errorf("build bundle: %w: %v", ErrInvalid, err)
	}
	bd.gz = gz

	dec := snapshot.NewEventDecoder(r, b.cfg.Limits)
	for {
		ev, skip, err := nextEvent(dec)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if skip != "" {
			bd.man.Input.Dropped++
			bd.warn.add(skip)
			continue
		}
		if dec.Events()%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if err := bd.event(ev); err != nil {
			return nil, err
		}
		if bd.fatal != nil {
			return nil, bd.fatal
		}
	}
	bd.man.Input.Format = string(dec.Format())
	bd.man.Input.Bytes = dec.BytesRead()
	bd.man.Input.Events = dec.Events()
	if !bd.begun {
		return nil, fmt.Errorf("build bundle: %w: no Meta and FullSnapshot events", ErrInvalid)
	}
	return bd.finish()
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

// beforeStart handles events until the first Meta + FullSnapshot pair.
func (bd *build) beforeStart(ev snapshot.Event) error {
	switch ev.Type {
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
		bd.start = meta.Timestamp
		bd.segStart = meta.Timestamp
		bd.nextPeriodic = bd.start
		bd.man.StartTime = bd.start
		bd.man.Start = time.UnixMilli(bd.start).UTC().Format(time.RFC3339Nano)
		bd.append(*meta)
		bd.man.Events[meta.Kind()]++
		bd.append(ev)
		bd.man.Events[ev.Kind()]++
		w, h := bd.m.Viewport()
		bd.man.Viewports = append(bd.man.Viewports, ViewportAt{0, w, h})
		bd.man.Pages = append(bd.man.Pages, PageAt{0, bd.m.Href()})
		bd.meta = nil
		return nil
	}
	bd.man.Input.Dropped++
	bd.warn.add("events before the first full snapshot dropped")
	return nil
}

// append adds a recorded event to the current segment.
func (bd *build) append(ev snapshot.Event) {
	if ev.Type == snapshot.EventFullSnapshot {
		bd.segSnap = len(ev.Data)
	} else {
		bd.segRec += len(ev.Data)
	}
	bd.appendRaw(ev)
	bd.segN++
	bd.last = ev.Timestamp
}

func (bd *build) appendRaw(ev snapshot.Event) {
	if bd.seg.Len() == 0 {
		bd.seg.WriteByte('[')
	} else {
		bd.seg.WriteByte(',')
	}
	bd.seg.Write(ev.AppendJSON(bd.seg.AvailableBuffer()))
	bd.segLast = ev.Timestamp
}

// synthesize starts the segment with the mirror's state (without its Meta
// when the segment already has the recorded one).
func (bd *build) synthesize(ts int64, skipMeta bool) error {
	evs, err := bd.m.FullSnapshot(ts)
	if err != nil {
		return err
	}
	if skipMeta {
		evs = evs[1:]
	}
	for _, e := range evs {
		if e.Type == snapshot.EventFullSnapshot {
			bd.segSnap = len(e.Data)
		}
		bd.appendRaw(e)
	}
	bd.segSynth += len(evs)
	return nil
}

// flush compresses and stores the current segment.
func (bd *build) flush() error {
	if bd.seg.Len() == 0 {
		return nil
	}
	bd.seg.WriteByte(']')
	bd.gzBuf.Reset()
	bd.gz.Reset(&bd.gzBuf)
	if _, err := bd.gz.Write(bd.seg.Bytes()); err != nil {
		return fmt.Errorf("compress segment: %w", err)
	}
	if err := bd.gz.Close(); err != nil {
		return fmt.Errorf("compress segment: %w", err)
	}
	data := bd.gzBuf.Bytes()
	sum := sha256.Sum256(data)
	s := Segment{
		Name:      fmt.Sprintf("segments/%03d.json.gz", len(bd.man.Segments)),
		StartMs:   bd.segStart - bd.start,
		EndMs:     bd.segLast - bd.start,
		Events:    bd.segN,
		Synthetic: bd.segSynth,
		Bytes:     len(data),
		RawBytes:  bd.seg.Len(),
		SHA256:    hex.EncodeToString(sum[:]),
		Encoding:  "gzip",
	}
	if err := bd.sink.Put(bd.ctx, s.Name, data, "application/json", "gzip"); err != nil {
		return fmt.Errorf("store segment: %w", err)
	}
	bd.man.Segments = append(bd.man.Segments, s)
	bd.seg.Reset()
	bd.segN, bd.segSynth, bd.segSnap, bd.segRec = 0, 0, 0, 0
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
		// The poster was shot on the way (see schedulePoster).
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
	bd.man.Warnings = bd.warn.list()
	data, err := marshalIndent(bd.man)
	if err != nil {
		return nil, fmt.Errorf("write manifest: %w", err)
	}
	if err := bd.sink.Put(bd.ctx, "manifest.json", data, "application/json", ""); err != nil {
		return nil, fmt.Errorf("store manifest: %w", err)
	}
	return bd.man, nil
}

// schedule asks for a keyframe of the state once every event at or before
// at (absolute ms) has been applied. Events come in time order, so the
// list stays sorted; it is bounded like the keyframes themselves.
func (bd *build) schedule(at int64, reason string) {
	if len(bd.kfPending) < bd.cfg.MaxKeyframes {
		bd.kfPending = append(bd.kfPending, pendingKeyframe{at, reason})
	}
}

// keyframesBefore takes the keyframes due before an event at ts (the
// mirror then holds the state at those times): periodic ones, the poster
// when PosterAt is set, and those scheduled at navigations and resizes.
func (bd *build) keyframesBefore(ts int64) {
	for {
		at, reason := int64(1<<62), ""
		periodic := bd.cfg.KeyframeInterval > 0 && bd.shots < bd.cfg.MaxKeyframes && bd.nextPeriodic <= bd.last
		if periodic {
			at, reason = bd.nextPeriodic, "interval"
			if at == bd.start {
				reason = "start"
			}
		}
		if p := bd.cfg.PosterAt.Milliseconds(); p > 0 && !bd.posterDone && bd.start+p <= bd.last && bd.start+p < at {
			at, reason = bd.start+p, "poster"
		}
		if len(bd.kfPending) > 0 && bd.kfPending[0].at < at {
			at, reason = bd.kfPending[0].at, bd.kfPending[0].reason
		}
		if reason == "" || at >= ts {
			return
		}
		switch {
		case reason == "poster":
			bd.posterDone = true
		case reason == "interval" || reason == "start":
			bd.nextPeriodic += bd.cfg.KeyframeInterval.Milliseconds()
			if at-bd.lastShot < bd.cfg.KeyframeMinGap.Milliseconds() {
				continue
			}
		default:
			bd.kfPending = bd.kfPending[1:]
		}
		if reason != "poster" {
			if bd.shots >= bd.cfg.MaxKeyframes {
				bd.warn.add("keyframes over MaxKeyframes dropped")
				continue
			}
			bd.lastShot = at
			bd.shots++
		}
		name := ""
		if reason == "poster" {
			name = "poster"
		}
		kf := bd.shoot(Keyframe{AtMs: at - bd.start, Reason: reason}, name)
		bd.man.Keyframes = append(bd.man.Keyframes, kf)
	}
}

// shoot renders the mirror's state through the Shooter and stores it;
// failures become warnings. name is the file stem ("" = keyframes/<ms>).
func (bd *build) shoot(kf Keyframe, name string) Keyframe {
	if bd.b.shooter == nil {
		if !bd.pictureWarn {
			bd.pictureWarn = true
			bd.warn.add("pictures skipped: no renderer configured")
		}
		return kf
	}
	if bd.ctx.Err() != nil {
		return kf
	}
	snap, err := ToSnapshot(bd.m)
	if err != nil {
		bd.warn.add("picture skipped: " + errText(err))
		return kf
	}
	pic, err := bd.b.shooter.Shoot(bd.ctx, snap)
	if err != nil || pic == nil || len(pic.Image) == 0 {
		bd.warn.add("picture failed")
		return kf
	}
	if name == "" {
		name = fmt.Sprintf("keyframes/%07d", kf.AtMs)
	}
	kf.Image = name + extension(pic.ContentType)
	kf.ContentType = pic.ContentType
	kf.Width, kf.Height = pic.Width, pic.Height
	sum := sha256.Sum256(pic.Image)
	kf.SHA256 = hex.EncodeToString(sum[:])
	if err := bd.sink.Put(bd.ctx, kf.Image, pic.Image, pic.ContentType, ""); err != nil {
		bd.fatal = fmt.Errorf("store picture: %w", err)
		return kf
	}
	if len(pic.Thumb) > 0 {
		kf.Thumb = name + "-thumb" + extension(pic.ThumbContentType)
		if err := bd.sink.Put(bd.ctx, kf.Thumb, pic.Thumb, pic.ThumbContentType, ""); err != nil {
			bd.fatal = fmt.Errorf("store picture: %w", err)
		}
	}
	return kf
}

func extension(contentType string) string {
	switch strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0]) {
	case "image/webp":
		return ".webp"
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	}
	return ""
}

// asset fetches u once, stores it content-addressed and returns the
// reference events use; failures keep u and are listed in the manifest.
func (bd *build) asset(u string, depth int) string {
	if ref, ok := bd.assetByURL[u]; ok {
		return ref
	}
	fail := func(reason string) string {
		bd.assetByURL[u] = u
		bd.man.Assets.Failed = append(bd.man.Assets.Failed, FailedAsset{URL: u, Reason: reason})
		return u
	}
	if len(bd.assetByURL) >= bd.cfg.MaxAssets {
		return fail("over MaxAssets")
	}
	if bd.ctx.Err() != nil {
		return fail("cancelled")
	}
	bd.assetByURL[u] = u // a stylesheet that imports itself ends here
	ct, body, err := bd.b.fetcher.Fetch(bd.ctx, u)
	if err != nil {
		return fail(errText(err))
	}
	if len(body) > bd.cfg.MaxAssetBytes {
		return fail(fmt.Sprintf("larger than %d bytes", bd.cfg.MaxAssetBytes))
	}
	if mt, _, _ := mime.ParseMediaType(ct); mt == "text/css" && depth < 2 {
		base, _ := url.Parse(u)
		body = []byte(rewriteCSSURLs(string(body), func(ref string) string {
			r, err := url.Parse(strings.TrimSpace(ref))
			if err != nil || strings.HasPrefix(ref, "data:") || strings.HasPrefix(ref, "#") {
				return ref
			}
			abs := base.ResolveReference(r)
			if abs.Scheme != "http" && abs.Scheme != "https" {
				return ref
			}
			return bd.asset(abs.String(), depth+1)
		}))
	}
	sum := sha256.Sum256(body)
	name := hex.EncodeToString(sum[:])
	if !bd.assetStore[name] {
		if err := bd.sink.Put(bd.ctx, "assets/"+name, body, ct, ""); err != nil {
			bd.fatal = fmt.Errorf("store asset: %w", err)
			return u
		}
		bd.assetStore[name] = true
	}
	ref := bd.cfg.AssetBaseURL + name
	if bd.cfg.AssetBaseURL == "" {
		ref = assetScheme + name
	}
	bd.assetByURL[u] = ref
	bd.man.Assets.Items = append(bd.man.Assets.Items, Asset{URL: u, Name: name, ContentType: ct, Bytes: len(body)})
	return ref
}

// StateAt replays the recording up to at after its first kept event and
// returns the mirror holding that state (privacy rules applied), with the
// warnings met on the way. Render it with ToSnapshot and a Shooter, the
// same path keyframes take.
func (b *Builder) StateAt(ctx context.Context, r io.Reader, at time.Duration) (*Mirror, []string, error) {
	var w warnings
	m, err := NewMirror(b.cfg, w.add)
	if err != nil {
		return nil, nil, err
	}
	dec := snapshot.NewEventDecoder(r, b.cfg.Limits)
	var start, last int64
	started := false
	for {
		ev, skip, err := nextEvent(dec)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		if skip != "" {
			w.add(skip)
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if last != 0 && ev.Timestamp < last {
			w.add("event out of order skipped")
			continue
		}
		if !started {
			if ev.Type == snapshot.EventMeta {
				start = ev.Timestamp
			}
			if ev.Type != snapshot.EventMeta && ev.Type != snapshot.EventFullSnapshot {
				continue
			}
			if ev.Type == snapshot.EventFullSnapshot && start == 0 {
				start = ev.Timestamp
			}
		} else if ev.Timestamp > start+at.Milliseconds() {
			break
		}
		if err := m.Apply(&ev); err != nil {
			if errors.Is(err, ErrTooLarge) {
				return nil, nil, err
			}
			w.add(fmt.Sprintf("%s event skipped: %s", ev.Kind(), errText(err)))
			continue
		}
		last = ev.Timestamp
		started = started || m.Ready()
	}
	if !m.Ready() {
		return nil, nil, fmt.Errorf("replay to a moment: %w: no Meta and FullSnapshot events", ErrInvalid)
	}
	return m, w.list(), nil
}
