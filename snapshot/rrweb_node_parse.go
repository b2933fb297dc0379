package snapshot

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// A reader of rrweb nodes faster than encoding/json's reflection, which
// costs a third of a replay build's time on full snapshots of several
// megabytes. It reads the plain form recorders write: exact lowercase
// keys without escapes, each at most once, values of the fields' types,
// strings without \u escapes in valid UTF-8. On anything else (which
// includes every malformed input) it gives up, and the caller decodes
// with encoding/json, so both ways give the same nodes and the same
// errors.

// maxFastNesting bounds the nesting fastNodes reads: below
// encoding/json's own bound (10000 levels), so the inputs past it fail
// there, with its error.
const maxFastNesting = 9000

// fastParser reads one JSON value from b.
type fastParser struct {
	b     []byte
	i     int
	depth int
}

// parseFastFullSnapshot reads a FullSnapshot event's data the plain way;
// ok false means: decode with encoding/json.
func parseFastFullSnapshot(data []byte) (fs FullSnapshot, ok bool) {
	p := &fastParser{b: data}
	var seenNode, seenOffset bool
	ok = p.object(func(key []byte) bool {
		switch string(key) {
		case "node":
			if seenNode {
				return false
			}
			seenNode = true
			n, ok := p.node()
			fs.Node = n
			return ok && n != nil
		case "initialOffset":
			if seenOffset {
				return false
			}
			seenOffset = true
			var seenL, seenT bool
			return p.object(func(key []byte) bool {
				var ok bool
				switch string(key) {
				case "left":
					if seenL {
						return false
					}
					seenL = true
					fs.InitialOffset.Left, ok = p.float()
				case "top":
					if seenT {
						return false
					}
					seenT = true
					fs.InitialOffset.Top, ok = p.float()
				default:
					return p.unknown(key, "left", "top")
				}
				return ok
			})
		}
		return p.unknown(key, "node", "initialOffset")
	})
	return fs, ok && p.end()
}

// parseFastNode reads a node the plain way; ok false means: decode with
// encoding/json.
func parseFastNode(data []byte) (*Node, bool) {
	p := &fastParser{b: data}
	n, ok := p.node()
	return n, ok && p.end()
}

// nodeKeys are the JSON keys of Node's fields.
var nodeKeys = []string{"type", "id", "tagName", "attributes", "childNodes", "textContent", "name", "publicId",
	"systemId", "compatMode", "isSVG", "needBlock", "isCustom", "isStyle", "rootId", "isShadowHost", "isShadow"}

// node reads a node object, or null (a nil node).
func (p *fastParser) node() (*Node, bool) {
	if p.literal("null") {
		return nil, true
	}
	n := &Node{}
	var seen uint32
	ok := p.object(func(key []byte) bool {
		f := -1
		for i, k := range nodeKeys {
			if string(key) == k {
				f = i
				break
			}
		}
		if f < 0 {
			return p.unknown(key, nodeKeys...)
		}
		if seen&(1<<f) != 0 {
			return false
		}
		seen |= 1 << f
		var ok bool
		switch f {
		case 0:
			var t int
			t, ok = p.int()
			n.Type = NodeType(t)
		case 1:
			n.ID, ok = p.int()
		case 14:
			n.RootID, ok = p.int()
		case 2:
			n.TagName, ok = p.string()
		case 5:
			n.TextContent, ok = p.string()
		case 6:
			n.Name, ok = p.string()
		case 7:
			n.PublicID, ok = p.string()
		case 8:
			n.SystemID, ok = p.string()
		case 9:
			n.CompatMode, ok = p.string()
		case 10:
			n.IsSVG, ok = p.bool()
		case 11:
			n.NeedBlock, ok = p.bool()
		case 12:
			n.IsCustom, ok = p.bool()
		case 13:
			n.IsStyle, ok = p.bool()
		case 15:
			n.IsShadowHost, ok = p.bool()
		case 16:
			n.IsShadow, ok = p.bool()
		case 3:
			if p.peek() != '{' {
				return false
			}
			var v any
			v, ok = p.value()
			n.Attributes, _ = v.(map[string]any)
		case 4:
			if p.peek() != '[' {
				return false
			}
			n.ChildNodes = []*Node{}
			ok = p.array(func() bool {
				c, ok := p.node()
				n.ChildNodes = append(n.ChildNodes, c)
				return ok
			})
		}
		return ok
	})
	return n, ok
}

