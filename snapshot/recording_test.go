package snapshot

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

const replayEvents = `[{"type":4,"timestamp":1,"data":{"href":"https://app.example/"}},{"type":3,"timestamp":2,"data":{"source":2}}]`

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// Kiln replay JSON: the resources, the density and the events, read in
// one pass.
func TestEventDecoderKilnReplay(t *testing.T) {
	in := `{"version":1,"viewport":{"width":390,"height":844,"deviceScaleFactor":3,"mobile":true},"resources":[` +
		`{"url":"https://app.example/a.css","contentType":"text/css","data":"` + b64("p{}") + `"},` +
		`{"url":"HTTPS://App.Example/font.woff2","contentType":"font/woff2","data":"` + b64("wOF2") + `"}],"events":` + replayEvents + `}`
	kinds, skipped, dec, err := decodeAll(t, []byte(in), Limits{})
	if err != nil || len(skipped) != 0 || kinds["meta"] != 1 || kinds["mouseInteraction"] != 1 {
		t.Fatalf("err %v, skipped %v, kinds %v", err, skipped, kinds)
	}
	if dec.Format() != SourceKiln {
		t.Errorf("format %q", dec.Format())
	}
	if v := dec.Viewport(); v.DeviceScaleFactor != 3 || !v.Mobile || v.Width != 390 || v.Height != 844 {
		t.Errorf("viewport %+v", v)
	}
	res := dec.Resources()
	if res.Len() != 2 || res.Bytes() != 7 {
		t.Errorf("%d resources, %d bytes", res.Len(), res.Bytes())
	}
	r, ok := res.Lookup("https://app.example/font.woff2#frag")
	if !ok || string(r.Data) != "wOF2" || r.ContentType != "font/woff2" {
		t.Errorf("lookup = %+v, %v", r, ok)
	}
	if _, ok := res.Lookup("https://app.example/other.css"); ok {
		t.Error("a URL not given was found")
	}
}

// A recording's asset events (rrweb's captureAssets) fill the same table;
// a failed capture or an odd payload is counted and passed on as an event.
func TestEventDecoderAssetEvents(t *testing.T) {
	blob := `{"rr_type":"Blob","type":"image/png","data":[{"rr_type":"ArrayBuffer","base64":"` + b64("PNG1") + `"},{"rr_type":"ArrayBuffer","base64":"` + b64("PNG2") + `"}]}`
	in := `[{"type":4,"timestamp":1,"data":{"href":"https://app.example/"}},` +
		`{"type":7,"timestamp":2,"data":{"url":"https://app.example/a.png","payload":` + blob + `}},` +
		`{"type":7,"timestamp":3,"data":{"url":"https://app.example/b.png","failed":{"status":404,"message":"x"}}},` +
		`{"type":7,"timestamp":4,"data":{"url":"javascript:alert(1)","payload":` + blob + `}},` +
		`{"type":7,"timestamp":5,"data":{"url":"https://app.example/a.png","payload":` + blob + `}}]`
	kinds, skipped, dec, err := decodeAll(t, []byte(in), Limits{})
	if err != nil || len(skipped) != 0 || kinds["asset"] != 4 {
		t.Fatalf("err %v, skipped %v, kinds %v", err, skipped, kinds)
	}
	r, ok := dec.Resources().Lookup("https://app.example/a.png")
	if !ok || string(r.Data) != "PNG1PNG2" || r.ContentType != "image/png" {
		t.Errorf("lookup = %+v, %v", r, ok)
	}
	if dec.Resources().Len() != 1 || dec.Resources().Dropped() != 3 {
		t.Errorf("%d kept, %d dropped", dec.Resources().Len(), dec.Resources().Dropped())
	}
	// Over the limits: not kept.
	_, _, dec, _ = decodeAll(t, []byte(in), Limits{MaxResourceBytes: 4})
	if dec.Resources().Len() != 0 {
		t.Errorf("%d resources kept over MaxResourceBytes", dec.Resources().Len())
	}
}

