package replay

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/kilnrender/kiln/snapshot"
)

// errNoSnapshot marks an incremental event that arrived before the first
// full snapshot.
var errNoSnapshot = errors.New("before the first full snapshot")

// Mirror is rrweb's DOM rebuilt in Go as a tree of snapshot.Node, indexed
// by node id: it applies full snapshots and incremental events and
// serializes its state back to a full snapshot at any moment. Privacy rules (Config.MaskSelectors,
// BlockSelectors, password inputs, rr-mask, rr-block) are enforced as
// events are applied, and the events themselves are rewritten to match, so
// neither the mirror nor the events it returns hold a masked value.
//
// A Mirror is not safe for concurrent use.
type Mirror struct {
	cfg        Config
	mask       selector
	block      selector
	nodes      map[int]*snapshot.Node
	blockedIDs map[int]bool // nodes dropped inside blocked subtrees
	doc        *snapshot.Node
	// What the mirror knows of its live nodes beyond rrweb's model.
	parents    map[*snapshot.Node]*snapshot.Node
	passwords  map[*snapshot.Node]bool     // ever an input[type=password]
	styleRules map[*snapshot.Node][]string // parsed sheet of a <style>, once a rule event touched it

	href          string
	width, height int
	scrollX       float64
	scrollY       float64
	sheets        map[int][]string // adopted (constructed) style sheets by styleId
	adopted       map[int][]int    // host id (document or shadow host) -> styleIds
	fonts         []snapshot.Event
	fontBytes     int
	warn          func(string)
	assetURL      func(string) string // rewrites one absolute URL; nil keeps it
	canvasWarned  bool
	fatal         error
	dirty         bool   // the event being applied was changed (privacy, assets)
	lastInput     string // text last typed into a text field, until used
	staleWarned   bool
}

// NewMirror returns an empty mirror enforcing cfg's privacy rules. warn,
// when not nil, receives a short description of each problem (never
// recorded content).
func NewMirror(cfg Config, warn func(string)) (*Mirror, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	m := &Mirror{cfg: cfg, warn: warn}
	for _, s := range cfg.MaskSelectors {
		sel, _ := parseSelector(s)
		m.mask = append(m.mask, sel...)
	}
	for _, s := range cfg.BlockSelectors {
		sel, _ := parseSelector(s)
		m.block = append(m.block, sel...)
	}
	m.reset()
	return m, nil
}

func (m *Mirror) reset() {
	m.nodes = make(map[int]*snapshot.Node)
	m.blockedIDs = make(map[int]bool)
	m.doc = nil
	m.parents = make(map[*snapshot.Node]*snapshot.Node)
	m.passwords = make(map[*snapshot.Node]bool)
	m.styleRules = make(map[*snapshot.Node][]string)
	m.sheets = make(map[int][]string)
	m.adopted = make(map[int][]int)
	m.fonts, m.fontBytes = nil, 0
}

func (m *Mirror) warnf(format string, args ...any) {
	if m.warn != nil {
		m.warn(fmt.Sprintf(format, args...))
	}
}

// Ready reports whether a full snapshot has been applied.
func (m *Mirror) Ready() bool { return m.doc != nil }

// Href is the page URL of the last Meta event.
func (m *Mirror) Href() string { return m.href }

// Viewport is the window size in CSS pixels (last Meta or resize).
func (m *Mirror) Viewport() (width, height int) { return m.width, m.height }

// Scroll is the window scroll offset in CSS pixels.
func (m *Mirror) Scroll() (x, y int) { return int(math.Round(m.scrollX)), int(math.Round(m.scrollY)) }

// Len is the number of nodes alive.
func (m *Mirror) Len() int { return len(m.nodes) }

// Node returns the live node with id, or nil.
func (m *Mirror) Node(id int) *snapshot.Node { return m.nodes[id] }

