package snapshot

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

// decodeAll reads every event of input, counting kinds and skipped
// elements.
func decodeAll(t *testing.T, input []byte, lim Limits) (kinds map[string]int, skipped []error, dec *EventDecoder, err error) {
	t.Helper()
	dec = NewEventDecoder(bytes.NewReader(input), lim)
	kinds = map[string]int{}
	for {
		ev, err := dec.Next()
		if err == io.EOF {
			return kinds, skipped, dec, nil
		}
		var ee *EventError
		if errors.As(err, &ee) {
			skipped = append(skipped, err)
			continue
		}
		if err != nil {
			return kinds, skipped, dec, err
		}
		kinds[ev.Kind()]++
	}
}

// Packed Gleap events of the SDK's real body decode to rrweb events.
func TestEventDecoderGleapBody(t *testing.T) {
	body := fixture(t, "gleap-live.json.gz")
	kinds, skipped, dec, err := decodeAll(t, body, Limits{})
	if err != nil || len(skipped) != 0 {
		t.Fatalf("err %v, skipped %v", err, skipped)
	}
	if dec.Events() != 59 || kinds["fullSnapshot"] != 1 || kinds["meta"] != 1 || kinds["input"] != 10 || kinds["adoptedStyleSheet"] != 3 {
		t.Errorf("decoded %d events: %v", dec.Events(), kinds)
	}
	if dec.Format() != SourceGleap || dec.BytesRead() != int64(len(body)) {
		t.Errorf("format %q, %d of %d bytes read", dec.Format(), dec.BytesRead(), len(body))
	}
}

func TestEventDecoderFinds(t *testing.T) {
	const evs = `[{"type":4,"timestamp":1,"data":{"href":"https://a.example/"}},{"type":3,"timestamp":2,"data":{"source":2}}]`
	packed, _ := json.Marshal(pack(t, []byte(`{"type":4,"timestamp":1,"data":{},"v":"v1"}`)))
	for _, tc := range []struct {
		name, input string
		format      Source
		events      int
	}{
		{"array", evs, SourceRRWeb, 2},
		{"events object", `{"meta":{"x":[1,{}]},"events":` + evs + `}`, SourceRRWeb, 2},
		{"webReplay", `{"startDate":1,"packed":false,"events":` + evs + `}`, SourceRRWeb, 2},
		{"gleap body", `{"screenshotData":{"html":"<p>"},"webReplay":{"events":` + evs + `}}`, SourceGleap, 2},
		{"packed", `[` + string(packed) + `]`, SourceGleap, 1},
		{"empty", `[]`, SourceRRWeb, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kinds, skipped, dec, err := decodeAll(t, []byte(tc.input), Limits{})
			if err != nil || len(skipped) != 0 {
				t.Fatalf("err %v, skipped %v", err, skipped)
			}
			n := 0
			for _, c := range kinds {
				n += c
			}
			if n != tc.events || dec.Format() != tc.format {
				t.Errorf("%d events (%v), format %q", n, kinds, dec.Format())
			}
		})
	}
}

func TestEventDecoderErrors(t *testing.T) {
	secret := "SECRET-CONTENT-123"
	big := `[` + strings.Repeat(`{"type":3,"timestamp":2,"data":{"source":1}},`, 20) + `{"type":5,"timestamp":3,"data":{}}]`
	bomb, _ := json.Marshal(pack(t, bytes.Repeat([]byte(" "), 1<<20)))
	for _, tc := range []struct {
		name, input string
		lim         Limits
		want        error // ends the stream
		skip        error // one element skipped
	}{
		{"not JSON", "<html>" + secret, Limits{}, ErrInvalid, nil},
		{"truncated", `[{"type":4,"timestamp":1,"data":{}}`, Limits{}, ErrInvalid, nil},
		{"number", `42`, Limits{}, ErrUnsupported, nil},
		{"no events", `{"screenshotData":{}}`, Limits{}, ErrUnsupported, nil},
		{"null webReplay", `{"webReplay":null}`, Limits{}, ErrUnsupported, nil},
		{"events not an array", `{"events":{}}`, Limits{}, ErrInvalid, nil},
		{"broken in the middle", `[{"type":4,"timestamp":1,"data":{}},{"` + secret + `":x}]`, Limits{}, ErrInvalid, nil},
		{"too many events", big, Limits{MaxEvents: 10}, ErrTooLarge, nil},
		{"too many bytes", big, Limits{MaxRecordingBytes: 200}, ErrTooLarge, nil},
		{"event too large", big, Limits{MaxEventBytes: 40}, nil, ErrTooLarge},
		{"zlib bomb", `[` + string(bomb) + `]`, Limits{MaxEventBytes: 64 << 10}, nil, ErrTooLarge},
		{"not packed", `["\u0100` + secret + `"]`, Limits{}, nil, ErrInvalid},
		{"not an event", `[1,{"type":"` + secret + `"}]`, Limits{}, nil, ErrInvalid},
		{"bad timestamp", `[{"type":4,"timestamp":1e300,"data":{}}]`, Limits{}, nil, ErrInvalid},
		{"incremental without source", `[{"type":3,"timestamp":1,"data":{}}]`, Limits{}, nil, ErrInvalid},
		{"data not an object", `[{"type":4,"timestamp":1,"data":"` + secret + `"}]`, Limits{}, nil, ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, skipped, _, err := decodeAll(t, []byte(tc.input), tc.lim)
			for _, e := range append(skipped, err) {
				if e != nil && strings.Contains(e.Error(), secret) {
					t.Errorf("error quotes the input: %v", e)
				}
			}
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			if tc.skip == nil && len(skipped) > 0 {
				t.Errorf("skipped %v", skipped)
			}
			if tc.skip != nil && (len(skipped) == 0 || !errors.Is(skipped[0], tc.skip)) {
				t.Errorf("skipped %v, want %v", skipped, tc.skip)
			}
		})
	}
}

