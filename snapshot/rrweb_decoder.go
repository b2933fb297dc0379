package snapshot

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"strings"
)

// EventDecoder reads rrweb events one at a time from a JSON stream without
// holding the recording in memory. It finds the events array in a bare
// event array, an object with an "events" array (Kiln replay JSON among
// them), a Gleap webReplay ({startDate, events, packed, ...}) or a whole
// Gleap feedback body with a "webReplay" field, skipping every other
// field. Packed Gleap events (UnpackEvent) are inflated one by one.
//
// What the input carries besides events is read on the way: Kiln replay
// JSON's "resources" (into Resources) and "viewport" (Viewport), a Gleap
// body's metaData.devicePixelRatio and mobile (Viewport), and the payload
// of each rrweb asset event (type 7) as it passes (Resources). These
// fields must come before the events array; after it, they fail the
// recording.
//
// Limits: MaxRecordingBytes bounds the bytes read, MaxEvents the array's
// elements, MaxEventBytes each element (packed and inflated);
// MaxResources and MaxResourceBytes the resources held.
type EventDecoder struct {
	lim      Limits
	cr       *countingReader
	dec      *json.Decoder // before and after the events array
	br       *bufio.Reader
	scan     *elementScanner // the events array
	format   Source
	index    int
	begun    bool
	done     bool
	unpack   unpacker
	depth    int // objects open around the events array
	res      *ResourceTable
	viewport Viewport
}

// NewEventDecoder returns an EventDecoder reading r with lim (zero fields
// take DefaultLimits).
func NewEventDecoder(r io.Reader, lim Limits) *EventDecoder {
	lim = lim.WithDefaults()
	cr := &countingReader{r: r, max: lim.MaxRecordingBytes}
	br := bufio.NewReaderSize(cr, 64<<10)
	dec := json.NewDecoder(br)
	dec.UseNumber()
	return &EventDecoder{lim: lim, cr: cr, dec: dec, br: br, res: newResourceTable(lim)}
}

// Resources is the table of resources the recording carries, filled as
// the input is read: Kiln replay JSON's resources before the first event,
// asset events as they pass. Never nil.
func (d *EventDecoder) Resources() *ResourceTable { return d.res }

// Viewport is the density the input gives (DeviceScaleFactor, zero when
// none, and Mobile), known before the first event; the window size comes
// from the recording's Meta and resize events.
func (d *EventDecoder) Viewport() Viewport { return d.viewport }

// Format is what was read so far: SourceGleap when the events sit in a
// Gleap body's webReplay or one of them was packed, SourceKiln for Kiln
// replay JSON (an object with version, resources or viewport before its
// events), else SourceRRWeb (an event array or {"events": [...]}); ""
// before the first call to Next.
func (d *EventDecoder) Format() Source { return d.format }

// BytesRead is the number of input bytes consumed so far.
func (d *EventDecoder) BytesRead() int64 { return d.cr.n }

// Events is the number of array elements read so far, skipped ones
// included.
func (d *EventDecoder) Events() int { return d.index }

// Next returns the next event, io.EOF after the last one. An *EventError
// means that one element was malformed or over MaxEventBytes and was
// skipped: call Next again. Any other error ends the stream and wraps
// ErrInvalid (malformed JSON), ErrUnsupported (no events array) or
// ErrTooLarge (over MaxRecordingBytes or MaxEvents). Errors never quote the
// input.
func (d *EventDecoder) Next() (Event, error) {
	if d.done {
		return Event{}, io.EOF
	}
	if !d.begun {
		d.begun = true
		if err := d.findEvents(); err != nil {
			d.done = true
			return Event{}, err
		}
		d.scan = newElementScanner(io.MultiReader(d.dec.Buffered(), d.br))
	}
	more, err := d.scan.more()
	if err != nil {
		d.done = true
		return Event{}, d.streamErr(err)
	}
	if !more {
		d.done = true
		if err := d.resume(); err != nil {
			return Event{}, d.streamErr(err)
		}
		if err := d.afterEvents(); err != nil {
			return Event{}, err
		}
		return Event{}, io.EOF
	}
	if d.index >= d.lim.MaxEvents {
		d.done = true
		return Event{}, eventErrorf(ErrTooLarge, "decode events: more than %d events", d.lim.MaxEvents)
	}
	raw, err := d.scan.value()
	if err != nil {
		d.done = true
		return Event{}, d.streamErr(err)
	}
	i := d.index
	d.index++
	if len(raw) > d.lim.MaxEventBytes {
		return Event{}, &EventError{i, eventErrorf(ErrTooLarge, "event larger than %d bytes", d.lim.MaxEventBytes)}
	}
	parse := parseValidEvent // the decoder checked the syntax
	if raw[0] == '"' {
		b, err := d.unpack.unpack(raw, d.lim.MaxEventBytes)
		if err != nil {
			return Event{}, &EventError{i, err}
		}
		raw = b
		if d.format != SourceKiln {
			d.format = SourceGleap // only Gleap packs events (Kiln replay JSON may carry them)
		}
		parse = ParseEvent
	}
	ev, err := parse(raw)
	if err != nil {
		return Event{}, &EventError{i, err}
	}
	if ev.Type == EventAsset {
		d.keepAsset(ev.Data)
	}
	return ev, nil
}

