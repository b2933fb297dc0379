package replay

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/kilnrender/kiln/snapshot"
)

// What a bundle may hold of a URL. A player replays the bundle in a
// support engineer's browser, inside their network: a URL left as
// recorded would be fetched (or followed) from there, whatever Kiln's own
// fetcher refused. So a URL found in the recording (the snapshot
// package's Sanitizer finds them, and the mirror resolves the ones in
// canvas and font events) stays only when it loads nothing from anywhere:
// empty, a fragment, about:blank and snapshot.NeutralURL, a reference to
// a stored asset, a data: URL of an inert type where a resource is
// loaded, a well-known @namespace name. A subresource URL becomes the
// reference of its stored asset when the Fetcher captured it; every
// other URL (links, refused or failed fetches, asset capture off,
// relative URLs without an http(s) page URL, other schemes) becomes
// snapshot.NeutralURL and is listed in Manifest.Assets.Removed.

// wellKnownNS are the namespace names style sheets declare; they are names,
// never fetched, and a sheet's selectors depend on them.
var wellKnownNS = map[string]bool{
	"http://www.w3.org/1999/xhtml": true, "http://www.w3.org/2000/svg": true,
	"http://www.w3.org/1998/Math/MathML": true, "http://www.w3.org/1999/xlink": true,
}

// inertData are data: media types a page can load as a resource without
// the data loading anything further (images run no script and fetch
// nothing; fonts and media are bytes).
func inertData(mediaType string) bool {
	for _, p := range []string{"image/", "font/", "audio/", "video/", "application/font-", "application/x-font-"} {
		if strings.HasPrefix(mediaType, p) {
			return true
		}
	}
	return mediaType == "application/vnd.ms-fontobject" || mediaType == "application/octet-stream"
}

// trimURL removes what a browser's URL parser strips: leading and
// trailing C0 controls and spaces.
func trimURL(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= 0x20 })
}

