package replay

import (
	"strings"
)

// splitRules splits a stylesheet into its top-level rules (each with its
// block), skipping comments and honouring strings and nesting.
func splitRules(css string) []string {
	var rules []string
	depth, start := 0, -1
	for i := 0; i < len(css); i++ {
		c := css[i]
		switch {
		case c == '/' && i+1 < len(css) && css[i+1] == '*':
			end := strings.Index(css[i+2:], "*/")
			if end < 0 {
				i = len(css)
			} else {
				i += end + 3
			}
			continue
		case c == '"' || c == '\'':
			if start < 0 {
				start = i
			}
			for i++; i < len(css) && css[i] != c; i++ {
				if css[i] == '\\' {
					i++
				}
			}
			continue
		case c == '{':
			if start < 0 {
				start = i
			}
			depth++
		case c == '}':
			if depth > 0 {
				depth--
				if depth == 0 && start >= 0 {
					rules = append(rules, strings.TrimSpace(css[start:i+1]))
					start = -1
				}
			}
			continue
		case c == ';' && depth == 0:
			if start >= 0 { // @import, @charset
				rules = append(rules, strings.TrimSpace(css[start:i+1]))
				start = -1
			}
			continue
		case c == ' ' || c == '\n' || c == '\t' || c == '\r':
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 && strings.TrimSpace(css[start:]) != "" {
		rules = append(rules, strings.TrimSpace(css[start:]))
	}
	return rules
}

// setDeclaration sets (value != "") or removes (value == "") one property
// in a style rule's block or in a style attribute's text.
func setDeclaration(decls, property, value, priority string) string {
	var out []string
	done := false
	for _, d := range strings.Split(decls, ";") {
		d = strings.TrimSpace(d)
		if d == "" {
			continue
		}
		name := d
		if c := strings.IndexByte(d, ':'); c >= 0 {
			name = strings.TrimSpace(d[:c])
		}
		if strings.EqualFold(name, property) {
			if value != "" && !done {
				out = append(out, declaration(property, value, priority))
				done = true
			}
			continue
		}
		out = append(out, d)
	}
	if value != "" && !done {
		out = append(out, declaration(property, value, priority))
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "; ") + ";"
}

func declaration(property, value, priority string) string {
	if priority != "" {
		return property + ": " + value + " !" + priority
	}
	return property + ": " + value
}

// editRuleBlock applies f to the declaration block of a style rule.
func editRuleBlock(rule string, f func(string) string) string {
	open := strings.IndexByte(rule, '{')
	end := strings.LastIndexByte(rule, '}')
	if open < 0 || end < open {
		return rule
	}
	return rule[:open+1] + " " + f(rule[open+1:end]) + " }"
}

// repairBackgrounds undoes a loss in the text rrweb records for a style
// sheet (rule.cssText, serialized by Chromium): a rule that sets
// `background: A, B` and then one value for a layered longhand
// (`background-size: cover`, `background-position: center`...) applies
// that value to every layer (a short list repeats, CSS Backgrounds 3
// §2.2), but Chromium writes the shorthand with the value on the first
// layer only: `background: A center center / cover no-repeat, B`, which
// reads back as B at its initial size and position (a photograph at its
// natural size from the corner instead of covering the box). When every
// later layer of a recorded shorthand is a bare image (the last one may
// add the colour), the first layer's position, size, repeat, attachment
// and boxes are copied onto them. The one text this reads wrongly is an
// author's own shorthand that gives the first layer settings and leaves
// the others at their initials on purpose; Chromium serializes both the
// same, and the longhand form is the common one (CSS frameworks and their
// templates write it). Authored text (style attributes, insertRule) is
// not serialized by the browser and is left alone.
func repairBackgrounds(css string) string {
	if !strings.Contains(css, "background:") {
		return css
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(css); {
		j := strings.Index(css[i:], "background:")
		if j < 0 {
			break
		}
		j += i
		start := j + len("background:")
		if !declarationStart(css, j) {
			i = start
			continue
		}
		end := valueEnd(css, start)
		if v, ok := repairLayers(css[start:end]); ok {
			b.WriteString(css[last:start])
			b.WriteString(v)
			last = end
		}
		i = end
	}
	if last == 0 {
		return css
	}
	b.WriteString(css[last:])
	return b.String()
}

// declarationStart says whether the property name at i starts a
// declaration: the text before it, spaces aside, opens a block or ends
// a declaration.
func declarationStart(css string, i int) bool {
	for i--; i >= 0; i-- {
		switch css[i] {
		case ' ', '\t', '\n', '\r', '\f':
			continue
		case '{', ';':
			return true
		}
		return false
	}
	return false
}

// valueEnd is where a declaration's value starting at i ends: its ';' or
// its block's '}' outside parentheses and strings.
func valueEnd(css string, i int) int {
	depth := 0
	for ; i < len(css); i++ {
		switch c := css[i]; c {
		case '"', '\'':
			for i++; i < len(css) && css[i] != c; i++ {
				if css[i] == '\\' {
					i++
				}
			}
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case ';', '}':
			if depth == 0 {
				return i
			}
		}
	}
	return len(css)
}

// splitTop splits s at the bytes for which sep is true outside
// parentheses and strings, dropping empty parts.
func splitTop(s string, sep func(byte) bool) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\'':
			for i++; i < len(s) && s[i] != c; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		case c == '(':
			depth++
		case c == ')':
			if depth > 0 {
				depth--
			}
		case depth == 0 && sep(c):
			if p := strings.TrimSpace(s[start:i]); p != "" {
				parts = append(parts, p)
			}
			start = i + 1
		}
	}
	if p := strings.TrimSpace(s[start:]); p != "" {
		parts = append(parts, p)
	}
	return parts
}

