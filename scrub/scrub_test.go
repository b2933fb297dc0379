package scrub

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

func mustNew(t testing.TB, c Config) *Scrubber {
	t.Helper()
	s, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// A JWT from jwt.io's example: header {"alg":"HS256","typ":"JWT"}.
const testJWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"

const testPEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\nVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n-----END RSA PRIVATE KEY-----"

func TestText(t *testing.T) {
	s := mustNew(t, Config{})
	tests := []struct {
		name, in, want string
	}{
		// Cards: Luhn-valid numbers with a card prefix go, others stay.
		{"visa with spaces", "card 4111 1111 1111 1111 please", "card [scrubbed:card] please"},
		{"visa with dashes", "4111-1111-1111-1111", "[scrubbed:card]"},
		{"visa plain", "n=4111111111111111.", "n=[scrubbed:card]."},
		{"mastercard", "5500 0000 0000 0004", "[scrubbed:card]"},
		{"mastercard 2-series", "2223003122003222", "[scrubbed:card]"},
		{"amex 15 digits", "3782 822463 10005", "[scrubbed:card]"},
		{"discover", "6011111111111117", "[scrubbed:card]"},
		{"card after a number", "Order 12 4111 1111 1111 1111", "Order 12 [scrubbed:card]"},
		{"card before a number", "4111 1111 1111 1111 99 items", "[scrubbed:card] 99 items"},
		{"two cards in one run", "4111111111111111 5500000000000004", "[scrubbed:card] [scrubbed:card]"},
		{"bad luhn kept", "4111 1111 1111 1112", "4111 1111 1111 1112"},
		{"no card prefix kept", "1234567812345670", "1234567812345670"},
		{"millisecond timestamp kept", "1795874252927", "1795874252927"},
		{"longer number kept", "41111111111111111111111", "41111111111111111111111"},
		{"card inside a word kept", "id4111111111111111", "id4111111111111111"},
		{"too short kept", "4111 1111 111", "4111 1111 111"},

		// IBANs: the country's length and the mod-97 check.
		{"iban", "IBAN DE89370400440532013000.", "IBAN [scrubbed:iban]."},
		{"iban grouped", "DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX", "[scrubbed:iban] BIC COBADEFFXXX"},
		{"iban gb", "GB82WEST12345698765432", "[scrubbed:iban]"},
		{"iban with a letter", "FR1420041010050500013M02606", "[scrubbed:iban]"},
		{"iban shortest", "NO9386011117947", "[scrubbed:iban]"},
		{"iban bad check kept", "DE89370400440532013001", "DE89370400440532013001"},
		{"iban wrong length kept", "DE8937040044053201300", "DE8937040044053201300"},
		{"iban unknown country kept", "XX89370400440532013000", "XX89370400440532013000"},
		{"iban inside a word kept", "aDE89370400440532013000", "aDE89370400440532013000"},

		// PEM private keys, JWTs, bearer tokens, provider keys.
		{"pem private key", "key:\n" + testPEM + "\nend", "key:\n[scrubbed:pem]\nend"},
		{"pem without end line", "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg", "[scrubbed:pem]"},
		{"pem public key kept", "-----BEGIN PUBLIC KEY-----\nMIIBIjANBg\n-----END PUBLIC KEY-----", "-----BEGIN PUBLIC KEY-----\nMIIBIjANBg\n-----END PUBLIC KEY-----"},
		{"jwt", "token " + testJWT + " sent", "token [scrubbed:jwt] sent"},
		{"jwt without alg kept", "eyJmb28iOiJiYXIifQ.eyJ4IjoxfQ.c2ln", "eyJmb28iOiJiYXIifQ.eyJ4IjoxfQ.c2ln"},
		{"dotted words kept", "eyeglasses.example.com", "eyeglasses.example.com"},
		{"bearer", "Authorization: Bearer abc123DEF456ghi789", "Authorization: Bearer [scrubbed:bearer]"},
		{"bearer lower case", "bearer abc123DEF456ghi789", "bearer [scrubbed:bearer]"},
		{"bearer of news kept", "the bearer of bad news", "the bearer of bad news"},
		{"aws access key", "AKIAIOSFODNN7EXAMPLE", "[scrubbed:token]"},
		{"github token", "push ghp_abcdefghijklmnopqrstuvwxyz0123456789 now", "push [scrubbed:token] now"},
		{"stripe key", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "[scrubbed:token]"},

		// URLs in text: userinfo and secret-named parameters.
		{"userinfo", "db at https://bob:hunter2@db.example.com/x ok", "db at https://[scrubbed:userinfo]@db.example.com/x ok"},
		{"user-only userinfo", "git clone https://ghp_x@github.com/o/r", "git clone https://[scrubbed:userinfo]@github.com/o/r"},
		{"userinfo without scheme", "//bob:hunter2@host/x", "//[scrubbed:userinfo]@host/x"},
		{"query token", "GET https://api.example.com/v1?lang=en&access_token=abc123&x=1 200", "GET https://api.example.com/v1?lang=en&access_token=[scrubbed:query]&x=1 200"},
		{"fragment token", "https://app.example.com/cb#access_token=abc123&state=xyz", "https://app.example.com/cb#access_token=[scrubbed:query]&state=xyz"},
		{"query in css url", "background:url(https://cdn.example.com/a.png?signature=abc123)", "background:url(https://cdn.example.com/a.png?signature=[scrubbed:query])"},
		{"html-escaped query", `<img src="https://x.example/a?v=1&amp;token=abc123">`, `<img src="https://x.example/a?v=1&amp;token=[scrubbed:query]">`},
		{"e-mail kept", "mail jane@example.com or mailto:jane@example.com", "mail jane@example.com or mailto:jane@example.com"},
		{"plain url kept", "see https://shop.example.test:8788/site/index.html?lang=en#top", "see https://shop.example.test:8788/site/index.html?lang=en#top"},

		// Words are not secrets: name rules never apply to text.
		{"css selector with password kept", "input[type=password]{border:1px solid red}.password-field:focus{outline:0}", "input[type=password]{border:1px solid red}.password-field:focus{outline:0}"},
		{"words kept", "please reset my password and token settings", "please reset my password and token settings"},
		{"key=value text kept", "password=hunter2", "password=hunter2"},

		// A base64 data: URL payload is left alone, the text around it is not.
		{"data url payload kept", "url(data:font/woff2;base64,AAAADE89370400440532013000AAAA) DE89370400440532013000", "url(data:font/woff2;base64,AAAADE89370400440532013000AAAA) [scrubbed:iban]"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.Text(tt.in); got != tt.want {
				t.Errorf("Text(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestURL(t *testing.T) {
	s := mustNew(t, Config{})
	tests := []struct {
		name, in, want string
	}{
		{"query", "https://api.example.com/x?api_key=k1&lang=en", "https://api.example.com/x?api_key=[scrubbed:query]&lang=en"},
		{"relative with query", "/api/x?token=abc123&page=2", "/api/x?token=[scrubbed:query]&page=2"},
		{"escaped name", "/cb?access%5Ftoken=abc123", "/cb?access%5Ftoken=[scrubbed:query]"},
		{"secret in query also in path", "https://x.example/keys/Key12345678/info?key_id=1&apikey=Key12345678", "https://x.example/keys/[scrubbed:known-secret]/info?key_id=1&apikey=[scrubbed:query]"},
		{"userinfo and jwt in path", "https://u:p@x.example/t/" + testJWT, "https://[scrubbed:userinfo]@x.example/t/[scrubbed:jwt]"},
		{"signed s3 url", "https://b.s3.amazonaws.com/k.png?X-Amz-Credential=AKIAX%2F2026&X-Amz-Date=20261201T000000Z&X-Amz-Signature=f00d", "https://b.s3.amazonaws.com/k.png?X-Amz-Credential=[scrubbed:query]&X-Amz-Date=20261201T000000Z&X-Amz-Signature=[scrubbed:query]"},
		{"empty value kept", "/x?token=&a=1", "/x?token=&a=1"},
		{"nothing to do", "http://127.0.0.1:8787/api/sessions/events", "http://127.0.0.1:8787/api/sessions/events"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.URL(tt.in); got != tt.want {
				t.Errorf("URL(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHeaders(t *testing.T) {
	s := mustNew(t, Config{})
	in := http.Header{
		"Authorization":    {"Bearer tok_A1b2C3d4E5f6"},
		"Cookie":           {"sid=S3ss10nValue; theme=dark"},
		"Set-Cookie":       {"sid=S3ss10nValue; Path=/; HttpOnly"},
		"Api-Token":        {"TESTSDKKEY123"},
		"Gleap-Id":         {"gid_test_0001"},
		"X-Csrftoken":      {"c5rf"},
		"X-Forwarded-For":  {"203.0.113.7"},
		"X-My-Session-Key": {"whatever"},
		"Content-Type":     {"application/json"},
		"Referer":          {"https://shop.example.test/cb?from=tok_A1b2C3d4E5f6&lang=en"},
		"X-Debug":          {"sid was S3ss10nValue"},
	}
	want := http.Header{
		"Authorization":    {"[scrubbed:header]"},
		"Cookie":           {"[scrubbed:header]"},
		"Set-Cookie":       {"[scrubbed:header]"},
		"Api-Token":        {"[scrubbed:header]"},
		"Gleap-Id":         {"[scrubbed:header]"},
		"X-Csrftoken":      {"[scrubbed:header]"},
		"X-Forwarded-For":  {"[scrubbed:header]"},
		"X-My-Session-Key": {"[scrubbed:header]"},
		"Content-Type":     {"application/json"},
		"Referer":          {"https://shop.example.test/cb?from=[scrubbed:known-secret]&lang=en"},
		"X-Debug":          {"sid was [scrubbed:known-secret]"},
	}
	if got := s.Headers(in); !reflect.DeepEqual(got, want) {
		t.Errorf("Headers:\n got %v\nwant %v", got, want)
	}
	if in.Get("Authorization") != "Bearer tok_A1b2C3d4E5f6" {
		t.Error("Headers modified its input")
	}
	if s.Headers(nil) != nil {
		t.Error("Headers(nil) is not nil")
	}
}

func TestBody(t *testing.T) {
	s := mustNew(t, Config{})
	tests := []struct {
		name, ct, in, want string
	}{
		{"json by key", "application/json; charset=utf-8", `{"user":"bob","password":"hunter22","n":1}`, `{"n":1,"password":"[scrubbed:key]","user":"bob"}`},
		{"json unchanged keeps its text", "application/json", `{ "b": 1, "a": "x" }`, `{ "b": 1, "a": "x" }`},
		{"json keeps big numbers", "application/json", `{"id":12345678901234567890,"token":"t0ken123"}`, `{"id":12345678901234567890,"token":"[scrubbed:key]"}`},
		{"json problem type", "application/problem+json", `{"detail":"card 4111111111111111"}`, `{"detail":"card [scrubbed:card]"}`},
		{"json known secret in another field", "application/json", `{"apiKey":"K3y-abcdef","echo":"used K3y-abcdef"}`, `{"apiKey":"[scrubbed:key]","echo":"used [scrubbed:known-secret]"}`},
		{"invalid json as text", "application/json", `{"password":"hunter22" 4111111111111111`, `{"password":"hunter22" [scrubbed:card]`},
		{"form by field", "application/x-www-form-urlencoded", "user=bob&password=hunter22&remember=1", "user=bob&password=[scrubbed:form]&remember=1"},
		{"text by value only", "text/plain", "password=hunter22 " + testJWT, "password=hunter22 [scrubbed:jwt]"},
		{"json followed by text", "", `{"password":"hunter22"}}`, `{"password":"hunter22"}}`},
		{"sniffed json", "", `[{"secret":"s3cr3t-value"}]`, `[{"secret":"[scrubbed:key]"}]`},
		{"sniffed form", "", "a=1&client_secret=xyz", "a=1&client_secret=[scrubbed:form]"},
		{"html as text", "text/html", `<input type="password" name="password" value="x">`, `<input type="password" name="password" value="x">`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.Body(tt.ct, tt.in); got != tt.want {
				t.Errorf("Body(%q, %q)\n got %q\nwant %q", tt.ct, tt.in, got, tt.want)
			}
		})
	}
	// Over MaxParse a body is text, whatever its type says.
	small := mustNew(t, Config{MaxParse: 8})
	for _, ct := range []string{"application/json", "application/x-www-form-urlencoded", ""} {
		in := `{"password":"hunter22","c":"4111111111111111"}`
		if ct == "application/x-www-form-urlencoded" {
			in = "password=hunter22&c=4111111111111111"
		}
		want := strings.Replace(in, "4111111111111111", "[scrubbed:card]", 1)
		if got := small.Body(ct, in); got != want {
			t.Errorf("Body(%q) over MaxParse: %q", ct, got)
		}
	}
}

// decode parses JSON the way a caller of Item does.
func decode(t testing.TB, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// encode writes JSON as a store would, without escaping <, > and &.
func encode(t testing.TB, v any) string {
	t.Helper()
	var b strings.Builder
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func TestItem(t *testing.T) {
	tests := []struct {
		name     string
		cfg      Config
		in, want string
		report   string
	}{
		{
			name:   "secret keys at any depth",
			in:     `{"user":{"name":"bob","password":"hunter22","authToken":"x"},"plan":"pro"}`,
			want:   `{"plan":"pro","user":{"authToken":"[scrubbed:key]","name":"bob","password":"[scrubbed:key]"}}`,
			report: "key=2",
		},
		{
			name:   "containers under a secret key keep their shape",
			in:     `{"credentials":{"user":"bob","pin":1234,"remember":true,"list":["a",null]}}`,
			want:   `{"credentials":{"list":["[scrubbed:key]",null],"pin":"[scrubbed:key]","remember":true,"user":"[scrubbed:key]"}}`,
			report: "key=3",
		},
		{
			name: "allowed name kept, other session names not",
			in:   `{"sessionDuration":7,"sessionId":"abc","session_token":"t"}`,
			want: `{"sessionDuration":7,"sessionId":"[scrubbed:key]","session_token":"[scrubbed:key]"}`,
		},
		{
			name: "header map: exact header names and the name pattern",
			in:   `{"request":{"headers":{"Cookie":["a=b"],"Gleap-Hash":["h"],"X-Auth":["x"],"Accept":["*/*"]}}}`,
			want: `{"request":{"headers":{"Accept":["*/*"],"Cookie":["[scrubbed:header]"],"Gleap-Hash":["[scrubbed:header]"],"X-Auth":["[scrubbed:header]"]}}}`,
		},
		{
			name: "HAR header list and name/value pairs",
			in:   `{"headers":[{"name":"Authorization","value":"Basic dXNlcjpwYXNz"},{"name":"Accept","value":"*/*"}],"fields":[{"name":"password","value":"hunter22"}]}`,
			want: `{"fields":[{"name":"password","value":"[scrubbed:key]"}],"headers":[{"name":"Authorization","value":"[scrubbed:header]"},{"name":"Accept","value":"*/*"}]}`,
		},
		{
			name:   "json body in a string is scrubbed by key",
			in:     `{"payload":"{\"user\":\"bob\",\"password\":\"hunter22\"}"}`,
			want:   `{"payload":"{\"password\":\"[scrubbed:key]\",\"user\":\"bob\"}"}`,
			report: "key=1",
		},
		{
			name: "form body and relative url in strings",
			in:   `{"payload":"user=bob&password=hunter22","path":"/api/x?token=abc123&page=2"}`,
			want: `{"path":"/api/x?token=[scrubbed:query]&page=2","payload":"user=bob&password=[scrubbed:form]"}`,
		},
		{
			name:   "known secret: the SDK key in a header is removed from the path, text and custom data",
			in:     `{"networkLogs":[{"request":{"headers":{"Api-Token":["TESTSDKKEY123"]}}},{"url":"http://h/api/config/TESTSDKKEY123/tooltips"}],"consoleLog":[{"log":"init TESTSDKKEY123 ok"}],"customData":{"k":"TESTSDKKEY123","m":{"TESTSDKKEY123":1}}}`,
			want:   `{"consoleLog":[{"log":"init [scrubbed:known-secret] ok"}],"customData":{"k":"[scrubbed:known-secret]","m":{"[scrubbed:known-secret]":1}},"networkLogs":[{"request":{"headers":{"Api-Token":["[scrubbed:header]"]}}},{"url":"http://h/api/config/[scrubbed:known-secret]/tooltips"}]}`,
			report: "header=1 known-secret=4",
		},
		{
			name: "known secret: a cookie's value, a bearer token, a url-escaped spelling",
			in:   `{"headers":{"Cookie":["theme=dark; sid=S1d+value/42"]},"log":"sid S1d+value/42 in /x?s=S1d%2Bvalue%2F42","auth":"Bearer Tok-9f8e7d6c","text":"used Tok-9f8e7d6c"}`,
			want: `{"auth":"[scrubbed:key]","headers":{"Cookie":["[scrubbed:header]"]},"log":"sid [scrubbed:known-secret] in /x?s=[scrubbed:known-secret]","text":"used [scrubbed:known-secret]"}`,
		},
		{
			name: "known secret: short values and plain words are not spread",
			in:   `{"password":"true","authMethod":"password","secret":"hunter","css":"input[type=password]{color:red}","b":"true hunter password"}`,
			want: `{"authMethod":"[scrubbed:key]","b":"true hunter password","css":"input[type=password]{color:red}","password":"[scrubbed:key]","secret":"[scrubbed:key]"}`,
		},
		{
			name: "css text and dom structure survive",
			in:   `{"type":2,"tagName":"style","attributes":{"_cssText":".password-input{border:0} input[type=\"password\"]{x:y}","type":"password","autocomplete":"current-password"}}`,
			want: `{"attributes":{"_cssText":".password-input{border:0} input[type=\"password\"]{x:y}","autocomplete":"current-password","type":"password"},"tagName":"style","type":2}`,
		},
		{
			name:   "value rules apply everywhere",
			in:     `{"note":"card 4111 1111 1111 1111","iban":"DE89370400440532013000","n":4111111111111111,"big":1795874252927,"jwt":"` + testJWT + `"}`,
			want:   `{"big":1795874252927,"iban":"[scrubbed:iban]","jwt":"[scrubbed:jwt]","n":"[scrubbed:card]","note":"card [scrubbed:card]"}`,
			report: "jwt=1 card=2 iban=1",
		},
		{
			name: "a key changed by a rule does not overwrite another",
			in:   `{"4111111111111111":1,"[scrubbed:card]":2}`,
			want: `{"[scrubbed:card]":2,"[scrubbed:card]#2":1}`,
		},
		{
			name:   "too deep",
			cfg:    Config{MaxDepth: 3},
			in:     `{"a":{"b":[1,{"c":2}]},"d":[[]]}`,
			want:   `{"a":{"b":[1,"[scrubbed:depth]"]},"d":[[]]}`,
			report: "depth=1",
		},
		{
			name: "a secret below the depth limit is still known above it",
			cfg:  Config{MaxDepth: 2},
			in:   `{"a":{"b":{"token":"Tok-12345678"}},"log":"Tok-12345678"}`,
			want: `{"a":{"b":"[scrubbed:depth]"},"log":"[scrubbed:known-secret]"}`,
		},
		{
			name: "strings over MaxParse are scrubbed by value only",
			cfg:  Config{MaxParse: 16},
			in:   `{"payload":"{\"password\":\"hunter22\",\"c\":\"4111111111111111\"}"}`,
			want: `{"payload":"{\"password\":\"hunter22\",\"c\":\"[scrubbed:card]\"}"}`,
		},
		{
			name: "rules turned off",
			cfg:  Config{Disable: []Rule{RuleCard, RuleKey}},
			in:   `{"password":"hunter22","c":"4111111111111111","h":{"headers":{"Cookie":"a=b"}}}`,
			want: `{"c":"4111111111111111","h":{"headers":{"Cookie":"[scrubbed:header]"}},"password":"hunter22"}`,
		},
		{
			name: "extra names and values",
			cfg:  Config{ExtraNames: []string{`^shop[_-]?key$`}, ExtraValues: []string{`ORD-[0-9]{6}`}},
			in:   `{"ShopKey":"k","shopkeeper":"Ann","note":"order ORD-123456 late"}`,
			want: `{"ShopKey":"[scrubbed:key]","note":"order [scrubbed:custom] late","shopkeeper":"Ann"}`,
		},
		{
			name: "allow list replaced",
			cfg:  Config{AllowNames: []string{"tokens"}},
			in:   `{"tokens":1500,"sessionDuration":7}`,
			want: `{"sessionDuration":"[scrubbed:key]","tokens":1500}`,
		},
		{
			name: "scalars and empty containers",
			in:   `[null,true,1.5,"",{},[]]`,
			want: `[null,true,1.5,"",{},[]]`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustNew(t, tt.cfg)
			in := decode(t, tt.in)
			before := encode(t, in)
			out, rep := s.Item(in)
			if got := encode(t, out); got != tt.want {
				t.Errorf("Item(%s)\n got %s\nwant %s", tt.in, got, tt.want)
			}
			if tt.report != "" && rep.String() != tt.report {
				t.Errorf("report %q, want %q", rep.String(), tt.report)
			}
			if encode(t, in) != before {
				t.Error("Item modified its input")
			}
		})
	}
}

func TestItemGoValues(t *testing.T) {
	s := mustNew(t, Config{})
	type login struct {
		User     string `json:"user"`
		Password string `json:"password"`
	}
	in := map[string]any{
		"login":   login{"bob", "hunter22"},
		"headers": http.Header{"Authorization": {"Bearer abcdefgh1234"}},
		"tags":    []string{"a", "4111111111111111"},
		"count":   3,
	}
	out, _ := s.Item(in)
	want := `{"count":3,"headers":{"Authorization":["[scrubbed:header]"]},"login":{"password":"[scrubbed:key]","user":"bob"},"tags":["a","[scrubbed:card]"]}`
	if got := encode(t, out); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestKnown(t *testing.T) {
	s := mustNew(t, Config{})
	item := decode(t, `{"networkLogs":[{"request":{"headers":{"Api-Token":["TESTSDKKEY123"]}}}]}`)
	k := s.Learn(item)
	if k.Len() == 0 {
		t.Fatal("no known secret learned")
	}
	// A part of the same item decoded later (a replay event) is scrubbed
	// with the item's secrets.
	if got := k.Text(`{"log":"key TESTSDKKEY123"}`); got != `{"log":"key [scrubbed:known-secret]"}` {
		t.Errorf("Text: %s", got)
	}
	out := k.Item(map[string]any{"a": "TESTSDKKEY123"})
	if got := encode(t, out); got != `{"a":"[scrubbed:known-secret]"}` {
		t.Errorf("Item: %s", got)
	}
	if got := k.Report().String(); got != "known-secret=2" {
		t.Errorf("report %q", got)
	}
	// Without RuleKnown nothing is spread.
	off := mustNew(t, Config{Disable: []Rule{RuleKnown}})
	if got := off.Learn(item).Text("TESTSDKKEY123"); got != "TESTSDKKEY123" {
		t.Errorf("known secret spread with the rule off: %s", got)
	}
}

func TestConfigValidate(t *testing.T) {
	if err := (Config{}).Validate(); err != nil {
		t.Errorf("zero config: %v", err)
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Errorf("default config: %v", err)
	}
	bad := Config{
		Disable:     []Rule{"nope", RuleDepth},
		ExtraNames:  []string{"("},
		ExtraValues: []string{"[", "x*"},
		MaxDepth:    -1,
		MaxParse:    -1,
		MinSecret:   3,
	}
	err := bad.Validate()
	if err == nil {
		t.Fatal("invalid config accepted")
	}
	for _, want := range []string{`unknown rule "nope"`, "depth rule cannot", "extra names[0]", "extra values[0]", "extra values[1]: \"x*\" matches the empty string", "max depth", "max parse", "min secret"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if _, err := New(bad); err == nil {
		t.Error("New accepted an invalid config")
	}
}

func TestReport(t *testing.T) {
	var r Report
	if r.Total() != 0 || r.String() != "" {
		t.Errorf("zero report: %d %q", r.Total(), r.String())
	}
	r.Merge(Report{Counts: map[Rule]int{RuleCard: 2, RuleHeader: 1}})
	r.Merge(Report{Counts: map[Rule]int{RuleCard: 1}})
	if r.Total() != 4 || r.String() != "header=1 card=3" {
		t.Errorf("got %d %q", r.Total(), r.String())
	}
}

func TestMarker(t *testing.T) {
	for _, r := range Rules() {
		if m := r.Marker(); m != "[scrubbed:"+string(r)+"]" {
			t.Errorf("marker %q", m)
		}
	}
}

// luhn is the textbook check, to test bestCard's running sums against.
func luhn(digits string) bool {
	sum, double := 0, false
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

func TestCardsMatchLuhn(t *testing.T) {
	// Every 12- to 19-digit number with a card prefix is a card exactly
	// when the textbook Luhn check passes.
	for n := minCardDigits; n <= maxCardDigits; n++ {
		for seed := range 200 {
			b := []byte(strings.Repeat("0", n))
			b[0] = '4'
			x := uint64(seed)*2654435761 + uint64(n)
			for i := 1; i < n; i++ {
				b[i] = byte('0' + x%10)
				x = x/10 ^ x*6364136223846793005
			}
			d := string(b)
			got := len(cards(d)) == 1
			if got != luhn(d) {
				t.Fatalf("%s: card %v, luhn %v", d, got, luhn(d))
			}
		}
	}
}
