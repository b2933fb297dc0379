package netguardtest

import (
	"fmt"
	"html"
	"net/url"
	"strings"

	"github.com/kilnrender/kiln/netguard"
)

// The SSRF and script suite: every way a document can make a browser load
// a URL or run a script, aimed at a Ground. The renderer feeds the vectors
// through each of its input formats, replay through a recording, queue
// through webhook URLs; each checks that the canary saw nothing and that
// what was refused is reported.

// Kinds of Vector.
const (
	KindLoad     = "load"     // an HTML, SVG or CSS construct that loads a URL, aimed at the canary
	KindSpelling = "spelling" // an entry of Spellings
	KindScheme   = "scheme"   // a URL of a scheme Kiln never fetches
	KindRedirect = "redirect" // RedirectHost, redirecting to a forbidden target
	KindRebind   = "rebind"   // RebindHost, resolving public, then loopback
	KindScript   = "script"   // a script that would load its ran URL and paint the page red
)

// ReasonNavigation is the renderer's report for a document request (a
// frame or a refresh): it is answered 204 and never fetched.
const ReasonNavigation = "navigation"

// Vector is one hostile attempt.
type Vector struct {
	// ID ("kv012") is in the vector's URL (after the run, "run.kv012")
	// and nowhere else in its markup but the URLs, so that a report entry
	// leads back to its vector.
	ID   string
	Kind string
	Name string // what it tries: "img srcset", "spelling http://0x7f.1:P/"
	// URL is what the vector makes the browser load; for a script, the
	// URL the script would load if it ran (RanPath on the canary).
	URL string
	// HTML is the vector's markup, for a document's <body>.
	HTML string
	// Reasons are the block reasons a caller may report for URL (and for
	// what a page asks for on its behalf).
	Reasons []string
	// Asks means Chromium, under the renderer's CSP and with no script
	// running, requests URL when it meets HTML, so that a render report
	// must list it. The others are refused by the CSP or by Chromium itself
	// before any request, or load only on a user's action; a request for
	// one, when it happens, must still be reported and refused. Measured
	// with Chromium 156; a Chromium that asks for less fails the suite
	// loudly, so that the table is looked at again.
	Asks bool
	// MayPass means the request may be answered by a public test server:
	// the first lookup of RebindHost (directly, or redirected to).
	MayPass bool
}

// RanPath is the canary path a script vector loads if it runs: a
// request for it anywhere (the canary, a render report, a fetcher) means
// a script ran.
const RanPath = "/ran"

// RanURL is the URL script vector id loads if it runs.
func (g *Ground) RanURL(id string) string { return g.CanaryURL(RanPath + "?" + id) }

// tag is what marks a vector's URL: its ID after the run.
func tag(run, id string) string {
	if run == "" {
		return id
	}
	return run + "." + id
}

// ProbeTop is where a Page's vectors end, in CSS pixels from the top: the
// page below it shows nothing but the page's white background, which every
// script vector would paint red.
const ProbeTop = 320

// Page returns a document holding vs, 800 CSS pixels wide: the vectors in
// a box above ProbeTop, white below.
func Page(vs []Vector) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>kiln ssrf suite</title></head>`)
	b.WriteString(`<body style="margin:0;background-color:rgb(255,255,255)"><div style="position:absolute;left:0;top:0;width:800px;height:300px;overflow:hidden;font-size:8px">`)
	for _, v := range vs {
		b.WriteString(v.HTML)
		b.WriteByte('\n')
	}
	b.WriteString(`</div></body></html>`)
	return b.String()
}

// attr escapes s for a double-quoted attribute value.
func attr(s string) string { return html.EscapeString(s) }

// cssString quotes s as a CSS string.
func cssString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\a `).Replace(s) + `"`
}

// load is a construct that loads u; h is a name for its class, id or font
// family hooks (never the vector's ID, which marks URLs only).
type load struct {
	name   string
	asks   bool
	nav    bool // the request is a document's: reported as ReasonNavigation
	markup func(u, h string) string
}

// box is an 8x8 block with extra CSS.
func box(css string) string {
	return `<div style="` + attr("width:8px;height:8px;display:inline-block;"+css) + `"></div>`
}

func srcdoc(doc string) string {
	return `<iframe width="20" height="20" srcdoc="` + attr(doc) + `"></iframe>`
}

const tinyGIF = "data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs="

