package replay

import (
	"encoding/json"
	"math"
	"strconv"

	"github.com/kilnrender/kiln/snapshot"
)

// The mouse pointer. A live page paints :hover on what is under the
// mouse (a menu opened by hovering, a highlighted row or button); rrweb
// records where the mouse went (MouseMove and Drag positions, the
// position of each click, each with the element it was over), and its
// Replayer shows :hover on that element and its ancestors. Pictures do
// the same natively: ToSnapshot marks that element with
// snapshot.AttrPointer, and the renderer moves its mouse there after
// layout (by way of its ancestors when the element is not under the
// position yet: a menu that opens on hover). As in the Replayer,
// TouchMove positions and touches count too: rrweb records a mouse moving
// in a frame as TouchMove (its instanceof MouseEvent test fails across
// windows), and a phone's recording is pictured with touch emulation,
// where the renderer moves no mouse.

// pointerAt is the last recorded mouse position: X, Y in CSS pixels of
// the viewport of the document holding node ID, at time At (Unix ms).
// Path holds the positions before it, oldest first: at most maxPath,
// none more than pathWindow before At.
type pointerAt struct {
	X, Y float64
	ID   int
	At   int64
	Path []pointerAt
}

// The path the renderer's mouse follows to the last position: what the
// live mouse went over on its way can keep a state the last position
// alone does not give (a menu that opens when its button is hovered,
// .button:hover + .menu, and stays open while the mouse is over it).
const (
	maxPath    = 8
	pathWindow = 1500 // ms
)

// mouseData is the part of the data of MouseMove, Drag, TouchMove and
// MouseInteraction events the pointer needs.
type mouseData struct {
	Type      *int     `json:"type"`
	ID        int      `json:"id"`
	X         *float64 `json:"x"`
	Y         *float64 `json:"y"`
	Positions []struct {
		X          float64 `json:"x"`
		Y          float64 `json:"y"`
		ID         int     `json:"id"`
		TimeOffset float64 `json:"timeOffset"`
	} `json:"positions"`
}

// rrweb's MouseInteraction types Focus and Blur carry no position.
const (
	interactionFocus = 5
	interactionBlur  = 6
)

// applyPointer keeps the latest mouse position ev records. Positions
// later than until (Unix ms; 0: no bound) are ignored: StateAt reads the
// events just after its moment for the positions they carry from before
// it (rrweb emits MouseMove positions in batches, up to 500 ms late).
// Data it cannot read is ignored: the event goes on to the bundle as it
// did before (a player reads it or not), and the pointer stays.
func (m *Mirror) applyPointer(ev *snapshot.Event, until int64) {
	var d mouseData
	if json.Unmarshal(ev.Data, &d) != nil {
		return
	}
	take := func(x, y float64, id int, at int64) {
		if until != 0 && at > until || m.pointer != nil && at < m.pointer.At {
			return
		}
		if !finite(x) || !finite(y) {
			return
		}
		next := &pointerAt{X: x, Y: y, ID: id, At: at}
		if p := m.pointer; p != nil {
			path := append(p.Path, pointerAt{X: p.X, Y: p.Y, ID: p.ID, At: p.At})
			for len(path) > 0 && (len(path) > maxPath || path[0].At < at-pathWindow) {
				path = path[1:]
			}
			next.Path = path
		}
		m.pointer = next
	}
	switch ev.Source {
	case snapshot.IncrementalMouseMove, snapshot.IncrementalTouchMove, snapshot.IncrementalDrag:
		for _, p := range d.Positions {
			take(p.X, p.Y, p.ID, ev.Timestamp+int64(math.Round(p.TimeOffset)))
		}
	case snapshot.IncrementalMouseInteraction:
		if d.Type != nil && *d.Type != interactionFocus && *d.Type != interactionBlur && d.X != nil && d.Y != nil {
			take(*d.X, *d.Y, d.ID, ev.Timestamp)
		}
	}
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// withPointer marks, while f runs, the element the pointer was over with
// snapshot.AttrPointer: the node rrweb named as the position's target
// when it is an element still there, else the root element of the
// document the position belongs to (the top one or a frame's). The mark
// is for FromNode only: the tree the bundle serializes never carries it.
//
// The mark's value is the pointer's path in that document, "X Y" pairs,
// the last where the pointer was: the earlier positions are those of
// Path over elements of the same document still there.
func (m *Mirror) withPointer(f func() error) error {
	p := m.pointer
	if p == nil || p.X < 0 || p.Y < 0 {
		return f()
	}
	el := m.nodes[p.ID]
	doc := m.documentOf(el)
	if el == nil || el.Type != snapshot.NodeElement {
		el = nil
		for _, c := range doc.ChildNodes {
			if c != nil && c.Type == snapshot.NodeElement {
				el = c
				break
			}
		}
	}
	if el == nil {
		return f()
	}
	var pts [][2]float64
	for _, q := range p.Path {
		n := m.nodes[q.ID]
		xy := [2]float64{q.X, q.Y}
		if q.X < 0 || q.Y < 0 || n == nil || m.documentOf(n) != doc || len(pts) > 0 && pts[len(pts)-1] == xy {
			continue
		}
		pts = append(pts, xy)
	}
	if len(pts) > 0 && pts[len(pts)-1] == [2]float64{p.X, p.Y} {
		pts = pts[:len(pts)-1]
	}
	var b []byte
	for _, xy := range append(pts, [2]float64{p.X, p.Y}) {
		if len(b) > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendFloat(b, xy[0], 'f', -1, 64)
		b = append(b, ' ')
		b = strconv.AppendFloat(b, xy[1], 'f', -1, 64)
	}
	setAttr(el, snapshot.AttrPointer, string(b))
	defer delete(el.Attributes, snapshot.AttrPointer)
	return f()
}

// documentOf is the document node n belongs to: the top document, or a
// frame's (n nil or detached: the top one).
func (m *Mirror) documentOf(n *snapshot.Node) *snapshot.Node {
	for a := n; a != nil; a = m.parents[a] {
		if a.Type == snapshot.NodeDocument {
			return a
		}
	}
	return m.doc
}
