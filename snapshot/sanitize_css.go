package snapshot

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// CSS URLs. A browser loads what a style sheet names in url() (quoted or
// not, with the function name in any case or written with escapes), in
// the string after @import, and in strings inside image-set(),
// -webkit-image-set(), image() and src(). rewriteCSS finds exactly those
// the way CSS Syntax Level 3 tokenizes them (comments, strings and
// escapes honoured), erring on the side of finding too many: a url( the
// browser would not read as a URL is rewritten too, which is harmless,
// while one it reads and the scanner misses would be a hole.

// cssURLFuncs are functions whose string arguments are URLs.
var cssURLFuncs = map[string]bool{"url": true, "image-set": true, "-webkit-image-set": true, "image": true, "src": true}

// rewriteCSS returns css with every URL replaced by f(kind, url) (f gets
// the URL with CSS escapes decoded, and returns it to keep it). Tokens f
// keeps are copied byte for byte; replaced ones are written as
// url("...") or "..." with the value escaped. A url( token the browser
// would reject (a bad url) is replaced by NeutralURL without asking f.
func rewriteCSS(css string, f func(kind URLKind, ref string) string) string {
	// Every URL the scanner below finds is inside a function (after a
	// "(") or in an at-rule's prelude (after an "@"), both literal
	// bytes (escaped, they are parts of names): without either there is
	// nothing to rewrite, as in most style attributes.
	if strings.IndexByte(css, '(') < 0 && strings.IndexByte(css, '@') < 0 {
		return css
	}
	return scanCSS(css, f)
}

// scanCSS is rewriteCSS without its shortcut.
func scanCSS(css string, f func(kind URLKind, ref string) string) string {
	var out []byte
	last := 0
	replace := func(start, end int, text string) {
		if out == nil {
			out = make([]byte, 0, len(css)+64)
		}
		out = append(out, css[last:start]...)
		out = append(out, text...)
		last = end
	}
	// funcs is the stack of open parentheses: whether strings directly
	// inside are URLs.
	var funcs []bool
	// at is the at-rule whose prelude is being read ("import",
	// "namespace"), until its ; or {; atDone once its URL was seen.
	at, atDepth, atDone := "", 0, false
	urlKind := func() URLKind {
		if at == "namespace" {
			return URLNamespace
		}
		return URLResource
	}
	for i := 0; i < len(css); {
		c := css[i]
		switch {
		case c == '/' && i+1 < len(css) && css[i+1] == '*':
			end := strings.Index(css[i+2:], "*/")
			if end < 0 {
				i = len(css)
			} else {
				i += end + 4
			}
		case c == '"' || c == '\'':
			end, val := cssString(css, i)
			isURL := len(funcs) > 0 && funcs[len(funcs)-1]
			if at != "" && !atDone && len(funcs) == atDepth {
				isURL, atDone = true, true
			}
			if isURL {
				if r := cssURL(urlKind(), val, f); r != val {
					replace(i, end, CSSQuote(r))
				}
			}
			i = end
		case c == '@':
			name, end := cssName(css, i+1)
			switch strings.ToLower(name) {
			case "import", "namespace":
				at, atDepth, atDone = strings.ToLower(name), len(funcs), false
			}
			i = max(end, i+1)
		case c == '(':
			funcs = append(funcs, false)
			i++
		case c == ')':
			if len(funcs) > 0 {
				funcs = funcs[:len(funcs)-1]
			}
			i++
		case c == ';' || c == '{' || c == '}':
			if len(funcs) <= atDepth {
				at = ""
			}
			i++
		case c == '\\' || isCSSName(c):
			name, end := cssName(css, i)
			if end == i { // a backslash that escapes nothing
				i++
				continue
			}
			if end >= len(css) || css[end] != '(' {
				i = end
				continue
			}
			lname := strings.ToLower(name)
			if lname == "url" {
				if tokEnd, val, ok := cssURLToken(css, end+1); tokEnd > 0 {
					if at != "" && len(funcs) == atDepth {
						atDone = true
					}
					switch {
					case !ok:
						replace(i, tokEnd, `url("`+NeutralURL+`")`)
					default:
						if r := cssURL(urlKind(), val, f); r != val {
							replace(i, tokEnd, "url("+CSSQuote(r)+")")
						}
					}
					i = tokEnd
					continue
				}
			}
			if cssURLFuncs[lname] && at != "" && len(funcs) == atDepth {
				// url("…") (a function, not a url token) is the at-rule's
				// URL as much as url(…) is: what follows is not.
				atDone = true
			}
			funcs = append(funcs, cssURLFuncs[lname])
			i = end + 1
		default:
			i++
		}
	}
	if out == nil {
		return css
	}
	return string(append(out, css[last:]...))
}

