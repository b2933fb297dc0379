package replay

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/kilnrender/kiln/snapshot"
)

// styleTarget returns the rule list an event edits: an adopted sheet by
// styleId (n nil), or a <style>'s sheet by node id; ok is false when
// neither exists.
func (m *Mirror) styleTarget(id, styleID int) (rules []string, n *snapshot.Node, ok bool) {
	if styleID > 0 && (id == 0 || m.nodes[id] == nil) {
		rules := m.sheets[styleID]
		m.sheets[styleID] = rules
		return rules, nil, true
	}
	n = m.nodes[id]
	if n == nil || n.Type != snapshot.NodeElement {
		return nil, nil, false
	}
	if rules, ok := m.styleRules[n]; ok {
		return rules, n, true
	}
	css, isCSS := n.Attributes["_cssText"].(string)
	if !isCSS {
		for _, c := range n.ChildNodes {
			if c.Type == snapshot.NodeText {
				css += c.TextContent
			}
		}
	}
	rules = splitRules(css)
	m.styleRules[n] = rules
	return rules, n, true
}

// commitRules writes a sheet back after an edit.
func (m *Mirror) commitRules(rules []string, n *snapshot.Node, styleID int) {
	if n == nil {
		m.sheets[styleID] = rules
		m.syncAdopted()
		return
	}
	m.styleRules[n] = rules
	// Each rule was sanitized on its own; joined, a comment opened in one
	// and closed in another would tokenize differently.
	css := m.san.CSS(strings.Join(rules, "\n"))
	if _, ok := n.Attributes["_cssText"]; ok || len(n.ChildNodes) == 0 {
		setAttr(n, "_cssText", css)
		return
	}
	for _, c := range n.ChildNodes {
		if c.Type == snapshot.NodeText {
			c.TextContent = css
			css = ""
		}
	}
}

func (m *Mirror) applyStyleSheetRule(ev *snapshot.Event) error {
	var d struct {
		Source  int `json:"source"`
		ID      int `json:"id,omitempty"`
		StyleID int `json:"styleId,omitempty"`
		Adds    []struct {
			Rule  string `json:"rule"`
			Index any    `json:"index,omitempty"`
		} `json:"adds,omitempty"`
		Removes []struct {
			Index any `json:"index"`
		} `json:"removes,omitempty"`
		Replace     *string `json:"replace,omitempty"`
		ReplaceSync *string `json:"replaceSync,omitempty"`
	}
	if err := json.Unmarshal(ev.Data, &d); err != nil {
		return fmt.Errorf("apply style sheet rule: %w: %v", ErrInvalid, err)
	}
	rules, n, ok := m.styleTarget(d.ID, d.StyleID)
	if !ok {
		m.warnf("style sheet rule: unknown style sheet")
		return nil
	}
	for _, r := range d.Removes {
		rules = editRules(rules, ruleIndex(r.Index), "", true)
	}
	changed := false
	for i, a := range d.Adds {
		rule := m.san.CSS(a.Rule)
		if rule != a.Rule {
			d.Adds[i].Rule, changed = rule, true
		}
		idx := ruleIndex(a.Index)
		if idx == nil {
			idx = []int{len(rules)}
		}
		rules = editRules(rules, idx, rule, false)
	}
	for _, s := range []*string{d.Replace, d.ReplaceSync} {
		if s != nil {
			css := m.san.CSS(*s)
			if css != *s {
				*s, changed = css, true
			}
			rules = splitRules(css)
		}
	}
	m.commitRules(rules, n, d.StyleID)
	if changed {
		data, err := marshal(d)
		if err != nil {
			return fmt.Errorf("apply style sheet rule: %w: %v", ErrInvalid, err)
		}
		ev.Data = data
	}
	return nil
}

// ruleIndex reads rrweb's index: a number, or a path of numbers into
// nested grouping rules.
func ruleIndex(v any) []int {
	switch v := v.(type) {
	case float64:
		return []int{int(v)}
	case []any:
		var out []int
		for _, x := range v {
			f, ok := x.(float64)
			if !ok {
				return nil
			}
			out = append(out, int(f))
		}
		return out
	}
	return nil
}

// editRules inserts rule at path (or deletes the rule there).
func editRules(rules []string, path []int, rule string, del bool) []string {
	if len(path) == 0 {
		return rules
	}
	i := path[0]
	if i < 0 {
		i = 0
	}
	if len(path) > 1 {
		if i >= len(rules) {
			return rules
		}
		g := rules[i]
		open, end := strings.IndexByte(g, '{'), strings.LastIndexByte(g, '}')
		if open < 0 || end < open {
			return rules
		}
		inner := editRules(splitRules(g[open+1:end]), path[1:], rule, del)
		out := append([]string(nil), rules...)
		out[i] = g[:open+1] + " " + strings.Join(inner, " ") + " }"
		return out
	}
	if del {
		if i >= len(rules) {
			return rules
		}
		return append(rules[:i:i], rules[i+1:]...)
	}
	if i > len(rules) {
		i = len(rules)
	}
	out := make([]string, 0, len(rules)+1)
	out = append(out, rules[:i]...)
	out = append(out, rule)
	return append(out, rules[i:]...)
}

