package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kilnrender/kiln/snapshot"
)

// applyAll applies the base snapshot and events to a new mirror and
// returns it with the warnings given.
func applyAll(t *testing.T, events ...string) (*Mirror, []string) {
	t.Helper()
	var warns []string
	m, err := NewMirror(Config{}, func(s string) { warns = append(warns, s) })
	if err != nil {
		t.Fatal(err)
	}
	for i, raw := range append([]string{baseSnapshot}, events...) {
		ev, err := snapshot.ParseEvent([]byte(raw))
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		if err := m.Apply(&ev); err != nil {
			t.Fatalf("apply event %d: %v", i, err)
		}
	}
	return m, warns
}

// A segment's start carries the state a player cannot rebuild from the
// snapshot node alone: each canvas's drawing since its last clear, as a
// canvas event (the node itself does not carry Kiln's attribute), and the
// last selection while its nodes are there.
func TestFullSnapshotCarriesCanvasAndSelection(t *testing.T) {
	m, warns := applyAll(t,
		add(4, `{"type":2,"id":90,"tagName":"canvas","attributes":{"width":"10","height":"10"},"childNodes":[]}`),
		incr(9, `"id":90,"type":0,"commands":[{"property":"clearRect","args":[0,0,10,10]},{"property":"fillRect","args":[1,1,2,2]}]`),
		incr(14, `"ranges":[{"start":6,"startOffset":0,"end":11,"endOffset":1}]`),
	)
	if len(warns) > 0 {
		t.Errorf("warnings: %q", warns)
	}
	evs, err := m.FullSnapshot(5000)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range evs {
		kinds = append(kinds, e.Kind())
		if e.Type == snapshot.EventFullSnapshot && bytes.Contains(e.Data, []byte(snapshot.AttrCanvasCommands)) {
			t.Error("the synthetic snapshot's node carries the canvas commands attribute")
		}
	}
	last := evs[len(evs)-2:]
	if last[0].Source != snapshot.IncrementalCanvasMutation || last[1].Source != snapshot.IncrementalSelection {
		t.Fatalf("events %v: want the canvas, then the selection, last", kinds)
	}
	want := `{"source":9,"id":90,"type":0,"commands":[{"property":"clearRect","args":[0,0,10,10]},{"property":"fillRect","args":[1,1,2,2]}]}`
	if got := string(last[0].Data); got != want {
		t.Errorf("canvas event\n got %s\nwant %s", got, want)
	}
	var sel struct {
		Source int              `json:"source"`
		Ranges []selectionRange `json:"ranges"`
	}
	if err := json.Unmarshal(last[1].Data, &sel); err != nil || len(sel.Ranges) != 1 || sel.Ranges[0] != (selectionRange{6, 0, 11, 1}) {
		t.Errorf("selection event %s (%v)", last[1].Data, err)
	}
	// Keyframes still see the commands on the node.
	if m.Node(90).Attr(snapshot.AttrCanvasCommands) == "" {
		t.Error("serializing took the commands off the canvas")
	}

	// The selection's node removed: no selection at the next start.
	m2, _ := applyAll(t,
		incr(14, `"ranges":[{"start":11,"startOffset":0,"end":11,"endOffset":1}]`),
		incr(0, `"removes":[{"parentId":4,"id":9}],"adds":[],"texts":[],"attributes":[]`),
	)
	evs, _ = m2.FullSnapshot(5000)
	for _, e := range evs {
		if e.Source == snapshot.IncrementalSelection && e.Type == snapshot.EventIncremental {
			t.Error("a selection of removed nodes was carried")
		}
	}
}

