package replay

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/kilnrender/kiln/snapshot"
)

// mutationData is the data of a Mutation event (rrweb's mutationData),
// as read and as rewritten.
type mutationData struct {
	Source         snapshot.IncrementalSource `json:"source"`
	Texts          []textMutation             `json:"texts"`
	Attributes     []attrMutation             `json:"attributes"`
	Removes        []removeMutation           `json:"removes"`
	Adds           []addMutation              `json:"adds"`
	IsAttachIframe bool                       `json:"isAttachIframe,omitempty"`
}

type textMutation struct {
	ID    int     `json:"id"`
	Value *string `json:"value"`
}

type attrMutation struct {
	ID         int            `json:"id"`
	Attributes map[string]any `json:"attributes"`
}

type removeMutation struct {
	ParentID int  `json:"parentId"`
	ID       int  `json:"id"`
	IsShadow bool `json:"isShadow,omitempty"`
}

type addMutation struct {
	ParentID   int            `json:"parentId"`
	NextID     *int           `json:"nextId"`
	PreviousID *int           `json:"previousId,omitempty"`
	Node       *snapshot.Node `json:"node"`
}

// applyMutation follows rrweb's Replayer: removes, then adds (an add whose
// parent or next sibling is not there yet waits for the others), then
// texts, then attributes.
func (m *Mirror) applyMutation(ev *snapshot.Event) error {
	var d mutationData
	if err := json.Unmarshal(ev.Data, &d); err != nil {
		return fmt.Errorf("apply mutation: %w: %v", ErrInvalid, err)
	}
	m.dirty, m.emptied = false, m.emptied[:0]
	out := mutationData{Source: snapshot.IncrementalMutation, IsAttachIframe: d.IsAttachIframe,
		Texts: []textMutation{}, Attributes: []attrMutation{}, Removes: []removeMutation{}, Adds: []addMutation{}}

	for _, r := range d.Removes {
		n := m.nodes[r.ID]
		if n == nil {
			if !m.droppedIDs[r.ID] {
				m.warnf("mutation: remove of an unknown node")
			}
			m.dirty = true
			continue
		}
		m.detach(n)
		out.Removes = append(out.Removes, r)
	}

	pending := d.Adds
	for len(pending) > 0 {
		var later []addMutation
		for _, a := range pending {
			if a.Node == nil {
				m.warnf("mutation: add without a node")
				m.dirty = true
				continue
			}
			if m.droppedIDs[a.ParentID] {
				m.dirty = true
				a.Node.Walk(func(x *snapshot.Node) bool { m.droppedIDs[x.ID] = true; return true })
				continue
			}
			parent := m.nodes[a.ParentID]
			if parent == nil || (a.NextID != nil && *a.NextID > 0 && m.nodes[*a.NextID] == nil) {
				later = append(later, a)
				continue
			}
			ok, err := m.insert(parent, a)
			if err != nil {
				return err
			}
			if ok {
				out.Adds = append(out.Adds, a)
			}
		}
		if len(later) == len(pending) { // no progress
			for _, a := range later {
				parent := m.nodes[a.ParentID]
				m.dirty = true
				if parent == nil {
					m.warnf("mutation: add to an unknown parent")
					continue
				}
				if a.NextID == nil || !m.droppedIDs[*a.NextID] {
					// (A sibling the mirror dropped itself, the feedback
					// SDK's own UI say, is no problem of the recording.)
					m.warnf("mutation: add before an unknown sibling (appended)")
				}
				a.NextID = nil
				ok, err := m.insert(parent, a)
				if err != nil {
					return err
				}
				if ok {
					out.Adds = append(out.Adds, a)
				}
			}
			break
		}
		pending = later
	}

	for _, t := range d.Texts {
		n := m.nodes[t.ID]
		if n == nil {
			if !m.droppedIDs[t.ID] {
				m.warnf("mutation: text of an unknown node")
			}
			m.dirty = true
			continue
		}
		v := ""
		if t.Value != nil {
			v = *t.Value
		}
		if p := m.parents[n]; p != nil && isStyleTag(p) || n.IsStyle {
			v = m.san.CSS(v)
			delete(m.styleRules, p)
		} else if m.maskedContext(p) {
			v = maskText(v)
		}
		if t.Value == nil || v != *t.Value {
			m.dirty = true
		}
		n.TextContent = v
		out.Texts = append(out.Texts, textMutation{ID: t.ID, Value: &v})
		if p := m.parents[n]; isStyleTag(p) && m.san.StyleText(p) {
			// Joined, the texts hid a URL from their one-by-one check:
			// the sheet is now all in its first text. A player applies
			// texts in order, so the others are emptied before it is set.
			m.dirty = true
			out.Texts = out.Texts[:len(out.Texts)-1]
			var firstText *snapshot.Node
			for _, c := range p.ChildNodes {
				switch {
				case c.Type != snapshot.NodeText && c.Type != snapshot.NodeCDATA:
				case firstText == nil:
					firstText = c
				default:
					out.Texts = append(out.Texts, textMutation{ID: c.ID, Value: new("")})
				}
			}
			css := firstText.TextContent
			out.Texts = append(out.Texts, textMutation{ID: firstText.ID, Value: &css})
		}
	}

	added := make(map[*snapshot.Node]bool) // nodes this mutation adds
	for _, a := range out.Adds {
		a.Node.Walk(func(x *snapshot.Node) bool { added[x] = true; return true })
	}
	for _, a := range d.Attributes {
		n := m.nodes[a.ID]
		if n == nil {
			if !m.droppedIDs[a.ID] {
				m.warnf("mutation: attributes of an unknown node")
			}
			m.dirty = true
			continue
		}
		if n.Type != snapshot.NodeElement {
			m.dirty = true
			continue
		}
		if !m.applyAttributes(n, a.Attributes, &out) {
			// The change made it an element the rules remove (a meta
			// refresh, a preload link): it goes, and so does the change.
			m.dirty = true
			if p := m.parents[n]; p != nil && !added[n] {
				out.Removes = append(out.Removes, removeMutation{ParentID: p.ID, ID: n.ID, IsShadow: n.IsShadow})
			}
			m.drop(n)
			continue
		}
		out.Attributes = append(out.Attributes, a)
	}
	m.queueEmptied(ev.Timestamp)
	if m.dirty {
		// An add whose node went since (see above) is not sent.
		kept := out.Adds[:0]
		for _, a := range out.Adds {
			if m.nodes[a.Node.ID] == a.Node {
				kept = append(kept, a)
			}
		}
		out.Adds = kept
	}

	if !m.dirty {
		return nil // keep the recorded bytes: they compress as they came
	}
	data, err := marshal(out)
	if err != nil {
		return fmt.Errorf("apply mutation: %w: %v", ErrInvalid, err)
	}
	ev.Data = data
	return nil
}

