package replay

import (
	"fmt"
	"strings"

	"github.com/kilnrender/kiln/snapshot"
)

// selector is a comma list of compound simple selectors: tag, #id, .class,
// [attr], [attr=value] (value optionally quoted). Combinators and
// pseudo-classes are not supported: masking must not depend on layout or
// on siblings that arrive later.
type selector []compound

type compound struct {
	tag     string // lower case, "" or "*" for any
	id      string
	classes []string
	attrs   []attrCond
}

type attrCond struct {
	name  string
	value string
	has   bool // [name=value] rather than [name]
}

func parseSelector(s string) (selector, error) {
	var sel selector
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			return nil, fmt.Errorf("parse selector %q: empty compound", s)
		}
		c, err := parseCompound(part)
		if err != nil {
			return nil, fmt.Errorf("parse selector %q: %v", s, err)
		}
		sel = append(sel, c)
	}
	return sel, nil
}

func isIdentByte(b byte) bool {
	return b == '-' || b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= 0x80
}

func parseCompound(s string) (compound, error) {
	var c compound
	ident := func(i int) (string, int) {
		j := i
		for j < len(s) && isIdentByte(s[j]) {
			j++
		}
		return s[i:j], j
	}
	i := 0
	if i < len(s) && s[i] == '*' {
		i++
	} else if i < len(s) && isIdentByte(s[i]) {
		c.tag, i = ident(i)
		c.tag = strings.ToLower(c.tag)
	}
	for i < len(s) {
		switch s[i] {
		case '#', '.':
			kind := s[i]
			name, j := ident(i + 1)
			if name == "" {
				return c, fmt.Errorf("empty name after %q", kind)
			}
			if kind == '#' {
				c.id = name
			} else {
				c.classes = append(c.classes, name)
			}
			i = j
		case '[':
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				return c, fmt.Errorf("unclosed [")
			}
			body := s[i+1 : i+end]
			i += end + 1
			var a attrCond
			if eq := strings.IndexByte(body, '='); eq >= 0 {
				a.name = strings.TrimSpace(body[:eq])
				v := strings.TrimSpace(body[eq+1:])
				if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
					v = v[1 : len(v)-1]
				}
				a.value, a.has = v, true
			} else {
				a.name = strings.TrimSpace(body)
			}
			if a.name == "" || strings.ContainsAny(a.name, "~|^$* ") {
				return c, fmt.Errorf("unsupported attribute condition [%s]", body)
			}
			a.name = strings.ToLower(a.name)
			c.attrs = append(c.attrs, a)
		default:
			return c, fmt.Errorf("unsupported character %q (only tag, #id, .class, [attr], [attr=value])", s[i])
		}
	}
	return c, nil
}

func (sel selector) match(n *snapshot.Node) bool {
	if n.Type != snapshot.NodeElement {
		return false
	}
	for _, c := range sel {
		if c.match(n) {
			return true
		}
	}
	return false
}

func (c compound) match(n *snapshot.Node) bool {
	if c.tag != "" && !strings.EqualFold(c.tag, n.TagName) {
		return false
	}
	if c.id != "" && n.Attr("id") != c.id {
		return false
	}
	for _, cl := range c.classes {
		if !hasClass(n, cl) {
			return false
		}
	}
	for _, a := range c.attrs {
		v, ok := n.Attributes[a.name]
		if !ok || v == nil {
			return false
		}
		if a.has {
			s, isStr := v.(string)
			if !isStr || s != a.value {
				return false
			}
		}
	}
	return true
}

func hasClass(n *snapshot.Node, class string) bool {
	for f := range strings.FieldsSeq(n.Attr("class")) {
		if f == class {
			return true
		}
	}
	return false
}