// Commands outside the whitelist, or with arguments other than plain
// values, are dropped with a warning; a canvas over the command bound
// keeps its picture and says so.
func TestCanvasCommandsChecked(t *testing.T) {
	canvas := add(4, `{"type":2,"id":90,"tagName":"canvas","attributes":{"width":"10","height":"10"},"childNodes":[]}`)
	m, warns := applyAll(t, canvas,
		incr(9, `"id":90,"type":0,"commands":[
			{"property":"fillRect","args":[0,0,1,1]},
			{"property":"getImageData","args":[0,0,1,1]},
			{"property":"constructor","args":[]},
			{"property":"__proto__","args":[1],"setter":true},
			{"property":"canvas","args":[1],"setter":true},
			{"property":"fillText","args":[{"toString":"x"},0,0]},
			{"property":"fillRect","args":[0,0,1,1,5]},
			{"property":"font","args":[{}],"setter":true},
			{"property":"drawImage","args":[{"rr_type":"HTMLImageElement","src":"javascript:alert(1)"},0,0]},
			{"property":"setLineDash","args":[[1,"2"]]},
			{"property":"lineTo","args":[null,0]},
			{"property":"fillText","args":["0",0,0,null]}]`),
	)
	// A trailing null is an argument left out (rrweb writes undefined so).
	if got, want := m.Node(90).Attr(snapshot.AttrCanvasCommands), `{"property":"fillRect","args":[0,0,1,1]}`+"\n"+`{"property":"drawImage","args":[{"rr_type":"HTMLImageElement","src":"`+snapshot.NeutralURL+`"},0,0]}`+"\n"+`{"property":"fillText","args":["0",0,0]}`+"\n"; got != want {
		t.Errorf("kept\n got %s\nwant %s", got, want)
	}
	if !strings.Contains(strings.Join(warns, "\n"), "canvas: drawing commands Kiln does not replay were skipped") {
		t.Errorf("warnings %q", warns)
	}

	big := `{"property":"fillRect","args":[0,0,1,1]}` + strings.Repeat(`,{"property":"fillRect","args":[0,0,1,1]}`, maxCanvasCommands)
	m, warns = applyAll(t, canvas, incr(9, `"id":90,"type":0,"commands":[`+big+`]`))
	if _, ok := m.Node(90).Attributes[snapshot.AttrCanvasCommands]; ok || m.canvasBytes != 0 {
		t.Errorf("over the bound: commands kept (%d bytes counted)", m.canvasBytes)
	}
	if !strings.Contains(strings.Join(warns, "\n"), "keyframes show its last recorded picture") {
		t.Errorf("warnings %q", warns)
	}
	// The next full clear starts again.
	m2, _ := applyAll(t, canvas, incr(9, `"id":90,"type":0,"commands":[`+big+`,{"property":"clearRect","args":[0,0,10,10]}]`))
	if got := m2.Node(90).Attr(snapshot.AttrCanvasCommands); got != `{"property":"clearRect","args":[0,0,10,10]}`+"\n" {
		t.Errorf("after a full clear: %s", got)
	}
}

// rrweb records only the first selected option of a <select multiple>:
// the mirror shows that one and warns rather than guess the others.
func TestSelectMultipleWarns(t *testing.T) {
	m, warns := applyAll(t,
		add(4, `{"type":2,"id":50,"tagName":"select","attributes":{"multiple":true},"childNodes":[
			{"type":2,"id":51,"tagName":"option","attributes":{"value":"a","selected":true},"childNodes":[]},
			{"type":2,"id":52,"tagName":"option","attributes":{"value":"b"},"childNodes":[]}]}`),
		incr(5, `"id":50,"text":"b","isChecked":false`),
	)
	if _, sel := m.Node(51).Attributes["selected"]; sel || m.Node(52).Attributes["selected"] != true {
		t.Errorf("options %v %v", m.Node(51).Attributes, m.Node(52).Attributes)
	}
	if len(warns) != 1 || !strings.Contains(warns[0], "<select multiple>") {
		t.Errorf("warnings %q", warns)
	}
}

