package scrub

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/url"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/kilnrender/kiln/internal/testenv"
)

// The Gleap payloads of the shared corpus: the exact bodies the real SDK
// (gleap 16.4) posted, on a local page (images inlined as data: URLs) and
// on a public-looking host.
var corpusFiles = []string{
	"../testdata/corpus/gleap-local/feedback.json.gz",
	"../testdata/corpus/gleap-live/feedback.json.gz",
}

func readCorpus(t testing.TB, path string) []byte { return testenv.ReadFixture(t, path) }

func object(v any) map[string]any { m, _ := v.(map[string]any); return m }
func list(v any) []any            { l, _ := v.([]any); return l }

// payloadSecrets finds, in a decoded Gleap payload, the values of the
// request headers that carry the SDK key and the user's identity, by
// header name.
func payloadSecrets(t *testing.T, item any) map[string]string {
	t.Helper()
	found := map[string]string{}
	for _, e := range list(object(item)["networkLogs"]) {
		for name, vals := range object(object(object(e)["request"])["headers"]) {
			switch strings.ToLower(name) {
			case "api-token", "gleap-id", "gleap-hash", "authorization", "cookie":
				for _, v := range list(vals) {
					if s, _ := v.(string); s != "" {
						found[name] = s
					}
				}
			}
		}
	}
	return found
}

// allStrings returns every string in a decoded JSON value, keys included.
func allStrings(v any, out []string) []string {
	switch t := v.(type) {
	case string:
		out = append(out, t)
	case map[string]any:
		for k, e := range t {
			out = allStrings(e, append(out, k))
		}
	case []any:
		for _, e := range t {
			out = allStrings(e, out)
		}
	}
	return out
}

func TestCorpus(t *testing.T) {
	s := mustNew(t, Config{})
	for _, path := range corpusFiles {
		t.Run(filepath.Base(filepath.Dir(path)), func(t *testing.T) {
			raw := readCorpus(t, path)
			var in any
			if err := json.Unmarshal(raw, &in); err != nil {
				t.Fatal(err)
			}
			secrets := payloadSecrets(t, in)
			key := secrets["Api-Token"]
			if key == "" || secrets["Gleap-Id"] == "" || secrets["Gleap-Hash"] == "" {
				t.Fatalf("the payload lacks the SDK key or identity headers: %v", secrets)
			}
			// The SDK key is also in URL paths, where no name rule sees it.
			if !bytes.Contains(raw, []byte("/api/config/"+key)) {
				t.Fatalf("the SDK key is not in a URL path of the payload")
			}
			t.Logf("secrets found by header name: %d (%v), SDK key %d bytes, %d copies in the raw payload",
				len(secrets), keys(secrets), len(key), bytes.Count(raw, []byte(key)))

			out, rep := s.Item(in)
			enc, err := json.Marshal(out)
			if err != nil {
				t.Fatal(err)
			}
			// No secret survives: not in the encoded output, not in any
			// decoded string, not in the report.
			var back any
			if err := json.Unmarshal(enc, &back); err != nil {
				t.Fatal(err)
			}
			strs := allStrings(back, nil)
			for name, secret := range secrets {
				if bytes.Contains(enc, []byte(secret)) || strings.Contains(rep.String(), secret) {
					t.Errorf("%s value survives in the output", name)
				}
				for _, str := range strs {
					if strings.Contains(str, secret) {
						t.Errorf("%s value survives in a string", name)
					}
				}
			}
			if got := rep.Counts[RuleHeader]; got != 3 {
				t.Errorf("header rule removed %d values, want 3 (Api-Token, Gleap-Id, Gleap-Hash)", got)
			}
			if got := rep.Counts[RuleKnown]; got < 2 {
				t.Errorf("known-secret rule removed %d values, want the 2 URL paths at least", got)
			}
			t.Logf("report: %s", rep)

			o, i := object(out), object(in)
			// Ordinary data survives.
			if !reflect.DeepEqual(o["formData"], i["formData"]) {
				t.Errorf("formData changed: %v", o["formData"])
			}
			if !reflect.DeepEqual(o["customData"], i["customData"]) || object(o["customData"])["plan"] != "pro" {
				t.Errorf("customData changed: %v", o["customData"])
			}
			if !reflect.DeepEqual(o["metaData"], i["metaData"]) {
				t.Errorf("metaData changed (sessionDuration is allowed): %v", o["metaData"])
			}
			for _, k := range []string{"consoleLog", "customEventLog", "screenshotData", "webReplay", "type", "priority", "outbound"} {
				if !reflect.DeepEqual(o[k], i[k]) {
					t.Errorf("%s changed", k)
				}
			}
			// The screenshot's CSS keeps its password selectors.
			html, _ := object(o["screenshotData"])["html"].(string)
			if !strings.Contains(html, "password") {
				t.Error("the screenshot lost its password selectors")
			}
			if o["spamToken"] != RuleKey.Marker() {
				t.Errorf("spamToken kept: %v", o["spamToken"])
			}
			// URLs keep their host and every path segment but the key.
			ol, il := list(o["networkLogs"]), list(i["networkLogs"])
			for n := range il {
				iu, _ := object(il[n])["url"].(string)
				ou, _ := object(ol[n])["url"].(string)
				a, err1 := url.Parse(iu)
				b, err2 := url.Parse(ou)
				if err1 != nil || err2 != nil {
					t.Fatalf("url %d: %v %v", n, err1, err2)
				}
				wantPath := strings.ReplaceAll(a.Path, key, RuleKnown.Marker())
				if b.Host != a.Host || b.Path != wantPath || b.RawQuery != a.RawQuery {
					t.Errorf("url %d: %q became %q", n, iu, ou)
				}
			}
		})
	}
}

// TestCorpusWithCredentials adds what the corpus page did not send (an
// Authorization bearer token, a session cookie, a card and a JWT typed into
// the feedback form, the token echoed in the console) to a real payload and
// checks that none of it survives.
func TestCorpusWithCredentials(t *testing.T) {
	s := mustNew(t, Config{})
	var in any
	if err := json.Unmarshal(readCorpus(t, corpusFiles[1]), &in); err != nil {
		t.Fatal(err)
	}
	const (
		bearer = "gAAAAABn-Sess10nT0ken_9f8e7d"
		cookie = "s%3AuR7xq2Lk9PzW.abc123"
		card   = "4242 4242 4242 4242"
	)
	root := object(in)
	hdrs := object(object(list(root["networkLogs"])[0])["request"])["headers"].(map[string]any)
	hdrs["Authorization"] = []any{"Bearer " + bearer}
	hdrs["Cookie"] = []any{"theme=dark; connect.sid=" + cookie}
	root["consoleLog"] = append(list(root["consoleLog"]), map[string]any{"log": "retry with " + bearer, "priority": "INFO"})
	object(root["formData"])["description"] = "paid with " + card + ", session " + testJWT
	object(root["customData"])["lastRequest"] = "https://shop.example.test/api/me?sid=" + cookie

	out, rep := s.Item(in)
	enc, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{bearer, cookie, card, testJWT, "TESTSDKKEY123"} {
		if bytes.Contains(enc, []byte(secret)) {
			t.Errorf("%q survives", secret)
		}
	}
	if got := object(object(out)["formData"])["description"]; got != "paid with [scrubbed:card], session [scrubbed:jwt]" {
		t.Errorf("description: %v", got)
	}
	if got := object(object(out)["formData"])["title"]; got != "Pay button broken" {
		t.Errorf("title: %v", got)
	}
	t.Logf("report: %s", rep)
}

func keys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
