package replay

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kilnrender/kiln/snapshot"
)

// Classes rrweb's recorder honours, enforced again here: the recorder's
// options are the customer's, the server's rules are the project's.
const (
	classMask  = "rr-mask"
	classBlock = "rr-block"
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

// isPassword reports whether n is, or ever was, an input[type=password]:
// once a password field, always one.
func (m *Mirror) isPassword(n *snapshot.Node) bool {
	if n == nil || n.Type != snapshot.NodeElement {
		return false
	}
	if m.passwords[n] {
		return true
	}
	if strings.EqualFold(n.TagName, "input") && strings.EqualFold(strings.TrimSpace(n.Attr("type")), "password") {
		m.passwords[n] = true
		return true
	}
	return false
}

func (m *Mirror) isBlocked(n *snapshot.Node) bool {
	return n.Type == snapshot.NodeElement && (hasClass(n, classBlock) || m.block.match(n))
}

func (m *Mirror) isMasking(n *snapshot.Node) bool {
	return n.Type == snapshot.NodeElement && (hasClass(n, classMask) || m.mask.match(n))
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
		if v, ok := n.Attributes["value"].(string); ok && (masked || m.isPassword(n)) {
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
	var sdk []*snapshot.Node
	for _, c := range n.ChildNodes {
		if snapshot.GleapUI(c) {
			sdk = append(sdk, c)
			continue
		}
		m.protect(c, masked)
	}
	for _, c := range sdk {
		m.dropSDKUI(c)
	}
}

// dropSDKUI removes an element of the feedback SDK's own UI (Gleap's
// launcher button and widget, see snapshot.GleapUI): it was on the user's
// screen, not part of their page, and screenshots drop it too.
func (m *Mirror) dropSDKUI(n *snapshot.Node) {
	m.drop(n)
	m.dirty = true
	m.sdkUI++
}

func (m *Mirror) setMasked(n *snapshot.Node, attr, v string) {
	if mv := maskText(v); mv != v {
		n.Attributes[attr] = mv
		m.dirty = true
	}
}
