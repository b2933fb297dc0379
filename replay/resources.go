package replay

import (
	"bytes"
	"context"
	"errors"
	"mime"
	"net/url"
	"strings"

	"github.com/kilnrender/kiln/snapshot"
)

// Resources given with the recording (Kiln replay JSON's "resources", the
// payloads of rrweb asset events: the decoder's snapshot.ResourceTable)
// win over fetching: asset capture looks a URL up there first and only
// then asks the Fetcher, and what it finds is stored content-addressed
// like a fetched asset (style sheets sanitized, their url()s captured the
// same way). Pictures (keyframes, the poster, `kiln replay --at`) get the
// stored assets their state references as the snapshot's Resources,
// which the renderer serves from memory, and the density the input gives
// (snapshot.EventDecoder.Viewport).

// errCaptureOff is why a URL is not captured when no Fetcher is
// configured and the recording does not carry it.
var errCaptureOff = errors.New("asset capture off")

// pictureAssetBase stands for the asset scheme in the snapshots pictures
// are rendered from: the renderer serves http(s) URLs from the snapshot's
// Resources, and a reference to an asset it was not given falls to its
// fetcher, where the reserved .invalid name never resolves.
const pictureAssetBase = "https://asset.kiln.invalid/"

// resourceSet is what a mirror's pictures need beyond its tree: the
// density the input gave, and the stored assets (by sha256) they may
// reference, held up to Limits.MaxResourceBytes (the bound of one
// snapshot's resources); past it pictures lack the rest, with a warning.
type resourceSet struct {
	dec      *snapshot.EventDecoder
	kept     map[string]snapshot.Resource // sha256 -> content type and bytes (URL unset)
	bytes    int64
	max      int64
	overWarn bool
	warn     func(string)
}

// useResources wires asset capture of bd's mirror to the recording's
// resources and bd's Fetcher, and keeps stored assets for pictures when
// keep is set.
func (bd *build) useResources(dec *snapshot.EventDecoder, keep bool) {
	rs := &resourceSet{dec: dec, kept: map[string]snapshot.Resource{}, max: bd.cfg.Limits.MaxResourceBytes, warn: bd.m.warn}
	bd.m.res = rs
	if keep {
		bd.sink = keepSink{bd.sink, rs}
	}
	bd.m.capture = func(u string) (string, string) {
		if bd.b.fetcher == nil {
			if _, ok := dec.Resources().Lookup(u); !ok {
				return "", errCaptureOff.Error() // as before: not a failed asset
			}
		}
		return bd.asset(u, 0)
	}
}

// has reports a resource the input gives for u.
func (rs *resourceSet) has(u string) bool {
	_, ok := rs.dec.Resources().Lookup(u)
	return ok
}

// fetch is asset capture's source: the recording's resources, then the
// Fetcher.
func (bd *build) fetch(u string) (contentType string, body []byte, err error) {
	if bd.m.res != nil {
		if r, ok := bd.m.res.dec.Resources().Lookup(u); ok {
			return r.ContentType, r.Data, nil
		}
	}
	if bd.b.fetcher == nil {
		return "", nil, errCaptureOff
	}
	return bd.b.fetcher.Fetch(bd.ctx, u)
}

// stateCapture gives a StateAt mirror the asset capture of Build (the
// recording's resources, then the Fetcher) with nothing written: the
// assets are only kept for the picture of the state.
func (b *Builder) stateCapture(ctx context.Context, m *Mirror, dec *snapshot.EventDecoder) {
	bd := &build{b: b, ctx: ctx, sink: discardSink{}, cfg: b.cfg, m: m, man: &Manifest{},
		assetByURL: map[string]assetResult{}, assetStore: map[string]bool{}, removedAt: map[string]int{}}
	bd.useResources(dec, true)
}

// discardSink drops what it is given.
type discardSink struct{}

func (discardSink) Put(context.Context, string, []byte, string, string) error { return nil }

// keepSink hands every file on and keeps the assets among them for
// pictures.
type keepSink struct {
	Sink
	rs *resourceSet
}

func (k keepSink) Put(ctx context.Context, name string, data []byte, contentType, contentEncoding string) error {
	if err := k.Sink.Put(ctx, name, data, contentType, contentEncoding); err != nil {
		return err
	}
	if sha, ok := strings.CutPrefix(name, "assets/"); ok {
		k.rs.keep(sha, contentType, data)
	}
	return nil
}

func (rs *resourceSet) keep(sha, contentType string, data []byte) {
	if _, ok := rs.kept[sha]; ok {
		return
	}
	if rs.bytes+int64(len(data)) > rs.max {
		if !rs.overWarn && rs.warn != nil {
			rs.overWarn = true
			rs.warn("assets over MaxResourceBytes are missing from pictures")
		}
		return
	}
	rs.kept[sha] = snapshot.Resource{ContentType: contentType, Data: data}
	rs.bytes += int64(len(data))
}