// Apply applies one event to the mirror and rewrites ev.Data where privacy
// or asset rules require. An error means the event was not applied and
// must be dropped; it wraps ErrInvalid (malformed data), errNoSnapshot, or
// ErrTooLarge (over Limits.MaxNodes or MaxDepth: the recording cannot be
// processed).
func (m *Mirror) Apply(ev *snapshot.Event) error {
	if m.fatal != nil {
		return m.fatal
	}
	switch ev.Type {
	case snapshot.EventMeta:
		d, err := ev.Meta()
		if err != nil {
			return fromSnapshot("apply meta", err)
		}
		m.href, m.width, m.height = d.Href, int(d.Width), int(d.Height)
		return nil
	case snapshot.EventFullSnapshot:
		return m.applyFull(ev)
	case snapshot.EventIncremental:
		if m.doc == nil {
			return errNoSnapshot
		}
		return m.applyIncremental(ev)
	default:
		if m.doc == nil {
			return errNoSnapshot
		}
		return nil
	}
}

func (m *Mirror) applyFull(ev *snapshot.Event) error {
	d, err := ev.FullSnapshot()
	if err != nil {
		return fromSnapshot("apply full snapshot", err)
	}
	m.reset()
	if err := m.register(d.Node, nil, 0); err != nil {
		m.reset()
		return err
	}
	m.doc = d.Node
	m.scrollX, m.scrollY = d.InitialOffset.Left, d.InitialOffset.Top
	m.protect(d.Node, false)
	data, err := m.fullSnapshotData()
	if err != nil {
		return fmt.Errorf("apply full snapshot: %w: %v", ErrInvalid, err)
	}
	ev.Data = data
	return nil
}

// register indexes n's subtree under parent, whose element depth is
// depth, and records parent links.
func (m *Mirror) register(n *snapshot.Node, parent *snapshot.Node, depth int) error {
	if n == nil {
		return fmt.Errorf("register node: %w: null node", ErrInvalid)
	}
	if old := m.nodes[n.ID]; old != nil && old != n {
		m.detach(old)
	}
	if parent != nil {
		m.parents[n] = parent
	}
	m.nodes[n.ID] = n
	lim := m.cfg.Limits
	if len(m.nodes) > lim.MaxNodes {
		m.fatal = fmt.Errorf("apply events: %w: more than %d live nodes", ErrTooLarge, lim.MaxNodes)
		return m.fatal
	}
	if n.Type == snapshot.NodeElement {
		depth++
	}
	if depth > lim.MaxDepth {
		m.fatal = fmt.Errorf("apply events: %w: elements nested deeper than %d", ErrTooLarge, lim.MaxDepth)
		return m.fatal
	}
	kept := n.ChildNodes[:0]
	for _, c := range n.ChildNodes {
		if c == nil {
			continue
		}
		if err := m.register(c, n, depth); err != nil {
			return err
		}
		kept = append(kept, c)
	}
	n.ChildNodes = kept
	return nil
}

// detach removes n from its parent and forgets its subtree.
func (m *Mirror) detach(n *snapshot.Node) {
	if p := m.parents[n]; p != nil {
		for i, c := range p.ChildNodes {
			if c == n {
				p.ChildNodes = append(p.ChildNodes[:i:i], p.ChildNodes[i+1:]...)
				break
			}
		}
		if p.TagName == "style" {
			delete(m.styleRules, p)
		}
	}
	n.Walk(func(x *snapshot.Node) bool {
		if m.nodes[x.ID] == x {
			delete(m.nodes, x.ID)
		}
		delete(m.parents, x)
		delete(m.passwords, x)
		delete(m.styleRules, x)
		return true
	})
}

// depth is the element depth of n: the number of elements from the
// document down to n, n included.
func (m *Mirror) depth(n *snapshot.Node) int {
	d := 0
	for ; n != nil; n = m.parents[n] {
		if n.Type == snapshot.NodeElement {
			d++
		}
	}
	return d
}

