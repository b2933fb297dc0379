package replay

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"net/url"

	"github.com/kilnrender/kiln/snapshot"
)

// maxSheetDepth bounds style sheets fetched through other style sheets'
// @import and url(): a sheet at this depth has its URLs replaced, not
// fetched.
const maxSheetDepth = 2

// assetResult is what capturing one URL gave: the reference events use,
// or "" and why not.
type assetResult struct{ ref, reason string }

// asset fetches u once, stores it content-addressed and returns the
// reference events use; on failure it returns "" and the reason, and
// lists u in the manifest.
func (bd *build) asset(u string, depth int) (string, string) {
	if r, ok := bd.assetByURL[u]; ok {
		return r.ref, r.reason
	}
	fail := func(reason string) (string, string) {
		bd.assetByURL[u] = assetResult{"", reason}
		bd.man.Assets.Failed = append(bd.man.Assets.Failed, FailedAsset{URL: u, Reason: reason})
		return "", reason
	}
	if len(bd.assetByURL) >= bd.cfg.MaxAssets {
		return fail("over MaxAssets")
	}
	if bd.ctx.Err() != nil {
		return fail("cancelled")
	}
	bd.assetByURL[u] = assetResult{"", "a style sheet that imports itself"} // ends the loop here
	ct, body, err := bd.fetch(u)
	if err != nil {
		return fail(errText(err))
	}
	if len(body) > bd.cfg.MaxAssetBytes {
		return fail(fmt.Sprintf("larger than %d bytes", bd.cfg.MaxAssetBytes))
	}
	if mt, _, _ := mime.ParseMediaType(ct); mt == "text/css" {
		body = []byte(bd.sheet(string(body), u, depth))
	}
	sum := sha256.Sum256(body)
	name := hex.EncodeToString(sum[:])
	if !bd.assetStore[name] {
		if err := bd.sink.Put(bd.ctx, "assets/"+name, body, ct, ""); err != nil {
			bd.fatal = fmt.Errorf("store asset: %w", err)
			return "", "not stored"
		}
		bd.assetStore[name] = true
	}
	ref := bd.cfg.AssetBaseURL + name
	if bd.cfg.AssetBaseURL == "" {
		ref = assetScheme + name
	}
	bd.assetByURL[u] = assetResult{ref, ""}
	bd.man.Assets.Items = append(bd.man.Assets.Items, Asset{URL: u, Name: name, ContentType: ct, Bytes: len(body)})
	return ref, ""
}

// sheet sanitizes a fetched style sheet as the recording's own: its URLs
// resolve against the sheet's URL and are captured (up to maxSheetDepth
// sheets deep) or replaced. A player fetches stored sheets too.
func (bd *build) sheet(css, u string, depth int) string {
	base, _ := url.Parse(u)
	capture := func(abs string) (string, string) {
		if depth+1 > maxSheetDepth {
			return "", fmt.Sprintf("style sheets nested deeper than %d", maxSheetDepth)
		}
		return bd.asset(abs, depth+1)
	}
	san := snapshot.Sanitizer{URL: func(kind snapshot.URLKind, ref string) string {
		return bd.m.resolve(kind, ref, base, capture)
	}}
	return san.CSS(css)
}
