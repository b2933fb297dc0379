package snapshot

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func kilnJSON(fields map[string]any) []byte {
	b, _ := json.Marshal(fields)
	return b
}

func TestParseErrors(t *testing.T) {
	const page = "<!doctype html><p>hi</p>"
	deep := strings.Repeat("<div>", 600) + "x"
	many := strings.Repeat("<i></i>", 1000)
	okGzip := gz([]byte(page))
	tests := []struct {
		name  string
		data  []byte
		opts  Options
		want  error
		field string // must appear in the message
	}{
		{"empty input", nil, Options{}, ErrInvalid, "empty"},
		{"not JSON", []byte(`{"version":1,`), Options{}, ErrInvalid, "JSON"},
		{"binary", []byte{0, 1, 2, 3}, Options{}, ErrUnsupported, "neither"},
		{"JSON number", []byte(`42`), Options{}, ErrUnsupported, "JSON"},
		{"unknown object", []byte(`{"foo":1}`), Options{}, ErrUnsupported, "no known"},
		{"kiln wrong shape", kilnJSON(map[string]any{"version": 1, "html": page, "viewport": "big"}), Options{}, ErrInvalid, "viewport"},
		{"kiln unknown field", kilnJSON(map[string]any{"version": 1, "html": page, "colour": 1}), Options{}, ErrInvalid, "unknown top-level field"},
		{"kiln future version", kilnJSON(map[string]any{"version": 2, "html": page}), Options{}, ErrUnsupported, "version"},
		{"kiln no document", kilnJSON(map[string]any{"version": 1}), Options{}, ErrInvalid, "html"},
		{"kiln html and rrweb", kilnJSON(map[string]any{"html": page, "rrweb": map[string]any{"type": 0, "childNodes": []any{}}, "url": "https://a.example/"}), Options{}, ErrInvalid, "rrweb"},
		{"file url", kilnJSON(map[string]any{"version": 1, "html": page, "url": "file:///etc/passwd"}), Options{}, ErrInvalid, "url"},
		{"javascript url", kilnJSON(map[string]any{"version": 1, "html": page, "url": "javascript:alert(1)"}), Options{}, ErrInvalid, "url"},
		{"credentials in url", kilnJSON(map[string]any{"version": 1, "html": page, "url": "https://u:p@a.example/"}), Options{}, ErrInvalid, "url"},
		{"override url not http", []byte(page), Options{Override: Override{URL: "FILE:///etc/passwd"}}, ErrInvalid, "override.url"},
		{"viewport too wide", kilnJSON(map[string]any{"html": page, "viewport": map[string]any{"width": 5000}}), Options{}, ErrInvalid, "viewport.width: must be 1..4096"},
		{"viewport negative", kilnJSON(map[string]any{"html": page, "viewport": map[string]any{"height": -1}}), Options{}, ErrInvalid, "viewport"},
		{"dpr too high", []byte(page), Options{Override: Override{DPR: 8}}, ErrInvalid, "deviceScaleFactor"},
		{"dpr negative", []byte(page), Options{Override: Override{DPR: -1}}, ErrInvalid, "deviceScaleFactor"},
		{"pixels over limit", []byte(page), Options{Override: Override{Width: 4000, Height: 4000, DPR: 3}}, ErrTooLarge, "device pixels"},
		{"scroll out of range", []byte(page), Options{Override: Override{ScrollY: intp(1 << 30)}}, ErrInvalid, "scroll.y"},
		{"scroll not integer", kilnJSON(map[string]any{"html": page, "scroll": map[string]any{"y": 1.5}}), Options{}, ErrInvalid, "scroll"},
		{"resource relative url", kilnJSON(map[string]any{"html": page, "resources": []any{map[string]any{"url": "/a.css", "contentType": "text/css", "data": ""}}}), Options{}, ErrInvalid, "resources[0].url"},
		{"resource file url", kilnJSON(map[string]any{"html": page, "resources": []any{map[string]any{"url": "file:///a.css", "contentType": "text/css", "data": ""}}}), Options{}, ErrInvalid, "resources[0].url"},
		{"resource bad base64", kilnJSON(map[string]any{"html": page, "resources": []any{map[string]any{"url": "https://a.example/a.css", "contentType": "text/css", "data": "!!!"}}}), Options{}, ErrInvalid, "resources[0].data"},
		{"resource bad content type", kilnJSON(map[string]any{"html": page, "resources": []any{map[string]any{"url": "https://a.example/a.css", "contentType": "css", "data": ""}}}), Options{}, ErrInvalid, "contentType"},
		{"resource duplicate", kilnJSON(map[string]any{"html": page, "resources": []any{
			map[string]any{"url": "https://a.example/a.css", "contentType": "text/css", "data": ""},
			map[string]any{"url": "https://a.example/a.css", "contentType": "text/css", "data": ""}}}), Options{}, ErrInvalid, "duplicate"},
		{"too many resources", kilnJSON(map[string]any{"html": page, "resources": []any{
			map[string]any{"url": "https://a.example/1", "contentType": "text/css", "data": ""},
			map[string]any{"url": "https://a.example/2", "contentType": "text/css", "data": ""}}}), Options{Limits: Limits{MaxResources: 1}}, ErrTooLarge, "resources"},
		{"resource bytes", kilnJSON(map[string]any{"html": page, "resources": []any{
			map[string]any{"url": "https://a.example/1", "contentType": "text/css", "data": "AAAAAAAAAAAA"}}}), Options{Limits: Limits{MaxResourceBytes: 4}}, ErrTooLarge, "bytes"},
		{"bad mask selector", kilnJSON(map[string]any{"html": page, "mask": []string{"p", "[[["}}), Options{}, ErrInvalid, "mask[1]"},
		{"too many masks", []byte(page), Options{Mask: make([]string, 65)}, ErrTooLarge, "mask"},
		{"input too large", []byte(page), Options{Limits: Limits{MaxInputBytes: 10}}, ErrTooLarge, "input"},
		{"gzip bomb", gz(bytes.Repeat([]byte(" "), 1<<20)), Options{Limits: Limits{MaxInputBytes: 1 << 16}}, ErrTooLarge, "gzip"},
		{"truncated gzip", okGzip[:len(okGzip)-6], Options{}, ErrInvalid, "gzip"},
		{"gzip bad header", []byte{0x1f, 0x8b, 0, 0}, Options{}, ErrInvalid, "gzip"},
		{"deep nesting", []byte(deep), Options{}, ErrTooLarge, "nesting"},
		{"too many nodes", []byte(many), Options{Limits: Limits{MaxNodes: 500}}, ErrTooLarge, "500 elements"},
		{"rrweb deep nesting", rrDeep(700), Options{}, ErrTooLarge, "nesting"},
		{"rrweb no full snapshot", []byte(`[{"type":4,"data":{"href":"https://a.example/","width":10,"height":10}}]`), Options{}, ErrInvalid, "full snapshot"},
		{"rrweb empty events", []byte(`[]`), Options{}, ErrUnsupported, "empty"},
		{"rrweb not events", []byte(`[1,2]`), Options{}, ErrInvalid, "events[0]"},
		{"rrweb root not document", []byte(`{"type":0,"childNodes":[]}`), Options{}, nil, ""},
		{"rrweb bad node type", []byte(`{"type":0,"childNodes":[{"type":9}]}`), Options{}, ErrInvalid, "node type"},
		{"rrweb meta file url", []byte(`[{"type":4,"data":{"href":"file:///x.html","width":10,"height":10}},{"type":2,"data":{"node":{"type":0,"childNodes":[]}}}]`), Options{}, ErrInvalid, "url"},
		{"gleap no screenshot", []byte(`{"screenshotData":null,"metaData":{}}`), Options{}, ErrUnsupported, "screenshotData"},
		{"gleap html missing", []byte(`{"screenshotData":{"baseUrl":"https://a.example/"}}`), Options{}, ErrInvalid, "html"},
		{"gleap width wrong type", []byte(`{"screenshotData":{"html":"<p>","width":"wide"}}`), Options{}, ErrInvalid, "screenshotData"},
		{"gleap dpr too high", []byte(`{"screenshotData":{"html":"<p>"},"metaData":{"devicePixelRatio":9}}`), Options{}, ErrInvalid, "deviceScaleFactor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(tt.data, tt.opts)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; got %d bytes", len(s.HTML))
			}
			n := 0
			for _, sentinel := range []error{ErrInvalid, ErrUnsupported, ErrTooLarge} {
				if errors.Is(err, sentinel) {
					n++
				}
			}
			if !errors.Is(err, tt.want) || n != 1 {
				t.Fatalf("err = %v, want exactly %v", err, tt.want)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "parse snapshot: ") || !strings.Contains(msg, tt.field) || strings.Contains(msg, "\n") {
				t.Errorf("message %q: want prefix and %q on one line", msg, tt.field)
			}
		})
	}
}

