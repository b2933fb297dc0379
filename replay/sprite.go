package replay

import (
	"strings"

	"github.com/kilnrender/kiln/snapshot"
)

// SVG sprites (see the snapshot package's sprite.go: a browser draws an
// external <use> reference only from the document's own origin, which a
// picture's document does not have). A picture's sprites are stored
// assets, which snapshot conversion does not see, so the mirror inlines
// them itself for the time of the conversion (snapshot.SpriteNode), whose
// rules then sanitize the copy like the rest of the page. rrweb's player
// (Kiln's player and videos) loads the file as the page did.

// Bounds of the sprites inlined into one picture (as the snapshot
// package's for a document).
const (
	maxSprites        = 32
	maxSpriteBytes    = 4 << 20
	maxSpriteElements = 20000
)

// withSprites inlines the sprite files the document's <use> elements
// reference (stored SVG assets with a fragment) for the time of f.
func (m *Mirror) withSprites(f func() error) error {
	if m.res == nil || len(m.res.kept) == 0 {
		return f()
	}
	type was struct {
		n    *snapshot.Node
		k, v string
	}
	var restore []was
	sprites := map[string]string{} // sha256 -> the prefix of its ids
	var order []string
	size := 0
	m.doc.Walk(func(x *snapshot.Node) bool {
		if x.Type != snapshot.NodeElement || x.TagName != "use" {
			return true
		}
		for _, k := range []string{"href", "xlink:href"} {
			v, _ := x.Attributes[k].(string)
			ref, ok := strings.CutPrefix(v, assetScheme)
			if !ok && m.cfg.AssetBaseURL != "" {
				ref, ok = strings.CutPrefix(v, m.cfg.AssetBaseURL)
			}
			sha, frag, hasFrag := strings.Cut(ref, "#")
			if !ok || !hasFrag || frag == "" || len(sha) != 64 {
				continue
			}
			r, kept := m.res.kept[sha]
			if !kept || !strings.HasPrefix(r.ContentType, "image/svg+xml") {
				continue
			}
			prefix, seen := sprites[sha]
			if !seen {
				if len(order) == maxSprites || size+len(r.Data) > maxSpriteBytes {
					continue
				}
				size += len(r.Data)
				// Its ids are the sprite's own: neither another sprite's
				// nor the page's can take a reference.
				prefix = "kiln-sprite-" + sha[:12] + "-"
				sprites[sha] = prefix
				order = append(order, sha)
			}
			restore = append(restore, was{x, k, v})
			x.Attributes[k] = "#" + prefix + frag
		}
		return true
	})
	if len(order) == 0 {
		return f()
	}
	defer func() {
		for _, r := range restore {
			r.n.Attributes[r.k] = r.v
		}
	}()
	host := m.body()
	if host == nil {
		return f()
	}
	budget := maxSpriteElements
	var kids []*snapshot.Node
	for _, sha := range order {
		if n := snapshot.SpriteNode(m.res.kept[sha].Data, sprites[sha], &budget); n != nil {
			kids = append(kids, n)
		}
	}
	old := host.ChildNodes
	host.ChildNodes = append(old[:len(old):len(old)], kids...)
	defer func() { host.ChildNodes = old }()
	return f()
}

// body is the document's <body>, else its <head> or <html>, else nil.
func (m *Mirror) body() *snapshot.Node {
	h := m.head()
	if h == nil || !strings.EqualFold(h.TagName, "head") {
		return h
	}
	for _, c := range m.parents[h].ChildNodes {
		if c != nil && c.Type == snapshot.NodeElement && strings.EqualFold(c.TagName, "body") {
			return c
		}
	}
	return h
}
