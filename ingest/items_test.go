package ingest_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"testing"
)

// The whole feedback item is kept: GET /v1/items/{id} returns its fields,
// essentials, counts, jobs with their state and result URLs, and its
// timeline sorted by time.
func TestItemRecordAndTimeline(t *testing.T) {
	cfg := smallConfig()
	cfg.ProjectCap = 0
	e := newAPI(t, cfg, nil)
	defer e.checkDocumented(t)
	e.startWorker(t, &stubRenderer{})
	st, m := e.post(t, "/v1/items", testdata(t, "gleap-feedback.json"), nil)
	if st != 202 || m["url"] != "/v1/items/"+m["itemId"].(string) {
		t.Fatalf("item: %d %v", st, m)
	}
	id := m["itemId"].(string)
	e.job(t, m["screenshot"].(map[string]any)["id"].(string), "5s")
	resp, b := e.do(t, req{method: "GET", path: "/v1/items/" + id, key: keyAcme})
	if resp.StatusCode != 200 {
		t.Fatalf("GET item: %d %s", resp.StatusCode, b)
	}
	var v struct {
		ID         string
		Type       string
		Form       map[string]any
		Essentials map[string]string
		Counts     map[string]int
		Screenshot struct {
			State   string
			Results []struct{ URL string }
		}
		Replay   struct{ State string }
		Timeline struct {
			Pages   int
			Entries []struct {
				AtMs int64
				Kind string
				Text string
			}
		}
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if v.ID != id || v.Type != "BUG" || v.Form["title"] != "Pay button broken" || v.Essentials["appVersion"] != "1.2.3" {
		t.Fatalf("item %s", b)
	}
	if v.Screenshot.State != "done" || len(v.Screenshot.Results) == 0 || v.Screenshot.Results[0].URL == "" || v.Replay.State == "" {
		t.Fatalf("jobs in the item: %s", b)
	}
	if v.Counts["network"] != 6 || v.Counts["console"] != 3 || v.Timeline.Pages != 1 || len(v.Timeline.Entries) != v.Counts["timeline"] {
		t.Fatalf("counts %v, timeline %d pages %d entries", v.Counts, v.Timeline.Pages, len(v.Timeline.Entries))
	}
	kinds := map[string]bool{}
	for _, e := range v.Timeline.Entries {
		kinds[e.Kind] = true
	}
	if !kinds["network"] || !kinds["console"] || !kinds["navigation"] || !kinds["click"] {
		t.Fatalf("timeline kinds %v", kinds)
	}
	if !sort.SliceIsSorted(v.Timeline.Entries, func(i, j int) bool { return v.Timeline.Entries[i].AtMs < v.Timeline.Entries[j].AtMs }) {
		t.Fatal("timeline not sorted")
	}
	// Another project cannot read it; deleting it removes it.
	if resp, _ := e.do(t, req{method: "GET", path: "/v1/items/" + id, key: keyBeta}); resp.StatusCode != 404 {
		t.Fatalf("other project's GET: %d", resp.StatusCode)
	}
	if resp, b := e.do(t, req{method: "DELETE", path: "/v1/items/" + id, key: keyAcme}); resp.StatusCode != 204 {
		t.Fatalf("delete: %d %s", resp.StatusCode, b)
	}
	if resp, _ := e.do(t, req{method: "GET", path: "/v1/items/" + id, key: keyAcme}); resp.StatusCode != 404 {
		t.Fatalf("GET after delete: %d", resp.StatusCode)
	}
	if keys := e.objectsUnder(t, "p/acme/feedback/"+id+"/"); len(keys) != 0 {
		t.Fatalf("feedback objects left: %v", keys)
	}
}

// GET /v1/items lists a project's items a page at a time; the cursor
// walks them all once.
func TestListItems(t *testing.T) {
	cfg := smallConfig()
	cfg.ProjectCap = 0
	e := newAPI(t, cfg, nil)
	defer e.checkDocumented(t)
	want := map[string]bool{}
	for i := 0; i < 5; i++ {
		body := fmt.Sprintf(`{"type":"BUG","formData":{"title":"item %d"},"consoleLog":[{"log":"x","date":"2026-11-28T13:57:32.997Z","priority":"INFO"}]}`, i)
		st, m := e.post(t, "/v1/items", []byte(body), nil)
		if st != 202 || m["screenshot"] != nil {
			t.Fatalf("item %d: %d %v", i, st, m)
		}
		want[m["itemId"].(string)] = true
	}
	seen := map[string]bool{}
	cursor, pages := "", 0
	for {
		path := "/v1/items?limit=2"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		resp, b := e.do(t, req{method: "GET", path: path, key: keyAcme})
		var l struct {
			Items []struct{ ID string }
			Next  string
		}
		if resp.StatusCode != 200 || json.Unmarshal(b, &l) != nil {
			t.Fatalf("list: %d %s", resp.StatusCode, b)
		}
		pages++
		for _, it := range l.Items {
			if seen[it.ID] {
				t.Fatalf("%s listed twice", it.ID)
			}
			seen[it.ID] = true
		}
		if cursor = l.Next; cursor == "" {
			break
		}
		if pages > 5 {
			t.Fatal("the cursor does not end")
		}
	}
	if len(seen) != len(want) || pages != 3 {
		t.Fatalf("listed %d of %d items in %d pages", len(seen), len(want), pages)
	}
	if resp, _ := e.do(t, req{method: "GET", path: "/v1/items?project=beta", key: keyAcme}); resp.StatusCode != 403 {
		t.Fatalf("another project's list: %d", resp.StatusCode)
	}
}
