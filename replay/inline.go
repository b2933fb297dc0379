package replay

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Inline data moved out of events. A recording carries images as base64
// data: URLs (rrweb's rr_dataURL of images and canvases, src attributes,
// CSS url()) and style sheets as text (a <link>'s _cssText); every
// synthetic snapshot would repeat them, and base64 is a third larger than
// the bytes and defeats gzip's 32 KB window when repeated. So, as events
// are written to a segment (never in the mirror, whose state keyframes
// and pictures are rendered from), such data becomes an asset: decoded
// bytes stored once as assets/<sha256 of the bytes>, referenced like a
// fetched asset. The mirror, the sanitizer and the privacy rules have
// already run: moving data changes where bytes live, not what they are.
const (
	// minDataURL is the shortest base64 data: URL moved out (characters):
	// below it, the reference (75 bytes, incompressible hex) and the
	// player's extra request cost more than the bytes saved.
	minDataURL = 1 << 10
	// minSheet is the shortest <link> style sheet text moved out (bytes):
	// small sheets cost less inline than an extra request.
	minSheet = 4 << 10
	// transformCacheBytes bounds what the process remembers of
	// recompressed images and compressed sheets (recompress.go).
	transformCacheBytes = 64 << 20
)

// dataURLKeys are the JSON keys before a string that is a URL a browser
// loads as a whole: rrweb's rr_dataURL, element src/href/poster
// attributes (the sanitizer kept only data: URLs of inert types there),
// and a canvas mutation's image argument ({"rr_type":..., "src": ...}).
var dataURLKeys = [][]byte{[]byte(`"rr_dataURL":`), []byte(`"src":`), []byte(`"href":`), []byte(`"xlink:href":`), []byte(`"poster":`)}

// sheetKey starts the _cssText of a <link> as the mirror serializes
// elements (tag first, attributes sorted: _cssText sorts first).
var sheetKey = []byte(`"tagName":"link","attributes":{"_cssText":"`)

// outline returns data (an event's data object) with its large inline
// data moved into assets. It returns data itself when nothing moved, else
// a buffer that the next call reuses.
func (bd *build) outline(data []byte) []byte {
	return bd.outlineData(bd.outlineSheets(data))
}

// outlineSheets moves large <link> style sheet texts into assets.
func (bd *build) outlineSheets(data []byte) []byte {
	var out []byte
	done := 0 // data[:done] is in out
	for i := 0; ; {
		j := indexSheetKey(data[i:])
		if j < 0 {
			break
		}
		j += i + len(sheetKey) - 1 // at the string's opening quote
		end := jsonStringEnd(data, j)
		if end < 0 {
			break
		}
		i = end
		if end-j < minSheet {
			continue
		}
		if ref := bd.sheetAsset(data[j:end]); ref != "" {
			if out == nil {
				out = bd.scratch(0, len(data))
			}
			out = append(append(out, data[done:j]...), ref...)
			done = end
		}
	}
	if out == nil {
		return data
	}
	out = append(out, data[done:]...)
	bd.outBuf[0] = out[:0]
	return out
}

// sheetKeyTail is the rare end of sheetKey that indexSheetKey looks for:
// bytes.Index on all of it starts from a quote, which JSON is full of.
var sheetKeyTail = sheetKey[bytes.LastIndexByte(sheetKey, '_'):]

// indexSheetKey is bytes.Index(data, sheetKey).
func indexSheetKey(data []byte) int {
	head := len(sheetKey) - len(sheetKeyTail)
	for i := head; i <= len(data)-len(sheetKeyTail); {
		j := bytes.Index(data[i:], sheetKeyTail)
		if j < 0 {
			return -1
		}
		if i += j; bytes.Equal(data[i-head:i], sheetKey[:head]) {
			return i - head
		}
		i++
	}
	return -1
}

// outlineData moves large base64 data: URLs into assets.
func (bd *build) outlineData(data []byte) []byte {
	var out []byte
	done := 0 // data[:done] is in out
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("data:"))
		if j < 0 {
			break
		}
		j += i
		i = j + 5
		end, ok := dataURLEnd(data, j)
		if !ok || end-j < minDataURL {
			continue
		}
		if ref := bd.dataAsset(data[j:end]); ref != "" {
			if out == nil {
				out = bd.scratch(1, len(data))
			}
			out = append(append(out, data[done:j]...), ref...)
			done, i = end, end
		}
	}
	if out == nil {
		return data
	}
	out = append(out, data[done:]...)
	bd.outBuf[1] = out[:0]
	return out
}

