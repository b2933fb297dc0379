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
