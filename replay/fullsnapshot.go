package replay

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/kilnrender/kiln/snapshot"
)

// FullSnapshot returns the state as rrweb events at timestamp ts: a Meta
// and a FullSnapshot, then the adopted style sheets, web fonts and custom
// element names the state depends on. A player that starts from these events shows what a
// player that replayed everything before ts would show.
func (m *Mirror) FullSnapshot(ts int64) ([]snapshot.Event, error) {
	if m.doc == nil {
		return nil, fmt.Errorf("serialize state: %w", errNoSnapshot)
	}
	meta, err := marshal(map[string]any{"href": m.href, "width": m.width, "height": m.height})
	if err != nil {
		return nil, err
	}
	full, err := m.fullSnapshotData()
	if err != nil {
		return nil, fmt.Errorf("serialize state: %w: %v", ErrInvalid, err)
	}
	evs := []snapshot.Event{
		{Type: snapshot.EventMeta, Data: meta, Timestamp: ts},
		{Type: snapshot.EventFullSnapshot, Data: full, Timestamp: ts},
	}
	hosts := make([]int, 0, len(m.adopted))
	for id := range m.adopted {
		hosts = append(hosts, id)
	}
	sort.Ints(hosts)
	for _, id := range hosts {
		if id != m.doc.ID && m.nodes[id] == nil {
			continue
		}
		type rule struct {
			Rule  string `json:"rule"`
			Index int    `json:"index"`
		}
		type style struct {
			StyleID int    `json:"styleId"`
			Rules   []rule `json:"rules"`
		}
		var styles []style
		for _, sid := range m.adopted[id] {
			st := style{StyleID: sid, Rules: []rule{}}
			for i, r := range m.sheets[sid] {
				// Edits (declarations, nested rules) rebuilt the text.
				st.Rules = append(st.Rules, rule{m.san.CSS(r), i})
			}
			styles = append(styles, st)
		}
		data, err := marshal(map[string]any{"source": snapshot.IncrementalAdoptedStyleSheet, "id": id, "styleIds": m.adopted[id], "styles": styles})
		if err != nil {
			return nil, err
		}
		evs = append(evs, snapshot.Event{Type: snapshot.EventIncremental, Data: data, Timestamp: ts, Source: snapshot.IncrementalAdoptedStyleSheet})
	}
	for _, f := range m.fonts {
		f.Timestamp = ts
		evs = append(evs, f)
	}
	// The custom element names defined so far, for a player that defines
	// them (kiln-player does; rrweb's Replayer ignores the event).
	for _, name := range m.defined {
		data, err := marshal(map[string]any{"source": snapshot.IncrementalCustomElement, "define": map[string]string{"name": name}})
		if err != nil {
			return nil, err
		}
		evs = append(evs, snapshot.Event{Type: snapshot.EventIncremental, Data: data, Timestamp: ts, Source: snapshot.IncrementalCustomElement})
	}
	// Canvases redraw what they drew since their last full clear, over
	// the picture the snapshot carries; the selection comes last, on the
	// finished document.
	for _, n := range m.canvasNodes() {
		b := make([]byte, 0, 64+m.canvases[n].bytes)
		b = fmt.Appendf(b, `{"source":%d,"id":%d,"type":0,"commands":`, snapshot.IncrementalCanvasMutation, n.ID)
		b = append(b, canvasJSON(m.canvases[n].lines.String())...)
		evs = append(evs, snapshot.Event{Type: snapshot.EventIncremental, Data: append(b, '}'), Timestamp: ts, Source: snapshot.IncrementalCanvasMutation})
	}
	if ev, ok := m.selectionEvent(ts); ok {
		evs = append(evs, ev)
	}
	return evs, nil
}

// canvasNodes are the live canvases with kept commands, by id.
func (m *Mirror) canvasNodes() []*snapshot.Node {
	var ns []*snapshot.Node
	for n, st := range m.canvases {
		if st.n > 0 && m.nodes[n.ID] == n {
			ns = append(ns, n)
		}
	}
	sort.Slice(ns, func(i, j int) bool { return ns[i].ID < ns[j].ID })
	return ns
}

// fullSnapshotData is the data of a FullSnapshot event of the state.
func (m *Mirror) fullSnapshotData() ([]byte, error) {
	defer m.hideKeyframeState()()
	b := make([]byte, 0, max(64<<10, m.fullBytes+m.fullBytes/8))
	b = append(b, `{"node":`...)
	b, err := m.doc.AppendJSON(b)
	if err != nil {
		return nil, err
	}
	m.fullBytes = len(b)
	b = append(b, `,"initialOffset":{"left":`...)
	b = strconv.AppendFloat(b, m.scrollX, 'f', -1, 64)
	b = append(b, `,"top":`...)
	b = strconv.AppendFloat(b, m.scrollY, 'f', -1, 64)
	return append(b, "}}"...), nil
}

// DocumentJSON serializes the mirrored document as an rrweb full-snapshot
// node (the "node" of a FullSnapshot event).
func (m *Mirror) DocumentJSON() ([]byte, error) {
	if m.doc == nil {
		return nil, fmt.Errorf("serialize state: %w", errNoSnapshot)
	}
	defer m.hideKeyframeState()()
	return m.doc.MarshalJSON()
}

// hideKeyframeState takes what the mirror keeps for keyframes off the
// tree until the function it returns is called: the canvas commands on
// their nodes, and the <style> nodes standing for adopted sheets. They
// are for FromNode; rrweb's nodes do not carry them, and a player gets
// them as events after the snapshot (FullSnapshot).
func (m *Mirror) hideKeyframeState() (restore func()) {
	kept := map[*snapshot.Node]any{}
	for _, n := range m.canvasNodes() {
		if v, ok := n.Attributes[snapshot.AttrCanvasCommands]; ok {
			kept[n] = v
			delete(n.Attributes, snapshot.AttrCanvasCommands)
		}
	}
	type child struct {
		host  *snapshot.Node
		nodes []*snapshot.Node
	}
	var hosts []child
	for _, as := range m.adoptedStyles {
		if i := indexOf(as.host.ChildNodes, as.style); i < len(as.host.ChildNodes) {
			hosts = append(hosts, child{as.host, as.host.ChildNodes})
			as.host.ChildNodes = append(as.host.ChildNodes[:i:i], as.host.ChildNodes[i+1:]...)
		}
	}
	return func() {
		for n, v := range kept {
			setAttr(n, snapshot.AttrCanvasCommands, v)
		}
		for i := len(hosts) - 1; i >= 0; i-- {
			hosts[i].host.ChildNodes = hosts[i].nodes
		}
	}
}
