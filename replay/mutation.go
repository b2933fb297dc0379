package replay

import (
	"encoding/json"
	"fmt"
	"sort"
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
	m.dirty = false
	out := mutationData{Source: snapshot.IncrementalMutation, IsAttachIframe: d.IsAttachIframe,
		Texts: []textMutation{}, Attributes: []attrMutation{}, Removes: []removeMutation{}, Adds: []addMutation{}}

	for _, r := range d.Removes {
		n := m.nodes[r.ID]
		if n == nil {
			if !m.blockedIDs[r.ID] {
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
			if m.blockedIDs[a.ParentID] {
				m.dirty = true
				a.Node.Walk(func(x *snapshot.Node) bool { m.blockedIDs[x.ID] = true; return true })
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
				m.warnf("mutation: add before an unknown sibling (appended)")
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
			if !m.blockedIDs[t.ID] {
				m.warnf("mutation: text of an unknown node")
			}
			m.dirty = true
			continue
		}
		v := ""
		if t.Value != nil {
			v = *t.Value
		}
		if p := m.parents[n]; p != nil && isStyleTag(p) {
			v = rewriteCSSURLs(v, m.rewriteURL)
			delete(m.styleRules, p)
		} else if m.maskedContext(p) {
			v = maskText(v)
		}
		if t.Value == nil || v != *t.Value {
			m.dirty = true
		}
		n.TextContent = v
		out.Texts = append(out.Texts, textMutation{ID: t.ID, Value: &v})
	}

	for _, a := range d.Attributes {
		n := m.nodes[a.ID]
		if n == nil {
			if !m.blockedIDs[a.ID] {
				m.warnf("mutation: attributes of an unknown node")
			}
			m.dirty = true
			continue
		}
		if n.Type != snapshot.NodeElement {
			m.dirty = true
			continue
		}
		m.applyAttributes(n, a.Attributes, &out)
		out.Attributes = append(out.Attributes, a)
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
	if isStyleTag(parent) {
		delete(m.styleRules, parent)
	}
	if m.blockedContext(parent) {
		m.detach(n)
		n.Walk(func(x *snapshot.Node) bool { m.blockedIDs[x.ID] = true; return true })
		return false, nil
	}
	m.checkStaleInput(n)
	m.protect(n, m.maskedContext(parent))
	return true, nil
}

func indexOf(ns []*snapshot.Node, n *snapshot.Node) int {
	for i, c := range ns {
		if c == n {
			return i
		}
	}
	return len(ns)
}

// applyAttributes applies one node's attribute changes, masking values
// and rewriting URLs in place (attrs is what the event will carry).
func (m *Mirror) applyAttributes(n *snapshot.Node, attrs map[string]any, out *mutationData) {
	classChanged := false
	for k, v := range attrs {
		switch v := v.(type) {
		case nil:
			delete(n.Attributes, k)
		case map[string]any: // rrweb style diff: {prop: value | [value, priority] | false}
			style := n.Attr("style")
			props := make([]string, 0, len(v))
			for p := range v {
				props = append(props, p)
			}
			sort.Strings(props)
			for _, p := range props {
				switch pv := v[p].(type) {
				case string:
					style = setDeclaration(style, p, pv, "")
				case []any:
					val, _ := first(pv, 0).(string)
					prio, _ := first(pv, 1).(string)
					style = setDeclaration(style, p, val, prio)
				case bool:
					style = setDeclaration(style, p, "", "")
				}
			}
			setAttr(n, "style", style)
		case string:
			s := m.rewriteAttr(n, k, v)
			if k == "value" && (m.isPassword(n) || m.maskedContext(n)) {
				s = maskText(s)
			}
			if s != v {
				m.dirty = true
			}
			attrs[k] = s
			setAttr(n, k, s)
		default:
			setAttr(n, k, v)
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
	if !classChanged {
		return
	}
	// A class change can block or mask a subtree that was already shown:
	// remove its children, or re-send its text masked.
	if m.isBlocked(n) && len(n.ChildNodes) > 0 {
		m.dirty = true
		for _, c := range append([]*snapshot.Node(nil), n.ChildNodes...) {
			out.Removes = append(out.Removes, removeMutation{ParentID: n.ID, ID: c.ID, IsShadow: c.IsShadow})
			m.detach(c)
			c.Walk(func(x *snapshot.Node) bool { m.blockedIDs[x.ID] = true; return true })
		}
		return
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
}

func first(a []any, i int) any {
	if i < len(a) {
		return a[i]
	}
	return nil
}