// Adopted (constructed) style sheets reach keyframes: the converted page
// holds their rules, after the document's own; the rrweb node of the
// state does not (players get the sheets as events).
func TestAdoptedSheetsInKeyframes(t *testing.T) {
	m, warns := applyAll(t,
		incr(15, `"id":1,"styleIds":[1],"styles":[{"styleId":1,"rules":[{"rule":"p { color: rgb(1, 2, 3); }","index":0}]}]`),
		incr(8, `"styleId":1,"adds":[{"rule":"b { color: red; }","index":1}]`),
	)
	if len(warns) > 0 {
		t.Errorf("warnings: %q", warns)
	}
	s, err := ToSnapshot(m)
	if err != nil {
		t.Fatal(err)
	}
	page := string(s.HTML)
	i, j := strings.Index(page, "p { color: rgb(1, 2, 3); }"), strings.Index(page, "b { color: red; }")
	if i < 0 || j < i || strings.LastIndex(page, "<style") > i {
		t.Errorf("adopted rules missing or misplaced:\n%s", page)
	}
	doc, _ := m.DocumentJSON()
	if bytes.Contains(doc, []byte("rgb(1, 2, 3)")) {
		t.Errorf("the rrweb node holds the adopted sheet: %s", doc)
	}
	// Edited again: one <style>, with the new rules.
	if err := m.Apply(ptr(t, incr(8, `"styleId":1,"removes":[{"index":0}]`))); err != nil {
		t.Fatal(err)
	}
	s, _ = ToSnapshot(m)
	if page := string(s.HTML); strings.Contains(page, "rgb(1, 2, 3)") || strings.Count(page, "b { color: red; }") != 1 {
		t.Errorf("after an edit:\n%s", page)
	}
}