// repairLayers rewrites one background shorthand value (see
// repairBackgrounds); ok is false when it is left as it is.
func repairLayers(value string) (string, bool) {
	v, important := strings.CutSuffix(strings.TrimSpace(value), "!important")
	layers := splitTop(v, func(c byte) bool { return c == ',' })
	if len(layers) < 2 {
		return "", false
	}
	space := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
	first := splitTop(layers[0], space)
	var settings []string
	images := 0
	for _, t := range first {
		if isBackgroundImage(t) {
			images++
		} else {
			settings = append(settings, t)
		}
	}
	if images != 1 || len(settings) == 0 {
		return "", false
	}
	out := []string{layers[0]}
	for i, l := range layers[1:] {
		toks := splitTop(l, space)
		lastLayer := i == len(layers)-2
		switch {
		case len(toks) == 1 && isBackgroundImage(toks[0]):
			out = append(out, toks[0]+" "+strings.Join(settings, " "))
		case len(toks) == 2 && lastLayer && isBackgroundImage(toks[0]) && isColorToken(toks[1]):
			out = append(out, toks[0]+" "+strings.Join(settings, " ")+" "+toks[1])
		default:
			return "", false
		}
	}
	s := " " + strings.Join(out, ", ")
	if important {
		s += " !important"
	}
	return s, true
}

// isBackgroundImage says whether a component of a background layer is
// its image.
func isBackgroundImage(t string) bool {
	t = strings.ToLower(t)
	if t == "none" {
		return true
	}
	for _, f := range []string{"url(", "image-set(", "-webkit-image-set(", "image(", "cross-fade(", "element(", "paint("} {
		if strings.HasPrefix(t, f) {
			return true
		}
	}
	return strings.HasSuffix(strings.SplitN(t, "(", 2)[0], "gradient")
}

// isColorToken says whether a component of a last background layer is
// a colour: a colour function, a hex colour or a name that is none of
// the layer's keywords.
func isColorToken(t string) bool {
	t = strings.ToLower(t)
	if strings.HasPrefix(t, "#") {
		return true
	}
	if name, _, ok := strings.Cut(t, "("); ok {
		switch name {
		case "rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color", "color-mix", "light-dark", "var":
			return true
		}
		return false
	}
	switch t {
	case "left", "right", "top", "bottom", "center", "auto", "cover", "contain", "/",
		"repeat", "no-repeat", "repeat-x", "repeat-y", "space", "round",
		"scroll", "fixed", "local", "border-box", "padding-box", "content-box", "text":
		return false
	}
	for _, c := range t {
		if !(c >= 'a' && c <= 'z' || c == '-') {
			return false
		}
	}
	return true
}
