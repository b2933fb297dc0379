package feedback

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kilnrender/kiln/snapshot"
)

// TimelinePageSize is how many entries one stored timeline page holds.
const TimelinePageSize = 1000

// Entry kinds.
const (
	KindConsole    = "console"
	KindNetwork    = "network"
	KindEvent      = "event"  // a custom event the app sent
	KindAction     = "action" // the SDK's action log (and its CLICK console lines)
	KindNavigation = "navigation"
	KindClick      = "click"
	KindInput      = "input"
	KindResize     = "resize"
	KindError      = "error"
)

// Entry is one moment of an item's timeline.
type Entry struct {
	// AtMs is the offset from the item's StartTime (negative: before the
	// recording began).
	AtMs  int64  `json:"atMs"`
	Kind  string `json:"kind"`
	Level string `json:"level,omitempty"` // console: info, warning, error, …
	Text  string `json:"text,omitempty"`
	// Node is the recorded node id (clicks and inputs), for a player.
	Node    int      `json:"node,omitempty"`
	Network *Request `json:"network,omitempty"`
	Data    any      `json:"data,omitempty"` // a custom event's data
}

// Request is a network log entry.
type Request struct {
	Method      string              `json:"method,omitempty"`
	URL         string              `json:"url"`
	Status      int                 `json:"status,omitempty"`
	StatusText  string              `json:"statusText,omitempty"`
	Failed      bool                `json:"failed,omitempty"`
	DurationMs  float64             `json:"durationMs,omitempty"`
	ReqBytes    int                 `json:"requestBytes,omitempty"`
	RespBytes   int                 `json:"responseBytes,omitempty"`
	ReqHeaders  map[string][]string `json:"requestHeaders,omitempty"`
	RespHeaders map[string][]string `json:"responseHeaders,omitempty"`
	ReqBody     string              `json:"requestBody,omitempty"`
	RespBody    string              `json:"responseBody,omitempty"`
}

type timeline struct {
	start   int64
	lim     Limits
	entries []Entry
	dropped int
}

func (t *timeline) add(e Entry) {
	if len(t.entries) >= t.lim.MaxEntries {
		t.dropped++
		return
	}
	t.entries = append(t.entries, e)
}

// at is the offset of an ISO time (or Unix ms) from the start.
func (t *timeline) at(v any) int64 {
	switch x := v.(type) {
	case string:
		if tm, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return tm.UnixMilli() - t.start
		}
	case float64:
		return int64(x) - t.start
	}
	return 0
}