func (m *Mirror) applyIncremental(ev *snapshot.Event) error {
	switch ev.Source {
	case snapshot.IncrementalMutation:
		return m.applyMutation(ev)
	case snapshot.IncrementalInput:
		return m.applyInput(ev)
	case snapshot.IncrementalScroll:
		var d struct {
			ID int     `json:"id"`
			X  float64 `json:"x"`
			Y  float64 `json:"y"`
		}
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return fmt.Errorf("apply scroll: %w: %v", ErrInvalid, err)
		}
		if d.ID == m.doc.ID {
			m.scrollX, m.scrollY = d.X, d.Y
			return nil
		}
		n := m.nodes[d.ID]
		if n == nil {
			if m.blockedIDs[d.ID] {
				return fmt.Errorf("apply scroll: %w: inside a blocked element", ErrInvalid)
			}
			m.warnf("scroll: unknown node")
			return nil
		}
		if n.Type == snapshot.NodeElement {
			setAttr(n, "rr_scrollLeft", d.X)
			setAttr(n, "rr_scrollTop", d.Y)
		}
		return nil
	case snapshot.IncrementalViewportResize:
		var d struct {
			Width  float64 `json:"width"`
			Height float64 `json:"height"`
		}
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return fmt.Errorf("apply resize: %w: %v", ErrInvalid, err)
		}
		m.width, m.height = int(d.Width), int(d.Height)
		return nil
	case snapshot.IncrementalStyleSheetRule:
		return m.applyStyleSheetRule(ev)
	case snapshot.IncrementalStyleDeclaration:
		return m.applyStyleDeclaration(ev)
	case snapshot.IncrementalAdoptedStyleSheet:
		return m.applyAdopted(ev)
	case snapshot.IncrementalCanvasMutation:
		return m.applyCanvas(ev)
	case snapshot.IncrementalFont:
		if len(m.fonts) < 256 && m.fontBytes+len(ev.Data) < 32<<20 {
			m.fonts = append(m.fonts, *ev)
			m.fontBytes += len(ev.Data)
		} else {
			m.warnf("font: too many web fonts to restore at segment starts")
		}
		return nil
	}
	return nil
}

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

func setAttr(n *snapshot.Node, k string, v any) {
	if n.Attributes == nil {
		n.Attributes = make(map[string]any)
	}
	n.Attributes[k] = v
}

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
		if m.blockedIDs[int(idf)] {
			return fmt.Errorf("apply input: %w: inside a blocked element", ErrInvalid)
		}
		return fmt.Errorf("apply input: %w: unknown node", ErrInvalid)
	}
	text, _ := d["text"].(string)
	checked, _ := d["isChecked"].(bool)
	if m.isPassword(n) || m.maskedContext(n) {
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
	if strings.TrimSpace(text) != "" && !m.isPassword(n) {
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
		return
	}
	m.styleRules[n] = rules
	css := strings.Join(rules, "\n")
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
		rule := rewriteCSSURLs(a.Rule, m.rewriteURL)
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
			css := rewriteCSSURLs(*s, m.rewriteURL)
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

// ruleAt returns a pointer-free edit of the rule at path.
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
		ID      int   `json:"id"`
		StyleID int   `json:"styleId"`
		Index   []int `json:"index"`
		Set     *struct {
			Property string `json:"property"`
			Value    string `json:"value"`
			Priority string `json:"priority"`
		} `json:"set"`
		Remove *struct {
			Property string `json:"property"`
		} `json:"remove"`
	}
	if err := json.Unmarshal(ev.Data, &d); err != nil {
		return fmt.Errorf("apply style declaration: %w: %v", ErrInvalid, err)
	}
	rules, n, ok := m.styleTarget(d.ID, d.StyleID)
	if !ok {
		m.warnf("style declaration: unknown style sheet")
		return nil
	}
	rules = editRuleAt(rules, d.Index, func(rule string) string {
		return editRuleBlock(rule, func(block string) string {
			if d.Set != nil {
				block = setDeclaration(block, d.Set.Property, d.Set.Value, d.Set.Priority)
			}
			if d.Remove != nil {
				block = setDeclaration(block, d.Remove.Property, "", "")
			}
			return block
		})
	})
	m.commitRules(rules, n, d.StyleID)
	return nil
}