// editRuleAt returns a copy of rules with the rule at path (a path into
// nested grouping rules) replaced by f of it.
func editRuleAt(rules []string, path []int, f func(string) string) []string {
	if len(path) == 0 || path[0] < 0 || path[0] >= len(rules) {
		return rules
	}
	out := append([]string(nil), rules...)
	if len(path) == 1 {
		out[path[0]] = f(out[path[0]])
		return out
	}
	g := out[path[0]]
	open, end := strings.IndexByte(g, '{'), strings.LastIndexByte(g, '}')
	if open < 0 || end < open {
		return rules
	}
	inner := editRuleAt(splitRules(g[open+1:end]), path[1:], f)
	out[path[0]] = g[:open+1] + " " + strings.Join(inner, " ") + " }"
	return out
}

func (m *Mirror) applyStyleDeclaration(ev *snapshot.Event) error {
	var d struct {
		Source  int   `json:"source"`
		ID      int   `json:"id,omitempty"`
		StyleID int   `json:"styleId,omitempty"`
		Index   []int `json:"index"`
		Set     *struct {
			Property string `json:"property"`
			Value    string `json:"value"`
			Priority string `json:"priority,omitempty"`
		} `json:"set,omitempty"`
		Remove *struct {
			Property string `json:"property"`
		} `json:"remove,omitempty"`
	}
	if err := json.Unmarshal(ev.Data, &d); err != nil {
		return fmt.Errorf("apply style declaration: %w: %v", ErrInvalid, err)
	}
	changed := false
	if d.Set != nil && d.Set.Priority != "" && !strings.EqualFold(d.Set.Priority, "important") {
		d.Set.Priority, changed = "", true // anything else would be written into the rule
	}
	if d.Set != nil {
		if v := m.san.CSS(d.Set.Value); v != d.Set.Value || !cssName(d.Set.Property) {
			d.Set.Value, changed = v, true
			if !cssName(d.Set.Property) {
				d.Set = nil // a player's setProperty would ignore it
			}
		}
	}
	if changed {
		data, err := marshal(d)
		if err != nil {
			return fmt.Errorf("apply style declaration: %w: %v", ErrInvalid, err)
		}
		ev.Data = data
	}
	rules, n, ok := m.styleTarget(d.ID, d.StyleID)
	if !ok {
		m.warnf("style declaration: unknown style sheet")
		return nil
	}
	rules = editRuleAt(rules, d.Index, func(rule string) string {
		return m.san.CSS(editRuleBlock(rule, func(block string) string {
			if d.Set != nil {
				block = setDeclaration(block, d.Set.Property, d.Set.Value, d.Set.Priority)
			}
			if d.Remove != nil {
				block = setDeclaration(block, d.Remove.Property, "", "")
			}
			return block
		}))
	})
	m.commitRules(rules, n, d.StyleID)
	return nil
}

func (m *Mirror) applyAdopted(ev *snapshot.Event) error {
	var d struct {
		Source   int   `json:"source"`
		ID       int   `json:"id"`
		StyleIDs []int `json:"styleIds"`
		Styles   []struct {
			StyleID int `json:"styleId"`
			Rules   []struct {
				Rule  string `json:"rule"`
				Index *int   `json:"index,omitempty"`
			} `json:"rules"`
		} `json:"styles,omitempty"`
	}
	if err := json.Unmarshal(ev.Data, &d); err != nil {
		return fmt.Errorf("apply adopted style sheet: %w: %v", ErrInvalid, err)
	}
	changed := false
	for _, s := range d.Styles {
		var rules []string
		for i, r := range s.Rules {
			if rule := m.san.CSS(r.Rule); rule != r.Rule {
				s.Rules[i].Rule, r.Rule, changed = rule, rule, true
			}
			idx := len(rules)
			if r.Index != nil {
				idx = *r.Index
			}
			rules = editRules(rules, []int{idx}, r.Rule, false)
		}
		m.sheets[s.StyleID] = rules
	}
	if changed {
		data, err := marshal(d)
		if err != nil {
			return fmt.Errorf("apply adopted style sheet: %w: %v", ErrInvalid, err)
		}
		ev.Data = data
	}
	if d.ID != m.doc.ID && m.nodes[d.ID] == nil {
		m.warnf("adopted style sheet: unknown host")
		return nil
	}
	m.adopted[d.ID] = d.StyleIDs
	m.syncAdopted()
	return nil
}