// unknown skips the value of a key that is none of known; it gives up
// when encoding/json would match the key to one of them anyway (it
// ignores case).
func (p *fastParser) unknown(key []byte, known ...string) bool {
	for _, k := range known {
		if bytes.EqualFold(key, []byte(k)) {
			return false
		}
	}
	_, ok := p.value()
	return ok
}

func (p *fastParser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// peek returns the next byte after white space, 0 at the end.
func (p *fastParser) peek() byte {
	p.space()
	if p.i < len(p.b) {
		return p.b[p.i]
	}
	return 0
}

// end reports whether only white space is left.
func (p *fastParser) end() bool {
	p.space()
	return p.i == len(p.b)
}

// literal consumes word (null, true, false) when it comes next.
func (p *fastParser) literal(word string) bool {
	p.space()
	if !bytes.HasPrefix(p.b[p.i:], []byte(word)) {
		return false
	}
	p.i += len(word)
	return true
}

// object reads an object, calling f with each key (without escapes: any
// gives up) to read its value.
func (p *fastParser) object(f func(key []byte) bool) bool {
	return p.seq('{', '}', func() bool {
		if p.peek() != '"' {
			return false
		}
		k := stringStop(p.b[p.i+1:])
		if k < 0 || p.b[p.i+1+k] != '"' {
			return false
		}
		key := p.b[p.i+1 : p.i+1+k]
		if !plainText(key) {
			return false
		}
		p.i += k + 2
		if p.peek() != ':' {
			return false
		}
		p.i++
		return f(key)
	})
}

// array reads an array, calling f to read each element.
func (p *fastParser) array(f func() bool) bool { return p.seq('[', ']', f) }

// seq reads an object or array: open, elements that f reads separated by
// commas, close.
func (p *fastParser) seq(open, close byte, f func() bool) bool {
	if p.peek() != open {
		return false
	}
	if p.depth++; p.depth > maxFastNesting {
		return false
	}
	p.i++
	if p.peek() == close {
		p.i++
		p.depth--
		return true
	}
	for {
		if !f() {
			return false
		}
		switch p.peek() {
		case ',':
			p.i++
		case close:
			p.i++
			p.depth--
			return true
		default:
			return false
		}
	}
}

// string reads a string without \u escapes, in valid UTF-8.
func (p *fastParser) string() (string, bool) { return p.quoted(false) }

// fullString reads a string as encoding/json does, \u escapes included
// (Go's encoder writes <, > and & as \u escapes, Python's everything past
// ASCII), in valid UTF-8 without control characters.
func (p *fastParser) fullString() (string, bool) { return p.quoted(true) }

// quoted reads a string in valid UTF-8 without control characters, with
// its \u escapes when u is set, else giving up on them.
func (p *fastParser) quoted(u bool) (string, bool) {
	if p.peek() != '"' {
		return "", false
	}
	start := p.i + 1
	var sb *strings.Builder
	for j := start; ; {
		// A run of ASCII up to the stop needs no UTF-8 check (most of
		// a recording's text); past the first other byte, the run is
		// found and checked the general way.
		k := plainRun(p.b[j:], true)
		ascii := k < 0 || p.b[j+k] < 0x80
		if !ascii {
			k = stringStop(p.b[j:])
		}
		if k < 0 || p.b[j+k] < 0x20 {
			return "", false
		}
		seg := p.b[j : j+k]
		if !ascii && !plainText(seg) {
			return "", false
		}
		j += k
		if p.b[j] == '"' {
			p.i = j + 1
			if sb == nil {
				return string(p.b[start:j]), true
			}
			sb.Write(seg)
			return sb.String(), true
		}
		if sb == nil {
			sb = &strings.Builder{}
		}
		sb.Write(seg)
		if j+1 >= len(p.b) {
			return "", false
		}
		switch c := p.b[j+1]; c {
		case '"', '\\', '/':
			sb.WriteByte(c)
		case 'b':
			sb.WriteByte('\b')
		case 'f':
			sb.WriteByte('\f')
		case 'n':
			sb.WriteByte('\n')
		case 'r':
			sb.WriteByte('\r')
		case 't':
			sb.WriteByte('\t')
		case 'u':
			r := hex4(p.b[j+2:])
			if !u || r < 0 {
				return "", false
			}
			j += 6
			if utf16.IsSurrogate(r) {
				// A pair makes one rune, as encoding/json reads it;
				// anything else is U+FFFD, and what follows is read on
				// its own.
				r2 := rune(-1)
				if j+1 < len(p.b) && p.b[j] == '\\' && p.b[j+1] == 'u' {
					r2 = hex4(p.b[j+2:])
				}
				if d := utf16.DecodeRune(r, r2); d != unicode.ReplacementChar {
					r, j = d, j+6
				} else {
					r = unicode.ReplacementChar
				}
			}
			sb.WriteRune(r)
			continue
		default:
			return "", false
		}
		j += 2
	}
}

// hex4 reads the four hex digits at the start of b, or -1.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// plainText reports whether b can stand in a JSON string as it is:
// valid UTF-8 without control characters.
func plainText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 {
			return false
		}
	}
	return utf8.Valid(b)
}

