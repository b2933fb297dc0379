package replay

import (
	"strconv"
	"strings"

	"github.com/kilnrender/kiln/snapshot"
)

// Video frames in pictures. rrweb records a media element's state when
// it is serialized (rr_mediaState, rr_mediaCurrentTime, its rate and
// loop) and each play, pause, seek and rate change after (MediaInteraction
// events); its Replayer keeps a playing video's clock running from the
// last of these. Pictures do the same: ToSnapshot marks each <video> that
// played or was seeked with snapshot.AttrMedia, the time into it at the
// picture's moment, and the renderer shows that frame. A video never
// played nor seeked is left alone: it shows its poster or first frame, as
// it did live.

// SetMoment sets the time (Unix ms) the next pictures of the mirror's
// state are of: a keyframe's, or the moment StateAt replayed to. Without
// one, a picture is of the last event applied.
func (m *Mirror) SetMoment(at int64) { m.moment = at }

// noteMedia keeps when a <video> or <audio> joined the tree (its state
// is as of then), or had its last media interaction.
func (m *Mirror) noteMedia(n *snapshot.Node) {
	if n.Type != snapshot.NodeElement || n.IsSVG {
		return
	}
	if t := strings.ToLower(n.TagName); t != "video" && t != "audio" {
		return
	}
	if m.mediaAt == nil {
		m.mediaAt = map[*snapshot.Node]int64{}
	}
	m.mediaAt[n] = m.lastTS
}

// withMedia marks, while f runs, each <video> that played or was seeked
// with the time into it at the picture's moment: "T" (seconds), "T loop"
// when it loops (the renderer takes T modulo its duration). A playing
// video's clock ran from its last interaction at its rate, as in rrweb's
// Replayer. (A recording without rr_mediaState, from a recorder before
// rrweb 2, shows its videos as they load: the sanitizer removed autoplay.)
func (m *Mirror) withMedia(f func() error) error {
	now := m.moment
	if now == 0 {
		now = m.lastTS
	}
	var marked []*snapshot.Node
	for n, at := range m.mediaAt {
		if m.nodes[n.ID] != n || strings.ToLower(n.TagName) != "video" {
			continue
		}
		playing := n.Attributes["rr_mediaState"] == "played"
		t, _ := n.Attributes["rr_mediaCurrentTime"].(float64)
		rate, ok := n.Attributes["rr_mediaPlaybackRate"].(float64)
		if !ok || !(rate > 0) || rate > 16 {
			rate = 1
		}
		if playing && now > at {
			t += float64(now-at) / 1000 * rate
		}
		if !(t > 0) || t > 1e7 {
			continue // never played nor seeked: its poster or first frame
		}
		_, loop := n.Attributes["loop"]
		if l, ok := n.Attributes["rr_mediaLoop"].(bool); ok {
			loop = l
		}
		v := strconv.FormatFloat(t, 'f', 3, 64)
		if loop {
			v += " loop"
		}
		setAttr(n, snapshot.AttrMedia, v)
		marked = append(marked, n)
	}
	defer func() {
		for _, n := range marked {
			delete(n.Attributes, snapshot.AttrMedia)
		}
	}()
	return f()
}