// adoptedStyle is the <style> standing for a host's adopted sheets in
// the mirror's tree.
type adoptedStyle struct {
	host, style *snapshot.Node
}

// syncAdopted puts each host's adopted (constructed) style sheets into
// the tree as a <style> of Kiln's, so keyframes (FromNode) show them: the
// last child of <html> for the document (adopted sheets cascade after
// the document's own), the last shadow child of a shadow host. These
// nodes have no rrweb id (negative ids, never indexed): segment starts
// leave them out and send the sheets as events (FullSnapshot).
func (m *Mirror) syncAdopted() {
	for id, ids := range m.adopted {
		host := m.nodes[id]
		if id == m.doc.ID {
			host = nil
			for _, c := range m.doc.ChildNodes {
				if c.Type == snapshot.NodeElement && strings.EqualFold(c.TagName, "html") {
					host = c
				}
			}
		}
		if host == nil {
			continue
		}
		var css []string
		for _, sid := range ids {
			css = append(css, m.sheets[sid]...)
		}
		as, ok := m.adoptedStyles[id]
		if !ok || as.host != host || m.parents[as.style] != host {
			if ok {
				m.detach(as.style)
			}
			m.synthID--
			st := &snapshot.Node{Type: snapshot.NodeElement, ID: m.synthID, TagName: "style", Attributes: map[string]any{},
				IsShadow: id != m.doc.ID}
			m.synthID--
			st.ChildNodes = []*snapshot.Node{{Type: snapshot.NodeText, ID: m.synthID}}
			host.ChildNodes = append(host.ChildNodes, st)
			m.parents[st], m.parents[st.ChildNodes[0]] = host, st
			as = adoptedStyle{host, st}
			m.adoptedStyles[id] = as
		}
		as.style.ChildNodes[0].TextContent = m.san.CSS(strings.Join(css, "\n"))
	}
}

// cssSplit is the marker rrweb's recorder puts between the parts of a
// <style>'s _cssText that belong to its text children one by one.
const cssSplit = "/* rr_split */"

// spreadStyleText gives the sheet a <style> was recorded with (its
// _cssText) back to the element's text children, as rrweb's player does
// when it builds the node (applyCssSplits): the recorder blanks the
// children and keeps the sheet on the element, so a later mutation that
// removes, replaces or adds a text child (style.textContent = …, CSS-in-JS
// injecting rules as text nodes) changes what the page shows only once
// the children hold the text. Part i of the sheet (split at rr_split;
// extra parts go to the last child) becomes child i's text and _cssText
// goes; a <style> without text children keeps it. It reports whether it
// moved any.
func spreadStyleText(n *snapshot.Node) bool {
	moved := false
	n.Walk(func(x *snapshot.Node) bool {
		if !isStyleTag(x) {
			return true
		}
		css, ok := x.Attributes["_cssText"].(string)
		if !ok {
			return true
		}
		var texts []*snapshot.Node
		for _, c := range x.ChildNodes {
			if c != nil && c.Type == snapshot.NodeText {
				texts = append(texts, c)
			}
		}
		if len(texts) == 0 {
			return true
		}
		parts := strings.Split(css, cssSplit)
		if len(parts) > len(texts) {
			parts = append(parts[:len(texts)-1], strings.Join(parts[len(texts)-1:], ""))
		}
		for i, p := range parts {
			texts[i].TextContent = p
		}
		delete(x.Attributes, "_cssText")
		moved = true
		return true
	})
	return moved
}

// takeStyleText gives the sheet of a <style> recorded without text
// children (its _cssText) to the first text child a mutation adds, t, as
// rrweb's player does: it builds such an element with a text node of its
// own, which the first added text replaces, taking its text.
func takeStyleText(style, t *snapshot.Node) bool {
	css, ok := style.Attributes["_cssText"].(string)
	if !ok {
		return false
	}
	for _, c := range style.ChildNodes {
		if c != nil && c != t && c.Type == snapshot.NodeText {
			return false
		}
	}
	t.TextContent = strings.ReplaceAll(css, cssSplit, "")
	delete(style.Attributes, "_cssText")
	return true
}

// repairSheets repairs the style sheet text the recorder serialized in a
// subtree just added (a <link>'s or <style>'s _cssText, a <style>'s text):
// see repairBackgrounds. It reports whether it changed any.
func repairSheets(n *snapshot.Node) bool {
	changed := false
	n.Walk(func(x *snapshot.Node) bool {
		switch {
		case x.Type == snapshot.NodeElement:
			if css, ok := x.Attributes["_cssText"].(string); ok {
				if v := repairBackgrounds(css); v != css {
					x.Attributes["_cssText"], changed = v, true
				}
			}
		case x.IsStyle:
			if v := repairBackgrounds(x.TextContent); v != x.TextContent {
				x.TextContent, changed = v, true
			}
		}
		return true
	})
	return changed
}
