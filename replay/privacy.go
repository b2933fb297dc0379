package replay

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kilnrender/kiln/snapshot"
)

// Classes rrweb's recorder honours, enforced again here: the recorder's
// options are the customer's, the server's rules are the project's.
// The Gleap SDK's gl-mask and gl-block, and its gleap-ignore="value"
// (field values masked below the element), are honoured the same way, as
// in screenshots (see the snapshot package's privacy rules).
const (
	classMask    = "rr-mask"
	classBlock   = "rr-block"
	classGlMask  = "gl-mask"
	classGlBlock = "gl-block"
)

// maskText replaces every non-space character by '*', keeping the length
// in characters (and so, roughly, the layout).
func maskText(s string) string {
	if s == "" {
		return s
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if unicode.IsSpace(r) {
			b = utf8.AppendRune(b, r)
		} else {
			b = append(b, '*')
		}
	}
	return string(b)
}

func isStyleTag(n *snapshot.Node) bool {
	return n != nil && n.Type == snapshot.NodeElement && n.TagName == "style"
}

// sensitiveAutocomplete are autocomplete tokens that name a secret.
var sensitiveAutocomplete = map[string]bool{
	"current-password": true, "new-password": true, "one-time-code": true,
	"cc-number": true, "cc-csc": true,
}

// isPassword reports whether n is, or ever was, a password field: an
// input[type=password], one rrweb marks data-rr-is-password (a "show
// password" toggle made it text), or a field whose autocomplete names a
// secret. Once a password field, always one.
func (m *Mirror) isPassword(n *snapshot.Node) bool {
	if n == nil || n.Type != snapshot.NodeElement {
		return false
	}
	if m.passwords[n] {
		return true
	}
	sensitive := strings.EqualFold(n.TagName, "input") && strings.EqualFold(strings.TrimSpace(n.Attr("type")), "password")
	if _, ok := n.Attributes["data-rr-is-password"]; ok {
		sensitive = true
	}
	for _, t := range strings.Fields(strings.ToLower(n.Attr("autocomplete"))) {
		sensitive = sensitive || sensitiveAutocomplete[t]
	}
	if sensitive {
		m.passwords[n] = true
	}
	return sensitive
}

// valueHidden reports whether the value of field n is masked: a password
// field, in a masked context, an rr-ignore field, or below an element
// with gleap-ignore="value".
func (m *Mirror) valueHidden(n *snapshot.Node) bool {
	if m.isPassword(n) || m.maskedContext(n) || hasClass(n, "rr-ignore") {
		return true
	}
	for ; n != nil; n = m.parents[n] {
		if n.Type == snapshot.NodeElement && strings.EqualFold(n.Attr("gleap-ignore"), "value") {
			return true
		}
	}
	return false
}

func (m *Mirror) isBlocked(n *snapshot.Node) bool {
	return n.Type == snapshot.NodeElement && (hasClass(n, classBlock) || hasClass(n, classGlBlock) || m.block.match(n))
}

func (m *Mirror) isMasking(n *snapshot.Node) bool {
	return n.Type == snapshot.NodeElement && (hasClass(n, classMask) || hasClass(n, classGlMask) || m.mask.match(n))
}

// maskedContext reports whether n or an ancestor masks its content.
func (m *Mirror) maskedContext(n *snapshot.Node) bool {
	for ; n != nil; n = m.parents[n] {
		if m.isMasking(n) {
			return true
		}
	}
	return false
}

// blockedContext reports whether n or an ancestor is blocked.
func (m *Mirror) blockedContext(n *snapshot.Node) bool {
	for ; n != nil; n = m.parents[n] {
		if m.isBlocked(n) {
			return true
		}
	}
	return false
}

// blockedKeep are the attributes a blocked element keeps: enough to draw
// an empty box of its recorded size where it was.
var blockedKeep = map[string]bool{"id": true, "class": true, "style": true, "rr_width": true, "rr_height": true}

// protect enforces the privacy rules on a subtree just added to the
// mirror (masked says whether an ancestor masks). It runs before the
// sanitizer (clean), so that nothing of a blocked subtree is fetched.
func (m *Mirror) protect(n *snapshot.Node, masked bool) {
	switch n.Type {
	case snapshot.NodeElement:
		if m.isBlocked(n) {
			for k := range n.Attributes {
				if !blockedKeep[k] {
					delete(n.Attributes, k)
					m.dirty = true
				}
			}
			if len(n.ChildNodes) > 0 {
				m.dirty = true
			}
			for _, c := range append([]*snapshot.Node(nil), n.ChildNodes...) {
				m.drop(c)
			}
			n.ChildNodes = nil
			return
		}
		masked = masked || m.isMasking(n)
		if v, ok := n.Attributes["value"].(string); ok && (masked || m.valueHidden(n)) {
			m.setMasked(n, "value", v)
		}
		if masked {
			if v, ok := n.Attributes["placeholder"].(string); ok {
				m.setMasked(n, "placeholder", v)
			}
		}
	case snapshot.NodeText, snapshot.NodeCDATA:
		p := m.parents[n]
		if masked && !n.IsStyle && !isStyleTag(p) && (p == nil || p.TagName != "script") {
			if t := maskText(n.TextContent); t != n.TextContent {
				n.TextContent, m.dirty = t, true
			}
		}
	}
	for _, c := range n.ChildNodes {
		m.protect(c, masked)
	}
}

func (m *Mirror) setMasked(n *snapshot.Node, attr, v string) {
	if mv := maskText(v); mv != v {
		n.Attributes[attr] = mv
		m.dirty = true
	}
}
