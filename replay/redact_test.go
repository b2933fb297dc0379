package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"sort"
	"testing"
	"time"

	"github.com/kilnrender/kiln/snapshot"
)

// unmaskedSignIn is the sign-in recording with the typed password put
// back into its Input events, as a recorder told not to mask would send.
func unmaskedSignIn(t *testing.T, password string) []byte {
	t.Helper()
	var evs []map[string]any
	if err := json.Unmarshal(readTestdata(t, "bootstrap-sign-in-password.rrweb.json"), &evs); err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		d, _ := e["data"].(map[string]any)
		if d["source"] == float64(snapshot.IncrementalInput) && d["id"] == float64(52) {
			d["text"] = password[:len(d["text"].(string))]
		}
	}
	raw, _ := json.Marshal(evs)
	if !bytes.Contains(raw, []byte(password)) {
		t.Fatal("the test input does not hold the password")
	}
	return raw
}

// segments is a bundle's segment files, inflated, in name order.
func segments(t *testing.T, s *memSink) []byte {
	t.Helper()
	var names []string
	for n := range s.files {
		if len(n) > 9 && n[:9] == "segments/" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	var out bytes.Buffer
	for _, n := range names {
		out.Write(gunzip(t, s.files[n].data))
	}
	return out.Bytes()
}

// What Kiln stores for a replay job holds no typed password and no value
// of a masked field, and builds the same bundle as the raw recording:
// the privacy rules are applied once, before storing, and again by the
// worker without changing anything.
func TestRedactStoresWhatTheBundleHolds(t *testing.T) {
	const password = "correct horse battery staple"
	raw := unmaskedSignIn(t, password)
	cfg := Config{MaskSelectors: []string{"#floatingInput"}, SegmentDuration: 2e9, SnapshotRatio: -1}
	b, err := NewBuilder(cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var stored bytes.Buffer
	if _, err := b.Redact(context.Background(), bytes.NewReader(raw), &stored); err != nil {
		t.Fatal(err)
	}
	plain := gunzip(t, stored.Bytes())
	for _, frag := range []string{password, "correct horse", "battery", "alice@example.com"} {
		if bytes.Contains(plain, []byte(frag)) {
			t.Errorf("the stored recording holds %q", frag)
		}
	}
	// Still a recording: every event the bundle keeps is there.
	dec := snapshot.NewEventDecoder(bytes.NewReader(plain), snapshot.Limits{})
	n := 0
	for {
		if _, err := dec.Next(); err != nil {
			break
		}
		n++
	}
	if n < 60 {
		t.Fatalf("the stored recording has %d events", n)
	}
	fromRaw, fromStored := &memSink{}, &memSink{}
	if _, err := b.Build(context.Background(), bytes.NewReader(raw), fromRaw); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Build(context.Background(), bytes.NewReader(stored.Bytes()), fromStored); err != nil {
		t.Fatal(err)
	}
	if a, z := segments(t, fromRaw), segments(t, fromStored); !bytes.Equal(a, z) {
		t.Errorf("the bundle of the stored recording differs from the raw one's (%d and %d bytes of segments)", len(z), len(a))
	}
}

// The Gleap payload's packed webReplay: the stored form is inflated,
// privacy enforced, and holds neither the card number typed into the
// field marked rr-mask nor the IBAN typed into the one marked
// gleap-ignore="value" (the SDK's recorder sent both in clear, hidden
// from a plain search of the raw body by the packing).
func TestRedactGleapWebReplay(t *testing.T) {
	var body struct {
		WebReplay json.RawMessage `json:"webReplay"`
	}
	if err := json.Unmarshal(readTestdata(t, gleapLive), &body); err != nil {
		t.Fatal(err)
	}
	secrets := []string{"4242 4242 4242 4242", "DE89370400440532013000"}
	var inflated bytes.Buffer
	dec := snapshot.NewEventDecoder(bytes.NewReader(body.WebReplay), snapshot.Limits{})
	for {
		ev, err := dec.Next()
		if err != nil {
			break
		}
		inflated.Write(ev.AppendJSON(nil))
	}
	for _, s := range secrets {
		if !bytes.Contains(inflated.Bytes(), []byte(s)) {
			t.Fatalf("the recording does not hold %q: the test proves nothing", s)
		}
	}
	b, _ := NewBuilder(Config{}, nil, nil)
	var stored bytes.Buffer
	if _, err := b.Redact(context.Background(), bytes.NewReader(body.WebReplay), &stored); err != nil {
		t.Fatal(err)
	}
	plain := gunzip(t, stored.Bytes())
	for _, s := range secrets {
		if bytes.Contains(plain, []byte(s)) {
			t.Errorf("the stored recording holds %q", s)
		}
	}

	// As long as a bundle may be.
	short, _ := NewBuilder(Config{MaxDuration: time.Second}, nil, nil)
	if _, err := short.Redact(context.Background(), bytes.NewReader(body.WebReplay), &bytes.Buffer{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a recording longer than MaxDuration: %v, want ErrTooLarge", err)
	}

	// Inflated, the output is bounded like the input.
	small, _ := NewBuilder(Config{Limits: snapshot.Limits{MaxRecordingBytes: 64 << 10}}, nil, nil)
	if _, err := small.Redact(context.Background(), bytes.NewReader(body.WebReplay), &bytes.Buffer{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a recording over the limit once unpacked: %v, want ErrTooLarge", err)
	}
}
