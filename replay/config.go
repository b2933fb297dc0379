package replay

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kilnrender/kiln/snapshot"
)

// Errors. Every error Build, StateAt and ToSnapshot return wraps one of
// these (or the context's error); the text after it names the field or
// limit at fault and never quotes recorded content. An error that comes
// from the snapshot package (reading events, converting a state) wraps
// its snapshot sentinel too.
var (
	ErrInvalid     = errors.New("invalid recording")     // malformed input or configuration
	ErrUnsupported = errors.New("unsupported recording") // well-formed but not a format Kiln reads
	ErrTooLarge    = errors.New("recording too large")   // over a limit of Config
)

// fromSnapshot wraps an error of the snapshot package with the matching
// sentinel of this package: op names the step ("read recording").
func fromSnapshot(op string, err error) error {
	kind := ErrInvalid
	switch {
	case errors.Is(err, snapshot.ErrTooLarge):
		kind = ErrTooLarge
	case errors.Is(err, snapshot.ErrUnsupported):
		kind = ErrUnsupported
	}
	return fmt.Errorf("%s: %w: %w", op, kind, err)
}

// Config configures a Builder. Zero fields take the value of DefaultConfig.
type Config struct {
	// SegmentDuration is the target length of one segment. A segment ends
	// before the first event at or after this much time from its start
	// (once SnapshotRatio is met), or when SegmentEvents or SegmentBytes is
	// reached, whichever comes first. Each segment after the first starts
	// with a synthetic full snapshot: shorter segments let a player seek
	// loading less, at the cost of more snapshots.
	SegmentDuration time.Duration
	// SegmentEvents caps the events of one segment (recorded events, not
	// counting the synthetic ones at its start).
	SegmentEvents int
	// SegmentBytes caps the uncompressed JSON size of one segment.
	SegmentBytes int
	// SnapshotRatio keeps a segment from ending by SegmentDuration until
	// its recorded events weigh this many times the full snapshot it
	// starts with (bytes as written, large inline data moved into
	// assets): a new segment is worth its snapshot only when a player
	// seeking into it skips that much. The default 0.25 bounds what the
	// synthetic snapshots add to about four times the recorded events.
	// Negative disables it.
	SnapshotRatio float64
	// GzipLevel is the compression level of segments and of the style
	// sheets moved into assets (1..9). The default 6 makes bundles 0.4%
	// larger than 9 on the corpus recordings, for a third less CPU time.
	GzipLevel int
	// RecompressImages, unless negative, re-encodes the PNG images that
	// inline data held (rrweb's rr_dataURL: fast, loose PNGs) losslessly
	// before storing them: the same pixels in about two thirds of the
	// bytes, for CPU time (once per image and Builder; see recompress.go).
	RecompressImages int

	// Limits bound the recording as the snapshot package reads it:
	// MaxRecordingBytes the bytes read (before packed events are
	// inflated), MaxEvents the events, MaxEventBytes one event (packed and
	// inflated); MaxNodes the nodes alive in the mirrored DOM at any time
	// and MaxDepth its element nesting; and every keyframe snapshot, as
	// for snapshot.FromNode. Zero fields take snapshot.DefaultLimits.
	Limits snapshot.Limits
	// MaxDuration bounds the time between the first and the last event.
	MaxDuration time.Duration

	// KeyframeInterval is the spacing of filmstrip keyframes; keyframes are
	// also taken after each navigation and each viewport resize. Negative
	// means no periodic keyframes.
	KeyframeInterval time.Duration
	// KeyframeMinGap drops a keyframe closer than this to the previous one.
	KeyframeMinGap time.Duration
	// MaxKeyframes bounds the filmstrip (each keyframe is one render).
	MaxKeyframes int
	// PosterAt is the offset from the first event of the poster picture;
	// zero or negative means the end of the recording.
	PosterAt time.Duration

	// MaskSelectors are simple CSS selectors (tag, .class, #id, [attr],
	// [attr=value], compounds of these, comma lists) whose elements have
	// their text and input values replaced by same-length placeholders.
	// Elements with class rr-mask are always masked.
	MaskSelectors []string
	// BlockSelectors are simple selectors whose elements are reduced to an
	// empty box of their recorded size. Class rr-block always blocks.
	BlockSelectors []string

	// AssetBaseURL, when set, is the absolute URL under which the bundle's
	// assets/ folder is served (ending in "/"); events then reference
	// assets as AssetBaseURL+sha256. When empty, events reference them as
	// "kiln-asset:"+sha256 and the player substitutes the base.
	AssetBaseURL string
	// Timeline, when set, goes into the manifest's timeline field: where
	// the feedback item's timeline can be read.
	Timeline string
	// MaxAssets bounds the number of distinct asset URLs fetched.
	MaxAssets int
	// MaxAssetBytes bounds one fetched asset; larger ones are left at their
	// original URL and listed as failed.
	MaxAssetBytes int
}

