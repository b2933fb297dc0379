// Package replay turns session recordings (rrweb 2.x events, or a Gleap
// webReplay with packed events) into replay bundles that a dashboard can
// stream and seek without downloading the whole session, plus pictures of
// the session.
//
// # Pipeline
//
// The recording model (snapshot.Node, snapshot.Event) and its limits
// (Config.Limits, a snapshot.Limits) are the snapshot package's, shared
// with screenshots of rrweb input. A snapshot.EventDecoder reads the input
// one event at a time (a JSON array of events, {"events": [...]}, a Gleap
// webReplay object or a whole Gleap feedback body; packed Gleap events are
// inflated one by one), so a 100 MB recording is never held in memory.
// Each event is applied to a Mirror, rrweb's DOM rebuilt in Go by node id,
// which enforces the privacy rules and rewrites the event to match. Events are then appended to the current
// segment. A segment ends before the event that crosses
// Config.SegmentDuration (once it carries SnapshotRatio times the bytes of
// its starting snapshot), SegmentEvents or SegmentBytes; the next one
// starts with a Meta and a FullSnapshot that the mirror synthesizes from
// the state at that moment, so a player can start at any segment.
// Segments are gzip-compressed JSON arrays of rrweb events.
//
// Keyframes (every Config.KeyframeInterval, and after each navigation and
// viewport resize) and the poster are the mirror's state at a moment,
// converted to a snapshot.Snapshot (ToSnapshot, through snapshot.FromNode
// on the mirror's tree) and rendered by a Shooter; `kiln replay --at` takes the same path via
// Builder.StateAt.
//
// Subresources referenced by absolute URL (stylesheet links, images,
// srcset, CSS url() in inlined stylesheets and style attributes, and the
// fonts and images those stylesheets reference) are taken from the
// resources the recording carries (Kiln replay JSON, rrweb asset events;
// resources.go) or else fetched once through a Fetcher, stored
// content-addressed as assets/<sha256>, and the events are rewritten to
// "kiln-asset:<sha256>" (or Config.AssetBaseURL + sha256). Pictures are
// rendered with the stored assets they reference and the density the
// input gives. docs/replay.md describes the bundle for player authors.
//
// # Safety
//
// A player replays a bundle in a support engineer's browser, inside
// their network, so a bundle is as safe as a screenshot: every event that
// carries markup, style sheet text or URLs (full snapshots, mutation
// adds, attribute and <style> text mutations, style sheet rules, style
// declarations, adopted style sheets, canvas images, web fonts, Meta
// hrefs) goes through snapshot.Sanitizer, the rules snapshot.Parse
// applies to HTML (no script, no noscript, no meta refresh, no event
// handler, no script URL, embedded objects as empty boxes, iframes
// without src and with a normalized srcdoc), after the privacy rules. Its
// URL hook (urls.go) keeps a URL only when it loads nothing (fragments,
// about:invalid, stored assets, data: images and fonts); a subresource
// becomes its stored asset, and every other URL (links, fetches refused
// or failed, every remote URL when there is no Fetcher) becomes
// snapshot.NeutralURL ("about:invalid") and is listed in
// Manifest.Assets.Removed. Stored style sheets are sanitized the same
// way. Custom, plugin and asset events pass through as data.
//
// # Privacy
//
// Enforced on the server before anything is written, whatever the
// recorder was told: values of password inputs (tracked through
// mutations, including an input whose type changes; once a password field,
// always one) are replaced by same-length '*' in snapshots, attribute
// mutations and Input events; text and values under Config.MaskSelectors
// or class rr-mask are replaced by same-length placeholders (whitespace
// kept); elements matching Config.BlockSelectors or with class rr-block
// lose their children and all attributes except id, class, style,
// rr_width and rr_height (rrweb draws such an element as an empty box of
// the recorded size). A class change that masks or blocks a subtree
// already shown re-sends its text masked, or removes its children.
//
// # Errors
//
// Build and StateAt return errors wrapping ErrInvalid (malformed input or
// configuration), ErrUnsupported (not a recording) or ErrTooLarge (over a
// Config limit: Limits.MaxRecordingBytes, MaxEvents, MaxNodes and MaxDepth
// of the mirrored DOM, MaxDuration), a Sink error, or the context's error;
// errors from the snapshot package wrap its sentinel too. Malformed,
// out-of-order, untimed and dangling events (a mutation on an unknown
// node), and events over Limits.MaxEventBytes, are skipped with a warning
// in the manifest, never a failure; events before the first Meta +
// FullSnapshot pair are dropped. Warnings never quote
// recorded content.
//
// # Limits of the mirror
//
// Canvas drawing commands are kept only when they carry a picture (a
// data: URL or an image Blob from rrweb's sampled canvas recording): the
// last one becomes the canvas's rr_dataURL. Style sheet edits nested in
// grouping rules are applied by path; edits that rrweb's recorder
// expresses against sheets the mirror never saw are skipped with a
// warning. Web fonts (source 10) and adopted style sheets (source 15) are
// re-sent after every synthetic snapshot. Some recordings lack state (a
// framework that clears a field without an event the recorder sees): the
// mirror cannot recover it and warns when it suspects it.
package replay
