// Package snapshot reads the page snapshots Kiln renders and normalizes
// them into one model, Snapshot, whose HTML a browser can load without
// running anything or reaching anywhere the renderer does not allow.
//
// # Formats
//
// Parse detects the format (Detect names it without reading it all). Gzip
// input is decompressed first.
//
//   - Kiln snapshot JSON (SourceKiln), version 1, documented in
//     docs/snapshot.md with a JSON Schema: {version, url, html | rrweb,
//     viewport, scroll, resources, mask}. Unknown fields are rejected.
//   - Gleap (SourceGleap): the feedback body the Gleap JavaScript SDK posts,
//     or only its screenshotData {html, baseUrl, width, height, isMobile, x,
//     y}. The device pixel ratio comes from metaData.devicePixelRatio (else
//     1). The document URL is the page's <base href>, else
//     metaData.currentUrl, else baseUrl (a directory). The SDK's bb-*
//     runtime state is applied (form values, checked state, canvas pixels,
//     element scroll, placeholder sizes, shadow roots, final animation
//     values), the SDK's own UI is removed (the drawing layer
//     .bb-capture-editor stays) and every bb-* attribute is dropped.
//   - rrweb 2.x (SourceRRWeb): an event array (the last FullSnapshot and
//     the Meta before it give the document, URL, window size and scroll;
//     packed string events as Gleap's webReplay sends them are unpacked), or
//     a bare full-snapshot document node. Special attributes are applied:
//     _cssText becomes a <style> (replacing a <link>), rr_dataURL the
//     pixels of a canvas or image, rr_scrollTop/Left element scroll,
//     rr_width/height the size of a blocked box; shadow roots become
//     declarative shadow DOM and recorded iframe documents srcdoc. Nothing
//     is fetched.
//   - Plain HTML (SourceHTML): input starting with "<", or a file name
//     ending in .html or .htm. Its URL is Override.URL or DefaultURL.
//
// Override (the CLI flags) replaces URL, window size, DPR, mobile and
// scroll of any format. The window defaults to 1280x800 at DPR 1.
//
// # Recordings (the rrweb model)
//
// The package also holds the one model of rrweb recordings that Kiln
// uses, for screenshots and replays alike (package replay builds on it):
// Node (a serialized node, NodeDocument ... NodeComment), Event (EventMeta,
// EventFullSnapshot, EventIncremental with its IncrementalSource ...) with
// the data of its Meta and FullSnapshot, ParseEvent, an EventDecoder that
// streams the events of an rrweb array, {"events": [...]}, a Gleap
// webReplay or a whole Gleap body, and UnpackEvent for Gleap's packed
// events. FromNode turns a document node (the replay mirror's state at a
// keyframe) into a Snapshot through the same conversion and normalization
// Parse applies to an rrweb input, without a JSON round trip.
//
// # The normalized HTML (what the renderer can rely on)
//
// Snapshot.HTML is UTF-8, starts <head> with <meta charset="utf-8"> and
// has a <base href> with an absolute http(s) URL (inserted as Snapshot.URL
// when absent; Override.URL replaces an existing one). After it is parsed:
//
//   - no <script> (in any namespace), <noscript>, comments, <meta
//     http-equiv=refresh|set-cookie>, <portal>, <fencedframe>;
//   - no on* attribute, no javascript:/vbscript: URL (as browsers parse
//     them: case, tabs, newlines and leading controls ignored) in href,
//     src, action, formaction, xlink:href and other URL attributes; no
//     autofocus or ping; no SVG animation of href;
//   - no <link rel> of prefetch, preload, preconnect, dns-prefetch,
//     prerender, modulepreload, import, manifest, serviceworker or icons;
//     no <base> with a non-http(s) URL;
//   - <object>, <embed>, <applet> are empty <div> boxes of their declared
//     size (removed when none is known); <iframe> and <frame> have no src
//     and no children, only a srcdoc document normalized the same way (at
//     most 3 levels deep) renders;
//   - privacy, whatever the input says: values of password fields (and
//     fields marked data-rr-is-password or with autocomplete
//     current-password, new-password, one-time-code, cc-number, cc-csc) are
//     one '*' per character; inside elements with class rr-mask or gl-mask
//     or matching Options.Mask / the input's mask selectors, text and field
//     values are one '*' per non-space character; gleap-ignore="value"
//     masks field values below it; elements with class rr-block or gl-block
//     are emptied to a box of their recorded size with a neutral grey
//     background (media elements become <div>); rr-ignore inputs lose their
//     value;
//   - runtime state is in attributes: form state as value / checked /
//     selected / textarea text; AttrCanvas (data-kiln-canvas) on <canvas>
//     holds a data:image URL to paint; AttrScrollTop / AttrScrollLeft give
//     element scroll offsets to apply after layout (the window's scroll is
//     Snapshot.Scroll, never an attribute on <html>); AttrPointer
//     (data-kiln-pointer) on one element says where the mouse was, for
//     :hover; final animation values
//     are !important inline declarations, which win over running CSS
//     animations; shadow roots are <template shadowrootmode="open"> as the
//     host's first child.
//
// The output is serialized, parsed again and checked against these rules
// before it is returned, so the contract holds for the tree Chromium
// builds, not only for the tree Kiln built. Parsing the same input twice
// gives the same bytes.
//
// # Limits and errors
//
// Limits (DefaultLimits, each default documented with its reason) bound
// input bytes (also after gzip, and the HTML converted from rrweb nodes),
// elements, nesting (checked by a linear tokenizer pass before the tree is
// built), viewport, DPR, device pixels, resource count and bytes, and, for
// recordings, the bytes an EventDecoder reads, the events and the bytes of
// one event (packed and inflated). The replay package takes the same
// Limits. Every error wraps exactly one of ErrInvalid
// (malformed), ErrUnsupported (well-formed but not a format Kiln reads) and
// ErrTooLarge (over a limit), with a one-line message that names the field
// or limit and never quotes input content. Parse and FromNode never panic.
package snapshot
