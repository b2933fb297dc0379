package replay

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/kilnrender/kiln/snapshot"
)

// applyCanvas keeps the last picture a canvas mutation carries (a data:
// URL, or an image Blob of rrweb's sampled canvas recording) as the
// canvas's rr_dataURL; drawing commands without a picture cannot be kept
// in a snapshot. Images drawn by URL (rrweb's HTMLImageElement arguments,
// which a player loads) have their URL resolved like an img src.
func (m *Mirror) applyCanvas(ev *snapshot.Event) error {
	var d struct {
		ID int `json:"id"`
	}
	if err := json.Unmarshal(ev.Data, &d); err != nil {
		return fmt.Errorf("apply canvas: %w: %v", ErrInvalid, err)
	}
	if m.droppedIDs[d.ID] {
		return fmt.Errorf("apply canvas: %w: inside a dropped element", ErrInvalid)
	}
	var all any
	if err := json.Unmarshal(ev.Data, &all); err != nil {
		return fmt.Errorf("apply canvas: %w: %v", ErrInvalid, err)
	}
	if m.canvasURLs(all) {
		data, err := marshal(all)
		if err != nil {
			return fmt.Errorf("apply canvas: %w: %v", ErrInvalid, err)
		}
		ev.Data = data
	}
	n := m.nodes[d.ID]
	if n == nil || n.Type != snapshot.NodeElement {
		m.warnf("canvas: unknown node")
		return nil
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

// canvasURLs resolves the src of every image argument in a canvas
// event's data and reports whether one changed.
func (m *Mirror) canvasURLs(v any) bool {
	changed := false
	switch v := v.(type) {
	case map[string]any:
		if src, ok := v["src"].(string); ok && v["rr_type"] == "HTMLImageElement" {
			if r := m.pageURL(snapshot.URLResource, src); r != src {
				v["src"], changed = r, true
			}
		}
		for _, k := range sortedKeys(v) {
			changed = m.canvasURLs(v[k]) || changed
		}
	case []any:
		for _, x := range v {
			changed = m.canvasURLs(x) || changed
		}
	}
	return changed
}
