package replay

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// rrweb event types.
const (
	TypeDomContentLoaded = 0
	TypeLoad             = 1
	TypeFullSnapshot     = 2
	TypeIncremental      = 3
	TypeMeta             = 4
	TypeCustom           = 5
	TypePlugin           = 6
	TypeAsset            = 7
)

// rrweb incremental sources (data.source of a TypeIncremental event).
const (
	SourceMutation          = 0
	SourceMouseMove         = 1
	SourceMouseInteraction  = 2
	SourceScroll            = 3
	SourceViewportResize    = 4
	SourceInput             = 5
	SourceTouchMove         = 6
	SourceMediaInteraction  = 7
	SourceStyleSheetRule    = 8
	SourceCanvasMutation    = 9
	SourceFont              = 10
	SourceLog               = 11
	SourceDrag              = 12
	SourceStyleDeclaration  = 13
	SourceSelection         = 14
	SourceAdoptedStyleSheet = 15
	SourceCustomElement     = 16
)

var typeNames = [...]string{"domContentLoaded", "load", "fullSnapshot", "incremental", "meta", "custom", "plugin", "asset"}

var sourceNames = [...]string{"mutation", "mouseMove", "mouseInteraction", "scroll", "viewportResize", "input",
	"touchMove", "mediaInteraction", "styleSheetRule", "canvasMutation", "font", "log", "drag",
	"styleDeclaration", "selection", "adoptedStyleSheet", "customElement"}

// Event is one rrweb event. Data is the event's data object, verbatim
// unless Kiln rewrote it (privacy, assets). Fields other than type, data and
// timestamp (Gleap's "v", rrweb's "delay") are dropped.
type Event struct {
	Type      int             `json:"type"`
	Data      json.RawMessage `json:"data"`
	Timestamp int64           `json:"timestamp"` // Unix milliseconds
	source    int             // data.source for TypeIncremental, else -1
}

// Source returns data.source of an incremental event, or -1.
func (e Event) Source() int { return e.source }

// Kind names the event for counts: the type name, or the incremental
// source name ("mutation", "input", ...).
func (e Event) Kind() string {
	if e.Type == TypeIncremental {
		if e.source >= 0 && e.source < len(sourceNames) {
			return sourceNames[e.source]
		}
		return "incremental:" + strconv.Itoa(e.source)
	}
	if e.Type >= 0 && e.Type < len(typeNames) {
		return typeNames[e.Type]
	}
	return "type:" + strconv.Itoa(e.Type)
}

// MarshalJSON writes {"type":..,"data":..,"timestamp":..}.
func (e Event) MarshalJSON() ([]byte, error) {
	return e.appendJSON(nil), nil
}