// number returns the next number's text as JSON writes numbers.
func (p *fastParser) number() ([]byte, bool) {
	p.space()
	j := p.i
	if j < len(p.b) && p.b[j] == '-' {
		j++
	}
	digits := func() int {
		k := j
		for j < len(p.b) && p.b[j] >= '0' && p.b[j] <= '9' {
			j++
		}
		return j - k
	}
	start := j
	n := digits()
	if n == 0 || n > 1 && p.b[start] == '0' {
		return nil, false
	}
	if j < len(p.b) && p.b[j] == '.' {
		j++
		if digits() == 0 {
			return nil, false
		}
	}
	if j < len(p.b) && (p.b[j] == 'e' || p.b[j] == 'E') {
		j++
		if j < len(p.b) && (p.b[j] == '+' || p.b[j] == '-') {
			j++
		}
		if digits() == 0 {
			return nil, false
		}
	}
	s := p.b[p.i:j]
	p.i = j
	return s, true
}

// int reads an integer that fits an int (as encoding/json reads one).
func (p *fastParser) int() (int, bool) {
	s, ok := p.number()
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(string(s), 10, 0)
	return int(n), err == nil
}

// float reads a number as a float64.
func (p *fastParser) float() (float64, bool) {
	s, ok := p.number()
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(s), 64)
	return f, err == nil
}

func (p *fastParser) bool() (bool, bool) {
	if p.literal("true") {
		return true, true
	}
	return false, p.literal("false")
}

// value reads any value as encoding/json does into an any: objects as
// map[string]any, arrays as []any, numbers as float64.
func (p *fastParser) value() (any, bool) {
	switch c := p.peek(); {
	case c == '{':
		m := map[string]any{}
		ok := p.object(func(key []byte) bool {
			v, ok := p.value()
			m[string(key)] = v
			return ok
		})
		return m, ok
	case c == '[':
		a := []any{}
		ok := p.array(func() bool {
			v, ok := p.value()
			a = append(a, v)
			return ok
		})
		return a, ok
	case c == '"':
		return p.string()
	case c == 't' || c == 'f':
		return p.bool()
	case c == 'n':
		return nil, p.literal("null")
	}
	return p.float()
}

// DecodeEventData reads data, an event's data object, as encoding/json
// reads it into an any, and its "id" and "type" as encoding/json reads
// them into the int fields of a struct (0 when absent), the fast way. ok
// false means: decode with encoding/json, which then gives the same
// values or its error. It gives up on keys that encoding/json would match
// to id or type ignoring case, and on id or type values that are not
// integers.
func DecodeEventData(data []byte) (v map[string]any, id, typ int, ok bool) {
	p := &fastParser{b: data}
	v = map[string]any{}
	ok = p.object(func(key []byte) bool {
		var n *int
		switch {
		case string(key) == "id":
			n = &id
		case string(key) == "type":
			n = &typ
		case bytes.EqualFold(key, []byte("id")) || bytes.EqualFold(key, []byte("type")):
			return false
		default:
			x, ok := p.value()
			v[string(key)] = x
			return ok
		}
		s, ok := p.number()
		if !ok {
			return false
		}
		i, err := strconv.ParseInt(string(s), 10, 0)
		f, ferr := strconv.ParseFloat(string(s), 64)
		if err != nil || ferr != nil {
			return false
		}
		*n, v[string(key)] = int(i), f
		return true
	})
	return v, id, typ, ok && p.end()
}