// The Gleap SDK's metaData gives the density of its webReplay.
func TestEventDecoderGleapDensity(t *testing.T) {
	_, _, dec, err := decodeAll(t, fixture(t, "gleap-live.json.gz"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if v := dec.Viewport(); v.DeviceScaleFactor != 2 || v.Mobile || v.Width != 0 {
		t.Errorf("viewport %+v, want DPR 2, not mobile, no screen (a desktop's screen is not its window)", v)
	}
	_, _, dec, err = decodeAll(t, []byte(`{"metaData":{"devicePixelRatio":3,"mobile":true,"screenWidth":390,"screenHeight":844,"innerWidth":466},"webReplay":{"events":`+replayEvents+`}}`), Limits{})
	if v := dec.Viewport(); err != nil || v.DeviceScaleFactor != 3 || !v.Mobile || v.Width != 390 || v.Height != 844 {
		t.Errorf("err %v, viewport %+v", err, dec.Viewport())
	}
}

func TestEventDecoderKilnReplayErrors(t *testing.T) {
	secret := "SECRET-CONTENT-123"
	res := func(items ...string) string { return `"resources":[` + strings.Join(items, ",") + `]` }
	item := func(u, ct, data string) string {
		return `{"url":"` + u + `","contentType":"` + ct + `","data":"` + data + `"}`
	}
	good := item("https://app.example/a.css", "text/css", b64("p{}"))
	for _, tc := range []struct {
		name, input string
		lim         Limits
		want        error
	}{
		{"version 2", `{"version":2,"events":` + replayEvents + `}`, Limits{}, ErrUnsupported},
		{"version text", `{"version":"1","events":` + replayEvents + `}`, Limits{}, ErrInvalid},
		{"not base64", `{` + res(item("https://app.example/a", "text/css", secret+"!")) + `,"events":[]}`, Limits{}, ErrInvalid},
		{"relative URL", `{` + res(item("a.css", "text/css", "")) + `,"events":[]}`, Limits{}, ErrInvalid},
		{"script URL", `{` + res(item("javascript:"+secret, "text/css", "")) + `,"events":[]}`, Limits{}, ErrInvalid},
		{"bad type", `{` + res(item("https://app.example/a", secret, "")) + `,"events":[]}`, Limits{}, ErrInvalid},
		{"duplicate", `{` + res(good, good) + `,"events":[]}`, Limits{}, ErrInvalid},
		{"unknown field", `{"resources":[{"url":"https://app.example/a","contentType":"text/css","data":"","` + secret + `":1}],"events":[]}`, Limits{}, ErrInvalid},
		{"not an array", `{"resources":{},"events":[]}`, Limits{}, ErrInvalid},
		{"too many", `{` + res(good, item("https://app.example/b", "text/css", "")) + `,"events":[]}`, Limits{MaxResources: 1}, ErrTooLarge},
		{"too many bytes", `{` + res(good) + `,"events":[]}`, Limits{MaxResourceBytes: 2}, ErrTooLarge},
		{"dpr", `{"viewport":{"deviceScaleFactor":9},"events":[]}`, Limits{}, ErrInvalid},
		{"viewport width alone", `{"viewport":{"width":9},"events":[]}`, Limits{}, ErrInvalid},
		{"viewport size fraction", `{"viewport":{"width":390.5,"height":844},"events":[]}`, Limits{}, ErrInvalid},
		{"viewport size zero", `{"viewport":{"width":0,"height":844},"events":[]}`, Limits{}, ErrInvalid},
		{"viewport size huge", `{"viewport":{"width":390,"height":100000},"events":[]}`, Limits{}, ErrInvalid},
		{"viewport field", `{"viewport":{"depth":9},"events":[]}`, Limits{}, ErrInvalid},
		{"gleap dpr", `{"metaData":{"devicePixelRatio":-1},"webReplay":{"events":[]}}`, Limits{}, ErrInvalid},
		{"resources after events", `{"version":1,"events":` + replayEvents + `,` + res(good) + `}`, Limits{}, ErrInvalid},
		{"viewport after events", `{"events":` + replayEvents + `,"viewport":{"mobile":true}}`, Limits{}, ErrInvalid},
		{"trailing garbage", `{"events":` + replayEvents + `,"x":` + secret + `}`, Limits{}, ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, err := decodeAll(t, []byte(tc.input), tc.lim)
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), secret) {
				t.Errorf("error quotes the input: %v", err)
			}
		})
	}
	// What follows the events and is not a field of Kiln replay JSON is
	// read and ignored, as before.
	for _, in := range []string{
		`{"events":` + replayEvents + `,"sessionId":"x"}`,
		`{"screenshotData":{"html":"<p>"},"webReplay":{"events":` + replayEvents + `,"resources":[],"packed":false},"spamToken":"x"}`,
	} {
		if _, _, _, err := decodeAll(t, []byte(in), Limits{}); err != nil {
			t.Errorf("%.40s…: %v", in, err)
		}
	}
}