// isAssetRef reports a reference to a stored asset: the scheme or base
// followed by exactly a sha256.
func (m *Mirror) isAssetRef(t string) bool {
	if i := strings.IndexByte(t, '#'); i >= 0 && snapshot.PlainFragment(t[i+1:]) {
		t = t[:i]
	}
	name, ok := strings.CutPrefix(t, assetScheme)
	if !ok && m.cfg.AssetBaseURL != "" {
		name, ok = strings.CutPrefix(t, m.cfg.AssetBaseURL)
	}
	if !ok || len(name) != 64 {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// pageURL is the Sanitizer's hook: URLs of the page resolve against the
// page's href and are captured through the build's Fetcher.
func (m *Mirror) pageURL(kind snapshot.URLKind, ref string) string {
	var base *url.URL
	if u, err := url.Parse(m.href); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		base = u
	}
	return m.resolve(kind, ref, base, m.capture)
}

// resolve decides what ref, found at base, becomes in the bundle (see
// the comment at the top of this file). capture stores an absolute
// http(s) URL and returns its reference, or "" and why not; nil means
// asset capture is off.
func (m *Mirror) resolve(kind snapshot.URLKind, ref string, base *url.URL, capture func(string) (string, string)) string {
	t := trimURL(ref)
	switch {
	case t == "", strings.HasPrefix(t, "#"), t == snapshot.NeutralURL, t == "about:blank", m.isAssetRef(t):
		return ref
	case snapshot.ScriptURL(t):
		m.scriptURLs++
		return snapshot.NeutralURL
	case kind == snapshot.URLNamespace && wellKnownNS[t]:
		return ref
	}
	if len(t) >= 5 && strings.EqualFold(t[:5], "data:") {
		mt := t[5:]
		if i := strings.IndexAny(mt, ";,"); i >= 0 {
			mt = mt[:i]
		}
		mt = strings.ToLower(strings.TrimSpace(mt))
		if kind == snapshot.URLResource && inertData(mt) {
			return ref
		}
		if mt == "" || strings.Trim(mt, "abcdefghijklmnopqrstuvwxyz0123456789.+-/") != "" {
			mt = "text/plain"
		}
		return m.remove("data:"+mt, "data URL of a type that is not kept")
	}
	u, err := url.Parse(t)
	if err != nil {
		return m.remove(t, "malformed URL")
	}
	if !u.IsAbs() {
		if base == nil {
			return m.remove(t, "relative URL without an http(s) page URL")
		}
		u = base.ResolveReference(u)
	}
	if (u.Scheme == "http" || u.Scheme == "https") && u.Host == "" && kind == snapshot.URLResource && capture != nil {
		if r := m.climbed(u, base, capture); r != "" {
			return r
		}
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return m.remove(u.String(), "not an http(s) URL")
	}
	frag := u.Fragment
	u.Fragment, u.RawFragment = "", ""
	abs := u.String() // one asset whatever part of it is shown
	switch {
	case kind != snapshot.URLResource:
		return m.remove(abs, "link, never fetched")
	case capture == nil:
		return m.remove(abs, "asset capture off")
	}
	r, why := capture(abs)
	if r == "" {
		if r2 := m.climbed(u, base, capture); r2 != "" {
			r, why = r2, ""
		}
	}
	if r == "" {
		return m.remove(abs, why)
	}
	if frag != "" && snapshot.PlainFragment(frag) {
		// The part of the resource shown (an SVG sprite's symbol for a
		// <use>, an SVG view): the browser's, not the fetch's.
		r += "#" + frag
	}
	return r
}

// climbed captures the URL the page loaded for u, a resource URL as
// recorded that gave nothing, when rrweb may have recorded a "../" that
// climbed past the root of base's origin (snapshot.ClimbedURL): from the
// input's resources, or fetched when the recorded host is a single label
// or none (no public site's). "" when there is no such URL or it gives
// nothing.
func (m *Mirror) climbed(u, base *url.URL, capture func(string) (string, string)) string {
	if base == nil {
		return ""
	}
	c := snapshot.ClimbedURL(u, base)
	if c == "" || strings.Contains(u.Host, ".") && (m.res == nil || !m.res.has(c)) {
		return ""
	}
	r, _ := capture(c)
	return r
}

// remove reports a URL the bundle will not hold and returns what stands
// in its place.
func (m *Mirror) remove(u, reason string) string {
	if m.removed != nil {
		m.removed(u, reason)
	}
	return snapshot.NeutralURL
}

// maxShownURL bounds a URL as the manifest shows it.
const maxShownURL = 160

// shownURL is u as Assets.Removed lists it: no credentials, query or
// fragment (they may carry tokens), at most maxShownURL bytes.
func shownURL(u string) string {
	if p, err := url.Parse(u); err == nil && p.Scheme != "" {
		q := p.RawQuery != "" || p.ForceQuery
		p.User, p.RawQuery, p.ForceQuery, p.Fragment, p.RawFragment = nil, "", false, "", ""
		u = p.String()
		if q {
			u += "?…"
		}
	}
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		if c := u[i]; c <= 0x20 || c == 0x7f || strings.IndexByte("<>\"'`{}|\\^", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	u = b.String()
	if len(u) > maxShownURL {
		cut := maxShownURL
		for cut > 0 && !utf8.RuneStart(u[cut]) {
			cut--
		}
		u = u[:cut] + "…"
	}
	return u
}

// removedURL lists a URL replaced in events.
func (bd *build) removedURL(u, reason string) {
	bd.man.Assets.RemovedCount++
	key := u + "\x00" + reason
	if i, ok := bd.removedAt[key]; ok {
		bd.man.Assets.Removed[i].Count++
		return
	}
	if len(bd.man.Assets.Removed) >= maxRemovedListed {
		return
	}
	bd.removedAt[key] = len(bd.man.Assets.Removed)
	bd.man.Assets.Removed = append(bd.man.Assets.Removed, RemovedURL{URL: shownURL(u), Reason: reason, Count: 1})
}