func (t *timeline) text(s string) string {
	s = strings.TrimSpace(s)
	if len(s) <= t.lim.MaxText {
		return s
	}
	cut := t.lim.MaxText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func (t *timeline) console(c map[string]any, it *Item) {
	level := strings.ToLower(str(c["priority"]))
	msg := t.text(str(c["log"]))
	if level == "click" {
		it.Counts.Actions++
		t.add(Entry{AtMs: t.at(c["date"]), Kind: KindAction, Text: "click " + msg})
		return
	}
	it.Counts.Console++
	if level == "error" {
		it.Counts.Errors++
	}
	t.add(Entry{AtMs: t.at(c["date"]), Kind: KindConsole, Level: level, Text: msg})
}

func (t *timeline) network(n map[string]any, it *Item) {
	it.Counts.Network++
	req, resp := obj(n["request"]), obj(n["response"])
	r := &Request{Method: strings.ToUpper(str(n["type"])), URL: str(n["url"]), DurationMs: num(n["duration"]),
		Status: int(num(resp["status"])), StatusText: str(resp["statusText"]),
		ReqHeaders: headers(req["headers"]), RespHeaders: headers(resp["headers"]),
		ReqBody: t.text(body(req["payload"])), RespBody: t.text(body(resp["responseText"]))}
	r.ReqBytes, r.RespBytes = len(body(req["payload"])), len(body(resp["responseText"]))
	r.Failed = n["success"] == false || r.Status >= 400
	if r.Failed {
		it.Counts.Errors++
	}
	t.add(Entry{AtMs: t.at(n["date"]), Kind: KindNetwork, Text: strings.TrimSpace(r.Method + " " + r.URL), Network: r})
}

func (t *timeline) event(e map[string]any, it *Item) {
	it.Counts.Events++
	t.add(Entry{AtMs: t.at(e["date"]), Kind: KindEvent, Text: t.text(str(e["name"])), Data: e["data"]})
}

func (t *timeline) action(a map[string]any, it *Item) {
	it.Counts.Actions++
	msg := first(a, "message", "name", "action", "text")
	t.add(Entry{AtMs: t.at(first(a, "date", "time")), Kind: KindAction, Text: t.text(msg)})
}

// headers reads the SDK's header map ({"Name": ["v"]} or {"Name": "v"}).
func headers(v any) map[string][]string {
	m := obj(v)
	if len(m) == 0 {
		return nil
	}
	out := make(map[string][]string, len(m))
	for k, x := range m {
		switch y := x.(type) {
		case string:
			out[k] = []string{y}
		case []any:
			for _, e := range y {
				out[k] = append(out[k], str(e))
			}
		}
	}
	return out
}

// body is a request or response body as text (the SDK sends strings; an
// object is kept as its JSON).
func body(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// RecordingEntries reads the timeline entries a recording holds:
// navigations (Meta events), clicks and double clicks, inputs (which
// field changed; the value is never kept), viewport resizes, and errors
// (rrweb's console plugin at level error, custom events named like an
// error). It returns them with offsets from the first event's time, and
// that time (Unix ms; 0 for a recording without events). A malformed event
// is skipped, as the replay builder skips it.
func RecordingEntries(d *snapshot.EventDecoder, lim Limits) ([]Entry, int64, error) {
	if lim.MaxEntries == 0 {
		lim = DefaultLimits()
	}
	t := &timeline{lim: lim}
	first := true
	for {
		ev, err := d.Next()
		var ee *snapshot.EventError
		switch {
		case errors.Is(err, io.EOF):
			return t.entries, t.start, nil
		case errors.As(err, &ee):
			continue
		case err != nil:
			return t.entries, t.start, err
		}
		if ev.Timestamp == 0 {
			continue
		}
		if first {
			t.start, first = ev.Timestamp, false
		}
		at := ev.Timestamp - t.start
		switch ev.Type {
		case snapshot.EventMeta:
			if m, err := ev.Meta(); err == nil && m.Href != "" {
				t.add(Entry{AtMs: at, Kind: KindNavigation, Text: t.text(m.Href)})
			}
		case snapshot.EventIncremental:
			t.incremental(ev, at)
		case snapshot.EventPlugin:
			t.plugin(ev, at)
		case snapshot.EventCustom:
			var c struct {
				Tag string `json:"tag"`
			}
			if json.Unmarshal(ev.Data, &c) == nil && strings.Contains(strings.ToLower(c.Tag), "error") {
				t.add(Entry{AtMs: at, Kind: KindError, Text: t.text(c.Tag)})
			}
		}
	}
}

func (t *timeline) incremental(ev snapshot.Event, at int64) {
	var d struct {
		Type   int     `json:"type"`
		ID     int     `json:"id"`
		X      float64 `json:"x"`
		Y      float64 `json:"y"`
		Width  int     `json:"width"`
		Height int     `json:"height"`
		Check  *bool   `json:"isChecked"`
		Text   *string `json:"text"`
	}
	if json.Unmarshal(ev.Data, &d) != nil {
		return
	}
	switch ev.Source {
	case snapshot.IncrementalMouseInteraction:
		switch d.Type {
		case 2:
			t.add(Entry{AtMs: at, Kind: KindClick, Node: d.ID, Text: fmt.Sprintf("click at %.0f,%.0f", d.X, d.Y)})
		case 4:
			t.add(Entry{AtMs: at, Kind: KindClick, Node: d.ID, Text: fmt.Sprintf("double click at %.0f,%.0f", d.X, d.Y)})
		}
	case snapshot.IncrementalInput:
		// rrweb sends isChecked on every Input event; only a checkbox or
		// radio (whose text is its value attribute, "on" by default, if
		// none) is checked or unchecked. A text field's false says nothing.
		text := "value changed (masked)"
		if d.Check != nil && (*d.Check || d.Text == nil || *d.Text == "on") {
			text = map[bool]string{true: "checked", false: "unchecked"}[*d.Check]
		}
		t.add(Entry{AtMs: at, Kind: KindInput, Node: d.ID, Text: text})
	case snapshot.IncrementalViewportResize:
		t.add(Entry{AtMs: at, Kind: KindResize, Text: fmt.Sprintf("%d×%d", d.Width, d.Height)})
	}
}

// plugin reads rrweb's console plugin ("rrweb/console@1"): errors only;
// the SDK's own console log carries the rest.
func (t *timeline) plugin(ev snapshot.Event, at int64) {
	var p struct {
		Plugin  string `json:"plugin"`
		Payload struct {
			Level   string   `json:"level"`
			Payload []string `json:"payload"`
		} `json:"payload"`
	}
	if json.Unmarshal(ev.Data, &p) != nil || !strings.HasPrefix(p.Plugin, "rrweb/console") || p.Payload.Level != "error" {
		return
	}
	t.add(Entry{AtMs: at, Kind: KindError, Text: t.text(strings.Join(p.Payload.Payload, " "))})
}

// Page returns page n (from 0) of entries.
func Page(entries []Entry, n int) []Entry {
	lo := n * TimelinePageSize
	if n < 0 || lo >= len(entries) {
		return nil
	}
	return entries[lo:min(lo+TimelinePageSize, len(entries))]
}
