package replay

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/kilnrender/kiln/snapshot"
)

// errNoSnapshot marks an incremental event that arrived before the first
// full snapshot.
var errNoSnapshot = errors.New("before the first full snapshot")

// Mirror is rrweb's DOM rebuilt in Go as a tree of snapshot.Node, indexed
// by node id: it applies full snapshots and incremental events (mutations,
// inputs, style sheets, canvases) and serializes its state back to a full
// snapshot at any moment. Privacy rules (Config.MaskSelectors,
// BlockSelectors, password inputs, rr-mask, rr-block) and then the
// snapshot package's sanitizing rules (snapshot.Sanitizer: no script, no
// event handler, no script URL, and every URL resolved as urls.go says)
// are enforced as events are applied, and the events themselves are
// rewritten to match, so neither the mirror nor the events it returns
// hold a masked value, a script or a URL a player could fetch from the
// recorded site.
//
// A Mirror is not safe for concurrent use.
type Mirror struct {
	cfg        Config
	mask       selector
	block      selector
	nodes      map[int]*snapshot.Node
	droppedIDs map[int]bool // nodes dropped: inside blocked subtrees, or by the sanitizer
	doc        *snapshot.Node
	// What the mirror knows of its live nodes beyond rrweb's model.
	parents    map[*snapshot.Node]*snapshot.Node
	passwords  map[*snapshot.Node]bool     // ever an input[type=password]
	styleRules map[*snapshot.Node][]string // parsed sheet of a <style>, once a rule event touched it

	href                              string
	width, height                     int
	scrollX                           float64
	scrollY                           float64
	sheets                            map[int][]string     // adopted (constructed) style sheets by styleId
	adoptedStyles                     map[int]adoptedStyle // host id -> the <style> showing its adopted sheets (stylesheet.go)
	synthID                           int                  // the last id given to a node of Kiln's (negative)
	adopted                           map[int][]int        // host id (document or shadow host) -> styleIds
	fonts                             []snapshot.Event
	fontBytes                         int
	warn                              func(string)
	san                               snapshot.Sanitizer
	capture                           func(string) (string, string) // stores an asset: its reference, or "" and why not; nil: capture off
	removed                           func(u, reason string)        // told each URL replaced by snapshot.NeutralURL
	res                               *resourceSet                  // the input's density and the assets pictures need (resources.go)
	scriptURLs                        int                           // script URLs the mirror itself replaced (canvas, fonts, meta)
	canvasWarned                      bool
	canvases                          map[*snapshot.Node]*canvasState // 2D commands kept per canvas (canvas.go)
	inlinedAt                         map[*snapshot.Node]int          // <img>s with a bitmap and a srcset: the window width it was drawn at (responsive.go)
	canvasBytes                       int                             // their JSON bytes, all canvases
	canvasCmdWarned, canvasOverWarned bool
	fullBytes                         int             // the last full snapshot's JSON bytes: the next one's buffer
	sdkUI                             int             // elements of the feedback SDK's UI removed
	multiWarned                       bool            // a <select multiple> changed
	selection                         json.RawMessage // data of the last Selection event, for segment starts
	fatal                             error
	dirty                             bool             // the event being applied was changed (privacy, assets)
	lastInput                         string           // text last typed into a text field, until used
	lastInputID                       int              // that field
	submitted                         map[int]string   // field id -> its text when the text showed up in the page, until typed into again (input.go)
	clearsOnSubmit                    map[int]bool     // fields whose typing after a submit started over
	emptied                           []*snapshot.Node // fields the mutation being applied emptied
	followUps                         []snapshot.Event // events implied by the last one applied (FollowUps)
	staleWarned                       bool
	pointer                           *pointerAt // the last mouse position (pointer.go)
	defined                           []string   // custom element names the recording defined (CustomElement events)
	definedSet                        map[string]bool
	lastTS                            int64                    // timestamp of the event being applied, or of the last
	moment                            int64                    // what pictures are of (SetMoment); 0: lastTS
	mediaAt                           map[*snapshot.Node]int64 // <video>/<audio>: when its recorded state was (media.go)
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
	m.san.URL = m.pageURL
	m.reset()
	return m, nil
}

