package replay

import (
	"strings"

	"github.com/kilnrender/kiln/snapshot"
)

// Responsive images. rrweb inlines an <img> as a bitmap of the candidate
// the browser showed (rr_dataURL), which a picture shows in place of its
// srcset. That is exact at the window the bitmap was drawn at, where the
// markup alone cannot tell which candidate was shown (Chromium prefers a
// larger one it already holds). After the window changed size, though,
// the live page laid the image out again by its sizes (90vw of the new
// width, say) while the bitmap keeps its old size and moves everything
// around it. So a picture taken at another window width than the bitmap
// lets srcset and sizes choose among the candidates that are stored.

// noteInlined remembers the window width at which n, an <img> with a
// bitmap and a srcset, got its bitmap.
func (m *Mirror) noteInlined(n *snapshot.Node) {
	if n.Type != snapshot.NodeElement || !strings.EqualFold(n.TagName, "img") {
		return
	}
	if _, ok := n.Attributes["rr_dataURL"].(string); !ok || n.Attr("srcset") == "" {
		delete(m.inlinedAt, n)
		return
	}
	m.inlinedAt[n] = m.width
}

// withResponsiveImages takes the bitmaps off the <img>s drawn at another
// window width than the mirror's, for the time of f, leaving them the
// srcset candidates that are stored assets (the ones the live page
// loaded; it had no need of the others so far) when there is one.
func (m *Mirror) withResponsiveImages(f func() error) error {
	type was struct {
		n              *snapshot.Node
		bitmap, srcset any
	}
	var restore []was
	for n, w := range m.inlinedAt {
		if w == m.width || m.nodes[n.ID] != n {
			continue
		}
		srcset, stored := snapshot.FilterSrcset(n.Attr("srcset"), m.isAssetRef)
		if src := n.Attr("src"); stored == 0 || src != "" && !m.isAssetRef(src) && src != snapshot.NeutralURL {
			continue
		}
		restore = append(restore, was{n, n.Attributes["rr_dataURL"], n.Attributes["srcset"]})
		delete(n.Attributes, "rr_dataURL")
		n.Attributes["srcset"] = srcset
	}
	defer func() {
		for _, r := range restore {
			r.n.Attributes["rr_dataURL"], r.n.Attributes["srcset"] = r.bitmap, r.srcset
		}
	}()
	return f()
}
