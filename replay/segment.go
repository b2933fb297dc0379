package replay

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/kilnrender/kiln/snapshot"
)

// append adds a recorded event to the current segment.
func (bd *build) append(ev snapshot.Event) {
	n := bd.appendRaw(ev)
	if ev.Type == snapshot.EventFullSnapshot {
		bd.segSnap = n
	} else {
		bd.segRec += n
	}
	bd.segN++
	bd.last = ev.Timestamp
}

// appendRaw writes an event to the current segment, with its large
// inline data moved into assets (inline.go), and returns the bytes
// written.
func (bd *build) appendRaw(ev snapshot.Event) int {
	if bd.seg.Len() == 0 {
		bd.seg.WriteByte('[')
	} else {
		bd.seg.WriteByte(',')
	}
	if ev.Type == snapshot.EventFullSnapshot || ev.Type == snapshot.EventIncremental {
		ev.Data = bd.outline(ev.Data)
	}
	n := bd.seg.Len()
	bd.seg.Grow(len(ev.Data) + 64) // the event is written in place
	bd.seg.Write(ev.AppendJSON(bd.seg.AvailableBuffer()))
	bd.segLast = ev.Timestamp
	return bd.seg.Len() - n
}

// synthesize starts the segment with the mirror's state (without its Meta
// when the segment already has the recorded one).
func (bd *build) synthesize(ts int64, skipMeta bool) error {
	evs, err := bd.m.FullSnapshot(ts)
	if err != nil {
		return err
	}
	if skipMeta {
		evs = evs[1:]
	}
	for _, e := range evs {
		if n := bd.appendRaw(e); e.Type == snapshot.EventFullSnapshot {
			bd.segSnap = n
		}
	}
	bd.segSynth += len(evs)
	return nil
}

// flush compresses and stores the current segment.
func (bd *build) flush() error {
	if bd.seg.Len() == 0 {
		return nil
	}
	bd.seg.WriteByte(']')
	bd.gzBuf.Reset()
	bd.gz.Reset(&bd.gzBuf)
	if _, err := bd.gz.Write(bd.seg.Bytes()); err != nil {
		return fmt.Errorf("compress segment: %w", err)
	}
	if err := bd.gz.Close(); err != nil {
		return fmt.Errorf("compress segment: %w", err)
	}
	data := bd.gzBuf.Bytes()
	sum := sha256.Sum256(data)
	s := Segment{
		Name:      fmt.Sprintf("segments/%03d.json.gz", len(bd.man.Segments)),
		StartMs:   bd.segStart - bd.start,
		EndMs:     bd.segLast - bd.start,
		Events:    bd.segN,
		Synthetic: bd.segSynth,
		Bytes:     len(data),
		RawBytes:  bd.seg.Len(),
		SHA256:    hex.EncodeToString(sum[:]),
		Encoding:  "gzip",
	}
	if err := bd.sink.Put(bd.ctx, s.Name, data, "application/json", "gzip"); err != nil {
		return fmt.Errorf("store segment: %w", err)
	}
	bd.man.Segments = append(bd.man.Segments, s)
	bd.seg.Reset()
	bd.segN, bd.segSynth, bd.segSnap, bd.segRec = 0, 0, 0, 0
	return nil
}
