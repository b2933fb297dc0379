package snapshot

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"
)

// elementScanner reads the elements of a JSON array from a stream, each
// checked for syntax as encoding/json checks it, faster than
// json.Decoder: its state machine takes a function call per byte and
// Decode scans every element twice, which cost a fifth of a replay
// build. Strings, most of a recording's bytes, are crossed eight bytes
// at a time (stringStop).
type elementScanner struct {
	r      io.Reader
	buf    []byte
	pos    int   // buf[:pos] is consumed
	off    int64 // the stream offset of buf[0]
	eof    bool
	err    error // the reader's error, io.EOF at the end
	first  bool  // no element read yet
	padded bool  // a space was added after the end of the stream
}

// errNeedMore is scanValue's signal that the value goes past the data
// read so far.
var errNeedMore = &json.SyntaxError{}

// maxScanNesting is encoding/json's bound on nesting.
const maxScanNesting = 10000

// elementScanner errors (wrapped as the EventDecoder wraps
// json.Decoder's).
type scanError struct {
	msg    string
	offset int64 // stream offset of the offending byte
}

func (e *scanError) Error() string { return e.msg }

func newElementScanner(r io.Reader) *elementScanner {
	return &elementScanner{r: r, first: true}
}

// fill reads more of the stream: at least as much as is buffered, so
// rescanning a long value costs at most as much again.
func (s *elementScanner) fill() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 && s.pos >= len(s.buf)/2 {
		n := copy(s.buf, s.buf[s.pos:])
		s.buf, s.off, s.pos = s.buf[:n], s.off+int64(s.pos), 0
	}
	want := max(64<<10, len(s.buf))
	if cap(s.buf)-len(s.buf) < want {
		nb := make([]byte, len(s.buf), len(s.buf)+want)
		copy(nb, s.buf)
		s.buf = nb
	}
	// Reads until want bytes came: a reader handing out little at a
	// time must not make every rescan cover the whole value again.
	n, err := io.ReadAtLeast(s.r, s.buf[len(s.buf):cap(s.buf)], want)
	s.buf = s.buf[:len(s.buf)+n]
	if err == io.ErrUnexpectedEOF {
		err = io.EOF
	}
	if err != nil {
		s.eof, s.err = true, err
	}
	return n > 0
}

// space skips white space, reading more as needed; false at the end of
// the stream.
func (s *elementScanner) space() bool {
	for {
		for s.pos < len(s.buf) {
			switch s.buf[s.pos] {
			case ' ', '\t', '\n', '\r':
				s.pos++
				continue
			}
			return true
		}
		if !s.fill() {
			return false
		}
	}
}

// more reports whether another element follows (consuming the comma
// before it), or consumes the closing ] and reports false.
func (s *elementScanner) more() (bool, error) {
	if !s.space() {
		return false, s.truncated()
	}
	switch c := s.buf[s.pos]; {
	case c == ']':
		s.pos++
		return false, nil
	case !s.first && c != ',':
		return false, s.syntax(s.pos, "invalid character "+quoteChar(c)+" after array element")
	case !s.first:
		s.pos++
		if !s.space() {
			return false, s.truncated()
		}
	}
	s.first = false
	return true, nil
}

// value returns the next value (a copy); more said there is one.
func (s *elementScanner) value() ([]byte, error) {
	for {
		end, err := scanValue(s.buf, s.pos, 0)
		if err == errNeedMore {
			if s.fill() {
				continue
			}
			if !s.padded && s.err == io.EOF {
				// A number can end the stream (as "1" ends "[1"): a
				// space after the end is the same stream.
				s.buf, s.padded = append(s.buf, ' '), true
				continue
			}
			return nil, s.truncated()
		}
		if se, ok := err.(*scanError); ok {
			se.offset += s.off
			return nil, se
		}
		raw := bytes.Clone(s.buf[s.pos:end])
		s.pos = end
		return raw, nil
	}
}

// rest is what follows the consumed bytes: the buffered data, then the
// stream.
func (s *elementScanner) rest() io.Reader {
	return io.MultiReader(bytes.NewReader(s.buf[s.pos:]), s.r)
}

func (s *elementScanner) truncated() error {
	if s.err != nil && s.err != io.EOF {
		return s.err
	}
	return io.ErrUnexpectedEOF
}

func (s *elementScanner) syntax(i int, msg string) error {
	return &scanError{msg: msg, offset: s.off + int64(i)}
}

func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(c))
	return "'" + s[1:len(s)-1] + "'"
}