func (e Event) appendJSON(b []byte) []byte {
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

// EventError is a problem with one event of the stream: the event is
// skipped and the stream can be read on.
type EventError struct {
	Index int // position in the input array
	Err   error
}

func (e *EventError) Error() string { return fmt.Sprintf("event %d: %v", e.Index, e.Err) }
func (e *EventError) Unwrap() error { return e.Err }

// Input formats the Decoder recognizes.
const (
	FormatRRWeb = "rrweb" // a JSON array of rrweb events, or {"events":[...]}
	FormatGleap = "gleap" // a Gleap webReplay object, or a feedback body holding one
)

// Decoder reads rrweb events one at a time from a JSON stream without
// holding the recording in memory: a bare event array, an object with an
// "events" array, a Gleap webReplay ({startDate, events, packed, ...}) or a
// whole Gleap feedback body with a "webReplay" field. Packed Gleap events
// (strings of zlib bytes, one character per byte) are unpacked.
type Decoder struct {
	cfg    Config
	cr     *countingReader
	dec    *json.Decoder
	format string
	index  int
	begun  bool
	done   bool
	zbuf   bytes.Buffer
}

// NewDecoder returns a Decoder reading r with the limits of cfg (zero
// fields take defaults).
func NewDecoder(r io.Reader, cfg Config) *Decoder {
	cfg = cfg.withDefaults()
	cr := &countingReader{r: r, max: cfg.MaxInputBytes}
	dec := json.NewDecoder(bufio.NewReaderSize(cr, 64<<10))
	dec.UseNumber()
	return &Decoder{cfg: cfg, cr: cr, dec: dec}
}

// Format is FormatRRWeb or FormatGleap once the first event was read.
func (d *Decoder) Format() string { return d.format }

// BytesRead is the number of input bytes consumed so far.
func (d *Decoder) BytesRead() int64 { return d.cr.n }

// Next returns the next event, io.EOF after the last one. An *EventError
// means that one element was malformed and skipped: call Next again. Any
// other error ends the stream and wraps ErrInvalid, ErrUnsupported or
// ErrTooLarge.
func (d *Decoder) Next() (Event, error) {
	if d.done {
		return Event{}, io.EOF
	}
	if !d.begun {
		d.begun = true
		if err := d.findEvents(); err != nil {
			d.done = true
			return Event{}, err
		}
	}
	if !d.dec.More() {
		d.done = true
		if _, err := d.dec.Token(); err != nil { // the closing ]
			return Event{}, d.streamErr(err)
		}
		return Event{}, io.EOF
	}
	if d.index >= d.cfg.MaxEvents {
		d.done = true
		return Event{}, fmt.Errorf("decode events: %w: more than %d events", ErrTooLarge, d.cfg.MaxEvents)
	}
	var raw json.RawMessage
	if err := d.dec.Decode(&raw); err != nil {
		d.done = true
		return Event{}, d.streamErr(err)
	}
	i := d.index
	d.index++
	if len(raw) > d.cfg.MaxEventBytes {
		return Event{}, &EventError{i, fmt.Errorf("%w: event larger than %d bytes", ErrTooLarge, d.cfg.MaxEventBytes)}
	}
	if raw[0] == '"' {
		b, err := d.unpack(raw)
		if err != nil {
			return Event{}, &EventError{i, err}
		}
		raw = b
		if d.format == "" {
			d.format = FormatGleap
		}
	}
	ev, err := ParseEvent(raw)
	if err != nil {
		return Event{}, &EventError{i, err}
	}
	return ev, nil
}

func (d *Decoder) streamErr(err error) error {
	if errors.Is(err, ErrTooLarge) {
		return err
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("decode events: %w: %v", ErrInvalid, err)
}

// findEvents positions the decoder inside the events array.
func (d *Decoder) findEvents() error {
	tok, err := d.dec.Token()
	if err != nil {
		return d.streamErr(err)
	}
	switch tok {
	case json.Delim('['):
		if d.format == "" {
			d.format = FormatRRWeb
		}
		return nil
	case json.Delim('{'):
		return d.findInObject(0)
	}
	return fmt.Errorf("decode events: %w: input is neither an event array nor an object", ErrUnsupported)
}

// findInObject walks an object's keys (the opening brace was read) until
// "events" (an array) or "webReplay" (an object, walked in turn).
func (d *Decoder) findInObject(depth int) error {
	for d.dec.More() {
		tok, err := d.dec.Token()
		if err != nil {
			return d.streamErr(err)
		}
		key, _ := tok.(string)
		switch {
		case key == "events":
			tok, err := d.dec.Token()
			if err != nil {
				return d.streamErr(err)
			}
			if tok != json.Delim('[') {
				return fmt.Errorf("decode events: %w: events is not an array", ErrInvalid)
			}
			if d.format == "" {
				d.format = FormatRRWeb
				if depth > 0 {
					d.format = FormatGleap
				}
			}
			return nil
		case key == "webReplay" && depth == 0:
			tok, err := d.dec.Token()
			if err != nil {
				return d.streamErr(err)
			}
			if tok == nil {
				return fmt.Errorf("decode events: %w: webReplay is null", ErrUnsupported)
			}
			if tok != json.Delim('{') {
				return fmt.Errorf("decode events: %w: webReplay is not an object", ErrInvalid)
			}
			d.format = FormatGleap
			return d.findInObject(depth + 1)
		default:
			var skip json.RawMessage
			if err := d.dec.Decode(&skip); err != nil {
				return d.streamErr(err)
			}
		}
	}
	return fmt.Errorf("decode events: %w: no events array (nor webReplay) found", ErrUnsupported)
}

// unpack turns a packed Gleap event (a JSON string whose characters are
// the bytes of a zlib stream) into the event's JSON.
func (d *Decoder) unpack(raw json.RawMessage) ([]byte, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("unpack event: %w: %v", ErrInvalid, err)
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 255 {
			return nil, fmt.Errorf("unpack event: %w: character above U+00FF in packed event", ErrInvalid)
		}
		b = append(b, byte(r))
	}
	zr, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("unpack event: %w: %v", ErrInvalid, err)
	}
	defer zr.Close()
	d.zbuf.Reset()
	n, err := io.Copy(&d.zbuf, io.LimitReader(zr, int64(d.cfg.MaxEventBytes)+1))
	if err != nil {
		return nil, fmt.Errorf("unpack event: %w: %v", ErrInvalid, err)
	}
	if n > int64(d.cfg.MaxEventBytes) {
		return nil, fmt.Errorf("unpack event: %w: event inflates beyond %d bytes", ErrTooLarge, d.cfg.MaxEventBytes)
	}
	return bytes.Clone(d.zbuf.Bytes()), nil
}

// ParseEvent parses one event object. The data object is kept verbatim.
func ParseEvent(raw []byte) (Event, error) {
	var w struct {
		Type      *int            `json:"type"`
		Data      json.RawMessage `json:"data"`
		Timestamp json.Number     `json:"timestamp"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return Event{}, fmt.Errorf("parse event: %w: %v", ErrInvalid, err)
	}
	if w.Type == nil {
		return Event{}, fmt.Errorf("parse event: %w: no type", ErrInvalid)
	}
	ts, err := w.Timestamp.Float64()
	if err != nil || ts < 0 || ts > 1e15 {
		return Event{}, fmt.Errorf("parse event: %w: bad timestamp", ErrInvalid)
	}
	ev := Event{Type: *w.Type, Data: w.Data, Timestamp: int64(ts), source: -1}
	if len(ev.Data) == 0 || string(ev.Data) == "null" {
		ev.Data = json.RawMessage("{}")
	}
	if ev.Data[0] != '{' {
		return Event{}, fmt.Errorf("parse event: %w: data is not an object", ErrInvalid)
	}
	if ev.Type == TypeIncremental {
		var s struct {
			Source *int `json:"source"`
		}
		if err := json.Unmarshal(ev.Data, &s); err != nil || s.Source == nil {
			return Event{}, fmt.Errorf("parse event: %w: incremental event without source", ErrInvalid)
		}
		ev.source = *s.Source
	}
	return ev, nil
}

// countingReader counts bytes and fails past max.
type countingReader struct {
	r   io.Reader
	n   int64
	max int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.n > c.max {
		return 0, fmt.Errorf("read recording: %w: more than %d bytes", ErrTooLarge, c.max)
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.max {
		return n, fmt.Errorf("read recording: %w: more than %d bytes", ErrTooLarge, c.max)
	}
	return n, err
}