// cssURL applies the rules to one URL of a style sheet: script URLs
// become NeutralURL, others go to f.
func cssURL(kind URLKind, ref string, f func(URLKind, string) string) string {
	if scriptURL(ref) {
		return NeutralURL
	}
	if f == nil {
		return ref
	}
	return f(kind, ref)
}

func isCSSName(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c >= 0x80 || c == 0
}

func isCSSNewline(c byte) bool { return c == '\n' || c == '\r' || c == '\f' }

func isCSSSpace(c byte) bool { return c == ' ' || c == '\t' || isCSSNewline(c) }

// cssName reads a run of name characters and escapes from i and returns
// it decoded, with the index after it.
func cssName(css string, i int) (string, int) {
	// Most names have no escapes: they are the text itself.
	j := i
	for j < len(css) && isCSSName(css[j]) {
		j++
	}
	if j == len(css) || css[j] != '\\' {
		return css[i:j], j
	}
	var b strings.Builder
	for i < len(css) {
		c := css[i]
		switch {
		case c == '\\':
			if i+1 >= len(css) || isCSSNewline(css[i+1]) {
				return b.String(), i
			}
			r, n := cssEscape(css, i+1)
			b.WriteRune(r)
			i = n
		case isCSSName(c):
			b.WriteByte(c)
			i++
		default:
			return b.String(), i
		}
	}
	return b.String(), i
}

// cssEscape decodes the escape whose first character (after the
// backslash) is at i: up to six hex digits and one whitespace, or one
// character. It returns the rune and the index after the escape.
func cssEscape(css string, i int) (rune, int) {
	j := i
	for j < len(css) && j-i < 6 && isHex(css[j]) {
		j++
	}
	if j == i {
		r, size := utf8.DecodeRuneInString(css[i:])
		return r, i + size
	}
	v, _ := strconv.ParseUint(css[i:j], 16, 32)
	if j < len(css) && isCSSSpace(css[j]) {
		if css[j] == '\r' && j+1 < len(css) && css[j+1] == '\n' {
			j++
		}
		j++
	}
	if v == 0 || v > utf8.MaxRune || (v >= 0xd800 && v <= 0xdfff) {
		return utf8.RuneError, j
	}
	return rune(v), j
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// cssString reads the string token whose quote is at i, the way a
// browser does (an unescaped newline ends it, as a bad string), and
// returns the index after it and its decoded value.
func cssString(css string, i int) (int, string) {
	q := css[i]
	var b strings.Builder
	for i++; i < len(css); {
		c := css[i]
		switch {
		case c == q:
			return i + 1, b.String()
		case isCSSNewline(c):
			return i, b.String()
		case c == '\\':
			switch {
			case i+1 >= len(css):
				i++
			case css[i+1] == '\r' && i+2 < len(css) && css[i+2] == '\n':
				i += 3
			case isCSSNewline(css[i+1]):
				i += 2
			default:
				r, n := cssEscape(css, i+1)
				b.WriteRune(r)
				i = n
			}
		default:
			b.WriteByte(c)
			i++
		}
	}
	return i, b.String()
}

// cssURLToken reads what follows "url(" at i. For an unquoted URL it
// returns the index after the closing parenthesis, the decoded URL and
// ok; ok is false for a bad url (the browser drops it). end is 0 when the
// argument is a string (url("...") is a function: its string is read as
// one).
func cssURLToken(css string, i int) (end int, val string, ok bool) {
	for i < len(css) && isCSSSpace(css[i]) {
		i++
	}
	if i < len(css) && (css[i] == '"' || css[i] == '\'') {
		return 0, "", false
	}
	var b strings.Builder
	for i < len(css) {
		c := css[i]
		switch {
		case c == ')':
			return i + 1, b.String(), true
		case isCSSSpace(c):
			for i < len(css) && isCSSSpace(css[i]) {
				i++
			}
			if i >= len(css) {
				return i, b.String(), true
			}
			if css[i] == ')' {
				return i + 1, b.String(), true
			}
			return badURL(css, i), "", false
		case c == '"' || c == '\'' || c == '(' || c <= 0x08 || c == 0x0b || (c >= 0x0e && c <= 0x1f) || c == 0x7f:
			return badURL(css, i), "", false
		case c == '\\':
			if i+1 >= len(css) || isCSSNewline(css[i+1]) {
				return badURL(css, i), "", false
			}
			r, n := cssEscape(css, i+1)
			b.WriteRune(r)
			i = n
		default:
			b.WriteByte(c)
			i++
		}
	}
	return i, b.String(), true
}

// badURL consumes the remnants of a bad url from i: up to and including
// the next unescaped ')'.
func badURL(css string, i int) int {
	for i < len(css) {
		switch css[i] {
		case ')':
			return i + 1
		case '\\':
			if i+1 < len(css) {
				i++
			}
		}
		i++
	}
	return i
}

// CSSQuote writes s as a double-quoted CSS string.
func CSSQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
			b.WriteString(`\` + strconv.FormatUint(uint64(c), 16) + " ")
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
