package replay

import (
	"strings"

	"github.com/kilnrender/kiln/snapshot"
)

// storedSprite finds the stored SVG asset a picture's <use> references
// (kiln-asset:<sha256>, or the asset base URL and it), for the snapshot
// conversion, which inlines sprites (snapshot's sprite.go: a browser draws
// an external <use> reference only from the document's own origin, which
// a picture's document does not have). rrweb's player (Kiln's player and
// videos) loads the file as the page did.
func (m *Mirror) storedSprite(ref string) (snapshot.Resource, bool) {
	sha, ok := strings.CutPrefix(ref, assetScheme)
	if !ok && m.cfg.AssetBaseURL != "" {
		sha, ok = strings.CutPrefix(ref, m.cfg.AssetBaseURL)
	}
	if !ok || len(sha) != 64 || m.res == nil {
		return snapshot.Resource{}, false
	}
	r, ok := m.res.kept[sha]
	return r, ok
}