// insert adds a's node under parent; false means it landed in a blocked
// subtree and was dropped.
func (m *Mirror) insert(parent *snapshot.Node, a addMutation) (bool, error) {
	n := a.Node
	if old := m.nodes[n.ID]; old != nil {
		m.detach(old)
	}
	if n.Type == snapshot.NodeDocument {
		// A frame navigated: its new document replaces the old one, as
		// in rrweb's player.
		for _, c := range slices.Clone(parent.ChildNodes) {
			if c != nil && c.Type == snapshot.NodeDocument {
				m.detach(c)
			}
		}
	}
	if err := m.register(n, parent, m.depth(parent)); err != nil {
		return false, err
	}
	pos := len(parent.ChildNodes)
	if a.PreviousID != nil {
		if prev := m.nodes[*a.PreviousID]; prev != nil && prev != n && m.parents[prev] == parent {
			pos = indexOf(parent.ChildNodes, prev) + 1
			a.NextID = nil // rrweb: the previous sibling decides first
		}
	}
	if a.NextID != nil {
		if next := m.nodes[*a.NextID]; next != nil && next != n && m.parents[next] == parent {
			pos = indexOf(parent.ChildNodes, next)
		}
	}
	pos = min(pos, len(parent.ChildNodes))
	parent.ChildNodes = append(parent.ChildNodes, nil)
	copy(parent.ChildNodes[pos+1:], parent.ChildNodes[pos:])
	parent.ChildNodes[pos] = n
	if n.IsShadow && parent.Type == snapshot.NodeElement {
		// A shadow root attached after the host was recorded: the host
		// is one from now on (synthetic snapshots rebuild its root).
		parent.IsShadowHost = true
	}
	if isStyleTag(parent) {
		delete(m.styleRules, parent)
		if n.Type == snapshot.NodeText && takeStyleText(parent, n) {
			m.dirty = true
		}
	}
	if m.blockedContext(parent) {
		m.drop(n)
		return false, nil
	}
	if snapshot.GleapUI(n) {
		m.dropSDKUI(n)
		return false, nil
	}
	m.checkStaleInput(n)
	m.protect(n, m.maskedContext(parent))
	if spreadStyleText(n) {
		m.dirty = true // the event's node as the mirror holds it
	}
	if sheets, svgs := repairSheets(n), m.preferSuppliedSVG(n); sheets || svgs {
		m.dirty = true
	}
	if !m.clean(n) {
		m.dirty = true
		return false, nil
	}
	return true, nil
}

