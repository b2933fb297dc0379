package snapshot

import (
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"unicode/utf8"
)

// NodeType is the type of an rrweb serialized node (rrweb-snapshot's
// NodeType).
type NodeType int

// rrweb node types.
const (
	NodeDocument     NodeType = 0
	NodeDocumentType NodeType = 1
	NodeElement      NodeType = 2
	NodeText         NodeType = 3
	NodeCDATA        NodeType = 4
	NodeComment      NodeType = 5
)

// Node is one rrweb serialized node (rrweb-snapshot's
// serializedNodeWithId): the data.node of a FullSnapshot event, the node of
// a mutation's add, Kiln JSON's "rrweb" field, and, in the replay mirror,
// one live node of the mirrored DOM. FromNode turns a document node into a
// Snapshot.
//
// Attribute values are what rrweb records: strings mostly, numbers
// (rr_scrollTop), true (boolean attributes) or, in mutations only, a style
// object; false and null mean absent. Shadow-root children are children of
// their host with IsShadow set; an iframe's document is the iframe
// element's child, as in rrweb. A nil entry of ChildNodes is skipped.
type Node struct {
	Type         NodeType       `json:"type"`
	ID           int            `json:"id"`
	TagName      string         `json:"tagName,omitempty"`
	Attributes   map[string]any `json:"attributes,omitempty"`
	ChildNodes   []*Node        `json:"childNodes,omitempty"`
	TextContent  string         `json:"textContent,omitempty"`
	Name         string         `json:"name,omitempty"`
	PublicID     string         `json:"publicId,omitempty"`
	SystemID     string         `json:"systemId,omitempty"`
	CompatMode   string         `json:"compatMode,omitempty"`
	IsSVG        bool           `json:"isSVG,omitempty"`
	NeedBlock    bool           `json:"needBlock,omitempty"`
	IsCustom     bool           `json:"isCustom,omitempty"`
	IsStyle      bool           `json:"isStyle,omitempty"`
	RootID       int            `json:"rootId,omitempty"`
	IsShadowHost bool           `json:"isShadowHost,omitempty"`
	IsShadow     bool           `json:"isShadow,omitempty"`
}

// Attr returns a string attribute ("" when absent or not a string).
func (n *Node) Attr(name string) string {
	s, _ := n.Attributes[name].(string)
	return s
}

// Walk calls f on n and its descendants, depth first; f returning false
// skips the node's children.
func (n *Node) Walk(f func(*Node) bool) {
	if !f(n) {
		return
	}
	for _, c := range n.ChildNodes {
		if c != nil {
			c.Walk(f)
		}
	}
}

// MarshalJSON writes the node in rrweb's shape: elements always carry
// attributes (sorted by name) and childNodes, documents childNodes, text
// nodes textContent.
func (n *Node) MarshalJSON() ([]byte, error) {
	return n.AppendJSON(make([]byte, 0, 256))
}

// AppendJSON appends the node's JSON (as MarshalJSON writes it) to b. It
// fails only on an attribute value JSON cannot hold.
func (n *Node) AppendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"type":`...)
	b = strconv.AppendInt(b, int64(n.Type), 10)
	switch n.Type {
	case NodeDocument:
		if n.CompatMode != "" {
			b = append(b, `,"compatMode":`...)
			b = appendString(b, n.CompatMode)
		}
		var err error
		if b, err = appendChildren(b, n.ChildNodes); err != nil {
			return nil, err
		}
	case NodeDocumentType:
		b = append(b, `,"name":`...)
		b = appendString(b, n.Name)
		b = append(b, `,"publicId":`...)
		b = appendString(b, n.PublicID)
		b = append(b, `,"systemId":`...)
		b = appendString(b, n.SystemID)
	case NodeElement:
		b = append(b, `,"tagName":`...)
		b = appendString(b, n.TagName)
		b = append(b, `,"attributes":{`...)
		for i, k := range sortedKeys(n.Attributes) {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			switch v := n.Attributes[k].(type) {
			case string:
				b = appendString(b, v)
			default:
				vb, err := json.Marshal(v)
				if err != nil {
					return nil, err
				}
				b = append(b, vb...)
			}
		}
		b = append(b, '}')
		var err error
		if b, err = appendChildren(b, n.ChildNodes); err != nil {
			return nil, err
		}
		if n.IsSVG {
			b = append(b, `,"isSVG":true`...)
		}
		if n.NeedBlock {
			b = append(b, `,"needBlock":true`...)
		}
		if n.IsCustom {
			b = append(b, `,"isCustom":true`...)
		}
		if n.IsShadowHost {
			b = append(b, `,"isShadowHost":true`...)
		}
	default: // text, CDATA, comment
		b = append(b, `,"textContent":`...)
		b = appendString(b, n.TextContent)
		if n.IsStyle {
			b = append(b, `,"isStyle":true`...)
		}
	}
	if n.RootID != 0 {
		b = append(b, `,"rootId":`...)
		b = strconv.AppendInt(b, int64(n.RootID), 10)
	}
	if n.IsShadow {
		b = append(b, `,"isShadow":true`...)
	}
	b = append(b, `,"id":`...)
	b = strconv.AppendInt(b, int64(n.ID), 10)
	return append(b, '}'), nil
}

func appendChildren(b []byte, cs []*Node) ([]byte, error) {
	b = append(b, `,"childNodes":[`...)
	first := true
	for _, c := range cs {
		if c == nil {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		var err error
		if b, err = c.AppendJSON(b); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// attrText is an attribute value as HTML text: strings as they are,
// numbers in JSON's notation, true as "" (a boolean attribute); false,
// null, objects and arrays mean absent.
func attrText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case json.Number:
		return v.String(), true
	case int:
		return strconv.Itoa(v), true
	case bool:
		return "", v
	}
	return "", false
}

// appendString appends s as a JSON string. Unlike encoding/json's default
// it leaves <, > and & alone: recordings are data, never HTML, and the
// escapes would cost bytes in every tag of every inlined stylesheet.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	if room := len(s) + 2; cap(b)-len(b) < room {
		// Grow by doubling: append grows a large slice by a quarter,
		// which copies a growing document several times over.
		b = slices.Grow(b, max(room, cap(b)))
	}
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		k := plainRun(s[i:], true)
		if k < 0 {
			break
		}
		i += k
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' { // valid JSON, but not valid JavaScript source
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// decodeNode reads an rrweb node tree from JSON; field names it in errors.
func decodeNode(raw []byte, lim Limits, field string) (*Node, error) {
	n, ok := parseFastNode(raw)
	if !ok {
		n = nil
		if err := json.Unmarshal(raw, &n); err != nil {
			if isDepthError(err) {
				return nil, tooLargef("%s: nesting deeper than %d", field, lim.MaxDepth)
			}
			return nil, invalidf("%s: %s", field, jsonProblem(err))
		}
	}
	if n == nil {
		return nil, invalidf("%s: must be a node, not null", field)
	}
	return n, nil
}
