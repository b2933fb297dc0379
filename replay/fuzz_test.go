package replay

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/json"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/kilnrender/kiln/snapshot"
)

// packEvent packs one event as the Gleap SDK does: zlib bytes, one
// character per byte, as a JSON string.
func packEvent(t testing.TB, ev string) string {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte(ev))
	zw.Close()
	runes := make([]rune, z.Len())
	for i, b := range z.Bytes() {
		runes[i] = rune(b)
	}
	s, _ := json.Marshal(string(runes))
	return string(s)
}

func FuzzDecode(f *testing.F) {
	// Seeds stay small: the fuzzer minimizes every new input, and each
	// try runs the whole pipeline.
	f.Add([]byte(`[{"type":4,"timestamp":900,"data":{"href":"http://a.test/","width":800,"height":600}},` + baseSnapshot + `,` +
		incr(0, `"adds":[{"parentId":4,"nextId":7,"node":{"type":2,"id":20,"tagName":"style","attributes":{"_cssText":"a{color:red}"},"childNodes":[]}}],"removes":[{"parentId":4,"id":9}],"texts":[{"id":6,"value":"t"}],"attributes":[{"id":5,"attributes":{"class":"rr-mask","style":{"color":"red"}}}]`) + `,` +
		incr(5, `"id":8,"text":"pw","isChecked":false`) + `,` + incr(3, `"id":1,"x":0,"y":10`) + `,` + incr(4, `"width":500,"height":700`) + `,` +
		incr(8, `"id":20,"adds":[{"rule":"b{}","index":[0,1]}],"removes":[{"index":0}]`) + `,` +
		incr(13, `"id":20,"index":[0],"set":{"property":"color","value":"blue"}`) + `,` +
		incr(15, `"id":1,"styleIds":[1],"styles":[{"styleId":1,"rules":[{"rule":"p{}","index":0}]}]`) + `,` +
		incr(9, `"id":10,"commands":[{"property":"x","args":["data:image/png;base64,AA"]}]`) + `]`))
	f.Add([]byte(`[` + baseSnapshot + `]`))
	f.Add([]byte(`{"webReplay":{"startDate":1,"packed":true,"events":[` +
		packEvent(f, `{"type":4,"timestamp":1,"data":{"href":"http://a.test/","width":10,"height":10},"v":"v1"}`) + `,` +
		packEvent(f, `{"type":2,"timestamp":2,"data":{"node":{"type":0,"id":1,"childNodes":[]}}}`) + `,"\u00ff\u0001"]}}`))
	f.Add([]byte(`[{"type":4,"timestamp":1,"data":{}},{"type":2,"timestamp":1,"data":{"node":{"type":0,"id":1,"childNodes":[{"type":2,"id":1,"tagName":"a","childNodes":[{"type":2,"id":2}]}]}}},{"type":3,"timestamp":2,"data":{"source":0,"adds":[{"parentId":2,"nextId":1,"node":{"type":2,"id":1}}]}}]`))
	f.Add([]byte(`[{"type":4,"timestamp":1,"data":{"href":"http://a.test/","width":10,"height":10}},{"type":2,"timestamp":2,"data":{"node":{"type":0,"id":1,"childNodes":[` +
		`{"type":2,"id":2,"tagName":"img","attributes":{"src":"http://127.0.0.1/x","onerror":"x","srcset":"//10.0.0.1/a 2x","style":"background:url(/b)"},"childNodes":[]},` +
		`{"type":2,"id":3,"tagName":"style","attributes":{},"childNodes":[{"type":3,"id":4,"textContent":"@import 'c.css';a{b:\\75 rl(d)}"}]},` +
		`{"type":2,"id":5,"tagName":"svg","isSVG":true,"attributes":{},"childNodes":[{"type":2,"id":6,"tagName":"script","isSVG":true,"attributes":{},"childNodes":[]}]}]}}},` +
		incr(0, `"adds":[{"parentId":1,"nextId":null,"node":{"type":2,"id":7,"tagName":"a","attributes":{"href":"javascript:x"},"childNodes":[]}}],"attributes":[{"id":2,"attributes":{"src":"http://localhost/","style":{"color":"url(e)"}}},{"id":7,"attributes":{"rel":"preload"}}]`) + `,` +
		incr(15, `"id":1,"styleIds":[1],"styles":[{"styleId":1,"rules":[{"rule":"p{b:image-set('f' 1x)}"}]}]`) + `,` +
		incr(9, `"id":2,"commands":[{"property":"drawImage","args":[{"rr_type":"HTMLImageElement","src":"g"}]}]`) + `]`))
	// What pictures mark: custom element names, the selection, a
	// video's clock, the pointer's path.
	f.Add([]byte(`[{"type":4,"timestamp":900,"data":{"href":"http://a.test/","width":800,"height":600}},` + baseSnapshot + `,` +
		add(4, `{"type":2,"id":30,"tagName":"x-card","attributes":{},"isCustom":true,"childNodes":[{"type":2,"id":31,"tagName":"style","attributes":{},"isShadow":true,"childNodes":[]}]}`) + `,` +
		add(4, `{"type":2,"id":32,"tagName":"video","attributes":{"rr_mediaState":"played","rr_mediaCurrentTime":1.5,"loop":""},"childNodes":[]}`) + `,` +
		incr(16, `"define":{"name":"x-late"}`) + `,` + incr(14, `"ranges":[{"start":6,"startOffset":1,"end":9,"endOffset":1}]`) + `,` +
		incr(7, `"type":0,"id":32,"currentTime":2,"playbackRate":2`) + `,` + mouseAt(2000, 30, 40, 5) + `,` + mouseAt(2100, 60, 70, 10) + `]`))
	f.Add([]byte(`{"events":[1,null,"x",[],{}]}`))
	f.Add([]byte(`[{"type":3,"timestamp":1e300,"data":{"source":8,"id":1,"adds":[{"rule":"}","index":[0,0,0]}]}}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg := Config{SegmentDuration: time.Second, KeyframeInterval: time.Second,
			Limits: snapshot.Limits{MaxNodes: 5000, MaxDepth: 64, MaxEventBytes: 1 << 20, MaxRecordingBytes: 4 << 20}}
		// The decoder alone: every error is classified.
		dec := snapshot.NewEventDecoder(bytes.NewReader(data), cfg.Limits)
		for i := 0; i < 100000; i++ {
			_, err := dec.Next()
			if err == io.EOF {
				break
			}
			var ee *snapshot.EventError
			if errors.As(err, &ee) {
				continue
			}
			if err != nil {
				if !errors.Is(err, snapshot.ErrInvalid) && !errors.Is(err, snapshot.ErrUnsupported) && !errors.Is(err, snapshot.ErrTooLarge) {
					t.Fatalf("unclassified error: %v", err)
				}
				break
			}
		}
		// The whole pipeline: no panic; a bundle, when made, reads back.
		b, err := NewBuilder(cfg, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		sink := &memSink{}
		man, err := b.Build(context.Background(), bytes.NewReader(data), sink)
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		// No script and no URL a player could fetch survives: replaying
		// the bundle through a fresh mirror finds nothing to remove.
		for _, s := range man.Segments {
			checkSanitized(t, cfg, s.Name, gunzip(t, sink.files[s.Name].data))
		}
		// A picture's state at a moment (what --at and keyframes hand the
		// renderer) converts, or fails with a classified error.
		m, _, err := b.StateAt(context.Background(), bytes.NewReader(data), time.Second)
		if err == nil {
			_, err = ToSnapshot(m)
		}
		if err != nil && !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("unclassified error: %v", err)
		}
	})
}
