package replay

import (
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/kilnrender/kiln/snapshot"
)

// mediaMarks returns the data-kiln-media values of the picture of m at
// moment (Unix ms), each as "id: value".
func mediaMarks(t *testing.T, m *Mirror, moment int64) []string {
	t.Helper()
	m.SetMoment(moment)
	defer m.SetMoment(0)
	var marks []string
	for _, g := range regexp.MustCompile(`<(?:video|audio) `+snapshot.AttrMedia+`="([^"]*)"[^>]* id="([^"]*)"`).FindAllStringSubmatch(pictureHTML(t, m), -1) {
		marks = append(marks, g[2]+": "+g[1])
	}
	slices.Sort(marks)
	return marks
}

func mediaAt(ts int64, typ, id int, extra string) string {
	return fmt.Sprintf(`{"type":3,"timestamp":%d,"data":{"source":7,"type":%d,"id":%d%s}}`, ts, typ, id, extra)
}

// A picture's <video>s show the frame of the picture's moment: a playing
// one's clock runs from its last recorded state at its rate (as in
// rrweb's Replayer), a paused one stays where it was; one never played
// nor seeked is not marked (its poster or first frame, as live).
func TestMediaMarks(t *testing.T) {
	video := func(id int, attrs string) string {
		return add(4, fmt.Sprintf(`{"type":2,"id":%d,"tagName":"video","attributes":{"id":"v%d"%s},"childNodes":[]}`, id, id, attrs))
	}
	for _, tc := range []struct {
		name   string
		events []string
		moment int64
		want   []string
	}{
		{"never played", []string{video(60, `,"rr_mediaState":"paused","rr_mediaCurrentTime":0`)}, 5000, nil},
		{"playing since it was added", []string{video(60, `,"rr_mediaState":"played","rr_mediaCurrentTime":2`)}, 3500, []string{"v60: 3.500"}},
		{"paused where it was", []string{video(60, `,"rr_mediaState":"paused","rr_mediaCurrentTime":4.5`)}, 9000, []string{"v60: 4.500"}},
		{"played, then paused", []string{video(60, `,"rr_mediaState":"paused","rr_mediaCurrentTime":0`), mediaAt(2000, 0, 60, `,"currentTime":1`), mediaAt(3000, 1, 60, `,"currentTime":2.01`)}, 8000, []string{"v60: 2.010"}},
		{"at twice the rate, looping", []string{video(60, `,"rr_mediaState":"played","rr_mediaCurrentTime":0,"rr_mediaPlaybackRate":2,"loop":""`)}, 3000, []string{"v60: 2.000 loop"}},
		{"loop turned off", []string{video(60, `,"rr_mediaState":"played","rr_mediaCurrentTime":1,"loop":""`), mediaAt(2500, 0, 60, `,"currentTime":1.5,"loop":false`)}, 3000, []string{"v60: 2.000"}},
		{"audio is not pictured", []string{add(4, `{"type":2,"id":61,"tagName":"audio","attributes":{"id":"a61","rr_mediaState":"played","rr_mediaCurrentTime":3},"childNodes":[]}`)}, 3000, nil},
		{"recorded mark dropped", []string{video(60, `,"`+snapshot.AttrMedia+`":"5"`)}, 3000, nil},
		{"removed", []string{video(60, `,"rr_mediaState":"played","rr_mediaCurrentTime":2`), incr(0, `"adds":[],"removes":[{"parentId":4,"id":60}],"texts":[],"attributes":[]`)}, 3000, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := applyAll(t, tc.events...)
			if got := mediaMarks(t, m, tc.moment); !slices.Equal(got, tc.want) {
				t.Errorf("marks %q, want %q", got, tc.want)
			}
		})
	}
}