func (m *Mirror) applyAdopted(ev *snapshot.Event) error {
	var d struct {
		ID       int   `json:"id"`
		StyleIDs []int `json:"styleIds"`
		Styles   []struct {
			StyleID int `json:"styleId"`
			Rules   []struct {
				Rule  string `json:"rule"`
				Index *int   `json:"index"`
			} `json:"rules"`
		} `json:"styles"`
	}
	if err := json.Unmarshal(ev.Data, &d); err != nil {
		return fmt.Errorf("apply adopted style sheet: %w: %v", ErrInvalid, err)
	}
	for _, s := range d.Styles {
		var rules []string
		for _, r := range s.Rules {
			idx := len(rules)
			if r.Index != nil {
				idx = *r.Index
			}
			rules = editRules(rules, []int{idx}, r.Rule, false)
		}
		m.sheets[s.StyleID] = rules
	}
	if d.ID != m.doc.ID && m.nodes[d.ID] == nil {
		m.warnf("adopted style sheet: unknown host")
		return nil
	}
	m.adopted[d.ID] = d.StyleIDs
	return nil
}

// applyCanvas keeps the last picture a canvas mutation carries (a data:
// URL, or an image Blob of rrweb's sampled canvas recording) as the
// canvas's rr_dataURL; drawing commands without a picture cannot be kept
// in a snapshot.
func (m *Mirror) applyCanvas(ev *snapshot.Event) error {
	var d struct {
		ID int `json:"id"`
	}
	if err := json.Unmarshal(ev.Data, &d); err != nil {
		return fmt.Errorf("apply canvas: %w: %v", ErrInvalid, err)
	}
	n := m.nodes[d.ID]
	if n == nil || n.Type != snapshot.NodeElement {
		m.warnf("canvas: unknown node")
		return nil
	}
	var all any
	if err := json.Unmarshal(ev.Data, &all); err != nil {
		return fmt.Errorf("apply canvas: %w: %v", ErrInvalid, err)
	}
	if url := findImage(all); url != "" {
		setAttr(n, "rr_dataURL", url)
		return nil
	}
	if !m.canvasWarned {
		m.canvasWarned = true
		m.warnf("canvas: drawing commands without a picture; segment starts show the last recorded picture")
	}
	return nil
}

func findImage(v any) string {
	switch v := v.(type) {
	case string:
		if strings.HasPrefix(v, "data:image/") {
			return v
		}
	case map[string]any:
		if v["rr_type"] == "Blob" {
			typ, _ := v["type"].(string)
			if data, ok := v["data"].([]any); ok && len(data) == 1 && strings.HasPrefix(typ, "image/") {
				if ab, ok := data[0].(map[string]any); ok {
					if b64, ok := ab["base64"].(string); ok {
						return "data:" + typ + ";base64," + b64
					}
				}
			}
		}
		found := ""
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if s := findImage(v[k]); s != "" {
				found = s
			}
		}
		return found
	case []any:
		found := ""
		for _, x := range v {
			if s := findImage(x); s != "" {
				found = s
			}
		}
		return found
	}
	return ""
}

// FullSnapshot returns the state as rrweb events at timestamp ts: a Meta
// and a FullSnapshot, then the adopted style sheets and web fonts the
// state depends on. A player that starts from these events shows what a
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
				st.Rules = append(st.Rules, rule{r, i})
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
	return evs, nil
}

// fullSnapshotData is the data of a FullSnapshot event of the state.
func (m *Mirror) fullSnapshotData() ([]byte, error) {
	b := make([]byte, 0, 64<<10)
	b = append(b, `{"node":`...)
	b, err := m.doc.AppendJSON(b)
	if err != nil {
		return nil, err
	}
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
	return m.doc.MarshalJSON()
}