func (d *EventDecoder) streamErr(err error) error {
	var se *scanError
	switch {
	case errors.Is(err, ErrTooLarge):
		return err
	case errors.As(err, &se):
		return eventErrorf(ErrInvalid, "decode events: malformed JSON at byte %d", se.offset+1)
	}
	return eventErrorf(ErrInvalid, "decode events: %s", streamProblem(err))
}

// resume gives the rest of the input, after the events array, to a
// json.Decoder in the state the one that found the array would be in
// there: inside d.depth objects, after a value (which a prefix of
// {"": per object and a 0 stands for).
func (d *EventDecoder) resume() error {
	if d.depth == 0 {
		return nil
	}
	prefix := strings.Repeat(`{"":`, d.depth) + "0"
	d.dec = json.NewDecoder(io.MultiReader(strings.NewReader(prefix), d.scan.rest()))
	d.dec.UseNumber()
	for range 2 * d.depth {
		if _, err := d.dec.Token(); err != nil {
			return err
		}
	}
	var zero json.Number
	return d.dec.Decode(&zero)
}

// findEvents positions the decoder inside the events array.
func (d *EventDecoder) findEvents() error {
	tok, err := d.dec.Token()
	if err != nil {
		return d.streamErr(err)
	}
	switch tok {
	case json.Delim('['):
		d.format = SourceRRWeb
		return nil
	case json.Delim('{'):
		return d.findInObject(0)
	}
	return eventErrorf(ErrUnsupported, "decode events: input is neither an event array nor an object")
}

// findInObject walks an object's keys (the opening brace was read) until
// "events" (an array) or, at the top level, "webReplay" (an object,
// walked in turn).
func (d *EventDecoder) findInObject(depth int) error {
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
				return eventErrorf(ErrInvalid, "decode events: events is not an array")
			}
			if d.format == "" {
				d.format = SourceRRWeb
			}
			d.depth = depth + 1
			return nil
		case key == "webReplay" && depth == 0:
			tok, err := d.dec.Token()
			if err != nil {
				return d.streamErr(err)
			}
			if tok == nil {
				return eventErrorf(ErrUnsupported, "decode events: webReplay is null")
			}
			if tok != json.Delim('{') {
				return eventErrorf(ErrInvalid, "decode events: webReplay is not an object")
			}
			d.format = SourceGleap
			return d.findInObject(depth + 1)
		case depth == 0 && d.format != SourceGleap && (key == "version" || key == "resources" || key == "viewport"):
			d.format = SourceKiln
			if err := d.readKilnField(key); err != nil {
				return err
			}
		case key == "metaData" && depth == 0:
			if err := d.readGleapMeta(); err != nil {
				return err
			}
		default:
			var skip json.RawMessage
			if err := d.dec.Decode(&skip); err != nil {
				return d.streamErr(err)
			}
		}
	}
	return eventErrorf(ErrUnsupported, "decode events: no events array (nor webReplay) found")
}

// countingReader counts the bytes it hands on and hands on at most max:
// past them, it fails.
type countingReader struct {
	r    io.Reader
	n    int64
	max  int64
	over bool
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.over {
		return 0, c.tooLarge()
	}
	if room := c.max + 1 - c.n; int64(len(p)) > room {
		p = p[:room] // one byte past max tells that there is more
	}
	n, err := c.r.Read(p)
	if c.n+int64(n) > c.max {
		n, err = int(c.max-c.n), c.tooLarge()
		c.over = true
	}
	c.n += int64(n)
	return n, err
}

func (c *countingReader) tooLarge() error {
	return eventErrorf(ErrTooLarge, "read recording: more than %d bytes", c.max)
}
