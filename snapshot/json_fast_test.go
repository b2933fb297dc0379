package snapshot

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"
)

// The fast readers of json_fast.go give what encoding/json gives whenever
// they do not give up, and they do not give up on the plain form.
func checkFastJSON(t *testing.T, data []byte) {
	if got, ok := objectFields(data); ok {
		var want map[string]json.RawMessage
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatalf("objectFields(%q) read what encoding/json rejects: %v", data, err)
		}
		if len(got) != len(want) {
			t.Fatalf("objectFields(%q) = %d fields, want %d", data, len(got), len(want))
		}
		for k, v := range want {
			if !bytes.Equal(got[k], v) {
				t.Fatalf("objectFields(%q)[%q] = %q, want %q", data, k, got[k], v)
			}
		}
	}
	{
		got, gerr := decodeGleapShot(data)
		var want gleapScreenshot
		werr := json.Unmarshal(data, &want)
		if (gerr == nil) != (werr == nil) || gerr != nil && jsonProblem(gerr) != jsonProblem(werr) || gerr == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("decodeGleapShot(%q) = %+v, %v; encoding/json: %+v, %v", data, got, gerr, want, werr)
		}
	}
	if got, ok := plainResource(data); ok {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		var want kilnResource
		if err := dec.Decode(&want); err != nil || got != want || dec.More() {
			t.Fatalf("plainResource(%q) = %+v, want %+v (%v)", data, got, want, err)
		}
	}
	if got, ok := plainString(data); ok {
		var want string
		if err := json.Unmarshal(data, &want); err != nil || got != want {
			t.Fatalf("plainString(%q) = %q, want %q (%v)", data, got, want, err)
		}
	}
	if got, ok := plainResources(data); ok {
		want, err := decodeResources(data)
		if err != nil {
			t.Fatalf("plainResources(%q) read what encoding/json rejects: %v", data, err)
		}
		if len(got) != len(want) || len(got) > 0 && !reflect.DeepEqual(got, want) {
			t.Fatalf("plainResources(%q) = %+v, want %+v", data, got, want)
		}
	}
}

var fastJSONSeeds = []string{
	`{"version":1,"url":"https://a.test/","html":"<p>x</p>","resources":[{"url":"https://a.test/a.png","contentType":"image/png","data":"iVBORw0KGgo="}]}`,
	` { "a" : [1, {"b": null}] , "c" : "x\"y\\z\/" , "a" : true } `,
	`{"k\u0065y":1}`, `{"é":1}`, `{}`, `{"a":1,}`, `{"a":1} x`, `[1]`, `"str"`, `"a\u00e9b"`, `"a\/b\n"`, `"bad \xff"`,
	`"\u003cp\u003e \u00e9 \ud83d\ude00 \ud83d x \ude00 \uD83D\uDE00 \u12"`, `"\ud800\u0041"`, `"a\x"`, "\"tab\there\"", `[{"url":"https://a.test/?a=1\u0026b=2","data":"QQ=="}]`,
	`{"url":"https://a.test/f.woff2","contentType":"font/woff2","data":"d09GMg=="}`, `{"url":"u","data":"x","url":"v"}`,
	`[]`, `[{}]`, `[{"url":"u","URL":"v"}]`, `[{"url":"u","url":"v"}]`, `[{"url":null}]`, `[{"url":"u","extra":1}]`,
	`[{"data":"QUJD\/+=="}]`, `{"html":"<p>\u00e9</p>","width":390,"x":1.5,"isMobile":true,"other":{}}`, `{"html":"<p>","width":"w","height":"h"}`,
	`{"html":"<p>","HTML":"<b>"}`, `{"html":null,"baseUrl":"https://a.test/"}`, `{"baseUrl":"https://a.test/","html":"<p>x</p>","y":-2}`, `[{"url":1}]`, `[{"url":"u"},]`, ` [ { "url" : "u" , "contentType" : "text/css" } ] `,
}

