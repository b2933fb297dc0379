package ingest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
)

// allStored reads every object under prefix.
func (e *apiEnv) allStored(t *testing.T, prefix string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	token := ""
	for {
		objs, next, err := e.store.List(context.Background(), prefix, token, 500)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range objs {
			rc, _, err := e.store.Get(context.Background(), o.Key, nil)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			out[o.Key] = b
		}
		if next == "" {
			return out
		}
		token = next
	}
}

// A project's settings apply to what the API keeps, without a restart:
// extra masks in the stored screenshot input and the replay job, dropped
// parts absent from the record, the timeline and every stored byte.
func TestProjectSettingsApply(t *testing.T) {
	cfg := smallConfig()
	cfg.ProjectCap = 0
	e := newAPI(t, cfg, nil)
	defer e.checkDocumented(t)
	doc := `{"mask":["#email"],"block":["#name"],"drop":{"console":true,"networkBodies":true,"formFields":["reportedBy"]}}`
	resp, b := e.do(t, req{method: "PUT", path: "/v1/projects/acme/settings", key: keyAcme, ctype: "application/json", body: []byte(doc)})
	if resp.StatusCode != 200 {
		t.Fatalf("PUT settings: %d %s", resp.StatusCode, b)
	}
	if resp, _ := e.do(t, req{method: "PUT", path: "/v1/projects/acme/settings", key: keyAcme, ctype: "application/json", body: []byte(`{"mask":["form .x"]}`)}); resp.StatusCode != 400 {
		t.Fatalf("invalid settings: %d", resp.StatusCode)
	}
	if resp, _ := e.do(t, req{method: "GET", path: "/v1/projects/beta/settings", key: keyAcme}); resp.StatusCode != 403 {
		t.Fatalf("another project's settings: %d", resp.StatusCode)
	}
	resp, b = e.do(t, req{method: "GET", path: "/v1/projects/acme/settings", key: keyAcme})
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"#email"`) {
		t.Fatalf("GET settings: %d %s", resp.StatusCode, b)
	}
	st, m := e.post(t, "/v1/items", testdata(t, "gleap-feedback.json"), nil)
	if st != 202 {
		t.Fatalf("item: %d %v", st, m)
	}
	id := m["itemId"].(string)
	stored := e.allStored(t, "p/acme/")
	for _, secret := range []string{"jane@example.com", "Jane Doe", `"consoleLog"`, "page ready", `{\"time\":3`} {
		for k, v := range stored {
			if bytes.Contains(v, []byte(secret)) {
				t.Errorf("%q in %s", secret, k)
			}
		}
	}
	var rec map[string]any
	json.Unmarshal(stored["p/acme/feedback/"+id+"/item.json"], &rec)
	if c := rec["counts"].(map[string]any); c["console"].(float64) != 0 || c["network"].(float64) != 6 {
		t.Fatalf("counts with console dropped: %v", c)
	}
	if f := rec["form"].(map[string]any); f["title"] != "Pay button broken" || f["reportedBy"] != nil {
		t.Fatalf("form %v", f)
	}
	// The replay job carries the project's selectors.
	info, err := e.rdb.HGet(context.Background(), "asynq:{replay}:t:"+id+"-r", "msg").Result()
	if err != nil || !strings.Contains(info, "#email") || !strings.Contains(info, "#name") {
		t.Fatalf("replay task without the project's selectors: %v", err)
	}
}