// dropStaleDataURL forgets the picture an <img> was recorded with
// (rr_dataURL: rrweb's inlined copy of the image it showed then, which
// wins over src and srcset) when a change gives it another src or srcset
// and no picture of its own: the player sets the new src on an element
// built from the old picture, so the page shows the new image.
func dropStaleDataURL(n *snapshot.Node, attrs map[string]any) {
	if n.TagName != "img" || n.Attributes["rr_dataURL"] == nil {
		return
	}
	if _, ok := attrs["rr_dataURL"]; ok {
		return
	}
	for _, k := range []string{"src", "srcset"} {
		v, ok := attrs[k]
		if !ok {
			continue
		}
		cur, _ := n.Attributes[k].(string)
		if nv, isText := v.(string); !isText || nv != cur {
			delete(n.Attributes, "rr_dataURL")
			return
		}
	}
}

// relinkSheet turns a change of the href of a style sheet <link> the
// recorder inlined (its _cssText; rrweb's player built it as a <style>,
// where an href means nothing) into a change of its sheet: an @import of
// the new URL, which the rules then resolve and capture like any other
// (a theme switched by swapping the sheet's URL). A removed href empties
// the sheet. It reports whether it changed attrs.
func relinkSheet(n *snapshot.Node, attrs map[string]any) bool {
	// The recorder keeps neither rel nor href on the <link>s it inlines.
	if _, inlined := n.Attributes["_cssText"].(string); n.TagName != "link" || !inlined {
		return false
	}
	v, ok := attrs["href"]
	if _, set := attrs["_cssText"]; !ok || set {
		return false
	}
	switch v := v.(type) {
	case nil:
		attrs["_cssText"] = ""
	case string:
		if v == n.Attr("href") {
			return false
		}
		attrs["_cssText"] = "@import url(" + snapshot.CSSQuote(v) + ");"
	default:
		return false
	}
	return true
}

func indexOf(ns []*snapshot.Node, n *snapshot.Node) int {
	for i, c := range ns {
		if c == n {
			return i
		}
	}
	return len(ns)
}