// rrDeep is a bare rrweb document with n nested <div>s.
func rrDeep(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"type":0,"childNodes":[`)
	for i := 0; i < n; i++ {
		b.WriteString(`{"type":2,"tagName":"div","attributes":{},"childNodes":[`)
	}
	b.WriteString(strings.Repeat(`]}`, n))
	b.WriteString(`]}`)
	return []byte(b.String())
}

func TestErrorsNeverQuoteContent(t *testing.T) {
	secret := "SECRET-CONTENT-123"
	for _, data := range [][]byte{
		kilnJSON(map[string]any{"html": "<p>", secret: 1}),
		kilnJSON(map[string]any{"html": "<p>", "url": secret}),
		kilnJSON(map[string]any{"html": "<p>", "mask": []string{"[" + secret}}),
		[]byte(`{"screenshotData":{"html":"<p>","width":"` + secret + `"}}`),
	} {
		_, err := Parse(data, Options{})
		if err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("err = %v", err)
		}
	}
}

func TestLimitsDefaults(t *testing.T) {
	d := DefaultLimits()
	if (Limits{}).WithDefaults() != d {
		t.Error("zero Limits do not take the defaults")
	}
	l := Limits{MaxNodes: 7}.WithDefaults()
	if l.MaxNodes != 7 || l.MaxDepth != d.MaxDepth {
		t.Error("a set field is not kept or a zero field not filled")
	}
	// The documented pairs hold: a 4K window at DPR 2 is allowed.
	if err := d.checkViewport(Viewport{Width: 3840, Height: 2160, DeviceScaleFactor: 2}); err != nil {
		t.Error(err)
	}
}
