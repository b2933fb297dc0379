package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
)

// referenceElements reads a JSON array's elements with json.Decoder:
// the elements, and whether the stream failed.
func referenceElements(data []byte) ([][]byte, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, true
	}
	var out [][]byte
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return out, true
		}
		out = append(out, raw)
	}
	_, err := dec.Token()
	return out, err != nil
}

// scannedElements reads them with elementScanner, in reads of at most
// chunk bytes.
func scannedElements(data []byte, chunk int) ([][]byte, bool) {
	s := newElementScanner(&chunkReader{data, chunk})
	if !s.space() || s.buf[s.pos] != '[' {
		return nil, true
	}
	s.pos++
	var out [][]byte
	for {
		more, err := s.more()
		if err != nil {
			return out, true
		}
		if !more {
			return out, false
		}
		raw, err := s.value()
		if err != nil {
			return out, true
		}
		out = append(out, raw)
	}
}

type chunkReader struct {
	b []byte
	n int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.n)], r.b)
	r.b = r.b[n:]
	return n, nil
}

// sameElements fails t unless elementScanner reads data as json.Decoder
// does: the same elements, failing on the same inputs.
func sameElements(t *testing.T, data []byte) {
	t.Helper()
	want, wantErr := referenceElements(data)
	for _, chunk := range []int{1, 7, 1 << 20} {
		got, gotErr := scannedElements(data, chunk)
		if gotErr != wantErr || len(got) != len(want) {
			t.Fatalf("%.80q (reads of %d B): %d elements, failed %v; json.Decoder: %d, %v", data, chunk, len(got), gotErr, len(want), wantErr)
		}
		for i := range got {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("%.80q: element %d is %.40q, json.Decoder: %.40q", data, i, got[i], want[i])
			}
		}
	}
}

func TestElementScanner(t *testing.T) {
	for _, s := range []string{
		`[]`, ` [ ] `, `[1]`, `[1,2 , 3]`, `[{"a":[1,{"b":null}],"c":"x\"y\\z\u00e9"}, true, false, null, -0.5e+3, "s"]`,
		`[{"type":2,"data":{"node":{"type":0,"childNodes":[]}},"timestamp":1}]`,
		`[1`, `[1,`, `[1,]`, `[,1]`, `[1 2]`, `[01]`, `[1.]`, `[.5]`, `[1e]`, `[-]`, `[tru]`, `[truex]`, `[nul]`,
		`["a]`, `["a\x"]`, `["\u12G4"]`, "[\"a\x01\"]", "[\"\xff\"]", `[{"a"}]`, `[{"a":}]`, `[{"a":1,}]`, `[{1:2}]`,
		`[{"a":1 "b":2}]`, `[[1,2]`, `[[1,2]]]`, `[}`, `[1]garbage`,
		"[" + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + "]",
		"[" + strings.Repeat("[", 9990) + strings.Repeat("]", 9990) + "]",
	} {
		sameElements(t, []byte(s))
	}
}

// The decoder gives the same events through the scanner as the corpus
// recordings hold, and a truncated recording fails as one.
func TestEventDecoderTruncated(t *testing.T) {
	data := fixture(t, "../replay/todomvc-react.rrweb.json")
	want, _ := referenceElements(data)
	if evs := readEvents(t, data); len(evs) != len(want) {
		t.Fatalf("%d events, want %d", len(evs), len(want))
	}
	dec := NewEventDecoder(bytes.NewReader(data[:len(data)/2]), Limits{})
	for {
		_, err := dec.Next()
		if err == nil {
			continue
		}
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "truncated") {
			t.Fatalf("truncated recording: %v", err)
		}
		break
	}
}

func FuzzElementScanner(f *testing.F) {
	f.Add([]byte(`[{"a":[1,{"b":null}],"c":"x\"y\\z\u00e9"}, true, -0.5e+3]`))
	f.Add([]byte(`[1,]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sameElements(t, data)
	})
}

// plainRun finds the first quote, backslash or control character (and
// byte past ASCII) as a byte loop does, wherever it stands in a word.
func TestPlainRun(t *testing.T) {
	naive := func(b []byte, high bool) int {
		for i, c := range b {
			if c == '"' || c == '\\' || c < 0x20 || high && c >= 0x80 {
				return i
			}
		}
		return -1
	}
	base := []byte("abcdefghijklmnopqrstuvwxyz0123456789~\x7f!\x21\x5b\x5d\x23")
	for _, stop := range []byte{'"', '\\', 0, 0x1f, '\n', 0x80, 0xa2, 0xdc, 0xff} {
		for n := 0; n <= len(base); n++ {
			for at := -1; at < n; at++ {
				b := bytes.Clone(base[:n])
				if at >= 0 {
					b[at] = stop
				}
				for _, high := range []bool{false, true} {
					if got, want := plainRun(b, high), naive(b, high); got != want {
						t.Fatalf("plainRun(%q, %v) = %d, want %d", b, high, got, want)
					}
					if got, want := plainRun(string(b), high), naive(b, high); got != want {
						t.Fatalf("plainRun(string %q, %v) = %d, want %d", b, high, got, want)
					}
				}
			}
		}
	}
}

// appendString writes strings that read back as encoding/json's do.
func TestAppendStringReadsBack(t *testing.T) {
	for _, s := range []string{"", "plain text, long enough for words", "q\"b\\s/\n\r\t\b\f\x00\x1f",
		"caf\u00e9 \u2028\u2029 \U0001F600", "bad \xff\xfe utf-8 \xc3", strings.Repeat("abcdefg\u00e9", 20) + "\x01"} {
		got := appendString(nil, s)
		var back, want string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("appendString(%q) = %s: %v", s, got, err)
		}
		std, _ := json.Marshal(s)
		json.Unmarshal(std, &want)
		if back != want || bytes.Contains(got, []byte(`\u2028`)) != strings.Contains(s, "\u2028") {
			t.Errorf("appendString(%q) = %s reads back as %q, want %q", s, got, back, want)
		}
	}
}