// applyAttributes applies one node's attribute changes, masking values,
// sanitizing them and resolving their URLs in place (attrs is what the
// event will carry). It returns false when the element, as the change
// leaves it, must be removed.
func (m *Mirror) applyAttributes(n *snapshot.Node, attrs map[string]any, out *mutationData) bool {
	dropStaleDataURL(n, attrs)
	if relinkSheet(n, attrs) {
		m.dirty = true
	}
	had := make(map[string]bool, len(attrs))
	// The recorded values first: the rules judge each attribute with the
	// element as the change leaves it (a rel set with its href).
	for k, v := range attrs {
		_, had[k] = n.Attributes[k]
		switch v.(type) {
		case nil, map[string]any:
		default:
			setAttr(n, k, v)
		}
	}
	classChanged := false
	for _, k := range sortedKeys(attrs) {
		switch v := attrs[k].(type) {
		case nil:
			delete(n.Attributes, k)
			if _, keep := m.san.Attr(n, k, ""); !keep && !had[k] {
				delete(attrs, k) // removing what the rules never let in
				m.dirty = true
			}
		case map[string]any: // rrweb style diff: {prop: value | [value, priority] | false}
			m.applyStyleDiff(n, v)
		case string:
			s, keep := m.san.Attr(n, k, v)
			if !keep {
				m.dirty = true
				delete(n.Attributes, k)
				if had[k] {
					attrs[k] = nil
				} else {
					delete(attrs, k)
				}
				continue
			}
			if k == "value" && m.valueHidden(n) {
				s = maskText(s)
			}
			if s != v {
				m.dirty = true
			}
			attrs[k] = s
			setAttr(n, k, s)
		default:
			if _, keep := m.san.Attr(n, k, ""); !keep {
				m.dirty = true
				delete(n.Attributes, k)
				delete(attrs, k)
			}
		}
		switch k {
		case "type":
			if m.isPassword(n) {
				if val, ok := n.Attributes["value"].(string); ok && val != "" && strings.Trim(val, "*") != "" {
					val = maskText(val)
					n.Attributes["value"] = val
					attrs["value"] = val
					m.dirty = true
				}
			}
		case "class":
			classChanged = true
		}
	}
	if _, ok := attrs["rr_dataURL"]; ok {
		m.noteInlined(n)
	}
	if v, ok := n.Attributes["checked"].(string); ok && attrs["checked"] == v && strings.EqualFold(n.TagName, "input") {
		// A script set the box's attribute, which its state follows; a
		// string left on a checkbox or radio reads as unchecked (as the
		// recorder leaves one the user unchecked).
		n.Attributes["checked"] = true
	}
	if !m.san.Keep(n) {
		return false
	}
	if snapshot.GleapUI(n) { // a class or id made it the SDK's UI
		m.sdkUI++
		return false
	}
	_, w := attrs["width"]
	if _, h := attrs["height"]; w || h {
		if strings.EqualFold(n.TagName, "canvas") {
			m.clearCanvas(n) // resizing a canvas clears it
		}
	}
	if !classChanged {
		return true
	}
	// A class change can block or mask a subtree that was already shown:
	// remove its children, or re-send its text masked.
	if m.isBlocked(n) && len(n.ChildNodes) > 0 {
		m.dirty = true
		for _, c := range append([]*snapshot.Node(nil), n.ChildNodes...) {
			out.Removes = append(out.Removes, removeMutation{ParentID: n.ID, ID: c.ID, IsShadow: c.IsShadow})
			m.drop(c)
		}
		return true
	}
	if m.maskedContext(n) {
		m.dirty = true
		n.Walk(func(x *snapshot.Node) bool {
			switch {
			case x.Type == snapshot.NodeText && m.parents[x] != nil && !isStyleTag(m.parents[x]) && m.parents[x].TagName != "script":
				if mt := maskText(x.TextContent); mt != x.TextContent {
					x.TextContent = mt
					out.Texts = append(out.Texts, textMutation{ID: x.ID, Value: &mt})
				}
			case x.Type == snapshot.NodeElement && x != n:
				if v, ok := x.Attributes["value"].(string); ok && maskText(v) != v {
					x.Attributes["value"] = maskText(v)
					out.Attributes = append(out.Attributes, attrMutation{ID: x.ID, Attributes: map[string]any{"value": x.Attributes["value"]}})
				}
			}
			return true
		})
		if v, ok := n.Attributes["value"].(string); ok && maskText(v) != v {
			n.Attributes["value"] = maskText(v)
			attrs["value"] = n.Attributes["value"]
		}
	}
	return true
}

// applyStyleDiff applies rrweb's style diff to the style attribute,
// sanitizing the values in the diff (what the event carries) and the
// resulting attribute (what later snapshots carry). Properties that are
// not CSS names go: a player's setProperty would ignore them anyway.
func (m *Mirror) applyStyleDiff(n *snapshot.Node, diff map[string]any) {
	style := n.Attr("style")
	for _, p := range sortedKeys(diff) {
		if !cssName(p) {
			delete(diff, p)
			m.dirty = true
			continue
		}
		switch pv := diff[p].(type) {
		case string:
			if v := m.san.CSS(pv); v != pv {
				diff[p], pv, m.dirty = v, v, true
			}
			style = setDeclaration(style, p, pv, "")
		case []any:
			val, _ := first(pv, 0).(string)
			prio, _ := first(pv, 1).(string)
			if v := m.san.CSS(val); v != val {
				pv[0], val, m.dirty = v, v, true
			}
			if prio != "" && !strings.EqualFold(prio, "important") {
				prio = ""
				pv[1], m.dirty = "", true
			}
			style = setDeclaration(style, p, val, prio)
		case bool:
			style = setDeclaration(style, p, "", "")
		}
	}
	setAttr(n, "style", m.san.CSS(style))
}

// cssName accepts a CSS property name (custom properties included).
func cssName(p string) bool {
	if p == "" || len(p) > 256 {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c >= 0x80) {
			return false
		}
	}
	return true
}

func first(a []any, i int) any {
	if i < len(a) {
		return a[i]
	}
	return nil
}