// scratch returns bd.outBuf[i], empty, with room for n bytes. Each of
// outlineSheets (0) and outlineData (1) writes its output there: it is
// read before the next call (copied into the segment, or unquoted), and
// outlineData runs on a sheet inside outlineSheets, whose output it does
// not touch.
func (bd *build) scratch(i, n int) []byte {
	if cap(bd.outBuf[i]) < n {
		bd.outBuf[i] = make([]byte, 0, n)
	}
	return bd.outBuf[i][:0]
}

// dataURLEnd finds where the data: URL at data[j:] ends, and whether it
// stands where a browser loads it: a whole JSON string after one of
// dataURLKeys, or a CSS url() (bare, or quoted with ' or \"). Whether it
// is base64 of the standard alphabet without escapes, which decodes to
// exactly what the player would have decoded, dataAsset checks.
func dataURLEnd(data []byte, j int) (int, bool) {
	before := data[:j]
	var term byte
	switch {
	case bytes.HasSuffix(before, []byte(`\"`)):
		term, before = '\\', before[:len(before)-2]
	case bytes.HasSuffix(before, []byte(`'`)):
		term, before = '\'', before[:len(before)-1]
	case bytes.HasSuffix(before, []byte(`"`)):
		term, before = '"', before[:len(before)-1]
	default:
		term = ')'
	}
	if term == '"' {
		key := false
		for _, k := range dataURLKeys {
			key = key || bytes.HasSuffix(before, k)
		}
		if !key {
			return 0, false
		}
	} else if !bytes.HasSuffix(bytes.TrimRight(before, " "), []byte("url(")) {
		return 0, false
	}
	// The URL ends at the first terminator; a backslash before it is an
	// escape, which base64 never holds.
	k := bytes.IndexByte(data[j:], term)
	if k < 0 || bytes.IndexByte(data[j:j+k], '\\') >= 0 || term == '\\' && !bytes.HasPrefix(data[j+k:], []byte(`\"`)) {
		return 0, false
	}
	return j + k, true
}

// jsonStringEnd returns the index just past the JSON string whose opening
// quote is data[j], or -1.
func jsonStringEnd(data []byte, j int) int {
	for k := j + 1; k < len(data); k++ {
		q := bytes.IndexByte(data[k:], '"')
		if q < 0 {
			return -1
		}
		k += q
		// The quote ends the string unless an odd number of
		// backslashes escapes it.
		n := 0
		for p := k - 1; p > j && data[p] == '\\'; p-- {
			n++
		}
		if n%2 == 0 {
			return k + 1
		}
	}
	return -1
}

// dataAsset stores the bytes of a base64 data: URL of an inert type and
// returns its reference, or "" to leave the URL inline.
func (bd *build) dataAsset(u []byte) string {
	if r, ok := bd.inlined[string(u)]; ok {
		return r
	}
	ref := ""
	comma := bytes.IndexByte(u, ',')
	head := strings.ToLower(string(u[5:max(comma, 5)]))
	if mt, _, _ := strings.Cut(head, ";"); comma > 0 && len(head) < 256 && strings.HasSuffix(head, ";base64") && inertData(strings.TrimSpace(mt)) {
		// Strict: only canonical base64 (which holds no \r or \n, that
		// the decoder would skip) decodes.
		body := make([]byte, base64.StdEncoding.DecodedLen(len(u)-comma-1))
		if n, err := base64.StdEncoding.Strict().Decode(body, u[comma+1:]); err == nil {
			body, mt = body[:n], strings.TrimSpace(mt)
			if mt == "image/png" && bd.cfg.RecompressImages >= 0 {
				t := transforms.do("png", body, recompressPNG)
				ref = bd.storeInlineNamed(hex.EncodeToString(t.outSum[:]), t.out, mt, "", "data:"+mt)
			} else {
				ref = bd.storeInline(body, mt, "data:"+mt)
			}
		}
	}
	bd.inlined[string(u)] = ref
	return ref
}