// scanValue returns the index just past the JSON value at b[i] (no white
// space before it), errNeedMore when b ends before the value does, or a
// *scanError at the first byte encoding/json would reject (offsets in b).
func scanValue(b []byte, i, depth int) (int, error) {
	if i >= len(b) {
		return 0, errNeedMore
	}
	bad := func(j int, what string) (int, error) {
		if j >= len(b) {
			return 0, errNeedMore
		}
		return 0, &scanError{msg: "invalid character " + quoteChar(b[j]) + " " + what, offset: int64(j)}
	}
	switch c := b[i]; {
	case c == '"':
		return scanString(b, i)
	case c == '{' || c == '[':
		if depth+1 > maxScanNesting {
			return 0, &scanError{msg: "exceeded max depth", offset: int64(i)}
		}
		closer := byte('}')
		if c == '[' {
			closer = ']'
		}
		i = skipWS(b, i+1)
		if i < len(b) && b[i] == closer {
			return i + 1, nil
		}
		for {
			if i >= len(b) {
				return 0, errNeedMore
			}
			var err error
			if c == '{' {
				if b[i] != '"' {
					return bad(i, "looking for beginning of object key string")
				}
				if i, err = scanString(b, i); err != nil {
					return 0, err
				}
				if i = skipWS(b, i); i >= len(b) || b[i] != ':' {
					return bad(i, "after object key")
				}
				i = skipWS(b, i+1)
			}
			if i, err = scanValue(b, i, depth+1); err != nil {
				return 0, err
			}
			i = skipWS(b, i)
			switch {
			case i >= len(b):
				return 0, errNeedMore
			case b[i] == closer:
				return i + 1, nil
			case b[i] == ',':
				i = skipWS(b, i+1)
			case c == '{':
				return bad(i, "after object key:value pair")
			default:
				return bad(i, "after array element")
			}
		}
	case c == 't' || c == 'f' || c == 'n':
		word := "null"
		if c == 't' {
			word = "true"
		} else if c == 'f' {
			word = "false"
		}
		for k := 1; k < len(word); k++ {
			if i+k >= len(b) {
				return 0, errNeedMore
			}
			if b[i+k] != word[k] {
				return bad(i+k, "in literal "+word+" (expecting "+quoteChar(word[k])+")")
			}
		}
		return afterScalar(b, i+len(word))
	case c == '-' || c >= '0' && c <= '9':
		return scanNumber(b, i)
	}
	return bad(i, "looking for beginning of value")
}

// afterScalar returns i, the end of a literal, unless b ends there: what
// follows decides whether it is whole.
func afterScalar(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errNeedMore
	}
	return i, nil
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// scanString returns the index past the string at b[i] (its quote).
func scanString(b []byte, i int) (int, error) {
	for j := i + 1; ; {
		k := stringStop(b[j:])
		if k < 0 {
			return 0, errNeedMore
		}
		j += k
		switch b[j] {
		case '"':
			return j + 1, nil
		case '\\':
			if j+1 >= len(b) {
				return 0, errNeedMore
			}
			switch b[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				for h := j + 2; h < j+6; h++ {
					if h >= len(b) {
						return 0, errNeedMore
					}
					if !strings.ContainsRune("0123456789abcdefABCDEF", rune(b[h])) {
						return 0, &scanError{msg: "invalid character " + quoteChar(b[h]) + " in \\u hexadecimal character escape", offset: int64(h)}
					}
				}
				j += 6
			default:
				return 0, &scanError{msg: "invalid character " + quoteChar(b[j+1]) + " in string escape code", offset: int64(j + 1)}
			}
		default:
			return 0, &scanError{msg: "invalid character " + quoteChar(b[j]) + " in string literal", offset: int64(j)}
		}
	}
}

// scanNumber returns the index past the number at b[i].
func scanNumber(b []byte, i int) (int, error) {
	j := i
	if b[j] == '-' {
		j++
	}
	digits := func() (int, error) {
		k := j
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		if j >= len(b) {
			return 0, errNeedMore
		}
		return j - k, nil
	}
	bad := func(what string) (int, error) {
		return 0, &scanError{msg: "invalid character " + quoteChar(b[j]) + " " + what, offset: int64(j)}
	}
	if j >= len(b) {
		return 0, errNeedMore
	}
	if b[j] == '0' {
		j++
		if j >= len(b) {
			return 0, errNeedMore
		}
	} else if n, err := digits(); err != nil {
		return 0, err
	} else if n == 0 {
		return bad("in numeric literal")
	}
	if b[j] == '.' {
		j++
		if n, err := digits(); err != nil {
			return 0, err
		} else if n == 0 {
			return bad("after decimal point in numeric literal")
		}
	}
	if b[j] == 'e' || b[j] == 'E' {
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		if n, err := digits(); err != nil {
			return 0, err
		} else if n == 0 {
			return bad("in exponent of numeric literal")
		}
	}
	return j, nil
}

// stringStop returns the index of the first byte of b that ends or
// interrupts a run of a JSON string's plain text (a quote, a backslash,
// a control character), or -1.
func stringStop(b []byte) int { return plainRun(b, false) }

// plainRun returns the index of the first quote, backslash or control
// character of b (and, with high, of the first byte past ASCII), or -1.
// It tests eight bytes at a time: a word has a byte equal to c when
// (w^c·0101…) has a zero byte, one below 0x20 when w-20·0101… borrows
// into a clear high bit; a borrow only ever follows a byte that does, so
// no stop is missed or invented.
func plainRun[T string | []byte](b T, high bool) int {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	var mask uint64
	if high {
		mask = hi
	}
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := uint64(b[i]) | uint64(b[i+1])<<8 | uint64(b[i+2])<<16 | uint64(b[i+3])<<24 |
			uint64(b[i+4])<<32 | uint64(b[i+5])<<40 | uint64(b[i+6])<<48 | uint64(b[i+7])<<56
		q, s := w^(lo*'"'), w^(lo*'\\')
		if ((q-lo)&^q|(s-lo)&^s|(w-lo*0x20)&^w|w&mask)&hi != 0 {
			break
		}
	}
	for ; i < len(b); i++ {
		if c := b[i]; c == '"' || c == '\\' || c < 0x20 || high && c >= 0x80 {
			return i
		}
	}
	return -1
}
