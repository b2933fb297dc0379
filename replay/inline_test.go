package replay

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

// newOutliner is a build that only moves inline data (into a memSink).
func newOutliner() (*build, *memSink) {
	sink := &memSink{}
	b, _ := NewBuilder(Config{}, nil, nil)
	bd := &build{b: b, ctx: context.Background(), sink: sink, cfg: b.cfg, man: &Manifest{},
		assetStore: map[string]bool{}, inlined: map[string]string{}}
	return bd, sink
}

// Inline data moves only where a browser loads it as a URL, only when it
// decodes exactly, and only of types that load nothing; all else stays.
func TestOutline(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("GIF89a pixels "), 100))
	img := "data:image/gif;base64," + b64
	sheet := strings.Repeat("a{color:red}", 400)
	tests := []struct {
		name, in string
		moved    bool
	}{
		{"rr_dataURL", `{"rr_dataURL":"` + img + `"}`, true},
		{"src with spaces", `{"attributes":{"src": "` + img + `"}}`, false},
		{"img src", `{"src":"` + img + `","x":1}`, true},
		{"css url", `{"_cssText":"b{background:url(` + img + `)}"}`, true},
		{"css quoted url", `{"_cssText":"b{background:url(\"` + img + `\")}"}`, true},
		{"css single-quoted url", `{"_cssText":"b{background:url( '` + img + `')}"}`, true},
		{"text node", `{"type":3,"textContent":"` + img + `"}`, false},
		{"escaped quote key", `{"textContent":"\"src\":\"` + img + `\""}`, false},
		{"escape inside", `{"src":"` + img[:500] + `\/` + img[500:] + `"}`, false},
		{"not base64", `{"src":"data:image/gif;base64,` + strings.Repeat("*", 2000) + `"}`, false},
		{"html", `{"src":"data:text/html;base64,` + b64 + `"}`, false},
		{"percent-encoded", `{"src":"data:image/svg+xml,` + strings.Repeat("%3C", 700) + `"}`, false},
		{"small", `{"src":"data:image/gif;base64,R0lGODlhAQABAAAAACw="}`, false},
		{"unterminated", `{"src":"` + img, false},
		{"at the end", `{"src":"data:`, false},
		{"link sheet", `{"type":2,"tagName":"link","attributes":{"_cssText":"` + sheet + `","href":"x"}}`, true},
		{"style sheet", `{"type":2,"tagName":"style","attributes":{"_cssText":"` + sheet + `"}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bd, sink := newOutliner()
			out := bd.outline([]byte(tt.in))
			if moved := !bytes.Equal(out, []byte(tt.in)); moved != tt.moved {
				t.Fatalf("moved %v, want %v: %.200s", moved, tt.moved, out)
			}
			if !tt.moved {
				return
			}
			if bytes.Contains(out, []byte(b64[:100])) || bytes.Contains(out, []byte(sheet[:100])) || len(sink.files) != 1 {
				t.Errorf("data left in %.200s (%d assets)", out, len(sink.files))
			}
			if strings.HasPrefix(tt.in, "{") && bytes.HasSuffix(out, []byte("}")) && !json.Valid(out) && json.Valid([]byte(tt.in)) {
				t.Errorf("valid JSON became invalid: %.200s", out)
			}
			back := inlineAssets(t, sink, out)
			if tt.name != "link sheet" && !bytes.Equal(back, []byte(tt.in)) {
				t.Errorf("inlining back gives %.200s", back)
			}
		})
	}
}

func FuzzOutline(f *testing.F) {
	b64 := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0x89, 'P', 'N', 'G', 1, 2, 3}, 200))
	f.Add(`{"rr_dataURL":"data:image/png;base64,` + b64 + `"}`)
	f.Add(`{"_cssText":"b{background:url(\"data:font/woff2;base64,` + b64 + `\")}"}`)
	f.Add(`{"type":2,"tagName":"link","attributes":{"_cssText":"` + strings.Repeat("p{}", 2000) + `"}}`)
	f.Fuzz(func(t *testing.T, in string) {
		bd, _ := newOutliner()
		out := bd.outline([]byte(in))
		if json.Valid([]byte(in)) && !json.Valid(out) {
			t.Errorf("valid JSON became invalid")
		}
	})
}

// TestIndexSheetKey: indexSheetKey finds what bytes.Index finds.
func TestIndexSheetKey(t *testing.T) {
	k := string(sheetKey)
	for _, s := range []string{"", k, "x" + k, k[:10], k[5:], k[:len(k)-3] + k, `"_cssText":"` + k + k, strings.Repeat("_cssText", 3) + "ab" + k, k[:len(k)-1]} {
		if got, want := indexSheetKey([]byte(s)), bytes.Index([]byte(s), sheetKey); got != want {
			t.Errorf("%q: %d, want %d", s, got, want)
		}
	}
}

// TestJSONStringEnd: the end of a JSON string is found past escaped
// quotes and backslashes, as a reader pairing escapes from the left finds
// it, in every string of quotes, backslashes and letters up to 7 long.
func TestJSONStringEnd(t *testing.T) {
	pairing := func(data []byte, j int) int {
		for k := j + 1; k < len(data); k++ {
			switch data[k] {
			case '\\':
				k++
			case '"':
				return k + 1
			}
		}
		return -1
	}
	var all func(prefix []byte, n int)
	all = func(prefix []byte, n int) {
		s := append([]byte(`x"`), prefix...)
		if got, want := jsonStringEnd(s, 1), pairing(s, 1); got != want {
			t.Errorf("%s: end %d, want %d", s, got, want)
		}
		if n == 0 {
			return
		}
		for _, c := range []byte(`"\a`) {
			all(append(bytes.Clone(prefix), c), n-1)
		}
	}
	all(nil, 7)
}
