package replay

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"net/url"
	"strings"
)

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