func ptr(t *testing.T, raw string) *snapshot.Event {
	t.Helper()
	ev, err := snapshot.ParseEvent([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return &ev
}

// Times count from the recording's first event: its Meta, or the page
// load events the recorder emitted before it, up to a minute before.
func TestOrigin(t *testing.T) {
	const meta = 1_000_000
	for _, tc := range []struct{ loaded, want int64 }{
		{0, meta}, {meta - 528, meta - 528}, {meta, meta},
		{meta - 60_000, meta - 60_000}, {meta - 60_001, meta}, {meta + 5, meta},
	} {
		if got := origin(tc.loaded, meta); got != tc.want {
			t.Errorf("origin(%d, %d) = %d, want %d", tc.loaded, meta, got, tc.want)
		}
	}
}

// A recording started while its page loaded (DomContentLoaded and Load
// events 500 and 400 ms before its Meta) counts from its first event in
// the bundle and in StateAt alike, as rrweb's player does.
func TestTimesFromTheFirstEvent(t *testing.T) {
	rec := []byte(`[{"type":0,"timestamp":500,"data":{}},{"type":1,"timestamp":600,"data":{}},` +
		`{"type":4,"timestamp":1000,"data":{"href":"http://a.test/","width":800,"height":600}},` + baseSnapshot + `,` +
		add(4, `{"type":2,"id":90,"tagName":"i","attributes":{},"childNodes":[]}`) + `]`)
	_, man, _ := buildWith(t, Config{}, nil, nil, rec)
	if man.StartTime != 500 || man.Segments[0].StartMs != 500 || man.DurationMs != 1500 || man.Viewports[0].AtMs != 500 {
		t.Errorf("start %d, first segment at %d ms, duration %d ms, viewport at %d ms; want 500, 500, 1500, 500",
			man.StartTime, man.Segments[0].StartMs, man.DurationMs, man.Viewports[0].AtMs)
	}
	b, _ := NewBuilder(Config{}, nil, nil)
	for _, tc := range []struct {
		at   time.Duration
		want bool
	}{{1499 * time.Millisecond, false}, {1500 * time.Millisecond, true}} {
		m, _, err := b.StateAt(context.Background(), bytes.NewReader(rec), tc.at)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Node(90) != nil; got != tc.want {
			t.Errorf("at %v: the node added at 1500 ms is there: %v", tc.at, got)
		}
	}
}

// An add placed before the feedback SDK's own UI, which the mirror
// dropped, lands at the end without a warning: the recording is not at
// fault.
func TestAddBeforeDroppedSDKUIWarnsNothing(t *testing.T) {
	m, warns := applyAll(t,
		add(4, `{"type":2,"id":90,"tagName":"div","attributes":{"class":"gleap-notification-container"},"childNodes":[]}`),
		incr(0, `"adds":[{"parentId":4,"nextId":90,"node":{"type":2,"id":91,"tagName":"p","attributes":{},"childNodes":[]}}],"removes":[],"texts":[],"attributes":[]`),
	)
	if m.Node(90) != nil || m.Node(91) == nil {
		t.Fatalf("SDK UI kept (%v) or the page's node lost (%v)", m.Node(90) != nil, m.Node(91) == nil)
	}
	for _, w := range warns {
		if strings.Contains(w, "unknown sibling") {
			t.Errorf("warned: %s", w)
		}
	}
}

// The bundle's canvas events lose the trailing nulls of 2D commands
// (rrweb's undefined), so a player draws as the pictures do; WebGL calls
// keep theirs (null unbinds there).
func TestCanvasNullArgsTrimmedInEvents(t *testing.T) {
	m, _ := applyAll(t, add(4, `{"type":2,"id":90,"tagName":"canvas","attributes":{"width":"10","height":"10"},"childNodes":[]}`))
	for _, tc := range []struct{ in, want string }{
		{incr(9, `"id":90,"type":0,"commands":[{"property":"fillText","args":["0",0,0,null]},{"property":"lineTo","args":[null,0]}]`),
			`{"commands":[{"args":["0",0,0],"property":"fillText"},{"args":[null,0],"property":"lineTo"}],"id":90,"source":9,"type":0}`},
		{incr(9, `"id":90,"type":0,"property":"fillText","args":["1",0,0,null,null]`),
			`{"args":["1",0,0],"id":90,"property":"fillText","source":9,"type":0}`},
		{incr(9, `"id":90,"type":1,"commands":[{"property":"bindBuffer","args":[34962,null]}]`),
			`"id":90,"type":1,"commands":[{"property":"bindBuffer","args":[34962,null]}]`},
	} {
		ev, err := snapshot.ParseEvent([]byte(tc.in))
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Apply(&ev); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(ev.Data), tc.want) {
			t.Errorf("event data\n got %s\nwant %s", ev.Data, tc.want)
		}
	}
}

// A chart's retina scaling: Chart.js sets the canvas's width again (which
// resets its context; rrweb records nothing for the same value) and
// scales again, and clears in scaled units. The same scale again with
// nothing drawn counts once, and a clear of the whole canvas in the
// scaled units starts the kept commands over, after the scale.
func TestCanvasRetinaScale(t *testing.T) {
	canvas := add(4, `{"type":2,"id":90,"tagName":"canvas","attributes":{"width":"300","height":"150"},"childNodes":[]}`)
	m, _ := applyAll(t, canvas, incr(9, `"id":90,"type":0,"commands":[
		{"property":"scale","args":[3,3]},
		{"property":"scale","args":[3,3]},
		{"property":"fillRect","args":[0,0,10,10]},
		{"property":"clearRect","args":[0,0,100,50]},
		{"property":"fillRect","args":[1,1,5,5]},
		{"property":"scale","args":[3,3]}]`))
	want := `{"property":"scale","args":[3,3]}` + "\n" + `{"property":"clearRect","args":[0,0,100,50]}` + "\n" +
		`{"property":"fillRect","args":[1,1,5,5]}` + "\n" + `{"property":"scale","args":[3,3]}` + "\n"
	if got := m.Node(90).Attr(snapshot.AttrCanvasCommands); got != want {
		t.Errorf("kept\n got %s\nwant %s", got, want)
	}
}
