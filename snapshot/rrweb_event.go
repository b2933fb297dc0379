package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// EventType is an rrweb event's type (rrweb's EventType).
type EventType int

// rrweb event types.
const (
	EventDomContentLoaded EventType = 0
	EventLoad             EventType = 1
	EventFullSnapshot     EventType = 2
	EventIncremental      EventType = 3
	EventMeta             EventType = 4
	EventCustom           EventType = 5
	EventPlugin           EventType = 6
	EventAsset            EventType = 7
)

// IncrementalSource is data.source of an incremental event (rrweb's
// IncrementalSource).
type IncrementalSource int

// rrweb incremental sources.
const (
	IncrementalMutation          IncrementalSource = 0
	IncrementalMouseMove         IncrementalSource = 1
	IncrementalMouseInteraction  IncrementalSource = 2
	IncrementalScroll            IncrementalSource = 3
	IncrementalViewportResize    IncrementalSource = 4
	IncrementalInput             IncrementalSource = 5
	IncrementalTouchMove         IncrementalSource = 6
	IncrementalMediaInteraction  IncrementalSource = 7
	IncrementalStyleSheetRule    IncrementalSource = 8
	IncrementalCanvasMutation    IncrementalSource = 9
	IncrementalFont              IncrementalSource = 10
	IncrementalLog               IncrementalSource = 11
	IncrementalDrag              IncrementalSource = 12
	IncrementalStyleDeclaration  IncrementalSource = 13
	IncrementalSelection         IncrementalSource = 14
	IncrementalAdoptedStyleSheet IncrementalSource = 15
	IncrementalCustomElement     IncrementalSource = 16
)

var eventNames = [...]string{"domContentLoaded", "load", "fullSnapshot", "incremental", "meta", "custom", "plugin", "asset"}

var sourceNames = [...]string{"mutation", "mouseMove", "mouseInteraction", "scroll", "viewportResize", "input",
	"touchMove", "mediaInteraction", "styleSheetRule", "canvasMutation", "font", "log", "drag",
	"styleDeclaration", "selection", "adoptedStyleSheet", "customElement"}

// Event is one rrweb event. Data is the event's data object, verbatim
// unless its reader rewrote it (the replay mirror does, for privacy and
// assets). Fields other than type, data and timestamp (Gleap's "v",
// rrweb's "delay") are dropped.
type Event struct {
	Type EventType
	Data json.RawMessage
	// Timestamp is Unix milliseconds; 0 when the event records none
	// (rrweb always records one; a hand-written snapshot input may not).
	Timestamp int64
	// Source is data.source of an EventIncremental event, else 0.
	Source IncrementalSource
}

// Kind names the event for counts: the type name, or the incremental
// source name ("mutation", "input", ...).
func (e Event) Kind() string {
	if e.Type == EventIncremental {
		if e.Source >= 0 && int(e.Source) < len(sourceNames) {
			return sourceNames[e.Source]
		}
		return "incremental:" + strconv.Itoa(int(e.Source))
	}
	if e.Type >= 0 && int(e.Type) < len(eventNames) {
		return eventNames[e.Type]
	}
	return "type:" + strconv.Itoa(int(e.Type))
}

// MarshalJSON writes {"type":..,"data":..,"timestamp":..}.
func (e Event) MarshalJSON() ([]byte, error) {
	return e.AppendJSON(nil), nil
}

// AppendJSON appends the event's JSON (as MarshalJSON writes it) to b.
func (e Event) AppendJSON(b []byte) []byte {
	b = append(b, `{"type":`...)
	b = strconv.AppendInt(b, int64(e.Type), 10)
	b = append(b, `,"data":`...)
	if len(e.Data) == 0 {
		b = append(b, "{}"...)
	} else {
		b = append(b, e.Data...)
	}
	b = append(b, `,"timestamp":`...)
	b = strconv.AppendInt(b, e.Timestamp, 10)
	return append(b, '}')
}

// maxTimestamp bounds Event.Timestamp: Unix ms in the year 33658, far past
// any clock, and well inside int64 and float64's exact integers.
const maxTimestamp = 1e15

