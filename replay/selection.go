package replay

import (
	"encoding/json"
	"strconv"
	"unicode/utf16"

	"github.com/kilnrender/kiln/snapshot"
)

// The text selection in pictures. rrweb records the page's selection
// (Selection events: ranges between two nodes, each with an offset), and
// its Replayer selects the same range again; a live page paints it (a
// user selects what a report is about). ToSnapshot marks the range's two
// ends with snapshot.AttrSelection, and the renderer selects it again.
// A boundary in a text node or between children becomes a position in
// its element that does not depend on how the text is split into nodes
// (the conversion drops comments, so text nodes around one merge): the
// number of element children before it, and the UTF-16 offset into the
// text that follows the last of them.

// withSelection marks, while f runs, the ends of the first range of the
// last selection (browsers other than Firefox keep one): "start J N" on
// the element holding the start, "end J N" on the one holding the end,
// both on one element when they share it. Nothing is marked when the
// selection is collapsed, a node is gone or in a shadow root, or the
// ends are in different documents. Like the pointer's, the mark is for
// FromNode only.
func (m *Mirror) withSelection(f func() error) error {
	var d struct {
		Ranges []selectionRange `json:"ranges"`
	}
	if m.selection == nil || json.Unmarshal(m.selection, &d) != nil || len(d.Ranges) == 0 {
		return f()
	}
	r := d.Ranges[0]
	if r.Start == r.End && r.StartOffset == r.EndOffset {
		return f()
	}
	sEl, sJ, sN, ok1 := m.boundary(r.Start, r.StartOffset)
	eEl, eJ, eN, ok2 := m.boundary(r.End, r.EndOffset)
	if !ok1 || !ok2 || m.documentOf(sEl) != m.documentOf(eEl) {
		return f()
	}
	mark := func(el *snapshot.Node, v string) {
		if old, ok := el.Attributes[snapshot.AttrSelection].(string); ok {
			v = old + " " + v
		}
		setAttr(el, snapshot.AttrSelection, v)
	}
	mark(sEl, "start "+strconv.Itoa(sJ)+" "+strconv.Itoa(sN))
	mark(eEl, "end "+strconv.Itoa(eJ)+" "+strconv.Itoa(eN))
	defer delete(sEl.Attributes, snapshot.AttrSelection)
	defer delete(eEl.Attributes, snapshot.AttrSelection)
	return f()
}

// boundary turns a recorded range boundary (node id, offset: UTF-16
// units into a text node, or a child index into an element) into the
// element holding it, the element children of that element before it
// and the UTF-16 offset into the text after the last of them.
func (m *Mirror) boundary(id, offset int) (el *snapshot.Node, j, n int, ok bool) {
	node := m.nodes[id]
	if node == nil || offset < 0 || m.inShadow(node) {
		return nil, 0, 0, false
	}
	var stop *snapshot.Node // the child the boundary is before; nil: the end
	switch node.Type {
	case snapshot.NodeText:
		el = m.parents[node]
		if el == nil || el.Type != snapshot.NodeElement {
			return nil, 0, 0, false
		}
		n = min(offset, utf16Len(node.TextContent))
		stop = node
	case snapshot.NodeElement:
		el = node
		kids := 0
		for _, c := range el.ChildNodes {
			if c != nil && !c.IsShadow {
				if kids == offset {
					stop = c
					break
				}
				kids++
			}
		}
		if stop == nil && kids < offset {
			return nil, 0, 0, false
		}
	default:
		return nil, 0, 0, false
	}
	text := 0 // text after the last element child before stop
	for _, c := range el.ChildNodes {
		if c == stop {
			break
		}
		switch {
		case c == nil || c.IsShadow:
		case c.Type == snapshot.NodeElement:
			j++
			text = 0
		case c.Type == snapshot.NodeText:
			text += utf16Len(c.TextContent)
		}
	}
	return el, j, text + n, true
}

// inShadow reports a node in a shadow root: its own or an ancestor's
// isShadow (a document-level selection does not reach into one).
func (m *Mirror) inShadow(n *snapshot.Node) bool {
	for ; n != nil; n = m.parents[n] {
		if n.IsShadow {
			return true
		}
	}
	return false
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
