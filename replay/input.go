package replay

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/kilnrender/kiln/snapshot"
)

// applyInput applies an Input event (a field's text or checked state) to
// its node, masking the text of password and masked fields in the event.
func (m *Mirror) applyInput(ev *snapshot.Event) error {
	var d map[string]any
	if err := json.Unmarshal(ev.Data, &d); err != nil {
		return fmt.Errorf("apply input: %w: %v", ErrInvalid, err)
	}
	idf, _ := d["id"].(float64)
	n := m.nodes[int(idf)]
	if n == nil || n.Type != snapshot.NodeElement {
		// Dropped: a player could not apply it either, and whether the
		// node was a password field is unknown.
		if m.droppedIDs[int(idf)] {
			return fmt.Errorf("apply input: %w: inside a dropped element", ErrInvalid)
		}
		return fmt.Errorf("apply input: %w: unknown node", ErrInvalid)
	}
	text, _ := d["text"].(string)
	checked, _ := d["isChecked"].(bool)
	if m.valueHidden(n) {
		if masked := maskText(text); masked != text {
			d["text"] = masked
			text = masked
			data, err := marshal(d)
			if err != nil {
				return fmt.Errorf("apply input: %w: %v", ErrInvalid, err)
			}
			ev.Data = data
		}
	}
	typ := strings.ToLower(n.Attr("type"))
	switch tag := strings.ToLower(n.TagName); {
	case tag == "input" && (typ == "checkbox" || typ == "radio"):
		m.setChecked(n, checked, typ == "radio")
		return nil
	case tag == "select":
		m.selectValue(n, text)
		return nil
	case tag == "textarea":
		// A textarea shows its value as text: its recorded text children
		// (the default value) would show beside it, here and in a player.
		for _, c := range n.ChildNodes {
			if c.Type == snapshot.NodeText {
				c.TextContent = ""
			}
		}
	}
	setAttr(n, "value", text)
	if prev, ok := m.submitted[n.ID]; ok {
		// Typing after a submit that neither extends nor trims the
		// submitted text started over in an emptied field.
		delete(m.submitted, n.ID)
		if !strings.HasPrefix(text, prev) && !strings.HasPrefix(prev, text) {
			m.clearsOnSubmit[n.ID] = true
		}
	}
	if strings.TrimSpace(text) != "" && !m.valueHidden(n) {
		m.lastInput, m.lastInputID = strings.TrimSpace(text), n.ID
	}
	return nil
}

// checkStaleInput handles text just typed into a field showing up in the
// page (a subtree just added holds it): apps that submit a field on Enter
// (to-do lists, chats) clear it through a path the recorder does not see
// (React sets the value through the setter it saved before the recorder
// hooked it), so a player keeps showing the typed text in the field. The
// recording tells it afterwards: the field's next typing starts over
// (applyInput). From then on the mirror empties that field at each such
// submit, as the page did, and FollowUps tell a player; the first submit
// of a field, and any field whose typing never started over, keep the
// text, with a warning.
func (m *Mirror) checkStaleInput(n *snapshot.Node) {
	if m.lastInput == "" {
		return
	}
	found := false
	n.Walk(func(x *snapshot.Node) bool {
		if x.Type == snapshot.NodeText && strings.TrimSpace(x.TextContent) == m.lastInput {
			found = true
		}
		return !found
	})
	if !found {
		return
	}
	if f := m.nodes[m.lastInputID]; f != nil && strings.TrimSpace(f.Attr("value")) == m.lastInput {
		if m.submitted == nil {
			m.submitted, m.clearsOnSubmit = map[int]string{}, map[int]bool{}
		}
		m.submitted[f.ID] = f.Attr("value")
		if m.clearsOnSubmit[f.ID] {
			setAttr(f, "value", "")
			m.emptied = append(m.emptied, f)
		}
	}
	m.lastInput = ""
	if !m.staleWarned {
		m.staleWarned = true
		m.warnf("input: typed text was added to the page and the field was probably cleared without an event the recorder sees; replays may show stale text in that field until its later typing shows that it empties")
	}
}

