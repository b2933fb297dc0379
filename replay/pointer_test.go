package replay

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kilnrender/kiln/snapshot"
)

// pictureHTML is the HTML of the snapshot ToSnapshot makes of m.
func pictureHTML(t *testing.T, m *Mirror) string {
	t.Helper()
	s, err := ToSnapshot(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(s.HTML)
}

// pointerMarks returns the data-kiln-pointer attributes of the snapshot
// ToSnapshot makes of m, each as "tag: X Y" (the last position).
func pointerMarks(t *testing.T, m *Mirror) []string {
	t.Helper()
	var marks []string
	for _, p := range pointerPaths(t, m) {
		tag, path, _ := strings.Cut(p, ": ")
		f := strings.Fields(path)
		marks = append(marks, tag+": "+strings.Join(f[max(0, len(f)-2):], " "))
	}
	return marks
}

// pointerPaths is pointerMarks with the whole path: "tag: x y x y ...".
func pointerPaths(t *testing.T, m *Mirror) []string {
	t.Helper()
	var marks []string
	for _, g := range regexp.MustCompile(`<([a-z]+)[^>]* `+snapshot.AttrPointer+`="([^"]*)"`).FindAllStringSubmatch(pictureHTML(t, m), -1) {
		marks = append(marks, g[1]+": "+g[2])
	}
	return marks
}

func mouseAt(ts int64, x, y float64, id int) string {
	return fmt.Sprintf(`{"type":3,"timestamp":%d,"data":{"source":1,"positions":[{"x":%g,"y":%g,"id":%d,"timeOffset":-40},{"x":%g,"y":%g,"id":%d,"timeOffset":0}]}}`,
		ts, x-5, y-5, id, x, y, id)
}

func interaction(ts int64, typ int, xy string) string {
	return fmt.Sprintf(`{"type":3,"timestamp":%d,"data":{"source":2,"type":%d,"id":5%s}}`, ts, typ, xy)
}

// The mouse's last recorded position goes on the root element of the
// pictured document (where the renderer moves its mouse, for :hover), as
// the Replayer hovers; a recording cannot set the mark itself.
func TestPointerFromMouseEvents(t *testing.T) {
	for _, tc := range []struct {
		name   string
		events []string
		want   string // the html element's mark, "" none
	}{
		{"no mouse", nil, ""},
		{"moved", []string{mouseAt(2000, 30, 40, 5)}, "p: 30 40"},
		{"clicked after moving", []string{mouseAt(2000, 30, 40, 5), interaction(2100, 2, `,"x":50.5,"y":60`)}, "p: 50.5 60"},
		{"focus has no position", []string{mouseAt(2000, 30, 40, 5), interaction(2100, 5, ``)}, "p: 30 40"},
		{"dragged", []string{`{"type":3,"timestamp":2000,"data":{"source":12,"positions":[{"x":7,"y":8,"id":9,"timeOffset":0}]}}`}, "div: 7 8"},
		{"over a text node", []string{mouseAt(2000, 30, 40, 6)}, "html: 30 40"},
		{"over an unknown node", []string{mouseAt(2000, 30, 40, 77)}, "html: 30 40"},
		{"over a node removed since", []string{mouseAt(2000, 30, 40, 10), incr(0, `"adds":[],"removes":[{"parentId":9,"id":10}],"texts":[],"attributes":[]`)}, "html: 30 40"},
		{"touched after moving", []string{mouseAt(2000, 30, 40, 5), interaction(2100, 7, `,"x":1,"y":2`)}, "p: 1 2"},
		// rrweb's label for a mouse moving in a frame
		{"touch moved", []string{mouseAt(2000, 30, 40, 5), `{"type":3,"timestamp":2100,"data":{"source":6,"positions":[{"x":1,"y":2,"id":5,"timeOffset":0}]}}`}, "p: 1 2"},
		{"older position in a later event", []string{mouseAt(2000, 30, 40, 5), `{"type":3,"timestamp":2030,"data":{"source":1,"positions":[{"x":1,"y":2,"id":5,"timeOffset":-50}]}}`}, "p: 30 40"},
		{"off the page", []string{mouseAt(2000, -3, 40, 5)}, ""},
		{"recorded mark dropped", []string{add(4, `{"type":2,"id":90,"tagName":"div","attributes":{"data-kiln-pointer":"1 1"},"childNodes":[]}`)}, ""},
		{"unreadable data kept out", []string{mouseAt(2000, 30, 40, 5), `{"type":3,"timestamp":2100,"data":{"source":1,"positions":"x"}}`}, "p: 30 40"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := applyAll(t, tc.events...)
			got := pointerMarks(t, m)
			if tc.want == "" && len(got) > 0 || tc.want != "" && (len(got) != 1 || got[0] != tc.want) {
				t.Errorf("marks %q, want %q", got, tc.want)
			}
			// The bundle's synthetic snapshots never carry it.
			evs, err := m.FullSnapshot(5000)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range evs {
				if bytes.Contains(e.Data, []byte(snapshot.AttrPointer)) {
					t.Errorf("a %s event of the synthetic snapshot carries the mark", e.Kind())
				}
			}
		})
	}
}

