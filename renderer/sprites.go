package renderer

import (
	"net/http"

	"github.com/kilnrender/kiln/netguard"
	"github.com/kilnrender/kiln/snapshot"
)

// inlineSprites gives the render the SVG sprite files its document's
// <use> elements still reference by URL (snapshot.InlineSprites: none of
// the input's resources), fetched through the job's fetcher under the
// network policy and the job's byte budget. A browser draws an external
// <use> only from the document's own origin, which the document Kiln
// writes into a blank page does not have, so without this the icons of a
// page that draws them from a sprite file (<use href="/icons.svg#star">)
// are missing whenever the input did not carry the file. Without a
// fetcher (NoFetch), nothing changes. The caller's snapshot is not
// changed: r.snap becomes a copy.
func (t *tab) inlineSprites(r *rendering) {
	j := r.job
	if j.p.fetch == nil {
		return
	}
	s := *r.snap
	n, err := snapshot.InlineSprites(&s, func(u string) (snapshot.Resource, bool) {
		resp, err := j.fetchOnce(u, nil)
		if err != nil {
			j.block(u, netguard.BlockReason(err))
			return snapshot.Resource{}, false
		}
		if resp.Status != http.StatusOK {
			return snapshot.Resource{}, false
		}
		return snapshot.Resource{URL: u, ContentType: resp.ContentType, Data: resp.Body}, true
	}, snapshot.Limits{})
	if err != nil {
		r.res.Warnings = append(r.res.Warnings, "sprite files not inlined: "+err.Error())
		return
	}
	if n > 0 {
		r.snap = &s
	}
}
