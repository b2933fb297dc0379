package replay

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/kilnrender/kiln/snapshot"
)

// StoredContentType is the content type of what Redact writes (gzip of
// a JSON recording); a reader that meets gzip input inflates it.
const StoredContentType = "application/gzip"

// Redact reads a recording from r and writes to w the form Kiln stores
// until a worker builds its bundle: the events the mirror keeps, with the
// privacy rules enforced and the sanitizing rules applied exactly as in a
// bundle (password and masked values replaced, masked text, blocked
// elements emptied, scripts and handlers gone), as one gzip-compressed
// Kiln replay JSON document that keeps the input's density and given
// resources. Unlike a bundle, subresource URLs are not
// fetched: they are resolved to absolute URLs and kept, so the worker
// fetches them as it would from the raw recording. Events before the
// first full snapshot, malformed ones and those the mirror refuses are
// dropped with a warning, as Build drops them.
//
// The output is bounded by Config.Limits.MaxRecordingBytes before
// compression (packed Gleap events are stored inflated); past it, Redact
// fails with ErrTooLarge. Other errors are those of Build.
func (b *Builder) Redact(ctx context.Context, r io.Reader, w io.Writer) ([]string, error) {
	var warn warnings
	m, err := NewMirror(b.cfg, warn.add)
	if err != nil {
		return nil, err
	}
	// Absolute URLs stay as they are; the worker's build captures them.
	m.capture = func(u string) (string, string) { return u, "" }
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return nil, fmt.Errorf("redact recording: %w: %v", ErrInvalid, err)
	}
	out := &limitedWriter{w: bufio.NewWriterSize(zw, 64<<10), left: b.cfg.Limits.MaxRecordingBytes}
	dec, err := b.decoder(r)
	if err != nil {
		return nil, err
	}
	n, start, last := 0, int64(0), int64(0)
	var pendingMeta *snapshot.Event
	emit := func(ev *snapshot.Event) {
		if n == 0 {
			out.Write(redactHeader(dec))
		} else {
			out.WriteString(",")
		}
		out.Write(ev.AppendJSON(nil))
		n++
		last = ev.Timestamp
	}
	err = eachEvent(ctx, dec, warn.add, func(ev snapshot.Event) error {
		if last != 0 && ev.Timestamp < last {
			warn.add("event out of order skipped")
			return nil
		}
		if !m.Ready() && ev.Type != snapshot.EventMeta && ev.Type != snapshot.EventFullSnapshot {
			warn.add("events before the first full snapshot dropped")
			return nil
		}
		if start == 0 && ev.Type == snapshot.EventMeta || start == 0 && ev.Type == snapshot.EventFullSnapshot {
			start = ev.Timestamp
		}
		if d := time.Duration(ev.Timestamp-start) * time.Millisecond; m.Ready() && d > b.cfg.MaxDuration {
			return fmt.Errorf("redact recording: %w: recording longer than %s", ErrTooLarge, b.cfg.MaxDuration)
		}
		if err := m.Apply(&ev); err != nil {
			if errors.Is(err, ErrTooLarge) {
				return err
			}
			warn.add(fmt.Sprintf("%s event skipped: %s", ev.Kind(), errText(err)))
			return nil
		}
		// A Meta waits for its full snapshot, as Build keeps only the last
		// Meta before the first one.
		if !m.Ready() && ev.Type == snapshot.EventMeta {
			e := ev
			pendingMeta = &e
			return nil
		}
		if pendingMeta != nil {
			emit(pendingMeta)
			pendingMeta = nil
		}
		emit(&ev)
		return out.err
	})
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, fmt.Errorf("redact recording: %w: no Meta and FullSnapshot events", ErrInvalid)
	}
	out.WriteString("]}")
	if out.err == nil {
		out.err = out.w.Flush()
	}
	if out.err != nil {
		return nil, out.err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return warn.list(), nil
}

// redactHeader opens the stored recording: Kiln replay JSON with the
// density and the resources the input gave (all known before its first
// event), then the events array.
func redactHeader(dec *snapshot.EventDecoder) []byte {
	h := struct {
		Version   int                 `json:"version"`
		Viewport  *replayViewport     `json:"viewport,omitempty"`
		Resources []snapshot.Resource `json:"resources,omitempty"`
	}{Version: 1, Resources: dec.Resources().All()}
	if v := dec.Viewport(); v.DeviceScaleFactor > 0 || v.Mobile {
		h.Viewport = &replayViewport{v.DeviceScaleFactor, v.Mobile}
	}
	b, _ := marshal(h)
	return append(b[:len(b)-1], `,"events":[`...)
}

type replayViewport struct {
	DeviceScaleFactor float64 `json:"deviceScaleFactor,omitempty"`
	Mobile            bool    `json:"mobile,omitempty"`
}

// limitedWriter writes to w until left bytes are used, then fails with
// ErrTooLarge; the first error sticks.
type limitedWriter struct {
	w    *bufio.Writer
	left int64
	err  error
}

func (l *limitedWriter) Write(p []byte) {
	if l.err != nil {
		return
	}
	if l.left -= int64(len(p)); l.left < 0 {
		l.err = fmt.Errorf("redact recording: %w: over %d bytes once unpacked", ErrTooLarge, l.left+int64(len(p)))
		return
	}
	_, l.err = l.w.Write(p)
}

func (l *limitedWriter) WriteString(s string) { l.Write([]byte(s)) }

// decoder reads the recording in r, inflating it first when it is gzip
// (what Redact stores); Config.Limits bound the inflated bytes.
func (b *Builder) decoder(r io.Reader) (*snapshot.EventDecoder, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("read recording: %w: %v", ErrInvalid, err)
		}
		return snapshot.NewEventDecoder(zr, b.cfg.Limits), nil
	}
	return snapshot.NewEventDecoder(br, b.cfg.Limits), nil
}
