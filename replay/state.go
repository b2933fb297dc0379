package replay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/kilnrender/kiln/snapshot"
)

// pointerLag bounds how late after a moment (ms) StateAt looks for the
// mouse positions of that moment: rrweb's recorder sends MouseMove
// positions in batches every 500 ms (its mousemoveCallback threshold).
const pointerLag = 1000

// StateAt replays the recording up to at after its first kept event and
// returns the mirror holding that state (privacy rules applied), with the
// warnings met on the way. Render it with ToSnapshot and a Shooter, the
// same path keyframes take.
func (b *Builder) StateAt(ctx context.Context, r io.Reader, at time.Duration) (*Mirror, []string, error) {
	var w warnings
	m, err := NewMirror(b.cfg, w.add)
	if err != nil {
		return nil, nil, err
	}
	dec, err := b.decoder(r)
	if err != nil {
		return nil, nil, err
	}
	b.stateCapture(ctx, m, dec)
	var start, last, loaded int64
	started := false
	for {
		ev, skip, err := nextEvent(dec)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		if skip != "" {
			w.add(skip)
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		if last != 0 && ev.Timestamp < last {
			w.add("event out of order skipped")
			continue
		}
		if !started {
			if (ev.Type == snapshot.EventDomContentLoaded || ev.Type == snapshot.EventLoad) && loaded == 0 {
				loaded = ev.Timestamp
			}
			if ev.Type == snapshot.EventMeta {
				start = origin(loaded, ev.Timestamp)
			}
			if ev.Type != snapshot.EventMeta && ev.Type != snapshot.EventFullSnapshot {
				continue
			}
			if ev.Type == snapshot.EventFullSnapshot && start == 0 {
				start = origin(loaded, ev.Timestamp)
			}
		} else if ev.Timestamp > start+at.Milliseconds() {
			// Past the moment: only the mouse positions recorded before it
			// that rrweb emitted late, within pointerLag.
			if ev.Timestamp > start+at.Milliseconds()+pointerLag {
				break
			}
			if ev.Type == snapshot.EventIncremental && (ev.Source == snapshot.IncrementalMouseMove || ev.Source == snapshot.IncrementalTouchMove || ev.Source == snapshot.IncrementalDrag) {
				m.applyPointer(&ev, start+at.Milliseconds())
			}
			continue
		}
		if err := m.Apply(&ev); err != nil {
			if errors.Is(err, ErrTooLarge) {
				return nil, nil, err
			}
			w.add(fmt.Sprintf("%s event skipped: %s", ev.Kind(), errText(err)))
			continue
		}
		last = ev.Timestamp
		started = started || m.Ready()
	}
	if !m.Ready() {
		return nil, nil, fmt.Errorf("replay to a moment: %w: no Meta and FullSnapshot events", ErrInvalid)
	}
	for _, s := range m.sanitizeWarnings() {
		w.add(s)
	}
	m.SetMoment(start + at.Milliseconds())
	return m, w.list(), nil
}