func (m *Mirror) reset() {
	m.nodes = make(map[int]*snapshot.Node)
	m.droppedIDs = make(map[int]bool)
	m.doc = nil
	m.parents = make(map[*snapshot.Node]*snapshot.Node)
	m.passwords = make(map[*snapshot.Node]bool)
	m.styleRules = make(map[*snapshot.Node][]string)
	m.sheets = make(map[int][]string)
	m.adopted = make(map[int][]int)
	m.adoptedStyles = make(map[int]adoptedStyle)
	m.fonts, m.fontBytes = nil, 0
	m.selection = nil
	m.canvases = make(map[*snapshot.Node]*canvasState)
	m.inlinedAt = make(map[*snapshot.Node]int)
	m.canvasBytes = 0
	m.submitted, m.clearsOnSubmit = nil, nil
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
	m.followUps = nil
	m.lastTS = ev.Timestamp
	switch ev.Type {
	case snapshot.EventMeta:
		d, err := ev.Meta()
		if err != nil {
			return fromSnapshot("apply meta", err)
		}
		m.href, m.width, m.height = d.Href, int(d.Width), int(d.Height)
		if snapshot.ScriptURL(d.Href) {
			// The page is named in the manifest and may be shown as a link.
			m.href, m.scriptURLs = "", m.scriptURLs+1
			data, err := m.rewriteJSON(ev.Data, func(v map[string]any) { v["href"] = "" })
			if err != nil {
				return fmt.Errorf("apply meta: %w: %v", ErrInvalid, err)
			}
			ev.Data = data
		}
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
	spreadStyleText(d.Node)
	repairSheets(d.Node)
	m.preferSuppliedSVG(d.Node)
	m.clean(d.Node)
	m.fullBytes = max(m.fullBytes, len(ev.Data)) // about what it serializes to
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
	delete(m.droppedIDs, n.ID)
	m.noteInlined(n)
	m.noteMedia(n)
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
		delete(m.inlinedAt, x)
		delete(m.mediaAt, x)
		delete(m.styleRules, x)
		if st := m.canvases[x]; st != nil {
			m.canvasBytes -= st.bytes
			delete(m.canvases, x)
		}
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
			if m.droppedIDs[d.ID] {
				return fmt.Errorf("apply scroll: %w: inside a dropped element", ErrInvalid)
			}
			m.warnf("scroll: unknown node")
			return nil
		}
		if n.Type == snapshot.NodeDocument {
			// A frame's document scrolled: its viewport, which its root
			// element's offsets move.
			for _, c := range n.ChildNodes {
				if c != nil && c.Type == snapshot.NodeElement {
					n = c
					break
				}
			}
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
	case snapshot.IncrementalMediaInteraction:
		return m.applyMedia(ev)
	case snapshot.IncrementalSelection:
		return m.applySelection(ev)
	case snapshot.IncrementalMouseMove, snapshot.IncrementalMouseInteraction, snapshot.IncrementalTouchMove, snapshot.IncrementalDrag:
		m.applyPointer(ev, 0)
		return nil
	case snapshot.IncrementalCustomElement:
		return m.applyCustomElement(ev)
	case snapshot.IncrementalFont:
		if err := m.cleanFont(ev); err != nil {
			return err
		}
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

// clean applies the snapshot rules to a subtree just added (and
// protected): what they remove is forgotten, and later events on it are
// dropped quietly. It returns false when n itself went.
func (m *Mirror) clean(n *snapshot.Node) bool {
	removed, changed := m.san.Node(n)
	m.dirty = m.dirty || changed
	for _, r := range removed {
		m.drop(r)
	}
	return len(removed) == 0 || removed[0] != n
}

// drop forgets n's subtree: events on its nodes are dropped quietly.
func (m *Mirror) drop(n *snapshot.Node) {
	m.detach(n)
	n.Walk(func(x *snapshot.Node) bool { m.droppedIDs[x.ID] = true; return true })
}

// cleanFont resolves the URLs of a web font event's source (a CSS src
// value, unless the font came as bytes).
func (m *Mirror) cleanFont(ev *snapshot.Event) error {
	var d struct {
		FontSource string `json:"fontSource"`
		Buffer     bool   `json:"buffer"`
	}
	if err := json.Unmarshal(ev.Data, &d); err != nil {
		return fmt.Errorf("apply font: %w: %v", ErrInvalid, err)
	}
	if d.Buffer {
		return nil
	}
	src := m.san.CSS(d.FontSource)
	if src == d.FontSource {
		return nil
	}
	data, err := m.rewriteJSON(ev.Data, func(v map[string]any) { v["fontSource"] = src })
	if err != nil {
		return fmt.Errorf("apply font: %w: %v", ErrInvalid, err)
	}
	ev.Data = data
	return nil
}

// rewriteJSON edits an event's data object, keeping its other fields.
func (m *Mirror) rewriteJSON(data []byte, f func(map[string]any)) ([]byte, error) {
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	f(v)
	return marshal(v)
}

// sanitizeWarnings describes what the sanitizing rules removed so far.
func (m *Mirror) sanitizeWarnings() []string {
	w := m.san.Warnings()
	if m.sdkUI > 0 {
		w = append(w, fmt.Sprintf("removed %d elements of the Gleap SDK's own UI", m.sdkUI))
	}
	if m.scriptURLs > 0 {
		w = append(w, fmt.Sprintf("removed %d script URLs from canvas, font and meta events", m.scriptURLs))
	}
	return w
}

// warnOnce warns the first time only (done records it).
func (m *Mirror) warnOnce(done *bool, msg string) {
	if !*done {
		*done = true
		m.warnf("%s", msg)
	}
}

func setAttr(n *snapshot.Node, k string, v any) {
	if n.Attributes == nil {
		n.Attributes = make(map[string]any)
	}
	n.Attributes[k] = v
}
