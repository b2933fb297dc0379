package scrub

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// secretValues returns the strings that sit under a secret-named key
// anywhere in v and look like secrets (what Item must remove from the
// whole item, not only from under the key).
func secretValues(s *Scrubber, v any, under bool, out []string) []string {
	switch t := v.(type) {
	case string:
		if x := strings.Trim(t, " \t\r\n\"'"); under && secretShaped(x, s.cfg.MinSecret) && !inMarker(x) {
			out = append(out, x)
		}
	case map[string]any:
		for k, e := range t {
			out = secretValues(s, e, under || s.names.secret(k), out)
		}
	case []any:
		for _, e := range t {
			out = secretValues(s, e, under, out)
		}
	}
	return out
}

var reReport = regexp.MustCompile(`^([a-z-]+=[0-9]+( |$))*$`)

// FuzzItem feeds random JSON to Item: it must not panic, must leave its
// input alone, must return a value that encodes as JSON, must report counts
// only, and no string of the result may contain a value that was under a
// secret-named key (for values of MinSecret bytes or more that look like
// secrets: see Known).
func FuzzItem(f *testing.F) {
	seeds := []string{
		`{"password":"hunter2hunter2","log":"pw was hunter2hunter2"}`,
		`{"headers":{"Api-Token":["TESTSDKKEY123"]},"url":"/api/config/TESTSDKKEY123?x=1"}`,
		`{"payload":"{\"token\":\"Tok-12345678\"}","echo":"Tok-12345678"}`,
		`{"a":"user=bob&password=Secret-99","b":"Secret-99"}`,
		`{"Tok-12345678":{"auth":"Tok-12345678"}}`,
		`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[{"secret":"Deep-12345678"}]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],"Deep-12345678"]`,
		`{"note":"4111 1111 1111 1111 DE89370400440532013000 ` + testJWT + `"}`,
		`{"u":"https://bob:Pa55word@h/x?access_token=T0k3n-abc#id_token=x"}`,
		`{"headers":[{"name":"Cookie","value":"sid=S3ss-1234567"}],"x":"S3ss-1234567"}`,
		`{"css":"input[type=password]{}","n":4111111111111111,"f":1.5,"b":true,"z":null}`,
	}
	for _, path := range corpusFiles[1:] {
		var v map[string]any
		if json.Unmarshal(readCorpus(f, path), &v) == nil {
			b, _ := json.Marshal(map[string]any{"networkLogs": v["networkLogs"], "consoleLog": v["consoleLog"], "spamToken": v["spamToken"]})
			seeds = append(seeds, string(b))
		}
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	s := mustNew(f, Config{})
	f.Fuzz(func(t *testing.T, data []byte) {
		var in any
		if json.Unmarshal(data, &in) != nil {
			return
		}
		before, _ := json.Marshal(in)
		out, rep := s.Item(in)
		enc, err := json.Marshal(out)
		if err != nil {
			t.Fatalf("output does not encode: %v", err)
		}
		if after, _ := json.Marshal(in); !bytes.Equal(before, after) {
			t.Fatal("Item modified its input")
		}
		if !reReport.MatchString(rep.String()) {
			t.Fatalf("report is not counts only: %q", rep)
		}
		var back any
		if err := json.Unmarshal(enc, &back); err != nil {
			t.Fatal(err)
		}
		secrets := secretValues(s, in, false, nil)
		for _, str := range allStrings(back, nil) {
			for _, secret := range secrets {
				if strings.Contains(str, secret) {
					t.Fatalf("secret %q survives in %q", secret, str)
				}
			}
		}
	})
}