// ParseEvent reads one event's JSON: an object with a numeric type, a
// data object (absent or null reads as {}), an optional timestamp of 0 to
// 1e15 ms, and data.source when the event is incremental. Errors wrap
// ErrInvalid and never quote the input.
func ParseEvent(raw []byte) (Event, error) {
	var w struct {
		Type      *EventType      `json:"type"`
		Data      json.RawMessage `json:"data"`
		Timestamp json.Number     `json:"timestamp"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return Event{}, eventErrorf(ErrInvalid, "parse event: %s", jsonProblem(err))
	}
	if w.Type == nil {
		return Event{}, eventErrorf(ErrInvalid, "parse event: no type")
	}
	ev := Event{Type: *w.Type, Data: w.Data}
	if w.Timestamp != "" {
		ts, err := w.Timestamp.Float64()
		if err != nil || ts < 0 || ts > maxTimestamp {
			return Event{}, eventErrorf(ErrInvalid, "parse event: timestamp out of range")
		}
		ev.Timestamp = int64(ts)
	}
	if len(ev.Data) == 0 || string(ev.Data) == "null" {
		ev.Data = json.RawMessage("{}")
	}
	if ev.Data[0] != '{' {
		return Event{}, eventErrorf(ErrInvalid, "parse event: data is not an object")
	}
	if ev.Type == EventIncremental {
		var s struct {
			Source *IncrementalSource `json:"source"`
		}
		if err := json.Unmarshal(ev.Data, &s); err != nil || s.Source == nil {
			return Event{}, eventErrorf(ErrInvalid, "parse event: incremental event without source")
		}
		ev.Source = *s.Source
	}
	return ev, nil
}

// Meta is the data of an EventMeta event: the page and its window.
type Meta struct {
	Href   string  `json:"href"`
	Width  float64 `json:"width"`  // CSS px
	Height float64 `json:"height"` // CSS px
}

// FullSnapshot is the data of an EventFullSnapshot event: the document
// node and the window's scroll offset.
type FullSnapshot struct {
	Node          *Node  `json:"node"`
	InitialOffset Offset `json:"initialOffset"`
}

// Offset is a scroll offset in CSS pixels.
type Offset struct {
	Left float64 `json:"left"`
	Top  float64 `json:"top"`
}

// Meta reads the data of an EventMeta event. Errors wrap ErrInvalid.
func (e Event) Meta() (Meta, error) {
	var m Meta
	if e.Type != EventMeta {
		return m, eventErrorf(ErrInvalid, "read meta: not a meta event")
	}
	if err := json.Unmarshal(e.Data, &m); err != nil {
		return m, eventErrorf(ErrInvalid, "read meta: %s", jsonProblem(err))
	}
	return m, nil
}

// FullSnapshot reads the data of an EventFullSnapshot event; its node is a
// document node. Errors wrap ErrInvalid, or ErrTooLarge for nesting deeper
// than encoding/json reads.
func (e Event) FullSnapshot() (FullSnapshot, error) {
	var fs FullSnapshot
	if e.Type != EventFullSnapshot {
		return fs, eventErrorf(ErrInvalid, "read full snapshot: not a full snapshot event")
	}
	if f, ok := parseFastFullSnapshot(e.Data); ok {
		fs = f
	} else if err := json.Unmarshal(e.Data, &fs); err != nil {
		if isDepthError(err) {
			return fs, eventErrorf(ErrTooLarge, "read full snapshot: nesting too deep")
		}
		return fs, eventErrorf(ErrInvalid, "read full snapshot: %s", jsonProblem(err))
	}
	if fs.Node == nil || fs.Node.Type != NodeDocument {
		return fs, eventErrorf(ErrInvalid, "read full snapshot: node is not a document node")
	}
	return fs, nil
}

// EventError is a problem with one element of an event stream: the
// element is skipped and the stream can be read on. Err wraps ErrInvalid
// or ErrTooLarge.
type EventError struct {
	Index int // position in the events array
	Err   error
}

func (e *EventError) Error() string { return fmt.Sprintf("events[%d]: %v", e.Index, e.Err) }
func (e *EventError) Unwrap() error { return e.Err }

// eventErrorf formats an error of the recording model: the operation and
// detail, then the sentinel kind.
func eventErrorf(kind error, format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, kind)...)
}

// isDepthError reports encoding/json's error for nesting past its own
// bound (10000 levels).
func isDepthError(err error) bool {
	return strings.Contains(err.Error(), "exceeded max depth")
}

// streamProblem describes a JSON stream error without quoting the input.
func streamProblem(err error) string {
	var se *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "truncated JSON"
	case errors.As(err, &se):
		return "malformed JSON at byte " + strconv.FormatInt(se.Offset, 10)
	}
	return jsonProblem(err)
}

// parseValidEvent is ParseEvent for raw that is known to be valid JSON
// (as json.Decoder hands it out): it reads the few fields it needs by
// walking the top-level keys instead of decoding the whole event twice,
// which costs a scan of every byte of a multi-megabyte full snapshot.
// Inputs it does not read the plain way (keys with escapes or in another
// case, non-integer types or sources, a timestamp that is not a number)
// go through ParseEvent, so both give the same results.
func parseValidEvent(raw []byte) (Event, error) {
	var ev Event
	typ, ts, data, ok := topFields(raw, "type", "timestamp", "data")
	t, ok := intValue(typ, ok)
	if !ok {
		return ParseEvent(raw)
	}
	ev.Type = EventType(t)
	if ts != nil && string(ts) != "null" {
		f, err := strconv.ParseFloat(string(ts), 64)
		if err != nil {
			return ParseEvent(raw)
		}
		if f < 0 || f > maxTimestamp {
			return Event{}, eventErrorf(ErrInvalid, "parse event: timestamp out of range")
		}
		ev.Timestamp = int64(f)
	}
	switch {
	case data == nil || string(data) == "null":
		ev.Data = json.RawMessage("{}")
	case data[0] != '{':
		return Event{}, eventErrorf(ErrInvalid, "parse event: data is not an object")
	default:
		ev.Data = data
	}
	if ev.Type == EventIncremental {
		src, _, _, ok := topFields(ev.Data, "source", "", "")
		s, ok := intValue(src, ok)
		if !ok {
			return ParseEvent(raw)
		}
		ev.Source = IncrementalSource(s)
	}
	return ev, nil
}

// intValue reads a JSON integer that topFields found (ok and present).
func intValue(v []byte, ok bool) (int, bool) {
	if !ok || v == nil {
		return 0, false
	}
	n, err := strconv.Atoi(string(v))
	return n, err == nil
}

// topFields returns the values of keys a, b and c (lowercase ASCII) of
// the valid JSON object raw (the last of duplicates, as encoding/json
// keeps), or ok false when raw is not an object or has a key that
// encoding/json could match differently: one with an escape or beyond
// ASCII (Unicode folding), or one of a, b, c in another case. Other keys
// in capitals (rrweb's camelCase: isChecked, pointerType) match none.
func topFields(raw []byte, a, b, c string) (va, vb, vc []byte, ok bool) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return nil, nil, nil, false
	}
	i = skipSpace(raw, i+1)
	for i < len(raw) && raw[i] == '"' {
		end := skipValue(raw, i)
		key := raw[i+1 : end-1]
		upper := false
		for _, ch := range key {
			if ch == '\\' || ch >= 0x80 {
				return nil, nil, nil, false
			}
			upper = upper || ch >= 'A' && ch <= 'Z'
		}
		if upper && (foldsTo(key, a) || foldsTo(key, b) || foldsTo(key, c)) {
			return nil, nil, nil, false
		}
		i = skipSpace(raw, end)
		i = skipSpace(raw, i+1) // the colon
		vend := skipValue(raw, i)
		switch string(key) {
		case a:
			va = raw[i:vend]
		case b:
			vb = raw[i:vend]
		case c:
			vc = raw[i:vend]
		}
		i = skipSpace(raw, vend)
		if i < len(raw) && raw[i] == ',' {
			i = skipSpace(raw, i+1)
		}
	}
	return va, vb, vc, true
}

// foldsTo reports whether the ASCII key is name ignoring case.
func foldsTo(key []byte, name string) bool {
	return name != "" && bytes.EqualFold(key, []byte(name))
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index just past the valid JSON value at b[i].
func skipValue(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '"':
			i++
			for {
				q := stringStop(b[i:])
				if q < 0 {
					return len(b)
				}
				i += q
				if b[i] == '\\' {
					i += 2
					continue
				}
				if b[i] < 0x20 { // not in valid JSON
					i++
					continue
				}
				i++
				break
			}
			if depth == 0 {
				return i
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth <= 0 {
				return i + 1
			}
		default:
			if depth == 0 { // a number, true, false or null
				j := i
				for j < len(b) && !strings.ContainsRune(",}] \t\n\r", rune(b[j])) {
					j++
				}
				return j
			}
		}
		i++
	}
	return i
}
