package replay

import (
	"encoding/json"
	"testing"
)

// unquoteJSON reads a JSON string as encoding/json does, or fails where
// it fails.
func TestUnquoteJSON(t *testing.T) {
	for _, s := range []string{
		`""`, `"a{b:c}"`, `"\"\\\/\b\f\n\r\t"`, `"content:\"\\f101\""`, `"\u00e9\ud83d\ude00"`,
		`"\ud800x"`, "\"caf\xc3\xa9\"", "\"bad\xff\"", "\"raw\x01\"", `"a\"`, `"a"b"`, `"\x"`, `"`, `a`, `"a\`,
	} {
		var want string
		wantErr := json.Unmarshal([]byte(s), &want)
		got, ok := unquoteJSON([]byte(s))
		if ok != (wantErr == nil) || got != want {
			t.Errorf("unquoteJSON(%q) = %q, %v; encoding/json: %q, %v", s, got, ok, want, wantErr)
		}
	}
}
