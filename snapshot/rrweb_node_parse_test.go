package snapshot

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"testing"
)

// sameAsJSON fails t unless the fast reader of data either gives up or
// reads what encoding/json reads (and encoding/json reads it).
func sameAsJSON(t *testing.T, data []byte) (fast bool) {
	t.Helper()
	got, ok := parseFastFullSnapshot(data)
	var want FullSnapshot
	err := json.Unmarshal(data, &want)
	if ok && (err != nil || !reflect.DeepEqual(got, want)) {
		t.Errorf("fast reader accepts %.80q, encoding/json: %v, same result: %v", data, err, reflect.DeepEqual(got, want))
	}
	n, nok := parseFastNode(data)
	var wn *Node
	nerr := json.Unmarshal(data, &wn)
	if nok && (nerr != nil || !reflect.DeepEqual(n, wn)) {
		t.Errorf("fast node reader accepts %.80q, encoding/json: %v", data, nerr)
	}
	return ok
}

// The fast reader of full snapshots reads the corpus recordings' full
// snapshots as encoding/json does.
func TestFastFullSnapshotCorpus(t *testing.T) {
	fulls := 0
	for _, name := range []string{"todomvc-react.rrweb.json", "bootstrap-sign-in-password.rrweb.json",
		"bench/creative-portfolio-lazy.rrweb.json.gz", "bench/purple-admin-dashboard.rrweb.json"} {
		for _, ev := range fullSnapshotEvents(t, fixture(t, "../replay/"+name)) {
			fulls++
			if !sameAsJSON(t, ev.Data) {
				t.Errorf("%s: the fast reader gives up on a recorded full snapshot", name)
			}
		}
	}
	if fulls < 4 {
		t.Fatalf("%d full snapshots in the recordings", fulls)
	}
}

// fullSnapshotEvents are the recording's full snapshot events.
func fullSnapshotEvents(t *testing.T, data []byte) []Event {
	var evs []Event
	for _, ev := range readEvents(t, data) {
		if ev.Type == EventFullSnapshot {
			evs = append(evs, ev)
		}
	}
	return evs
}

// readEvents reads every event of a recording.
func readEvents(t *testing.T, data []byte) []Event {
	var evs []Event
	dec := NewEventDecoder(bytes.NewReader(data), Limits{})
	for {
		ev, err := dec.Next()
		if err == io.EOF {
			return evs
		}
		if err != nil {
			t.Fatal(err)
		}
		evs = append(evs, ev)
	}
}

// Inputs the fast reader reads and inputs it leaves to encoding/json
// (other cases, escapes, duplicates, wrong types, bad syntax) give what
// encoding/json gives.
func TestFastFullSnapshotEdges(t *testing.T) {
	node := `{"type":0,"childNodes":[{"type":2,"tagName":"p","attributes":{"a":"x","n":1.5,"b":true,"z":null,"o":{"k":[1,"2",false]}},"childNodes":[null,{"type":3,"textContent":"t\n\"é\"","id":3}],"id":2,"isSVG":true}],"id":1}`
	for _, c := range []struct {
		data string
		fast bool
	}{
		{`{"node":` + node + `,"initialOffset":{"left":0,"top":12.5}}`, true},
		{` { "initialOffset" : { "top" : -1e2 } , "node" : ` + node + ` , "x" : [ {} ] } `, true},
		{`{"node":{"type":0,"id":1,"rootId":4,"isShadow":true,"compatMode":"CSS1Compat","childNodes":[]}}`, true},
		{`{"Node":` + node + `}`, false},
		{`{"node":{"type":0,"ID":1}}`, false},
		{`{"node":{"type":0,"id":1,"id":2}}`, false},
		{`{"node":{"type":0,"id":1.5}}`, false},
		{`{"node":{"type":0,"id":1e1}}`, false},
		{`{"node":{"type":0,"id":"1"}}`, false},
		{`{"node":{"type":0,"tagName":"\u0070"}}`, false},
		{"{\"node\":{\"type\":0,\"tagName\":\"\xff\"}}", false},
		{`{"node":{"type":0,"attributes":{"a\"b":"x"}}}`, false},
		{`{"node":{"type":0,"attributes":null}}`, false},
		{`{"node":{"type":0,"childNodes":null}}`, false},
		{`{"node":{"type":0,"isSVG":1}}`, false},
		{`{"node":{"type":0,"attributes":{"n":1e999}}}`, false},
		{`{"node":{"type":0,"attributes":{"n":01}}}`, false},
		{`{"node":{"type":0,}}`, false},
		{`{"node":{"type":0,"childNodes":[{"type":3},]}}`, false},
		{`{"node":{"type":0}} x`, false},
		{`{"node":null}`, false},
		{`{"node":{"type":0}`, false},
		{`[]`, false},
		{``, false},
		{`{"node":` + strings.Repeat(`{"type":2,"childNodes":[`, 5000) + `]}`, false},
	} {
		if got := sameAsJSON(t, []byte(c.data)); got != c.fast {
			t.Errorf("%.60q: fast reader %v, want %v", c.data, got, c.fast)
		}
	}
}

