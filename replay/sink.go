package replay

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kilnrender/kiln/snapshot"
)

// Shooter renders one page state to a picture (satisfied by an adapter
// around the renderer). Image is the full-size picture (WebP normally),
// Thumb an optional small one.
type Shooter interface {
	Shoot(ctx context.Context, s *snapshot.Snapshot) (*Picture, error)
}

// Picture is a rendered state.
type Picture struct {
	Image            []byte
	ContentType      string // of Image, e.g. "image/webp"
	Width, Height    int    // image pixels
	Thumb            []byte // optional
	ThumbContentType string
	// Warnings are what the renderer reported (resources still loading at
	// capture, a cut page); `kiln replay --at` prints them.
	Warnings []string
}

// Fetcher fetches one subresource by absolute URL (satisfied by an adapter
// around the renderer's safe fetcher, which refuses private addresses).
type Fetcher interface {
	Fetch(ctx context.Context, url string) (contentType string, body []byte, err error)
}

// Sink stores one bundle file under a slash-separated relative name
// ("manifest.json", "segments/000.json.gz", "assets/<sha256>").
// contentEncoding is "gzip" for segments, "" otherwise. Put must not
// keep data after it returns: the builder writes its next segments, and
// later builds, into the same memory.
type Sink interface {
	Put(ctx context.Context, name string, data []byte, contentType, contentEncoding string) error
}

// DirSink writes a bundle into a directory.
type DirSink struct{ Dir string }

// Put writes name under the directory, creating folders as needed.
func (d DirSink) Put(ctx context.Context, name string, data []byte, contentType, contentEncoding string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, "..") || strings.Contains(name, `\`) {
		return fmt.Errorf("write bundle file: %w: bad name %q", ErrInvalid, name)
	}
	p := filepath.Join(d.Dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("write bundle file: %w", err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return fmt.Errorf("write bundle file: %w", err)
	}
	return nil
}

// ToSnapshot turns the mirror's current state into a normalized snapshot
// (snapshot.FromNode on the live tree, under Config.Limits) with the
// recorded window, scroll and page URL, the density the input gave
// (Kiln replay JSON's viewport, a Gleap body's devicePixelRatio), and
// the stored assets the state references as its Resources (their
// references pointed at URLs the renderer serves from them; see
// resources.go): what keyframes, the poster and `kiln replay --at` hand
// to the Shooter. The mirror is only read.
func ToSnapshot(m *Mirror) (*snapshot.Snapshot, error) {
	if m.doc == nil {
		return nil, fmt.Errorf("convert state: %w: %w", ErrInvalid, errNoSnapshot)
	}
	x, y := m.Scroll()
	w, h := m.Viewport()
	ov := snapshot.Override{Width: w, Height: h, ScrollX: &x, ScrollY: &y}
	m.res.override(&ov)
	if strings.HasPrefix(m.href, "http://") || strings.HasPrefix(m.href, "https://") {
		ov.URL = m.href
	}
	var s *snapshot.Snapshot
	err := m.withFontFaces(func() error {
		return m.withResponsiveImages(func() error {
			return m.withPointer(func() error {
				return m.withSelection(func() error {
					return m.withMedia(func() (err error) {
						s, err = snapshot.FromNode(m.doc, snapshot.Options{Override: ov, Mask: m.cfg.MaskSelectors, Limits: m.cfg.Limits, Sprite: m.storedSprite, Defined: m.definedSet})
						return err
					})
				})
			})
		})
	})
	if err != nil {
		return nil, fromSnapshot("convert state", err)
	}
	m.res.attach(s, m.cfg.AssetBaseURL)
	return s, nil
}