func TestParseEvent(t *testing.T) {
	ev, err := ParseEvent([]byte(`{"type":3,"data":{"source":5,"id":1},"timestamp":1700000000123.0,"delay":4}`))
	if err != nil || ev.Type != EventIncremental || ev.Source != IncrementalInput || ev.Timestamp != 1700000000123 || ev.Kind() != "input" {
		t.Fatalf("%+v, %v", ev, err)
	}
	if got := string(ev.AppendJSON(nil)); got != `{"type":3,"data":{"source":5,"id":1},"timestamp":1700000000123}` {
		t.Errorf("JSON %s", got)
	}
	// Hand-written snapshot inputs may leave out the timestamp.
	ev, err = ParseEvent([]byte(`{"type":9}`))
	if err != nil || ev.Timestamp != 0 || string(ev.Data) != "{}" || ev.Kind() != "type:9" {
		t.Errorf("%+v, %v", ev, err)
	}
	if _, err := ev.Meta(); !errors.Is(err, ErrInvalid) {
		t.Errorf("Meta of a type 9 event: %v", err)
	}
	full := Event{Type: EventFullSnapshot, Data: json.RawMessage(`{"node":{"type":2,"tagName":"p"}}`)}
	if _, err := full.FullSnapshot(); !errors.Is(err, ErrInvalid) {
		t.Errorf("full snapshot of an element: %v", err)
	}
}

func TestUnpackEvent(t *testing.T) {
	const ev = `{"type":4,"timestamp":1,"data":{"href":"https://a.example/é"}}`
	raw, _ := json.Marshal(pack(t, []byte(ev)))
	out, err := UnpackEvent(raw, 1<<20)
	if err != nil || string(out) != ev {
		t.Fatalf("%q, %v", out, err)
	}
	if _, err := UnpackEvent(raw, 10); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over maxBytes: %v", err)
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte(ev))
	zw.Close()
	trunc, _ := json.Marshal(pack(t, []byte(ev))[:z.Len()/2])
	for _, bad := range [][]byte{[]byte(`{}`), []byte(`"\u0100"`), []byte(`"xx"`), trunc} {
		if _, err := UnpackEvent(bad, 1<<20); !errors.Is(err, ErrInvalid) {
			t.Errorf("UnpackEvent(%s) = %v", bad, err)
		}
	}
}