// A position over a frame's document is in that document's viewport: the
// mark goes on the element in the frame, and the renderer adds the
// frame's offset.
func TestPointerInAFrame(t *testing.T) {
	m, _ := applyAll(t,
		add(4, `{"type":2,"id":20,"tagName":"iframe","attributes":{},"childNodes":[]}`),
		add(20, `{"type":0,"id":21,"childNodes":[{"type":2,"id":22,"tagName":"html","attributes":{},"childNodes":[{"type":2,"id":23,"tagName":"body","attributes":{},"childNodes":[]}]}]}`),
		mouseAt(2000, 3, 4, 23),
	)
	s, err := ToSnapshot(m)
	if err != nil {
		t.Fatal(err)
	}
	h := string(s.HTML)
	if marks := pointerMarks(t, m); len(marks) > 0 {
		t.Errorf("the top document is marked: %q", marks)
	}
	if !strings.Contains(h, `data-kiln-pointer=&#34;3 4&#34;`) && !strings.Contains(h, `data-kiln-pointer=&quot;3 4&quot;`) {
		t.Errorf("the frame's document is not marked: %s", h)
	}
}

// StateAt takes the positions recorded before its moment that rrweb
// emitted after it (MouseMove batches), and none recorded after it.
func TestStateAtPointerFromLateBatch(t *testing.T) {
	rec := []byte(`[{"type":4,"timestamp":1000,"data":{"href":"http://a.test/","width":800,"height":600}},` + baseSnapshot + `,` +
		`{"type":3,"timestamp":1900,"data":{"source":1,"positions":[{"x":1,"y":1,"id":5,"timeOffset":-400}]}},` +
		`{"type":3,"timestamp":2400,"data":{"source":1,"positions":[{"x":10,"y":10,"id":5,"timeOffset":-400},{"x":20,"y":20,"id":5,"timeOffset":-150},{"x":30,"y":30,"id":5,"timeOffset":0}]}},` +
		`{"type":3,"timestamp":2600,"data":{"source":2,"type":2,"id":5,"x":90,"y":90}}]`)
	b, _ := NewBuilder(Config{}, nil, nil)
	for _, tc := range []struct {
		at   time.Duration
		want string
	}{
		{900 * time.Millisecond, "p: 1 1"},        // 1900: the first batch
		{1100 * time.Millisecond, "p: 1 1 10 10"}, // 2100: from the batch sent at 2400
		{1300 * time.Millisecond, "p: 1 1 10 10 20 20"},
		{1500 * time.Millisecond, "p: 1 1 10 10 20 20 30 30"}, // the click at 2600 is later
		{1700 * time.Millisecond, "p: 1 1 10 10 20 20 30 30 90 90"},
	} {
		m, _, err := b.StateAt(context.Background(), bytes.NewReader(rec), tc.at)
		if err != nil {
			t.Fatal(err)
		}
		if got := pointerPaths(t, m); len(got) != 1 || got[0] != tc.want {
			t.Errorf("at %v: marks %q, want %q", tc.at, got, tc.want)
		}
	}
}

// The mark carries the path the mouse took to its last position (for
// what a state of the way keeps: a menu opened by hovering its button):
// at most maxPath earlier positions, none more than pathWindow before the
// last, none over an element gone since, repeats collapsed.
func TestPointerPath(t *testing.T) {
	at := func(ts int64, x, y float64, id int) string {
		return fmt.Sprintf(`{"type":3,"timestamp":%d,"data":{"source":1,"positions":[{"x":%g,"y":%g,"id":%d,"timeOffset":0}]}}`, ts, x, y, id)
	}
	t.Run("window, gone, repeats", func(t *testing.T) {
		m, _ := applyAll(t, at(200, 1, 1, 5), at(1000, 2, 2, 5), at(1500, 3, 3, 9), at(1600, 3, 3, 5), at(1700, 4, 4, 10),
			incr(0, `"adds":[],"removes":[{"parentId":9,"id":10}],"texts":[],"attributes":[]`), at(2000, 5, 5, 5))
		if got := pointerPaths(t, m); len(got) != 1 || got[0] != "p: 2 2 3 3 5 5" {
			t.Errorf("marks %q, want %q", got, "p: 2 2 3 3 5 5")
		}
	})
	t.Run("at most maxPath before the last", func(t *testing.T) {
		var evs []string
		for i := range 12 {
			evs = append(evs, at(2000+int64(i)*100, float64(i), 7, 5))
		}
		m, _ := applyAll(t, evs...)
		want := "p: 3 7 4 7 5 7 6 7 7 7 8 7 9 7 10 7 11 7"
		if got := pointerPaths(t, m); len(got) != 1 || got[0] != want {
			t.Errorf("marks %q, want %q", got, want)
		}
	})
	t.Run("back where it was", func(t *testing.T) {
		m, _ := applyAll(t, at(2000, 5, 5, 5), at(2100, 6, 6, 5), at(2200, 5, 5, 5))
		if got := pointerPaths(t, m); len(got) != 1 || got[0] != "p: 5 5 6 6 5 5" {
			t.Errorf("marks %q", got)
		}
	})
}