// override is the density the input gave, for ToSnapshot.
func (rs *resourceSet) override(o *snapshot.Override) {
	if rs == nil {
		return
	}
	v := rs.dec.Viewport()
	if v.DeviceScaleFactor > 0 {
		o.DPR = v.DeviceScaleFactor
	}
	if v.Mobile {
		o.Mobile = &v.Mobile
		if w, h, ok := phoneWindow(o.Width, o.Height, v.Width, v.Height); ok {
			o.Width, o.Height = w, h
		}
	}
}

// phoneWindow is the window a phone showed when the recorded one (w, h:
// rrweb's Meta and resizes, innerWidth and innerHeight) is the screen
// (sw, sh: the input's viewport size) scaled up: a page wider than the
// screen makes innerWidth its width and innerHeight in proportion, while
// the page is laid out and shown at the screen's width (measured in
// Chromium's mobile emulation: innerWidth 466, clientWidth 390). The
// screen turned with the phone counts too; a window of another shape or
// smaller than the screen is kept as recorded.
func phoneWindow(w, h, sw, sh int) (int, int, bool) {
	if sw <= 0 || sh <= 0 || w <= 0 || h <= 0 {
		return 0, 0, false
	}
	if (w > h) != (sw > sh) {
		sw, sh = sh, sw
	}
	if w < sw || h < sh || w == sw && h == sh {
		return 0, 0, false
	}
	// The same shape, within a pixel of rounding either way.
	if d := float64(w)*float64(sh) - float64(h)*float64(sw); d > float64(w+h) || -d > float64(w+h) {
		return 0, 0, false
	}
	return sw, sh, true
}

// attach points s's asset references at URLs the renderer serves and
// lists the kept assets they name as s.Resources. References are
// "kiln-asset:<sha256>" (rewritten to pictureAssetBase) or, with
// Config.AssetBaseURL, that base followed by the sha256.
func (rs *resourceSet) attach(s *snapshot.Snapshot, assetBase string) {
	if rs == nil || len(rs.kept) == 0 {
		return
	}
	s.HTML = bytes.ReplaceAll(s.HTML, []byte(assetScheme), []byte(pictureAssetBase))
	seen := map[string]bool{}
	for _, base := range []string{pictureAssetBase, assetBase} {
		if base == "" {
			continue
		}
		rest := s.HTML
		for {
			i := bytes.Index(rest, []byte(base))
			if i < 0 {
				break
			}
			rest = rest[i+len(base):]
			if len(rest) < 64 {
				break
			}
			sha := string(rest[:64])
			r, ok := rs.kept[sha]
			if !ok || seen[base+sha] {
				continue
			}
			seen[base+sha] = true
			r.URL = base + sha
			s.Resources = append(s.Resources, r)
		}
	}
}

// preferSuppliedSVG drops the rr_dataURL of the <img>s in a subtree just
// added whose src is an SVG the recording supplies: the recorder drew the
// image at its natural size into a bitmap, which a box of another shape
// stretches, where the SVG itself keeps its aspect ratio inside the box
// (preserveAspectRatio) and stays sharp at any density. The src is then
// captured like any other. (An <img> with a srcset keeps its bitmap: it
// is the candidate the browser showed, which the markup alone does not
// tell: Chromium prefers a larger candidate it already holds.) It reports
// whether it dropped any.
func (m *Mirror) preferSuppliedSVG(n *snapshot.Node) bool {
	if m.res == nil || m.res.dec == nil || m.res.dec.Resources().Len() == 0 {
		return false
	}
	base, err := url.Parse(m.href)
	if err != nil {
		return false
	}
	changed := false
	n.Walk(func(x *snapshot.Node) bool {
		if x.Type != snapshot.NodeElement || !strings.EqualFold(x.TagName, "img") {
			return true
		}
		if _, ok := x.Attributes["rr_dataURL"].(string); !ok {
			return true
		}
		supplied := func(ref string) (snapshot.Resource, bool) {
			u, err := url.Parse(trimURL(ref))
			if err != nil || u.String() == "" {
				return snapshot.Resource{}, false
			}
			return m.res.dec.Resources().Lookup(base.ResolveReference(u).String())
		}
		r, ok := supplied(x.Attr("src"))
		if mt, _, _ := mime.ParseMediaType(r.ContentType); ok && mt == "image/svg+xml" {
			delete(x.Attributes, "rr_dataURL")
			changed = true
		}
		return true
	})
	return changed
}