// Resources are read one at a time: a resources array far larger than
// MaxResourceBytes fails at the first resource past it, without reading
// the rest of the input.
func TestEventDecoderResourcesBounded(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`{"resources":[`)
	chunk := b64(strings.Repeat("x", 3000))
	for i := 0; i < 2000; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"url":"https://app.example/` + itoa(i) + `","contentType":"image/png","data":"` + chunk + `"}`)
	}
	b.WriteString(`],"events":[]}`)
	_, _, dec, err := decodeAll(t, b.Bytes(), Limits{MaxResourceBytes: 100_000, MaxResources: 5000})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v", err)
	}
	if dec.BytesRead() > int64(b.Len())/4 {
		t.Errorf("read %d of %d bytes before failing", dec.BytesRead(), b.Len())
	}
}

// The decoder never panics on any input, and what it keeps stays within
// the limits.
func FuzzEventDecoder(f *testing.F) {
	blob := `{"rr_type":"Blob","type":"image/png","data":[{"rr_type":"ArrayBuffer","base64":"` + b64("PNG") + `"}]}`
	for _, s := range []string{
		`{"version":1,"viewport":{"deviceScaleFactor":2,"mobile":true},"resources":[{"url":"https://a.example/x.css","contentType":"text/css","data":"` + b64("p{}") + `"}],"events":` + replayEvents + `}`,
		`[{"type":7,"timestamp":2,"data":{"url":"https://a.example/a.png","payload":` + blob + `}}]`,
		`{"metaData":{"devicePixelRatio":2},"webReplay":{"events":` + replayEvents + `,"packed":false}}`,
		`{"events":` + replayEvents + `,"resources":[]}`,
	} {
		f.Add([]byte(s))
	}
	lim := Limits{MaxResources: 4, MaxResourceBytes: 64, MaxEvents: 50, MaxEventBytes: 4096}
	f.Fuzz(func(t *testing.T, in []byte) {
		dec := NewEventDecoder(bytes.NewReader(in), lim)
		for i := 0; i < 100; i++ {
			if _, err := dec.Next(); err != nil {
				var ee *EventError
				if !errors.As(err, &ee) {
					break
				}
			}
		}
		if r := dec.Resources(); r.Len() > 4 || r.Bytes() > 64 {
			t.Fatalf("%d resources, %d bytes kept", r.Len(), r.Bytes())
		}
		if v := dec.Viewport(); v.DeviceScaleFactor != 0 && !(v.DeviceScaleFactor >= 0.25 && v.DeviceScaleFactor <= DefaultMaxDPR) {
			t.Fatalf("DPR %g", v.DeviceScaleFactor)
		}
	})
}