func TestFromNode(t *testing.T) {
	// The last full snapshot of a recording gives the same snapshot
	// through FromNode as through Parse of the events.
	data := fixture(t, "rrweb-todomvc-recording.rrweb.json")
	dec := NewEventDecoder(bytes.NewReader(data), Limits{})
	var full FullSnapshot
	for {
		ev, err := dec.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if ev.Type == EventFullSnapshot {
			if full, err = ev.FullSnapshot(); err != nil {
				t.Fatal(err)
			}
		}
	}
	parsed := mustParse(t, data, Options{Override: Override{Width: 1000, Height: 700}})
	x, y := parsed.Scroll.X, parsed.Scroll.Y
	got, err := FromNode(full.Node, Options{Override: Override{URL: parsed.URL, Width: 1000, Height: 700, ScrollX: &x, ScrollY: &y}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.HTML, parsed.HTML) || got.Source != SourceRRWeb || got.Nodes != parsed.Nodes {
		t.Error("FromNode and Parse disagree")
	}
	if _, err := FromNode(full.Node, Options{Limits: Limits{MaxNodes: 5}}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("MaxNodes 5: %v", err)
	}
	if _, err := FromNode(full.Node, Options{Limits: Limits{MaxInputBytes: 1000}}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("MaxInputBytes 1000: %v", err)
	}
	for _, n := range []*Node{nil, {Type: NodeElement, TagName: "p"}, {Type: NodeDocument, ChildNodes: []*Node{nil, {Type: 42}}}} {
		if _, err := FromNode(n, Options{}); !errors.Is(err, ErrInvalid) {
			t.Errorf("FromNode(%+v) = %v", n, err)
		}
	}
}

// Node JSON reads back as the same tree, and FromNode takes what
// encoding/json gives (numbers as float64) as Parse does.
func TestNodeJSON(t *testing.T) {
	var n Node
	if err := json.Unmarshal(rrDoc(el("div", map[string]any{"id": "s", "rr_scrollTop": 40, "hidden": true, "x": false, "q": `a"<b>`})), &n); err != nil {
		t.Fatal(err)
	}
	b, err := n.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var back Node
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	b2, _ := back.MarshalJSON()
	if !bytes.Equal(b, b2) || !bytes.Contains(b, []byte(`"q":"a\"<b>"`)) {
		t.Errorf("round trip: %s", b)
	}
	s, err := FromNode(&back, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(s.HTML, []byte(AttrScrollTop+`="40"`)) || !bytes.Contains(s.HTML, []byte(`hidden=""`)) || bytes.Contains(s.HTML, []byte(` x=`)) {
		t.Errorf("attributes: %s", s.HTML)
	}
}

// The decoder's fast path reads every valid event as ParseEvent does:
// the same type, source, timestamp and data, or an error of the same
// kind.
func TestParseValidEventMatchesParseEvent(t *testing.T) {
	inputs := []string{
		`{"type":3,"data":{"source":5,"id":1},"timestamp":1700000000123.0,"delay":4}`,
		`{"type":9}`, `{"type":null}`, `{}`, `[]`, `3`, `"x"`, `null`,
		`{"type":3.5,"data":{}}`, `{"type":"3","data":{"source":1}}`, `{"Type":4,"data":{}}`, `{"\u0074ype":4}`,
		`{"type":4,"type":2,"data":{"node":1},"data":{"x":[1,{"y":"}"}]}}`,
		` { "type" : 3 , "data" : { "a" : "\"source\":7" , "source" : 2 } , "timestamp" : 1e3 } `,
		`{"type":3,"data":{"source":"2"}}`, `{"type":3,"data":{"Source":2}}`, `{"type":3,"data":{}}`, `{"type":3,"data":null}`,
		`{"type":4,"data":[1]}`, `{"type":4,"data":"s"}`, `{"type":4,"timestamp":-1}`, `{"type":4,"timestamp":1e16}`,
		`{"type":4,"timestamp":"12"}`, `{"type":4,"timestamp":null}`, `{"type":4,"timestamp":true}`,
		`{"type":99999999999999999999}`, `{"type":4,"data":{"k":"\u00e9\\"},"x":[[],{}],"timestamp":5}`,
		`{"Type":4}`, `{"type":4,"TYPE":2}`, `{"type":4,"Timestamp":7}`, `{"type":4,"dAta":{"a":1}}`, `{"type":3,"data":{"Source":2}}`,
		`{"type":3,"data":{"source":1,"sOURCE":2}}`, `{"type":3,"data":{"source":5,"isChecked":true,"text":"a"},"timestamp":9}`,
		`{"type":3,"data":{"source":2,"pointerType":0,"Id":3},"TimeStampX":1}`, `{"type":3,"data":{"\u017fource":2,"source":1}}`,
	}
	for _, name := range []string{"todomvc-react.rrweb.json", "hostile.rrweb.json"} {
		var evs []json.RawMessage
		b, err := os.ReadFile("../testdata/replay/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &evs); err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			inputs = append(inputs, string(e))
		}
	}
	for _, in := range inputs {
		if !json.Valid([]byte(in)) {
			t.Fatalf("invalid test input %s", in)
		}
		want, werr := ParseEvent([]byte(in))
		got, gerr := parseValidEvent([]byte(in))
		if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
			t.Errorf("%.80s: error %v, ParseEvent: %v", in, gerr, werr)
			continue
		}
		if got.Type != want.Type || got.Source != want.Source || got.Timestamp != want.Timestamp || !bytes.Equal(got.Data, want.Data) {
			t.Errorf("%.80s: %+v, ParseEvent: %+v", in, got, want)
		}
	}
}
