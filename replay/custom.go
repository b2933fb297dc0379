package replay

import (
	"encoding/json"
	"fmt"

	"github.com/kilnrender/kiln/snapshot"
)

// maxDefined bounds the custom element names a mirror keeps.
const maxDefined = 1000

// applyCustomElement reads a CustomElement event ({"define": {"name"}}:
// the page called customElements.define). The name is kept for pictures
// (snapshot.Options.Defined): an element the recorder serialized before
// its name was defined is not isCustom, yet from then on it matches
// :defined on the live page. The event itself is passed on as recorded
// (a name is page structure, not user data).
func (m *Mirror) applyCustomElement(ev *snapshot.Event) error {
	var d struct {
		Define *struct {
			Name string `json:"name"`
		} `json:"define"`
	}
	if err := json.Unmarshal(ev.Data, &d); err != nil {
		return fmt.Errorf("apply custom element: %w: %v", ErrInvalid, err)
	}
	if d.Define == nil || !customName(d.Define.Name) {
		m.warnf("custom element: not a valid custom element name")
		return nil
	}
	if m.definedSet[d.Define.Name] {
		return nil
	}
	if len(m.defined) >= maxDefined {
		m.warnf("custom element: more than %d names defined", maxDefined)
		return nil
	}
	if m.definedSet == nil {
		m.definedSet = map[string]bool{}
	}
	m.definedSet[d.Define.Name] = true
	m.defined = append(m.defined, d.Define.Name)
	return nil
}

// customName accepts valid custom element names of ASCII characters
// (lower case letter first, a hyphen, then letters, digits, ".", "_",
// "-"), at most 128 bytes. The names the HTML standard reserves
// (font-face, ...) pass: defining them fails in the browser, harmlessly.
func customName(s string) bool {
	if len(s) < 2 || len(s) > 128 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	hyphen := false
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '-':
			hyphen = true
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '.', c == '_':
		default:
			return false
		}
	}
	return hyphen
}
