package replay

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kilnrender/kiln/snapshot"
)

// definedMarks returns the tags of the elements ToSnapshot marks as
// custom elements the page had defined (snapshot.AttrDefined).
func definedMarks(t *testing.T, m *Mirror) []string {
	t.Helper()
	var tags []string
	for _, g := range regexp.MustCompile(`<([a-z][a-z0-9-]*)[^>]* `+snapshot.AttrDefined+`[ =>]`).FindAllStringSubmatch(pictureHTML(t, m), -1) {
		tags = append(tags, g[1])
	}
	slices.Sort(tags)
	return tags
}

func defineEvent(name string) string {
	return incr(16, `"define":{"name":"`+name+`"}`)
}

// Custom elements are marked defined in pictures where the page had
// defined them: the nodes rrweb recorded isCustom, and from a
// CustomElement event on, every element of its name, those recorded
// before it included (so :defined matches as on the live page). A
// recording cannot mark an element itself, and names that cannot be a
// custom element's are ignored with a warning.
func TestMirrorCustomElements(t *testing.T) {
	const card = `{"type":2,"id":90,"tagName":"x-card","attributes":{},"childNodes":[]}`
	const other = `{"type":2,"id":91,"tagName":"x-other","attributes":{},"childNodes":[]}`
	for _, tc := range []struct {
		name   string
		events []string
		want   []string
		warn   string
		again  []string // names the synthetic snapshot defines
	}{
		{"none said", []string{add(4, card), add(4, other)}, nil, "", nil},
		{"recorded isCustom", []string{add(4, strings.Replace(card, `"childNodes"`, `"isCustom":true,"childNodes"`, 1)), add(4, other)}, []string{"x-card"}, "", nil},
		{"defined after it was recorded", []string{add(4, card), add(4, other), defineEvent("x-card")}, []string{"x-card"}, "", []string{"x-card"}},
		{"defined before it was added", []string{defineEvent("x-other"), add(4, card), add(4, other), defineEvent("x-card"), defineEvent("x-other")}, []string{"x-card", "x-other"}, "", []string{"x-other", "x-card"}},
		{"recorded mark dropped", []string{add(4, strings.Replace(card, `"attributes":{}`, `"attributes":{"`+snapshot.AttrDefined+`":""}`, 1))}, nil, "", nil},
		{"not a custom element name", []string{add(4, card), defineEvent("Card"), defineEvent("div")}, nil, "custom element: not a valid custom element name", nil},
		{"isCustom on a name without a hyphen", []string{add(4, `{"type":2,"id":92,"tagName":"section","attributes":{},"isCustom":true,"childNodes":[]}`)}, nil, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, warns := applyAll(t, tc.events...)
			if got := definedMarks(t, m); !slices.Equal(got, tc.want) {
				t.Errorf("defined %q, want %q", got, tc.want)
			}
			if tc.warn != "" && !slices.Contains(warns, tc.warn) {
				t.Errorf("warnings %q, want %q among them", warns, tc.warn)
			}
			// A segment's synthetic snapshot defines the names defined
			// so far again, after the snapshot.
			evs, err := m.FullSnapshot(5000)
			if err != nil {
				t.Fatal(err)
			}
			var again []string
			for _, e := range evs[2:] {
				if e.Source == snapshot.IncrementalCustomElement {
					var d struct{ Define struct{ Name string } }
					if err := json.Unmarshal(e.Data, &d); err != nil {
						t.Fatal(err)
					}
					again = append(again, d.Define.Name)
				}
			}
			if !slices.Equal(again, tc.again) {
				t.Errorf("synthetic snapshot defines %q, want %q", again, tc.again)
			}
		})
	}
}

func TestCustomName(t *testing.T) {
	for s, want := range map[string]bool{
		"x-card": true, "my-el.v2_a": true, "a-": true, "font-face": true,
		"": false, "xcard": false, "X-card": false, "x-Card": false, "1-a": false, "-ab": false,
		"x-card\u00e9": false, "x card": false, strings.Repeat("a-", 65): false,
	} {
		if got := customName(s); got != want {
			t.Errorf("customName(%q) = %v, want %v", s, got, want)
		}
	}
}

// A shadow root attached after its host was recorded (its children added
// with isShadow) makes the host a shadow host in synthetic snapshots, so
// a player that starts there rebuilds the root (rrweb's rebuild attaches
// one only to isShadowHost nodes) instead of putting its children, and
// their styles, in the light DOM.
func TestLateShadowRoot(t *testing.T) {
	m, _ := applyAll(t, add(9, `{"type":2,"id":90,"tagName":"style","attributes":{},"isShadow":true,"childNodes":[{"type":3,"id":91,"textContent":"div{color:red}"}]}`))
	evs, err := m.FullSnapshot(5000)
	if err != nil {
		t.Fatal(err)
	}
	var full struct {
		Node *snapshot.Node `json:"node"`
	}
	if err := json.Unmarshal(evs[1].Data, &full); err != nil {
		t.Fatal(err)
	}
	var host *snapshot.Node
	full.Node.Walk(func(n *snapshot.Node) bool {
		if n.ID == 9 {
			host = n
		}
		return true
	})
	if host == nil || !host.IsShadowHost {
		t.Fatalf("host %+v: want isShadowHost", host)
	}
	s, err := ToSnapshot(m)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`<div class="box"><template shadowrootmode="open"><style>`).Match(s.HTML) {
		t.Errorf("the picture's host has no shadow root for its style: %s", s.HTML)
	}
}