// setChecked sets a checkbox's or radio's checked state. A radio checked
// unchecks the others of its group (same name, same form or none, same
// document or shadow root), as the browser did: rrweb records those too,
// but a recording cut short or filtered may not carry them.
func (m *Mirror) setChecked(n *snapshot.Node, checked, radio bool) {
	if !checked {
		delete(n.Attributes, "checked")
		return
	}
	setAttr(n, "checked", true)
	name := n.Attr("name")
	if !radio || name == "" {
		return
	}
	root, form := m.root(n), m.form(n)
	root.Walk(func(x *snapshot.Node) bool {
		if x != n && x.Type == snapshot.NodeElement && strings.EqualFold(x.TagName, "input") &&
			strings.EqualFold(x.Attr("type"), "radio") && x.Attr("name") == name && m.form(x) == form && m.root(x) == root {
			delete(x.Attributes, "checked")
		}
		return true
	})
}

// root is the document or shadow host n belongs to (radio groups and
// ids do not cross shadow boundaries).
func (m *Mirror) root(n *snapshot.Node) *snapshot.Node {
	for !n.IsShadow && m.parents[n] != nil {
		n = m.parents[n]
	}
	if p := m.parents[n]; p != nil {
		return p // the shadow host
	}
	return n
}

// form is the nearest <form> ancestor of n, or nil.
func (m *Mirror) form(n *snapshot.Node) *snapshot.Node {
	for p := m.parents[n]; p != nil; p = m.parents[p] {
		if p.Type == snapshot.NodeElement && strings.EqualFold(p.TagName, "form") {
			return p
		}
	}
	return nil
}

// selectValue applies a <select>'s recorded value: the first option with
// that value becomes the selected one, as a player's select.value = text
// does. rrweb records only the first selected option of a <select
// multiple>, so the others are unknown: the mirror warns instead of
// guessing them.
func (m *Mirror) selectValue(n *snapshot.Node, value string) {
	setAttr(n, "value", value)
	if _, multi := n.Attributes["multiple"]; multi && n.Attributes["multiple"] != false && !m.multiWarned {
		m.multiWarned = true
		m.warnf("input: a <select multiple> changed; rrweb records only its first selected option, so replays show that one alone")
	}
	found := false
	var walk func(p *snapshot.Node)
	walk = func(p *snapshot.Node) {
		for _, c := range p.ChildNodes {
			if c.Type != snapshot.NodeElement {
				continue
			}
			switch strings.ToLower(c.TagName) {
			case "option":
				if !found && optionValue(c) == value {
					found = true
					setAttr(c, "selected", true)
				} else {
					delete(c.Attributes, "selected")
				}
			case "optgroup":
				walk(c)
			}
		}
	}
	walk(n)
}