func TestFastSnapshotJSON(t *testing.T) {
	for _, s := range fastJSONSeeds {
		checkFastJSON(t, []byte(s))
	}
	// The plain form is read the fast way.
	if f, ok := objectFields([]byte(fastJSONSeeds[0])); !ok || len(f) != 4 || string(f["version"]) != "1" {
		t.Errorf("objectFields gave up on a plain Kiln snapshot: %v %v", f, ok)
	}
	if f, ok := objectFields([]byte(` { "a" : [1, {"b": null}] , "c" : "x\"y\\z\/" } `)); !ok || string(f["a"]) != `[1, {"b": null}]` || string(f["c"]) != `"x\"y\\z\/"` {
		t.Errorf("objectFields: spacing: %q %v", f, ok)
	}
	if shot, err := decodeGleapShot([]byte(`{"html":"<p>x</p>","width":390,"y":-2}`)); err != nil || shot.HTML == nil || *shot.HTML != "<p>x</p>" || *shot.Width != 390 || shot.Y != -2 {
		t.Errorf("decodeGleapShot gave %+v, %v", shot, err)
	}
	if s, ok := plainString([]byte(`"a\/b\n"`)); !ok || s != "a/b\n" {
		t.Errorf("plainString gave %q %v", s, ok)
	}
	if r, ok := plainResources([]byte(` [ { "url" : "u" , "contentType" : "text/css" } ] `)); !ok || len(r) != 1 || r[0].ContentType != "text/css" {
		t.Errorf("plainResources gave %+v %v", r, ok)
	}
	for _, s := range []string{`{"a":1,}`, `{"a":1} x`, `[1]`, `{"k\u0065y":1}`, `{"a":1,"a":2}`} {
		if _, ok := objectFields([]byte(s)); ok {
			t.Errorf("objectFields(%q) did not give up", s)
		}
	}
	if r, ok := plainResource([]byte(`{"url":"https://a.test/f.woff2","contentType":"font/woff2","data":"d09GMg=="}`)); !ok || r.Data != "d09GMg==" {
		t.Errorf("plainResource gave %+v %v", r, ok)
	}
	if _, ok := plainResource([]byte(`{"url":"u","data":"x","url":"v"}`)); ok {
		t.Error("plainResource read a field twice")
	}
	for _, s := range []string{`[{"url":"u","URL":"v"}]`, `[{"url":"u","url":"v"}]`, `[{"url":null}]`, `[{"url":"u","extra":1}]`} {
		if _, ok := plainResources([]byte(s)); ok {
			t.Errorf("plainResources(%q) did not give up", s)
		}
	}
}

func FuzzFastSnapshotJSON(f *testing.F) {
	for _, s := range fastJSONSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkFastJSON(t, data) })
}

// Real inputs take the fast way: the corpus's Kiln snapshots and the
// Gleap SDK's payloads.
func TestFastSnapshotJSONOnRealInputs(t *testing.T) {
	files, _ := filepath.Glob("../testdata/corpus/*/snapshot.kiln.json.gz")
	if len(files) == 0 {
		t.Fatal("no corpus snapshots")
	}
	for _, f := range files {
		data := fixture(t, filepath.Join("..", "corpus", filepath.Base(filepath.Dir(f)), "snapshot.kiln.json.gz"))
		fields, ok := objectFields(data)
		if !ok {
			t.Fatalf("%s: objectFields gave up", f)
		}
		if _, ok := plainString(fields["html"]); !ok {
			t.Errorf("%s: html not read the fast way", f)
		}
		if _, ok := plainResources(fields["resources"]); !ok {
			t.Errorf("%s: resources not read the fast way", f)
		}
		checkFastJSON(t, fields["resources"])
	}
	for _, name := range []string{"gleap-local.json.gz", "gleap-live.json.gz"} {
		fields, ok := objectFields(fixture(t, name))
		if !ok {
			t.Fatalf("%s: objectFields gave up", name)
		}
		shot, ok := objectFields(fields["screenshotData"])
		if !ok || foldedKeys(shot, gleapShotFields) {
			t.Fatalf("%s: screenshotData not read the fast way", name)
		}
		if _, ok := plainString(shot["html"]); !ok {
			t.Errorf("%s: screenshotData.html not read the fast way", name)
		}
		checkFastJSON(t, fields["screenshotData"])
	}
}
