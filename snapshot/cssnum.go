package snapshot

import (
	"math"
	"strconv"
	"strings"
	"sync"
)

// Numbers a browser's CSSOM shortened. rrweb records a page's style
// sheets as the browser serializes them (_cssText, the text of a
// <style>), and Chromium writes every number with at most 6 significant
// digits: Bootstrap's `.col-lg-7{flex:0 0 58.333333%}` comes back as
// 58.3333%. Layout rounds to 1/64 px, and grid columns often land exactly
// on such a step: 7/12 of a 1014 px row is 591.5 px on the live page and
// 591.484375 px from the shortened number, and everything right of the
// column moves by a pixel.
//
// RestoreNumbers gives such a number its full value back when it is the
// 6-digit form of a fraction p/q with q ≤ maxDenominator whose decimals
// repeat (the columns of 12-, 6- and 3-column grids, 1/7, 1/9, 1/11).
// A number of exactly 6 significant digits, 3 or more of them decimals
// (with fewer, several fractions are in reach), is what the serializer
// writes for a longer one, and a grid's author (or Sass, Tailwind,
// Bootstrap's build) wrote the fraction to 8 digits or more. It is
// written back with 10 significant digits, which the browser reads as the
// same single-precision value as those sources. A number written by hand
// with exactly those 6 digits moves by less than a millionth of itself.
// Strings, url(), comments, escapes, identifiers, hashes, unicode ranges
// and numbers in exponent form are left as they are.
const maxDenominator = 12

// RestoreNumbers returns css with its shortened fractions written in full
// (css itself when there is none).
func RestoreNumbers(css string) string {
	if len(css) < minCachedSheet {
		return restoreNumbers(css)
	}
	return restoredSheets.get(css)
}

// The same page's sheets come back in every recording of it, and a replay
// build reads each of them in every full snapshot: the process remembers
// what it made of the larger ones (their text is the key; a lookup hashes
// it, much faster than reading it again), up to maxCachedSheets bytes of
// keys and results, and forgets everything when that is full.
const (
	minCachedSheet  = 1 << 10
	maxCachedSheets = 32 << 20
)

var restoredSheets = &sheetCache{m: map[string]string{}}

type sheetCache struct {
	mu    sync.Mutex
	m     map[string]string
	bytes int
}

// ForgetRestoredSheets empties the process's memory of restored sheets
// (benchmarks of cold builds).
func ForgetRestoredSheets() {
	restoredSheets.mu.Lock()
	defer restoredSheets.mu.Unlock()
	restoredSheets.m, restoredSheets.bytes = map[string]string{}, 0
}

func (c *sheetCache) get(css string) string {
	c.mu.Lock()
	out, ok := c.m[css]
	c.mu.Unlock()
	if ok {
		return out
	}
	out = restoreNumbers(css)
	size := len(css)
	if out != css {
		size += len(out)
	}
	if size > maxCachedSheets/4 {
		return out
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bytes+size > maxCachedSheets {
		c.m, c.bytes = map[string]string{}, 0
	}
	if _, ok := c.m[css]; !ok {
		c.m[css] = out
		c.bytes += size
	}
	return out
}

func restoreNumbers(css string) string {
	var b strings.Builder
	last := 0
	n := len(css)
	for i := 0; i < n; {
		c := css[i]
		switch {
		case c == '"' || c == '\'':
			i, _ = cssString(css, i)
		case c == '/' && i+1 < n && css[i+1] == '*':
			if end := strings.Index(css[i+2:], "*/"); end >= 0 {
				i += end + 4
			} else {
				i = n
			}
		case c == '\\' || c == '#' || c == '@' || isNameStart(c) ||
			c == '-' && i+1 < n && (isNameStart(css[i+1]) || css[i+1] == '-' || css[i+1] == '\\'):
			start := i
			i++
			for i < n && (isCSSName(css[i]) || css[i] == '\\') {
				if css[i] == '\\' {
					i++
				}
				i++
			}
			i = min(i, n)
			name := css[start:i]
			switch {
			case i < n && css[i] == '(' && strings.EqualFold(name, "url"):
				if end, _, _ := cssURLToken(css, i+1); end > 0 { // unquoted: skipped whole
					i = end
				}
			case (name == "u" || name == "U") && i < n && css[i] == '+':
				i++
				for i < n && (isHex(css[i]) || css[i] == '?' || css[i] == '-') {
					i++
				}
			}
		case isDigit(c) || (c == '.' || c == '+' || c == '-') && startsNumber(css[i:]):
			start := i
			if c == '+' || c == '-' {
				i++
			}
			digits, frac := 0, false
			lead := true // leading zeros do not count
			for i < n && (isDigit(css[i]) || css[i] == '.' && !frac && i+1 < n && isDigit(css[i+1])) {
				if css[i] == '.' {
					frac = true
				} else if css[i] != '0' || !lead {
					lead = false
					digits++
				}
				i++
			}
			if i < n && (css[i] == 'e' || css[i] == 'E') && startsExponent(css[i+1:]) {
				i++
				for i < n && (isDigit(css[i]) || css[i] == '+' || css[i] == '-') {
					i++
				}
				continue
			}
			if !frac || digits != 6 {
				continue
			}
			if full, ok := fullFraction(css[start:i]); ok {
				if b.Len() == 0 {
					b.Grow(n + 64)
				}
				b.WriteString(css[last:start])
				b.WriteString(full)
				last = i
			}
		default:
			i++
		}
	}
	if last == 0 {
		return css
	}
	b.WriteString(css[last:])
	return b.String()
}

// fullFraction returns the number tok (6 significant digits) written with
// 10 when it is the 6-digit form of a fraction of denominator at most
// maxDenominator whose decimals repeat.
func fullFraction(tok string) (string, bool) {
	if dot := strings.IndexByte(tok, '.'); dot < 0 || len(tok)-dot-1 < 3 {
		return "", false // a bucket of 0.01 or wider holds several fractions
	}
	v, err := strconv.ParseFloat(tok, 64)
	if err != nil || v == 0 {
		return "", false
	}
	for q := 2; q <= maxDenominator; q++ {
		p := math.Round(v * float64(q))
		f := p / float64(q)
		if p == 0 || terminates(int64(math.Abs(p)), int64(q)) {
			continue // a whole number, or a decimal the 6 digits may be exact for
		}
		short, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 6, 64), 64)
		if short != v {
			continue
		}
		full := strconv.FormatFloat(f, 'g', 10, 64)
		if strings.ContainsAny(full, "eE") || len(strings.Trim(strings.NewReplacer(".", "", "-", "").Replace(full), "0")) <= 6 {
			return "", false // exact in 6 digits, or not plain
		}
		if tok[0] == '+' {
			full = "+" + full
		}
		return full, true
	}
	return "", false
}

// terminates reports whether p/q has a finite decimal expansion (its
// reduced denominator has no prime factor but 2 and 5).
func terminates(p, q int64) bool {
	a, b := p, q
	for b != 0 {
		a, b = b, a%b
	}
	q /= a
	for q%2 == 0 {
		q /= 2
	}
	for q%5 == 0 {
		q /= 5
	}
	return q == 1
}

func startsNumber(s string) bool {
	if s[0] == '+' || s[0] == '-' {
		s = s[1:]
	}
	if len(s) > 0 && s[0] == '.' {
		s = s[1:]
	}
	return len(s) > 0 && isDigit(s[0])
}

func startsExponent(s string) bool {
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	return len(s) > 0 && isDigit(s[0])
}

func isDigit(c byte) bool     { return c >= '0' && c <= '9' }
func isNameStart(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' || c == '_' || c >= 0x80 }