var loads = []load{
	{"img src", true, false, func(u, h string) string { return `<img width="8" height="8" src="` + attr(u) + `">` }},
	{"img srcset x", true, false, func(u, h string) string { return `<img width="8" height="8" srcset="` + attr(u) + ` 1x">` }},
	{"img srcset w sizes", true, false, func(u, h string) string {
		return `<img width="8" height="8" sizes="8px" srcset="` + attr(u) + ` 100w">`
	}},
	{"img src with srcset fallback", true, false, func(u, h string) string {
		return `<img width="8" height="8" src="` + tinyGIF + `" srcset="` + attr(u) + ` 2x, ` + attr(u) + `&amp;1x 1x">`
	}},
	{"picture source srcset", true, false, func(u, h string) string {
		return `<picture><source srcset="` + attr(u) + `"><img width="8" height="8"></picture>`
	}},
	{"picture source media type", true, false, func(u, h string) string {
		return `<picture><source media="(min-width: 1px)" type="image/png" srcset="` + attr(u) + ` 1x"><img width="8" height="8" src="` + tinyGIF + `"></picture>`
	}},
	{"input type=image", true, false, func(u, h string) string { return `<input type="image" width="8" height="8" src="` + attr(u) + `">` }},
	{"link stylesheet", true, false, func(u, h string) string { return `<link rel="stylesheet" href="` + attr(u) + `">` }},
	{"link stylesheet media=print", true, false, func(u, h string) string {
		return `<link rel="stylesheet" media="print" href="` + attr(u) + `">`
	}},
	{"link alternate stylesheet", true, false, func(u, h string) string {
		return `<link rel="alternate stylesheet" title="alt" href="` + attr(u) + `">`
	}},
	{"link preload image", true, false, func(u, h string) string { return `<link rel="preload" as="image" href="` + attr(u) + `">` }},
	{"link preload font", true, false, func(u, h string) string {
		return `<link rel="preload" as="font" type="font/woff2" crossorigin href="` + attr(u) + `">`
	}},
	{"link preload imagesrcset", true, false, func(u, h string) string {
		return `<link rel="preload" as="image" imagesrcset="` + attr(u) + ` 1x">`
	}},
	{"link preload style", true, false, func(u, h string) string { return `<link rel="preload" as="style" href="` + attr(u) + `">` }},
	// Chromium fetches a prefetch in the browser process, outside Fetch
	// interception: it reaches the renderer's proxy sink, never Kiln's
	// fetcher, so no report lists it (the canary must still see nothing).
	{"link prefetch", false, false, func(u, h string) string { return `<link rel="prefetch" href="` + attr(u) + `">` }},
	{"link icon", false, false, func(u, h string) string { return `<link rel="icon" href="` + attr(u) + `">` }},
	{"link apple-touch-icon", false, false, func(u, h string) string { return `<link rel="apple-touch-icon" href="` + attr(u) + `">` }},
	{"link manifest", false, false, func(u, h string) string { return `<link rel="manifest" href="` + attr(u) + `">` }},
	{"link modulepreload", false, false, func(u, h string) string { return `<link rel="modulepreload" href="` + attr(u) + `">` }},
	{"link prerender", false, false, func(u, h string) string { return `<link rel="prerender" href="` + attr(u) + `">` }},
	{"link preconnect (origin)", false, false, func(u, h string) string { return `<link rel="preconnect" href="` + attr(origin(u)) + `">` }},
	{"link dns-prefetch (origin)", false, false, func(u, h string) string {
		return `<link rel="dns-prefetch" href="` + attr("//"+strings.TrimPrefix(origin(u), "http://")) + `">`
	}},
	{"@import url()", true, false, func(u, h string) string { return `<style>@import url(` + cssString(u) + `);</style>` }},
	{"@import string with layer and media", true, false, func(u, h string) string {
		return `<style>@import ` + cssString(u) + ` layer(` + h + `) screen;</style>`
	}},
	{"@import chain through a public stylesheet", true, false, func(u, h string) string {
		return `<style>@import url(` + cssString("http://"+PublicHost+"/css?import="+url.QueryEscape(u)) + `);</style>`
	}},
	{"@font-face src", true, false, func(u, h string) string {
		return `<style>@font-face{font-family:` + h + `;src:url(` + cssString(u) + `)}</style><span style="font-family:` + h + `">x</span>`
	}},
	{"@font-face local() then url() format()", true, false, func(u, h string) string {
		return `<style>@font-face{font-family:` + h + `;src:local("No Such Font ` + h + `"),url(` + cssString(u) + `) format("woff2")}</style><span style="font-family:` + h + `">x</span>`
	}},
	{"@font-face chain through a public stylesheet", true, false, func(u, h string) string {
		return `<link rel="stylesheet" href="` + attr("http://"+PublicHost+"/css?font="+url.QueryEscape(u)) + `"><span class="kilnchain">x</span>`
	}},
	{"style attribute background url()", true, false, func(u, h string) string { return box("background:url(" + cssString(u) + ")") }},
	{"<style> background-image", true, false, func(u, h string) string {
		return `<style>.` + h + `{background-image:url(` + cssString(u) + `)}</style>` + `<div class="` + h + `" style="width:8px;height:8px"></div>`
	}},
	{"<style> url() unquoted in @media and @supports", true, false, func(u, h string) string {
		return `<style>@media screen{@supports (display:block){.` + h + `{background:url(` + u + `)}}}</style>` + `<div class="` + h + `" style="width:8px;height:8px"></div>`
	}},
	{"custom property url() through var()", true, false, func(u, h string) string {
		return box("--" + h + ":url(" + cssString(u) + ");background-image:var(--" + h + ")")
	}},
	{"image-set()", true, false, func(u, h string) string { return box("background-image:image-set(url(" + cssString(u) + ") 1x)") }},
	{"image-set() string", true, false, func(u, h string) string { return box("background-image:image-set(" + cssString(u) + " 1x)") }},
	{"-webkit-image-set()", true, false, func(u, h string) string {
		return box("background-image:-webkit-image-set(url(" + cssString(u) + ") 1x)")
	}},
	{"-webkit-cross-fade()", true, false, func(u, h string) string {
		return box("background-image:-webkit-cross-fade(url(" + cssString(u) + "),url(" + cssString(tinyGIF) + "),50%)")
	}},
	{"body background attribute", true, false, func(u, h string) string { return `<body background="` + attr(u) + `">` }},
	{"table background attribute", true, false, func(u, h string) string {
		return `<table width="8" height="8" background="` + attr(u) + `"><tr><td></td></tr></table>`
	}},
	{"td background attribute", true, false, func(u, h string) string {
		return `<table><tr><td width="8" height="8" background="` + attr(u) + `"></td></tr></table>`
	}},
	{"video src", true, false, func(u, h string) string { return `<video width="8" height="8" src="` + attr(u) + `"></video>` }},
	{"video poster", true, false, func(u, h string) string { return `<video width="8" height="8" poster="` + attr(u) + `"></video>` }},
	{"video source src", true, false, func(u, h string) string {
		return `<video width="8" height="8"><source src="` + attr(u) + `"></video>`
	}},
	{"audio src preload=auto", true, false, func(u, h string) string { return `<audio preload="auto" src="` + attr(u) + `"></audio>` }},
	{"audio source src", true, false, func(u, h string) string { return `<audio preload="auto"><source src="` + attr(u) + `"></audio>` }},
	{"track src", false, false, func(u, h string) string {
		return `<video width="8" height="8" src="` + tinyGIF + `"><track default kind="subtitles" src="` + attr(u) + `"></video>`
	}},
	{"object data", false, false, func(u, h string) string { return `<object width="8" height="8" data="` + attr(u) + `"></object>` }},
	{"object data type=image/png", false, false, func(u, h string) string {
		return `<object width="8" height="8" type="image/png" data="` + attr(u) + `"></object>`
	}},
	{"embed src", false, false, func(u, h string) string { return `<embed width="8" height="8" src="` + attr(u) + `">` }},
	{"iframe src", false, true, func(u, h string) string { return `<iframe width="8" height="8" src="` + attr(u) + `"></iframe>` }},
	{"frame src in a srcdoc frameset", false, true, func(u, h string) string {
		return srcdoc(`<frameset><frame src="` + attr(u) + `"></frameset>`)
	}},
	{"srcdoc img", true, false, func(u, h string) string { return srcdoc(`<img width="8" height="8" src="` + attr(u) + `">`) }},
	{"srcdoc stylesheet", true, false, func(u, h string) string { return srcdoc(`<link rel="stylesheet" href="` + attr(u) + `">`) }},
	{"srcdoc style url()", true, false, func(u, h string) string { return srcdoc(box("background:url(" + cssString(u) + ")")) }},
	{"srcdoc in srcdoc img", true, false, func(u, h string) string {
		return srcdoc(srcdoc(`<img width="8" height="8" src="` + attr(u) + `">`))
	}},
	{"srcdoc base href then relative img", true, false, func(u, h string) string {
		return srcdoc(`<base href="` + attr(u+"/") + `"><img width="8" height="8" src="rel.png">`)
	}},
	{"srcdoc base href protocol-relative", false, false, func(u, h string) string {
		return srcdoc(`<base href="` + attr(strings.TrimPrefix(u, "http:")+"/") + `"><img width="8" height="8" src="rel.png">`)
	}},
	{"srcdoc base href backslashes", true, false, func(u, h string) string {
		return srcdoc(`<base href="` + attr(strings.ReplaceAll(u, "/", `\`)+`\`) + `"><img width="8" height="8" src="rel.png">`)
	}},
	{"srcdoc meta refresh", false, true, func(u, h string) string {
		return srcdoc(`<meta http-equiv="refresh" content="` + attr("0;url="+u) + `">`)
	}},
	{"svg image href", true, false, func(u, h string) string {
		return `<svg width="8" height="8"><image width="8" height="8" href="` + attr(u) + `"/></svg>`
	}},
	{"svg image xlink:href", true, false, func(u, h string) string {
		return `<svg width="8" height="8" xmlns:xlink="http://www.w3.org/1999/xlink"><image width="8" height="8" xlink:href="` + attr(u) + `"/></svg>`
	}},
	{"svg use href", false, false, func(u, h string) string { return `<svg width="8" height="8"><use href="` + attr(u+"#x") + `"/></svg>` }},
	{"svg use xlink:href", false, false, func(u, h string) string {
		return `<svg width="8" height="8"><use xlink:href="` + attr(u+"#x") + `"/></svg>`
	}},
	{"svg feImage href", true, false, func(u, h string) string {
		return `<svg width="8" height="8"><filter id="` + h + `"><feImage href="` + attr(u) + `"/></filter><rect width="8" height="8" filter="url(#` + h + `)"/></svg>`
	}},
	{"svg feImage xlink:href", true, false, func(u, h string) string {
		return `<svg width="8" height="8"><filter id="` + h + `"><feImage xlink:href="` + attr(u) + `"/></filter><rect width="8" height="8" filter="url(#` + h + `)"/></svg>`
	}},
	{"svg <style> @import", true, false, func(u, h string) string {
		return `<svg width="8" height="8"><style>@import url(` + cssString(u) + `);</style></svg>`
	}},
	{"svg fill url() external paint", true, false, func(u, h string) string {
		return `<svg width="8" height="8"><rect width="8" height="8" fill="` + attr("url("+u+"#p)") + `"/></svg>`
	}},
	{"svg foreignObject img", true, false, func(u, h string) string {
		return `<svg width="8" height="8"><foreignObject width="8" height="8"><img width="8" height="8" src="` + attr(u) + `"></foreignObject></svg>`
	}},
	{"css cursor url()", true, false, func(u, h string) string { return box("cursor:url(" + cssString(u) + "),auto") }},
	{"css mask-image url()", true, false, func(u, h string) string { return box("mask-image:url(" + cssString(u) + ");background:#fff") }},
	{"css -webkit-mask shorthand", true, false, func(u, h string) string { return box("-webkit-mask:url(" + cssString(u) + ");background:#fff") }},
	{"css filter url() external", false, false, func(u, h string) string { return box("filter:url(" + cssString(u+"#f") + ")") }},
	{"css clip-path url() external", true, false, func(u, h string) string { return box("clip-path:url(" + cssString(u+"#c") + ")") }},
	{"css list-style-image", true, false, func(u, h string) string {
		return `<ul style="` + attr("margin:0;list-style-image:url("+cssString(u)+")") + `"><li>x</li></ul>`
	}},
	{"css border-image", true, false, func(u, h string) string {
		return box("border:2px solid;border-image:url(" + cssString(u) + ") 30 round")
	}},
	{"css content url()", true, false, func(u, h string) string {
		return `<style>.` + h + `::before{content:url(` + cssString(u) + `)}</style><span class="` + h + `"></span>`
	}},
	{"css shape-outside url()", true, false, func(u, h string) string {
		return box("float:left;shape-outside:url(" + cssString(u) + ")")
	}},
	{"declarative shadow root img", true, false, func(u, h string) string {
		return `<div><template shadowrootmode="open"><img width="8" height="8" src="` + attr(u) + `"></template></div>`
	}},
	{"declarative shadow root @import", true, false, func(u, h string) string {
		return `<div><template shadowrootmode="open"><style>@import url(` + cssString(u) + `);</style><b>x</b></template></div>`
	}},
	{"template img (inert)", false, false, func(u, h string) string { return `<template><img src="` + attr(u) + `"></template>` }},
	{"noscript img", false, false, func(u, h string) string { return `<noscript><img src="` + attr(u) + `"></noscript>` }},
	{"meta refresh", false, true, func(u, h string) string { return `<meta http-equiv="refresh" content="` + attr("0;url="+u) + `">` }},
	{"meta refresh quoted URL", false, true, func(u, h string) string {
		return `<meta http-equiv="Refresh" content="` + attr("0; URL='"+u+"'") + `">`
	}},
	{"form action", false, false, func(u, h string) string {
		return `<form method="get" action="` + attr(u) + `"><input name="q" value="1"></form>`
	}},
	{"button formaction", false, false, func(u, h string) string {
		return `<form><button formaction="` + attr(u) + `">x</button></form>`
	}},
	{"a ping", false, false, func(u, h string) string { return `<a href="#` + h + `" ping="` + attr(u) + `">x</a>` }},
	{"img lowsrc and dynsrc", false, false, func(u, h string) string {
		return `<img width="8" height="8" src="` + tinyGIF + `" lowsrc="` + attr(u) + `" dynsrc="` + attr(u) + `&amp;d">`
	}},
	{"portal and fencedframe src", false, false, func(u, h string) string {
		return `<portal src="` + attr(u) + `"></portal><fencedframe src="` + attr(u) + `&amp;f"></fencedframe>`
	}},
	// rrweb's own attributes: an inlined stylesheet replaces its <link>;
	// pixels that are not a data: URL are never loaded.
	{"rrweb _cssText on a link", true, false, func(u, h string) string {
		return `<link rel="stylesheet" href="` + attr(u) + `" _cssText="` + attr("@import url("+cssString(u)+");") + `">`
	}},
	{"rrweb rr_dataURL that is not a data: URL", false, false, func(u, h string) string {
		return `<img width="8" height="8" rr_dataURL="` + attr(u) + `">`
	}},
	{"script src", false, false, func(u, h string) string { return `<script src="` + attr(u) + `"></script>` }},
	{"svg script href", false, false, func(u, h string) string { return `<svg><script href="` + attr(u) + `"></script></svg>` }},
}

// origin is u's scheme://host:port.
func origin(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	return p.Scheme + "://" + p.Host
}

// mark puts id into u where a request for it keeps it: after a trailing
// slash or backslash, else in the query.
func mark(u, id string) string {
	l := strings.ToLower(u)
	switch {
	case strings.HasPrefix(l, "data:"), strings.HasPrefix(l, "javascript:"):
		return u
	case strings.HasSuffix(u, "/"), strings.HasSuffix(u, `\`):
		return u + id
	case strings.Contains(u, "?"):
		return u + "&" + id
	}
	return u + "?" + id
}

// spellingReasons are the reasons a renderer may report for a spelling
// besides the table's own: Chromium reads backslashes as slashes and
// refuses credentials and unsafe ports itself.
var spellingReasons = map[string][]string{
	netguard.ReasonMalformed: {netguard.ReasonLoopback},
	netguard.ReasonUserinfo:  {netguard.ReasonLoopback, netguard.ReasonDNS},
}

// redirectTargets are where RedirectHost sends its vectors, with the
// reason the fetcher must give.
func redirectTargets(g *Ground) []struct{ name, to, reason string } {
	p := g.Canary().Port()
	return []struct{ name, to, reason string }{
		{"302 to the canary", g.CanaryURL("/redirected"), netguard.ReasonLoopback},
		{"302 to localhost", "http://localhost:" + p + "/", netguard.ReasonLoopback},
		{"302 to [::ffff:127.0.0.1]", "http://[::ffff:127.0.0.1]:" + p + "/", netguard.ReasonLoopback},
		{"302 to decimal 2130706433", "http://2130706433:" + p + "/", netguard.ReasonLoopback},
		{"302 to hex 0x7f.1", "http://0x7f.1:" + p + "/", netguard.ReasonLoopback},
		{"302 to [::1]", "http://[::1]:" + p + "/", netguard.ReasonLoopback},
		{"302 to 0.0.0.0", "http://0.0.0.0:" + p + "/", netguard.ReasonUnspecified},
		{"302 to metadata", "http://169.254.169.254/latest/meta-data/", netguard.ReasonMetadata},
		{"302 to metadata name", "http://metadata.google.internal/computeMetadata/v1/", netguard.ReasonMetadata},
		{"302 to private 10.0.0.1", "http://10.0.0.1/", netguard.ReasonPrivate},
		{"302 to file:", "file:///etc/passwd", netguard.ReasonScheme},
		{"302 to gopher:", "gopher://127.0.0.1:" + p + "/_GET%20/", netguard.ReasonScheme},
		{"302 to a relative loopback authority", "//127.0.0.1:" + p + "/", netguard.ReasonLoopback},
		{"302 to a 302 to the canary", "http://" + RedirectHost + "/", netguard.ReasonLoopback},
		{"302 to the rebinding host", "http://" + RebindHost + ":" + p + "/", netguard.ReasonLoopback},
	}
}

// URLVectors are the suite's bare URLs, for callers that are handed a URL
// rather than a document (webhook callbacks, a fetcher): every entry of
// Spellings, redirects from RedirectHost to forbidden targets, and two
// requests to RebindHost (the first may be answered by the public server,
// the second must be refused). HTML is empty.
func URLVectors(g *Ground) []Vector {
	var vs []Vector
	add := func(v Vector) {
		v.ID = fmt.Sprintf("kv%03d", len(vs))
		v.URL = mark(v.URL, v.ID)
		vs = append(vs, v)
	}
	for _, s := range Spellings(g.Canary().Port()) {
		add(Vector{Kind: KindSpelling, Name: "spelling " + s.URL, URL: s.URL, Reasons: []string{s.Reason}})
	}
	for _, r := range redirectTargets(g) {
		add(Vector{Kind: KindRedirect, Name: r.name, URL: "http://" + RedirectHost + "/?to=" + url.QueryEscape(r.to), Reasons: []string{r.reason}, MayPass: r.to == "http://"+RebindHost+":"+g.Canary().Port()+"/"})
	}
	p := g.Canary().Port()
	add(Vector{Kind: KindRebind, Name: "rebinding host, first lookup", URL: "http://" + RebindHost + ":" + p + "/first", Reasons: []string{netguard.ReasonLoopback}, MayPass: true})
	add(Vector{Kind: KindRebind, Name: "rebinding host, later lookup", URL: "http://" + RebindHost + ":" + p + "/later", Reasons: []string{netguard.ReasonLoopback}, MayPass: true})
	return vs
}

// schemeURLs are URLs of schemes Kiln never fetches, with the markup that
// loads each ("img", "iframe", "stylesheet", "css"); {canary} stands for a
// canary URL carrying the vector's ID, for schemes whose content could load
// something in turn.
var schemeURLs = []struct {
	url, via string
	asks     bool
}{
	{"file:///etc/passwd", "img", false},
	{"FILE:///etc/hostname", "img", false},
	{"file://localhost/etc/passwd", "iframe", false},
	{"file:///etc/passwd", "stylesheet", false},
	{"file:///etc/passwd", "css", false},
	{"ftp://127.0.0.1:{port}/x", "img", true},
	{"ftp://127.0.0.1:{port}/x", "iframe", false},
	{"gopher://127.0.0.1:{port}/_GET%20/", "img", true},
	{"data:text/html,<img src={canary}>", "iframe", true},
	{"data:text/html,<link rel=stylesheet href={canary}>", "iframe", true},
	{"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink' width='8' height='8'><image width='8' height='8' href='{canary}'/></svg>", "img", false},
	{"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'><style>@import url({canary});</style></svg>", "img", false},
	{"data:text/css,@import url({canary});", "stylesheet", true},
	{"data:text/css,.x{background:url({canary})}", "stylesheet", false},
	{"blob:http://page.kiln.test/00000000-0000-0000-0000-000000000000", "img", false},
	{"blob:http://page.kiln.test/00000000-0000-0000-0000-000000000001", "iframe", false},
	{"chrome://version/", "iframe", false},
	{"chrome://settings/", "img", false},
	{"chrome-extension://abcdefghijklmnopabcdefghijklmnop/x.png", "img", false},
	{"about:blank", "iframe", false},
	{"view-source:{canary}", "iframe", false},
	{"ws://127.0.0.1:{port}/", "img", true},
	{"wss://127.0.0.1:{port}/", "stylesheet", true},
	{"filesystem:http://page.kiln.test/temporary/x.png", "img", false},
}

// PageVectors returns the suite's vectors for documents, aimed at g:
// every construct of the load table at the canary, every entry of
// Spellings as an <img>, each never-fetched scheme, RedirectHost's
// redirects and RebindHost as images, and the script vectors.
//
// Every URL carries run before the vector's ID: a browser that rendered
// the same URL before may reuse what it got (or failed to get) without
// asking again, so each render of the suite needs URLs of its own.
func PageVectors(g *Ground, run string) []Vector {
	var vs []Vector
	add := func(v Vector, markup func(u, h string) string) {
		v.ID = fmt.Sprintf("kv%03d", len(vs))
		h := "kh" + v.ID[2:]
		v.URL = strings.ReplaceAll(v.URL, "{id}", tag(run, v.ID))
		v.HTML = markup(v.URL, h)
		vs = append(vs, v)
	}
	img := func(u, h string) string { return `<img width="8" height="8" src="` + attr(u) + `">` }
	for _, l := range loads {
		reasons := []string{netguard.ReasonLoopback}
		if l.nav {
			reasons = []string{ReasonNavigation}
		}
		add(Vector{Kind: KindLoad, Name: l.name, URL: g.CanaryURL("/{id}"), Reasons: reasons, Asks: l.asks}, l.markup)
	}
	port := g.Canary().Port()
	for _, s := range Spellings(port) {
		u := s.URL
		// Chromium refuses file:, data: and javascript: images, and
		// credentials in a subresource URL, itself; it hands the rest to
		// interception (unsafe ports, ftp: and gopher: included).
		l := strings.ToLower(u)
		asks := !strings.Contains(u, "@") && (strings.HasPrefix(l, "http") || strings.HasPrefix(l, "ftp:") || strings.HasPrefix(l, "gopher:"))
		add(Vector{Kind: KindSpelling, Name: "img spelling " + s.URL, URL: mark(u, "{id}"), Asks: asks,
			Reasons: append([]string{s.Reason}, spellingReasons[s.Reason]...)}, img)
	}
	for _, s := range schemeURLs {
		u := strings.NewReplacer("{port}", port, "{canary}", g.CanaryURL("/{id}")).Replace(s.url)
		if !strings.Contains(u, "{id}") {
			u = mark(u, "{id}")
		}
		markup := map[string]func(u, h string) string{
			"img":        img,
			"iframe":     func(u, h string) string { return `<iframe width="8" height="8" src="` + attr(u) + `"></iframe>` },
			"stylesheet": func(u, h string) string { return `<link rel="stylesheet" href="` + attr(u) + `">` },
			"css":        func(u, h string) string { return box("background:url(" + cssString(u) + ")") },
		}[s.via]
		add(Vector{Kind: KindScheme, Name: s.via + " " + s.url, URL: u, Asks: s.asks,
			Reasons: []string{netguard.ReasonScheme, netguard.ReasonLoopback, ReasonNavigation}}, markup)
	}
	for _, r := range redirectTargets(g) {
		add(Vector{Kind: KindRedirect, Name: "img " + r.name, URL: "http://" + RedirectHost + "/{id}?to=" + url.QueryEscape(r.to),
			Reasons: []string{r.reason}, Asks: true, MayPass: strings.Contains(r.to, RebindHost)}, img)
	}
	for i := 0; i < 3; i++ {
		add(Vector{Kind: KindRebind, Name: fmt.Sprintf("img rebinding host %d", i+1), URL: "http://" + RebindHost + ":" + port + "/{id}.png",
			Reasons: []string{netguard.ReasonLoopback}, Asks: true, MayPass: true}, img)
	}
	for _, s := range scripts {
		v := Vector{Kind: KindScript, Name: s.name}
		v.ID = fmt.Sprintf("kv%03d", len(vs))
		v.URL = g.RanURL(tag(run, v.ID))
		v.HTML = s.markup(scriptJS(v.URL))
		v.Reasons = []string{netguard.ReasonScheme} // a javascript: URL asked for as an image or stylesheet
		vs = append(vs, v)
	}
	return vs
}

// scriptJS is what a script vector runs: it loads ran (an image load,
// which no connect-src stops) and paints the top document red.
func scriptJS(ran string) string {
	return `new Image().src='` + ran + `';top.document.documentElement.style.background='rgb(255,0,0)';top.document.body.style.background='rgb(255,0,0)'`
}

// scripts are ways to run js; none may run.
var scripts = []struct {
	name   string
	markup func(js string) string
}{
	{"script element", func(js string) string { return `<script>` + js + `</script>` }},
	{"script type=module", func(js string) string { return `<script type="module">` + js + `</script>` }},
	{"script src data:", func(js string) string { return `<script src="` + attr("data:text/javascript,"+js) + `"></script>` }},
	{"img onerror", func(js string) string { return `<img width="8" height="8" src="data:," onerror="` + attr(js) + `">` }},
	{"img OnErRoR mixed case, relative src", func(js string) string { return `<img width="8" height="8" src="x.png" OnErRoR="` + attr(js) + `">` }},
	{"body onload", func(js string) string { return `<body onload="` + attr(js) + `">` }},
	{"body onpageshow", func(js string) string { return `<body onpageshow="` + attr(js) + `">` }},
	{"svg onload", func(js string) string { return `<svg width="8" height="8" onload="` + attr(js) + `"></svg>` }},
	{"svg script", func(js string) string { return `<svg><script>` + js + `</script></svg>` }},
	{"svg script xlink:href data:", func(js string) string {
		return `<svg><script xlink:href="` + attr("data:text/javascript,"+js) + `"></script></svg>`
	}},
	{"svg animate onbegin", func(js string) string {
		return `<svg width="8" height="8"><rect width="8" height="8"><animate attributeName="x" from="0" to="1" dur="1s" onbegin="` + attr(js) + `"/></rect></svg>`
	}},
	{"svg set onbegin", func(js string) string {
		return `<svg width="8" height="8"><rect width="8" height="8"><set attributeName="x" to="1" onbegin="` + attr(js) + `"/></rect></svg>`
	}},
	{"svg animate onend", func(js string) string {
		return `<svg width="8" height="8"><rect width="8" height="8"><animate attributeName="x" from="0" to="1" dur="0.01s" onend="` + attr(js) + `"/></rect></svg>`
	}},
	{"svg set onload attribute", func(js string) string {
		return `<svg width="8" height="8"><set attributeName="onload" to="` + attr(js) + `"/></svg>`
	}},
	{"svg animate href to javascript:", func(js string) string {
		return `<svg width="8" height="8"><a><animate attributeName="href" values="` + attr("javascript:"+js) + `"/><text y="8">x</text></a></svg>`
	}},
	{"svg a xlink:href javascript:", func(js string) string {
		return `<svg width="8" height="8"><a xlink:href="` + attr("javascript:"+js) + `"><text y="8">x</text></a></svg>`
	}},
	{"srcdoc script", func(js string) string { return srcdoc(`<script>` + js + `</script>`) }},
	{"srcdoc img onerror", func(js string) string { return srcdoc(`<img src="data:," onerror="` + attr(js) + `">`) }},
	{"srcdoc svg onload", func(js string) string { return srcdoc(`<svg onload="` + attr(js) + `"></svg>`) }},
	{"srcdoc frameset onload", func(js string) string { return srcdoc(`<frameset onload="` + attr(js) + `"></frameset>`) }},
	{"srcdoc meta refresh javascript:", func(js string) string {
		return srcdoc(`<meta http-equiv="refresh" content="` + attr("0;url=javascript:"+js) + `">`)
	}},
	{"srcdoc base href javascript:", func(js string) string {
		return srcdoc(`<base href="` + attr("javascript:"+js+"//") + `"><a href="x">x</a>`)
	}},
	{"iframe src javascript:", func(js string) string {
		return `<iframe width="8" height="8" src="` + attr("javascript:"+js) + `"></iframe>`
	}},
	{"iframe src data:text/html script", func(js string) string {
		return `<iframe width="8" height="8" src="` + attr("data:text/html,<script>"+js+"</script>") + `"></iframe>`
	}},
	{"iframe src data:image/svg+xml onload", func(js string) string {
		return `<iframe width="8" height="8" src="` + attr(`data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="`+js+`"/>`) + `"></iframe>`
	}},
	{"frame src javascript: in srcdoc frameset", func(js string) string {
		return srcdoc(`<frameset><frame src="` + attr("javascript:"+js) + `"></frameset>`)
	}},
	{"meta refresh javascript:", func(js string) string {
		return `<meta http-equiv="refresh" content="` + attr("0;url=javascript:"+js) + `">`
	}},
	{"a href javascript:", func(js string) string { return `<a href="` + attr("javascript:"+js) + `">x</a>` }},
	{"area href javascript:", func(js string) string {
		return `<map name="m"><area shape="rect" coords="0,0,8,8" href="` + attr("javascript:"+js) + `"></map>`
	}},
	{"form action javascript:", func(js string) string {
		return `<form action="` + attr("javascript:"+js) + `"><input type="submit"></form>`
	}},
	{"button formaction javascript:", func(js string) string {
		return `<form><button formaction="` + attr("javascript:"+js) + `">x</button></form>`
	}},
	{"object data javascript:", func(js string) string {
		return `<object width="8" height="8" data="` + attr("javascript:"+js) + `"></object>`
	}},
	{"object data data:text/html script", func(js string) string {
		return `<object width="8" height="8" data="` + attr("data:text/html,<script>"+js+"</script>") + `"></object>`
	}},
	{"embed src javascript:", func(js string) string { return `<embed width="8" height="8" src="` + attr("javascript:"+js) + `">` }},
	{"embed src data:image/svg+xml onload", func(js string) string {
		return `<embed width="8" height="8" type="image/svg+xml" src="` + attr(`data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="`+js+`"/>`) + `">`
	}},
	{"img src javascript:", func(js string) string { return `<img width="8" height="8" src="` + attr("javascript:"+js) + `">` }},
	{"link stylesheet href javascript:", func(js string) string { return `<link rel="stylesheet" href="` + attr("javascript:"+js) + `">` }},
	{"JaVaScRiPt: with tab and entity", func(js string) string {
		return `<iframe width="8" height="8" src="` + "JaVa&#x09;ScRiPt&colon;" + attr(js) + `"></iframe>`
	}},
	{"css expression()", func(js string) string { return box("width:expression(" + js + ")") }},
	{"css url(javascript:)", func(js string) string { return box("background:url(" + cssString("javascript:"+js) + ")") }},
	{"details open ontoggle", func(js string) string {
		return `<details open ontoggle="` + attr(js) + `"><summary>x</summary></details>`
	}},
	{"input autofocus onfocus", func(js string) string { return `<input autofocus onfocus="` + attr(js) + `">` }},
	{"video source onerror", func(js string) string {
		return `<video width="8" height="8"><source src="data:," onerror="` + attr(js) + `"></video>`
	}},
	{"marquee onstart", func(js string) string { return `<marquee width="8" onstart="` + attr(js) + `">x</marquee>` }},
	{"math mtext table mglyph style breakout", func(js string) string {
		return `<math><mtext><table><mglyph><style><img src="data:," onerror="` + attr(js) + `">`
	}},
	{"svg style breakout", func(js string) string {
		return `<svg><style><img src="data:," onerror="` + attr(js) + `"></style></svg>`
	}},
	{"noscript title breakout", func(js string) string {
		return `<noscript><p title="</noscript><img src=data:, onerror='` + attr(js) + `'>"></p></noscript>`
	}},
	{"template script", func(js string) string {
		return `<template><script>` + js + `</script><img src="data:," onerror="` + attr(js) + `"></template>`
	}},
	{"shadow root script and handler", func(js string) string {
		return `<div><template shadowrootmode="open"><script>` + js + `</script><img src="data:," onerror="` + attr(js) + `"></template></div>`
	}},
	{"svg foreignObject img onerror", func(js string) string {
		return `<svg width="8" height="8"><foreignObject width="8" height="8"><img src="data:," onerror="` + attr(js) + `"></foreignObject></svg>`
	}},
	{"textarea breakout", func(js string) string {
		return `<textarea></textarea><img src="data:," onerror="` + attr(js) + `"></textarea>`
	}},
	{"title breakout in svg", func(js string) string {
		return `<svg><title><img src="data:," onerror="` + attr(js) + `"></title></svg>`
	}},
}
