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
	if n.TagName == "input" && (typ == "checkbox" || typ == "radio") {
		if checked {
			setAttr(n, "checked", true)
		} else {
			delete(n.Attributes, "checked")
		}
		return nil
	}
	setAttr(n, "value", text)
	if strings.TrimSpace(text) != "" && !m.valueHidden(n) {
		m.lastInput = strings.TrimSpace(text)
	}
	return nil
}

// checkStaleInput warns when text just typed into a field shows up in
// the page: apps that submit a field on Enter (to-do lists, chats) clear
// it through a path the recorder does not see, so every replay, Kiln's or
// rrweb's, shows the typed text still in the field.
func (m *Mirror) checkStaleInput(n *snapshot.Node) {
	if m.lastInput == "" || m.staleWarned {
		return
	}
	n.Walk(func(x *snapshot.Node) bool {
		if x.Type == snapshot.NodeText && strings.TrimSpace(x.TextContent) == m.lastInput {
			m.staleWarned = true
			m.warnf("input: typed text was added to the page and the field was probably cleared without an event the recorder sees; replays may show stale text in that field")
			return false
		}
		return !m.staleWarned
	})
}
