package feedback

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/snapshot"
)

func corpusBody(t *testing.T) (map[string]any, []byte) {
	t.Helper()
	raw := testenv.ReadFixture(t, "../testdata/corpus/gleap-local/feedback.json.gz")
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatal(err)
	}
	return body, raw
}

// The real SDK payload becomes one record and one sorted timeline: every
// console line, request, custom event and click the SDK logged, plus the
// recording's navigation, clicks, inputs and resizes, with offsets from the
// recording's start.
func TestBuildFromTheSDKPayload(t *testing.T) {
	body, raw := corpusBody(t)
	var parts struct {
		WebReplay json.RawMessage `json:"webReplay"`
	}
	json.Unmarshal(raw, &parts)
	rec, start, err := RecordingEntries(snapshot.NewEventDecoder(bytes.NewReader(parts.WebReplay), snapshot.Limits{}), Limits{})
	if err != nil || start == 0 || len(rec) == 0 {
		t.Fatalf("recording entries: %d, start %d, %v", len(rec), start, err)
	}
	it, entries, warnings := Build(body, rec, start, time.Unix(1795874260, 0), Limits{})
	if len(warnings) != 0 {
		t.Fatalf("warnings %q", warnings)
	}
	if it.Type != "BUG" || it.Priority != "MEDIUM" || it.Outbound != "bugreporting" || it.Form["title"] != "Pay button broken" ||
		it.CustomData["plan"] != "pro" {
		t.Fatalf("fields: %+v", it)
	}
	e := it.Essentials
	if !strings.HasPrefix(e.Browser, "Chrome") || e.OS != "Linux" || e.AppVersion != "1.2.3" || e.URL != "http://127.0.0.1:8787/site/index.html" || e.Screen != "1280x800@2" {
		t.Fatalf("essentials %+v", e)
	}
	c := it.Counts
	if c.Console != 3 || c.Actions != 3 || c.Network != 6 || c.Events != 2 || c.Timeline != len(entries) {
		t.Fatalf("counts %+v (entries %d)", c, len(entries))
	}
	if !sort.SliceIsSorted(entries, func(i, j int) bool { return entries[i].AtMs < entries[j].AtMs }) {
		t.Fatal("timeline not sorted")
	}
	kinds := map[string]int{}
	for _, e := range entries {
		kinds[e.Kind]++
	}
	for _, k := range []string{KindConsole, KindNetwork, KindEvent, KindAction, KindNavigation, KindClick, KindInput} {
		if kinds[k] == 0 {
			t.Errorf("no %s entry: %v", k, kinds)
		}
	}
	// Requests keep method, URL, status, duration and sizes.
	posts := 0
	for _, e := range entries {
		if e.Kind == KindNetwork && e.Network.Method == "POST" {
			posts++
			if n := e.Network; n.URL == "" || n.Status != 200 || n.DurationMs == 0 || n.ReqBytes == 0 || len(n.ReqHeaders) == 0 {
				t.Errorf("request %+v", n)
			}
		}
	}
	if posts == 0 {
		t.Error("no POST in the network log")
	}
	// The SDK's events happened while the recording ran: their offsets
	// fall within it.
	for _, e := range entries {
		if e.AtMs < -60_000 || e.AtMs > 60_000 {
			t.Errorf("%s at %d ms: not on the recording's clock", e.Kind, e.AtMs)
		}
	}
	// Inputs never carry the value typed.
	b, _ := json.Marshal(rec)
	if bytes.Contains(b, []byte("jane@example.com")) || bytes.Contains(b, []byte("Jane Doe")) {
		t.Fatalf("recording entries hold typed values: %s", b)
	}
	if it.TimelinePages != 1 || len(Page(entries, 0)) != len(entries) || Page(entries, 1) != nil {
		t.Fatalf("pages %d", it.TimelinePages)
	}
}

// Long timelines are cut, with a warning, and paginated.
func TestTimelineLimits(t *testing.T) {
	var logs []any
	for i := 0; i < 2500; i++ {
		logs = append(logs, map[string]any{"log": strings.Repeat("x", 100), "date": "2026-11-28T13:57:32.997Z", "priority": "INFO"})
	}
	it, entries, warnings := Build(map[string]any{"consoleLog": logs}, nil, 0, time.Now(), Limits{MaxEntries: 2100, MaxText: 10})
	if len(entries) != 2100 || len(warnings) != 1 || it.TimelinePages != 3 || len(Page(entries, 2)) != 100 {
		t.Fatalf("%d entries, %d pages, warnings %q", len(entries), it.TimelinePages, warnings)
	}
	if e := entries[0]; e.Text != strings.Repeat("x", 10)+"…" {
		t.Fatalf("text not cut: %q", e.Text)
	}
}

// Input entries say what changed: rrweb sends isChecked:false with every
// text field's Input event, which is no "unchecked".
func TestInputEntries(t *testing.T) {
	rec := `[{"type":4,"data":{"href":"https://a.example/","width":800,"height":600},"timestamp":1000},
	{"type":2,"data":{"node":{"type":0,"id":1,"childNodes":[]},"initialOffset":{"left":0,"top":0}},"timestamp":1001},
	{"type":3,"data":{"source":5,"id":7,"text":"typed","isChecked":false},"timestamp":1100},
	{"type":3,"data":{"source":5,"id":8,"text":"on","isChecked":true},"timestamp":1200},
	{"type":3,"data":{"source":5,"id":8,"text":"on","isChecked":false},"timestamp":1300},
	{"type":3,"data":{"source":5,"id":7,"text":"","isChecked":false},"timestamp":1400}]`
	entries, _, err := RecordingEntries(snapshot.NewEventDecoder(strings.NewReader(rec), snapshot.Limits{}), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		if e.Kind == KindInput {
			got = append(got, fmt.Sprintf("%d %s", e.Node, e.Text))
		}
	}
	want := []string{"7 value changed (masked)", "8 checked", "8 unchecked", "7 value changed (masked)"}
	if !slices.Equal(got, want) {
		t.Errorf("input entries %q, want %q", got, want)
	}
}
