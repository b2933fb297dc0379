package replay

import (
	"regexp"
	"slices"
	"testing"

	"github.com/kilnrender/kiln/snapshot"
)

// selectionMarks returns the elements ToSnapshot marks with the ends of
// the selection, each as "tag#id: value".
func selectionMarks(t *testing.T, m *Mirror) []string {
	t.Helper()
	var marks []string
	id := regexp.MustCompile(` id="([^"]*)"`)
	for _, g := range regexp.MustCompile(`<([a-z]+)([^>]*) `+snapshot.AttrSelection+`="([^"]*)"([^>]*)>`).FindAllStringSubmatch(pictureHTML(t, m), -1) {
		name := ""
		if i := id.FindStringSubmatch(g[2] + g[4]); i != nil {
			name = i[1]
		}
		marks = append(marks, g[1]+"#"+name+": "+g[3])
	}
	slices.Sort(marks)
	return marks
}

func selectEvent(ranges string) string { return incr(14, `"ranges":[`+ranges+`]`) }

// The last selection's first range is marked on the elements holding its
// ends, as element children before the end and UTF-16 offsets into the
// text after them, whichever way rrweb recorded the boundary (in a text
// node, or between an element's children) and however the text is split
// into nodes (a comment between two text nodes goes, and they merge).
func TestSelectionMarks(t *testing.T) {
	// <div id=s>"ab" <!--c--> "cd€𝄞e" <b id=b>"x"</b> "tail"</div> in body (4)
	para := add(4, `{"type":2,"id":50,"tagName":"div","attributes":{"id":"s"},"childNodes":[`+
		`{"type":3,"id":51,"textContent":"ab"},{"type":5,"id":52,"textContent":"c"},{"type":3,"id":53,"textContent":"cd€𝄞e"},`+
		`{"type":2,"id":54,"tagName":"b","attributes":{"id":"b"},"childNodes":[{"type":3,"id":55,"textContent":"x"}]},`+
		`{"type":3,"id":56,"textContent":"tail"}]}`)
	for _, tc := range []struct {
		name   string
		events []string
		want   []string
	}{
		{"none", []string{para}, nil},
		{"in one text node", []string{para, selectEvent(`{"start":51,"startOffset":1,"end":51,"endOffset":2}`)}, []string{"div#s: start 0 1 end 0 2"}},
		{"after a comment, past a surrogate pair", []string{para, selectEvent(`{"start":53,"startOffset":1,"end":53,"endOffset":5}`)}, []string{"div#s: start 0 3 end 0 7"}},
		{"into an element and after it", []string{para, selectEvent(`{"start":55,"startOffset":0,"end":56,"endOffset":2}`)}, []string{"b#b: start 0 0", "div#s: end 1 2"}},
		{"between children", []string{para, selectEvent(`{"start":50,"startOffset":3,"end":50,"endOffset":5}`)}, []string{"div#s: start 0 8 end 1 4"}},
		{"the last event wins", []string{para, selectEvent(`{"start":51,"startOffset":0,"end":51,"endOffset":2}`), selectEvent(`{"start":56,"startOffset":0,"end":56,"endOffset":4}`)}, []string{"div#s: start 1 0 end 1 4"}},
		{"collapsed", []string{para, selectEvent(`{"start":51,"startOffset":1,"end":51,"endOffset":1}`)}, nil},
		{"a node gone", []string{para, selectEvent(`{"start":51,"startOffset":0,"end":99,"endOffset":1}`)}, nil},
		{"offset past the children", []string{para, selectEvent(`{"start":50,"startOffset":0,"end":50,"endOffset":9}`)}, nil},
		{"recorded mark dropped", []string{add(4, `{"type":2,"id":60,"tagName":"p","attributes":{"`+snapshot.AttrSelection+`":"start 0 0"},"childNodes":[]}`)}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := applyAll(t, tc.events...)
			if got := selectionMarks(t, m); !slices.Equal(got, tc.want) {
				t.Errorf("marks %q, want %q", got, tc.want)
			}
			// The mirror's tree (what the bundle serializes) keeps no mark.
			evs, err := m.FullSnapshot(5000)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range evs {
				if regexp.MustCompile(snapshot.AttrSelection).Match(e.Data) {
					t.Errorf("a %s event of the synthetic snapshot carries the mark", e.Kind())
				}
			}
		})
	}
}