// FuzzFastFullSnapshot: whatever the fast reader accepts, encoding/json
// reads the same.
func FuzzFastFullSnapshot(f *testing.F) {
	f.Add([]byte(`{"node":{"type":0,"childNodes":[{"type":2,"tagName":"p","attributes":{"a":"x","n":1},"childNodes":[],"id":2}],"id":1},"initialOffset":{"left":0,"top":0}}`))
	f.Add([]byte(`{"node":{"type":3,"textContent":"a\\\"b\u00e9","id":1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sameAsJSON(t, data)
	})
}

// eventDataAsJSON checks that DecodeEventData, when it accepts data,
// reads what encoding/json reads, and reports whether it accepted.
func eventDataAsJSON(t *testing.T, data []byte) bool {
	t.Helper()
	v, id, typ, ok := DecodeEventData(data)
	if !ok {
		return false
	}
	var d struct {
		ID   int `json:"id"`
		Type int `json:"type"`
	}
	var all any
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("%q: fast reader accepted what encoding/json refuses: %v", data, err)
	}
	if err := json.Unmarshal(data, &all); err != nil {
		t.Fatalf("%q: fast reader accepted what encoding/json refuses: %v", data, err)
	}
	if id != d.ID || typ != d.Type || !reflect.DeepEqual(any(v), all) {
		t.Fatalf("%q: fast reader read %v %d %d, encoding/json %v %d %d", data, v, id, typ, all, d.ID, d.Type)
	}
	return true
}

func TestDecodeEventData(t *testing.T) {
	for _, c := range []struct {
		data string
		fast bool
	}{
		{`{"source":9,"id":33,"type":0,"commands":[{"property":"fillRect","args":[0,0,1.5,-2e-7]},{"property":"font","args":["12px a"],"setter":true}]}`, true},
		{`{"id":1}`, true},
		{`{}`, true},
		{`{"id":1,"id":2}`, true},
		{`{"ID":1}`, false},
		{`{"Type":1}`, false},
		{`{"id":1.5}`, false},
		{`{"id":1e2}`, false},
		{`{"id":null}`, false},
		{`{"id":"1"}`, false},
		{`{"id":99999999999999999999}`, false},
		{`{"a":"\u00e9"}`, false},
		{`{"a":1} x`, false},
		{`[1]`, false},
		{`null`, false},
		{``, false},
	} {
		if got := eventDataAsJSON(t, []byte(c.data)); got != c.fast {
			t.Errorf("%q: fast reader %v, want %v", c.data, got, c.fast)
		}
	}
}

// FuzzDecodeEventData: whatever the fast reader accepts, encoding/json
// reads the same.
func FuzzDecodeEventData(f *testing.F) {
	f.Add([]byte(`{"source":9,"id":33,"type":0,"commands":[{"property":"fillRect","args":[0,0,1.5,-2e-7]}]}`))
	f.Add([]byte(`{"id":1,"ID":2,"type":{"a":[true,false,null]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		eventDataAsJSON(t, data)
	})
}