// DefaultConfig returns the defaults: 5 s segments, a keyframe every 5 s,
// the snapshot package's limits and six hours of recording.
func DefaultConfig() Config {
	return Config{
		SegmentDuration:  5 * time.Second,
		SegmentEvents:    20000,
		SegmentBytes:     8 << 20,
		SnapshotRatio:    0.25,
		GzipLevel:        6,
		Limits:           snapshot.DefaultLimits(),
		MaxDuration:      6 * time.Hour,
		KeyframeInterval: 5 * time.Second,
		KeyframeMinGap:   time.Second,
		MaxKeyframes:     60,
		MaxAssets:        500,
		MaxAssetBytes:    16 << 20,
	}
}

// withDefaults fills zero fields from DefaultConfig.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.SegmentDuration == 0 {
		c.SegmentDuration = d.SegmentDuration
	}
	if c.SegmentEvents == 0 {
		c.SegmentEvents = d.SegmentEvents
	}
	if c.SegmentBytes == 0 {
		c.SegmentBytes = d.SegmentBytes
	}
	if c.SnapshotRatio == 0 {
		c.SnapshotRatio = d.SnapshotRatio
	}
	if c.GzipLevel == 0 {
		c.GzipLevel = d.GzipLevel
	}
	c.Limits = c.Limits.WithDefaults()
	if c.MaxDuration == 0 {
		c.MaxDuration = d.MaxDuration
	}
	if c.KeyframeInterval == 0 {
		c.KeyframeInterval = d.KeyframeInterval
	}
	if c.KeyframeMinGap == 0 {
		c.KeyframeMinGap = d.KeyframeMinGap
	}
	if c.MaxKeyframes == 0 {
		c.MaxKeyframes = d.MaxKeyframes
	}
	if c.MaxAssets == 0 {
		c.MaxAssets = d.MaxAssets
	}
	if c.MaxAssetBytes == 0 {
		c.MaxAssetBytes = d.MaxAssetBytes
	}
	return c
}

// Validate reports every invalid field at once, wrapping ErrInvalid.
// Zero fields are valid (they take defaults).
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("validate config: %w: "+format, append([]any{ErrInvalid}, args...)...))
	}
	if c.SegmentDuration < 0 {
		bad("SegmentDuration must not be negative")
	}
	if c.SegmentEvents < 0 || c.SegmentBytes < 0 {
		bad("SegmentEvents and SegmentBytes must not be negative")
	}
	if c.GzipLevel < 0 || c.GzipLevel > 9 {
		bad("GzipLevel must be 1..9")
	}
	l := c.Limits
	if l.MaxRecordingBytes < 0 || l.MaxEvents < 0 || l.MaxEventBytes < 0 || l.MaxNodes < 0 || l.MaxDepth < 0 || c.MaxDuration < 0 {
		bad("limits must not be negative")
	}
	if c.KeyframeMinGap < 0 || c.MaxKeyframes < 0 || c.MaxAssets < 0 || c.MaxAssetBytes < 0 {
		bad("keyframe and asset limits must not be negative")
	}
	for _, s := range c.MaskSelectors {
		if _, err := parseSelector(s); err != nil {
			bad("MaskSelectors: %v", err)
		}
	}
	for _, s := range c.BlockSelectors {
		if _, err := parseSelector(s); err != nil {
			bad("BlockSelectors: %v", err)
		}
	}
	if c.AssetBaseURL != "" && !strings.HasSuffix(c.AssetBaseURL, "/") {
		bad("AssetBaseURL must end in /")
	}
	return errors.Join(errs...)
}