// optionValue is an option's value: its value attribute, else its text
// with white space collapsed.
func optionValue(o *snapshot.Node) string {
	if v, ok := o.Attributes["value"].(string); ok {
		return v
	}
	var b strings.Builder
	o.Walk(func(x *snapshot.Node) bool {
		if x.Type == snapshot.NodeText {
			b.WriteString(x.TextContent)
			b.WriteByte(' ')
		}
		return true
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// applyMedia keeps a media element's state (playing or paused, time,
// rate, volume) in the attributes rrweb's snapshots use for it, so a
// segment starting later resumes it as a player that replayed
// everything would.
func (m *Mirror) applyMedia(ev *snapshot.Event) error {
	var d struct {
		Type         int      `json:"type"`
		ID           int      `json:"id"`
		CurrentTime  *float64 `json:"currentTime"`
		Volume       *float64 `json:"volume"`
		Muted        *bool    `json:"muted"`
		PlaybackRate *float64 `json:"playbackRate"`
		Loop         *bool    `json:"loop"`
	}
	if err := json.Unmarshal(ev.Data, &d); err != nil {
		return fmt.Errorf("apply media: %w: %v", ErrInvalid, err)
	}
	n := m.nodes[d.ID]
	if n == nil || n.Type != snapshot.NodeElement {
		if m.droppedIDs[d.ID] {
			return fmt.Errorf("apply media: %w: inside a dropped element", ErrInvalid)
		}
		m.warnf("media: unknown node")
		return nil
	}
	switch d.Type {
	case 0: // play
		setAttr(n, "rr_mediaState", "played")
	case 1: // pause
		setAttr(n, "rr_mediaState", "paused")
	}
	if d.CurrentTime != nil && *d.CurrentTime >= 0 {
		setAttr(n, "rr_mediaCurrentTime", *d.CurrentTime)
	}
	if d.PlaybackRate != nil && *d.PlaybackRate > 0 {
		setAttr(n, "rr_mediaPlaybackRate", *d.PlaybackRate)
	}
	if d.Volume != nil && *d.Volume >= 0 && *d.Volume <= 1 {
		setAttr(n, "rr_mediaVolume", *d.Volume)
	}
	if d.Muted != nil {
		setAttr(n, "rr_mediaMuted", *d.Muted)
	}
	if d.Loop != nil {
		setAttr(n, "rr_mediaLoop", *d.Loop)
	}
	m.noteMedia(n) // its clock runs from here
	return nil
}

// applySelection keeps the last text selection, replayed after a
// segment's synthetic snapshot when its nodes are still there.
func (m *Mirror) applySelection(ev *snapshot.Event) error {
	var d struct {
		Ranges []selectionRange `json:"ranges"`
	}
	if err := json.Unmarshal(ev.Data, &d); err != nil {
		return fmt.Errorf("apply selection: %w: %v", ErrInvalid, err)
	}
	if len(d.Ranges) > maxSelectionRanges {
		return fmt.Errorf("apply selection: %w: more than %d ranges", ErrInvalid, maxSelectionRanges)
	}
	m.selection = append(m.selection[:0], ev.Data...)
	return nil
}

// maxSelectionRanges bounds one Selection event: browsers other than
// Firefox keep one range, Firefox one per table cell selected.
const maxSelectionRanges = 1024

type selectionRange struct {
	Start       int `json:"start"`
	StartOffset int `json:"startOffset"`
	End         int `json:"end"`
	EndOffset   int `json:"endOffset"`
}

// selectionEvent is the last selection as an event at ts, or false when
// there is none or one of its nodes is gone.
func (m *Mirror) selectionEvent(ts int64) (snapshot.Event, bool) {
	if m.selection == nil {
		return snapshot.Event{}, false
	}
	var d struct {
		Ranges []selectionRange `json:"ranges"`
	}
	if json.Unmarshal(m.selection, &d) != nil || len(d.Ranges) == 0 {
		return snapshot.Event{}, false
	}
	for _, r := range d.Ranges {
		if m.nodes[r.Start] == nil || m.nodes[r.End] == nil {
			return snapshot.Event{}, false
		}
	}
	data, err := marshal(map[string]any{"source": snapshot.IncrementalSelection, "ranges": d.Ranges})
	if err != nil {
		return snapshot.Event{}, false
	}
	return snapshot.Event{Type: snapshot.EventIncremental, Data: data, Timestamp: ts, Source: snapshot.IncrementalSelection}, true
}

// queueEmptied makes an Input event at ts of each field the mutation
// emptied (checkStaleInput), for FollowUps: a player shows the value it
// last typed into a field whatever its value attribute says.
func (m *Mirror) queueEmptied(ts int64) {
	for _, f := range m.emptied {
		if m.nodes[f.ID] != f {
			continue
		}
		b := fmt.Appendf(nil, `{"source":%d,"text":"","isChecked":false,"id":%d}`, snapshot.IncrementalInput, f.ID)
		m.followUps = append(m.followUps, snapshot.Event{Type: snapshot.EventIncremental, Source: snapshot.IncrementalInput, Data: b, Timestamp: ts})
	}
	m.emptied = m.emptied[:0]
}

// FollowUps returns the events the mirror made of what the last event
// Apply applied implies (a field an app emptied without an event, see
// checkStaleInput), to follow that event in the bundle; the mirror's
// state has them applied already.
func (m *Mirror) FollowUps() []snapshot.Event {
	evs := m.followUps
	m.followUps = nil
	return evs
}