// sheetAsset stores a <link>'s style sheet text (the JSON string s) and
// returns the JSON string that replaces it: an @import of the stored
// sheet. rrweb's player turns a <link> with _cssText into a <style> with
// that text, so the sheet's rules stay where they were in the cascade.
func (bd *build) sheetAsset(s []byte) string {
	if r, ok := bd.inlined[string(s)]; ok {
		return r
	}
	ref := ""
	if css, ok := unquoteJSON(bd.outlineData(s)); ok {
		// The sheet's own references resolve against the sheet's URL,
		// which is in the same assets/ folder as theirs.
		css = relativeAssetRefs(css)
		level := bd.cfg.GzipLevel
		gz := transforms.do("gzip"+strconv.Itoa(level), []byte(css), func(b []byte) []byte { return gzipBytes(b, level) })
		if r := bd.storeInlineNamed(hex.EncodeToString(gz.inSum[:]), gz.out, "text/css", "gzip", "inline style sheet"); r != "" {
			b, _ := marshal("@import url(" + r + ");")
			ref = string(b)
		}
	}
	bd.inlined[string(s)] = ref
	return ref
}

// unquoteJSON returns the text of the JSON string s (quotes included),
// as encoding/json reads it, and whether s is one. Strings with only the
// one-character escapes, in valid UTF-8, are read here (a sheet's text
// is large, and encoding/json scans it twice); others go to
// encoding/json.
func unquoteJSON(s []byte) (string, bool) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", false
	}
	body := s[1 : len(s)-1]
	for _, c := range body {
		if c < 0x20 { // JSON escapes control characters
			return "", false
		}
	}
	if !utf8.Valid(body) {
		return unquoteStd(s)
	}
	var b strings.Builder
	b.Grow(len(body))
	for {
		i := bytes.IndexAny(body, "\\\"")
		if i < 0 {
			break
		}
		if body[i] == '"' || i+1 == len(body) {
			return "", false
		}
		b.Write(body[:i])
		switch c := body[i+1]; c {
		case '"', '\\', '/':
			b.WriteByte(c)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		default: // \u escapes, errors
			return unquoteStd(s)
		}
		body = body[i+2:]
	}
	b.Write(body)
	return b.String(), true
}

// unquoteStd reads the JSON string s with encoding/json.
func unquoteStd(s []byte) (string, bool) {
	var v string
	err := json.Unmarshal(s, &v)
	return v, err == nil
}

// relativeAssetRefs replaces the references to stored assets in a stored
// style sheet by their bare names: a browser resolves them against the
// sheet's own URL, assets/<name>, without the player's help.
func relativeAssetRefs(css string) string {
	if !strings.Contains(css, assetScheme) {
		return css
	}
	var b strings.Builder
	for {
		i := strings.Index(css, assetScheme)
		if i < 0 {
			break
		}
		b.WriteString(css[:i])
		css = css[i+len(assetScheme):]
		if !isSHA256Hex(css) {
			b.WriteString(assetScheme)
		}
	}
	b.WriteString(css)
	return b.String()
}

// isSHA256Hex reports whether s starts with 64 lowercase hex digits.
func isSHA256Hex(s string) bool {
	if len(s) < 64 {
		return false
	}
	for i := 0; i < 64; i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// storeInline stores body content-addressed; see storeInlineNamed.
func (bd *build) storeInline(body []byte, ct, shown string) string {
	sum := sha256.Sum256(body)
	return bd.storeInlineNamed(hex.EncodeToString(sum[:]), body, ct, "", shown)
}

// storeInlineNamed stores data (compressed as enc says: "" or "gzip") as
// assets/<name> once per bundle, lists it in the manifest under shown
// (data URLs show their type only) and returns its reference; "" when
// the sink failed (bd.fatal is set).
func (bd *build) storeInlineNamed(name string, data []byte, ct, enc, shown string) string {
	if !bd.assetStore[name] {
		if err := bd.sink.Put(bd.ctx, "assets/"+name, data, ct, enc); err != nil {
			bd.fatal = fmt.Errorf("store asset: %w", err)
			return ""
		}
		bd.assetStore[name] = true
		bd.man.Assets.Items = append(bd.man.Assets.Items, Asset{URL: shown, Name: name, ContentType: ct, Bytes: len(data), Encoding: enc})
	}
	if bd.cfg.AssetBaseURL != "" {
		return bd.cfg.AssetBaseURL + name
	}
	return assetScheme + name
}
