package replay

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kilnrender/kiln/snapshot"
)

// memSink keeps a bundle in memory.
type memSink struct {
	mu    sync.Mutex
	files map[string]memFile
}

type memFile struct {
	data                  []byte
	contentType, encoding string
}

func (s *memSink) Put(ctx context.Context, name string, data []byte, ct, enc string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.files == nil {
		s.files = map[string]memFile{}
	}
	s.files[name] = memFile{bytes.Clone(data), ct, enc}
	return nil
}

func (s *memSink) size() int {
	n := 0
	for _, f := range s.files {
		n += len(f.data)
	}
	return n
}

// gleapLive is the Gleap payload of the live test shop, shared with the
// renderer's fixtures (its site/ folder holds what the shop served).
const gleapLive = "gleap-live-feedback.json"

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	if name == gleapLive {
		return gunzip(t, readFile(t, filepath.Join("..", "testdata", "corpus", "gleap-live", "feedback.json.gz")))
	}
	return readFile(t, filepath.Join("..", "testdata", "replay", name))
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gunzip(t testing.TB, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func gzipSize(b []byte, level int) int {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, level)
	zw.Write(b)
	zw.Close()
	return buf.Len()
}

// segmentEvents inflates and parses one segment, checking it against its
// manifest entry.
func segmentEvents(t *testing.T, sink *memSink, s Segment) []snapshot.Event {
	t.Helper()
	f, ok := sink.files[s.Name]
	if !ok {
		t.Fatalf("segment %s not stored", s.Name)
	}
	if f.encoding != "gzip" || f.contentType != "application/json" {
		t.Errorf("%s stored as %q/%q", s.Name, f.contentType, f.encoding)
	}
	sum := sha256.Sum256(f.data)
	if hex.EncodeToString(sum[:]) != s.SHA256 || len(f.data) != s.Bytes {
		t.Errorf("%s: sha256/size do not match the manifest", s.Name)
	}
	raw := gunzip(t, f.data)
	if len(raw) != s.RawBytes {
		t.Errorf("%s: %d raw bytes, manifest says %d", s.Name, len(raw), s.RawBytes)
	}
	raw = inlineAssets(t, sink, raw)
	var msgs []json.RawMessage
	if err := json.Unmarshal(raw, &msgs); err != nil {
		t.Fatalf("%s: %v", s.Name, err)
	}
	evs := make([]snapshot.Event, len(msgs))
	for i, m := range msgs {
		ev, err := snapshot.ParseEvent(m)
		if err != nil {
			t.Fatalf("%s event %d: %v", s.Name, i, err)
		}
		evs[i] = ev
	}
	if len(evs) != s.Events+s.Synthetic {
		t.Errorf("%s: %d events, manifest says %d+%d", s.Name, len(evs), s.Events, s.Synthetic)
	}
	return evs
}

// buildBundle builds input with cfg into memory, without pictures or
// fetcher.
func buildBundle(t testing.TB, cfg Config, input []byte) (*Manifest, *memSink) {
	t.Helper()
	_, man, sink := buildWith(t, cfg, nil, nil, input)
	return man, sink
}

// buildWith builds input into memory with a new Builder, which it returns.
func buildWith(t testing.TB, cfg Config, sh Shooter, f Fetcher, input []byte) (*Builder, *Manifest, *memSink) {
	t.Helper()
	b, err := NewBuilder(cfg, sh, f)
	if err != nil {
		t.Fatal(err)
	}
	sink := &memSink{}
	man, err := b.Build(context.Background(), bytes.NewReader(input), sink)
	if err != nil {
		t.Fatal(err)
	}
	return b, man, sink
}

// inlineAssets puts the data Kiln moved out of a segment (inline.go)
// back where the recording had it: @imports of stored <link> sheets
// become their text, references to stored data become base64 data: URLs.
// The result is what the mirror serializes.
func inlineAssets(t *testing.T, sink *memSink, raw []byte) []byte {
	t.Helper()
	load := func(name string) memFile {
		f, ok := sink.files["assets/"+name]
		if !ok {
			t.Fatalf("segment references assets/%s, not stored", name)
		}
		if f.encoding == "gzip" {
			f.data = gunzip(t, f.data)
		}
		return f
	}
	sheets := regexp.MustCompile(`"@import url\(kiln-asset:([0-9a-f]{64})\);"`)
	raw = sheets.ReplaceAllFunc(raw, func(m []byte) []byte {
		f := load(string(m[len(`"@import url(kiln-asset:`) : len(m)-3]))
		// The sheet's references were made relative to its own URL.
		css := regexp.MustCompile(`url\(([0-9a-f]{64})\)`).ReplaceAll(f.data, []byte("url(kiln-asset:$1)"))
		b, _ := marshal(string(css))
		return b
	})
	refs := regexp.MustCompile(`kiln-asset:([0-9a-f]{64})`)
	return refs.ReplaceAllFunc(raw, func(m []byte) []byte {
		f := load(string(m[len("kiln-asset:"):]))
		if f.contentType == "text/css" {
			return m
		}
		return []byte("data:" + f.contentType + ";base64," + base64.StdEncoding.EncodeToString(f.data))
	})
}

var recordings = []string{"todomvc-react.rrweb.json", "bootstrap-sign-in-password.rrweb.json", "gleap-live-feedback.json"}

// Each segment starts with Meta + FullSnapshot, and the synthetic full
// snapshot at the start of segment k+1 is exactly the state reached by
// replaying segment k from its own start, and the state reached by
// replaying the original recording up to that moment.
func TestSegmentsAreSelfContained(t *testing.T) {
	for _, name := range recordings {
		t.Run(name, func(t *testing.T) {
			input := readTestdata(t, name)
			// Images stored as recorded: inlineAssets then gives back the
			// recorded data: URLs (recompress_test.go checks the pixels).
			cfg := Config{SegmentDuration: 1500 * time.Millisecond, SnapshotRatio: -1, MaskSelectors: []string{".rr-mask"}, RecompressImages: -1}
			b, man, sink := buildWith(t, cfg, nil, nil, input)
			if len(man.Segments) < 3 {
				t.Fatalf("%d segments for a %d ms recording with 1.5 s segments", len(man.Segments), man.DurationMs)
			}
			var prev *Mirror
			total := 0
			for k, s := range man.Segments {
				evs := segmentEvents(t, sink, s)
				total += s.Events
				if evs[0].Type != snapshot.EventMeta || evs[1].Type != snapshot.EventFullSnapshot {
					t.Fatalf("%s starts with types %d,%d", s.Name, evs[0].Type, evs[1].Type)
				}
				if got := evs[0].Timestamp - man.StartTime; got != s.StartMs {
					t.Errorf("%s: first event at %d ms, manifest says %d", s.Name, got, s.StartMs)
				}
				if k > 0 && s.Synthetic > 0 {
					// State by replaying the previous segment.
					want, _ := prev.FullSnapshot(evs[0].Timestamp)
					for i := 0; i < 2; i++ {
						if !bytes.Equal(evs[i].Data, want[i].Data) {
							t.Errorf("%s: synthetic event %d differs from replaying segment %d", s.Name, i, k-1)
						}
					}
					// State by replaying the original recording.
					m, _, err := b.StateAt(context.Background(), bytes.NewReader(input), time.Duration(s.StartMs-1)*time.Millisecond)
					if err != nil {
						t.Fatal(err)
					}
					want, _ = m.FullSnapshot(evs[0].Timestamp)
					if !bytes.Equal(evs[1].Data, want[1].Data) {
						t.Errorf("%s: synthetic full snapshot differs from the recording replayed to %d ms", s.Name, s.StartMs-1)
					}
				}
				prev, _ = NewMirror(cfg, func(w string) {
					if !strings.HasPrefix(w, "input: typed text") { // a property of the recording
						t.Errorf("%s: replaying the bundle warns: %s", s.Name, w)
					}
				})
				for i := range evs {
					if err := prev.Apply(&evs[i]); err != nil {
						t.Fatalf("%s event %d: %v", s.Name, i, err)
					}
				}
			}
			kept := 0
			for _, n := range man.Events {
				kept += n
			}
			if total != kept || kept+man.Input.Dropped != man.Input.Events+man.Input.Added {
				t.Errorf("events: %d in segments, %d counted, %d dropped, %d read, %d added", total, kept, man.Input.Dropped, man.Input.Events, man.Input.Added)
			}
			if _, ok := sink.files["manifest.json"]; !ok {
				t.Error("no manifest.json")
			}
		})
	}
}

// The whole bundle (manifest, segments, assets; no pictures) of the corpus
// recordings, with default settings, weighs at most 0.7 times gzip -6 of
// the recordings: images and style sheets are stored once, as bytes,
// whatever the number of segments, and no segment keeps a large data:
// URL or a <link>'s sheet text.
func TestBundleSize(t *testing.T) {
	bundles, gzips := 0, 0
	for _, rc := range corpusRecordings {
		input := readRecording(t, rc.path)
		man, sink := buildBundle(t, Config{}, input)
		segs := 0
		for _, s := range man.Segments {
			segs += s.Bytes
			raw := gunzip(t, sink.files[s.Name].data)
			if m := regexp.MustCompile(`;base64,[A-Za-z0-9+/=]{1000}[A-Za-z0-9+/=]{24}`).Find(raw); m != nil {
				t.Errorf("%s %s keeps a data: URL of %d B", rc.name, s.Name, len(m))
			}
			for rest := raw; ; {
				i := bytes.Index(rest, []byte(`"tagName":"link","attributes":{"_cssText":`))
				if i < 0 {
					break
				}
				rest = rest[i+len(`"tagName":"link","attributes":{"_cssText":`):]
				var css string
				if err := json.NewDecoder(bytes.NewReader(rest)).Decode(&css); err != nil || len(css) >= 4096 {
					t.Errorf("%s %s keeps a style sheet's text (%d B, %v)", rc.name, s.Name, len(css), err)
				}
			}
		}
		gz := gzipSize(input, gzip.DefaultCompression)
		bundles, gzips = bundles+sink.size(), gzips+gz
		t.Logf("%s: input %d B, gzip -6 %d B; bundle %d B = %.3f × (segments %d B in %d, %d assets, manifest %d B); %d ms",
			rc.name, len(input), gz, sink.size(), float64(sink.size())/float64(gz), segs, len(man.Segments),
			len(man.Assets.Items), len(sink.files["manifest.json"].data), man.DurationMs)
	}
	t.Logf("corpus: bundles %d B, gzip -6 %d B: %.3f", bundles, gzips, float64(bundles)/float64(gzips))
	if float64(bundles) > 0.7*float64(gzips) {
		t.Errorf("bundles weigh %d B, more than 0.7 × gzip -6 of the recordings (%d B)", bundles, gzips)
	}
}

// The password typed in the sign-in recording never reaches the bundle,
// even when the recorder did not mask it: the test unmasks the recorded
// Input events first.
func TestPasswordNeverInBundle(t *testing.T) {
	const password = "correct horse battery staple"
	input := readTestdata(t, "bootstrap-sign-in-password.rrweb.json")
	var evs []map[string]any
	if err := json.Unmarshal(input, &evs); err != nil {
		t.Fatal(err)
	}
	unmasked := 0
	for _, e := range evs {
		d, _ := e["data"].(map[string]any)
		if d["source"] == float64(snapshot.IncrementalInput) && d["id"] == float64(52) {
			text := d["text"].(string)
			d["text"] = password[:len(text)]
			unmasked++
		}
	}
	if unmasked != 28 {
		t.Fatalf("found %d password input events, want 28", unmasked)
	}
	raw, _ := json.Marshal(evs)
	if !bytes.Contains(raw, []byte(password)) {
		t.Fatal("the test input does not hold the password")
	}
	for _, segDur := range []time.Duration{time.Second, time.Minute} {
		b, _ := NewBuilder(Config{SegmentDuration: segDur, SnapshotRatio: -1, KeyframeInterval: time.Second}, &fakeShooter{}, nil)
		sink := &memSink{}
		if _, err := b.Build(context.Background(), bytes.NewReader(raw), sink); err != nil {
			t.Fatal(err)
		}
		var all bytes.Buffer
		for name, f := range sink.files {
			if f.encoding == "gzip" {
				all.Write(gunzip(t, f.data))
			} else {
				all.Write(f.data)
			}
			all.WriteString(name)
		}
		for _, frag := range []string{password, "correct horse", "battery", "staple"} {
			if bytes.Contains(all.Bytes(), []byte(frag)) {
				t.Errorf("segments of %s: bundle holds %q", segDur, frag)
			}
		}
		// Unmasked fields stay: the email typed in the same form.
		if !bytes.Contains(all.Bytes(), []byte("alice@example.com")) {
			t.Errorf("segments of %s: the email field lost its value", segDur)
		}
	}

	// A project mask selector hides the email too, in events and in the
	// pictures' snapshots.
	sh := &fakeShooter{}
	b, _ := NewBuilder(Config{MaskSelectors: []string{"#floatingInput"}, KeyframeInterval: time.Second}, sh, nil)
	sink := &memSink{}
	if _, err := b.Build(context.Background(), bytes.NewReader(raw), sink); err != nil {
		t.Fatal(err)
	}
	for name, f := range sink.files {
		data := f.data
		if f.encoding == "gzip" {
			data = gunzip(t, data)
		}
		if bytes.Contains(data, []byte("alice@")) || bytes.Contains(data, []byte("horse")) {
			t.Errorf("%s holds a masked value", name)
		}
	}
	for _, s := range sh.snaps {
		if bytes.Contains(s.HTML, []byte("alice@")) || bytes.Contains(s.HTML, []byte("horse")) {
			t.Errorf("snapshot at %dx%d holds a masked value", s.Viewport.Width, s.Viewport.Height)
		}
	}
}

// fakeShooter records the snapshots it is asked to render and returns a
// picture naming their window size.
type fakeShooter struct {
	snaps []*snapshot.Snapshot
}

func (f *fakeShooter) Shoot(ctx context.Context, s *snapshot.Snapshot) (*Picture, error) {
	f.snaps = append(f.snaps, s)
	return &Picture{
		Image:       []byte(fmt.Sprintf("image %dx%d scroll %d", s.Viewport.Width, s.Viewport.Height, s.Scroll.Y)),
		ContentType: "image/webp", Width: s.Viewport.Width, Height: s.Viewport.Height,
		Thumb: []byte("thumb"), ThumbContentType: "image/jpeg",
	}, nil
}

func TestKeyframes(t *testing.T) {
	input := readTestdata(t, "bootstrap-sign-in-password.rrweb.json")
	sh := &fakeShooter{}
	b, _ := NewBuilder(Config{KeyframeInterval: 3 * time.Second}, sh, nil)
	sink := &memSink{}
	man, err := b.Build(context.Background(), bytes.NewReader(input), sink)
	if err != nil {
		t.Fatal(err)
	}
	// The recording lasts 8564 ms and resizes the window to 500x700.
	var got []string
	for _, k := range man.Keyframes {
		got = append(got, fmt.Sprintf("%s@%d", k.Reason, k.AtMs))
		f, ok := sink.files[k.Image]
		if !ok || f.contentType != "image/webp" || !strings.HasSuffix(k.Image, ".webp") {
			t.Errorf("keyframe %d: image %q not stored as webp", k.AtMs, k.Image)
		}
		if _, ok := sink.files[k.Thumb]; !ok || !strings.HasSuffix(k.Thumb, "-thumb.jpg") {
			t.Errorf("keyframe %d: thumb %q not stored", k.AtMs, k.Thumb)
		}
	}
	if len(got) < 4 || got[0] != "start@0" || got[1] != "interval@3000" || got[2] != "interval@6000" {
		t.Errorf("keyframes = %v", got)
	}
	var resize *Keyframe
	for i, k := range man.Keyframes {
		if k.Reason == "resize" {
			resize = &man.Keyframes[i]
		}
	}
	if resize == nil || resize.Width != 500 || resize.Height != 700 {
		t.Errorf("no 500x700 keyframe at the resize: %v", got)
	}
	if man.Poster == nil || man.Poster.AtMs != 8564 || man.Poster.Width != 500 || man.Poster.Image != "poster.webp" {
		t.Errorf("poster = %+v", man.Poster)
	}
	if len(man.Viewports) != 2 || man.Viewports[1].Width != 500 {
		t.Errorf("viewports = %+v", man.Viewports)
	}
	// The snapshot at 6 s has the email typed; the one at start does not.
	if !bytes.Contains(sh.snaps[2].HTML, []byte("alice@example.com")) || bytes.Contains(sh.snaps[0].HTML, []byte("alice@example.com")) {
		t.Error("keyframe snapshots do not follow the recording's input")
	}

	// Without a Shooter the keyframes are still listed, without images.
	b, _ = NewBuilder(Config{KeyframeInterval: 3 * time.Second}, nil, nil)
	man2, err := b.Build(context.Background(), bytes.NewReader(input), &memSink{})
	if err != nil {
		t.Fatal(err)
	}
	if len(man2.Keyframes) != len(man.Keyframes) || man2.Keyframes[1].Image != "" {
		t.Errorf("keyframes without a shooter: %+v", man2.Keyframes)
	}
	if !strings.Contains(strings.Join(man2.Warnings, "\n"), "no renderer") {
		t.Errorf("no warning about missing pictures: %q", man2.Warnings)
	}
}

// httpFetcher fetches from a loopback test server, standing in for the
// renderer's safe fetcher: the recorded host is mapped to the server.
type httpFetcher struct {
	host string // recorded host:port
	srv  *httptest.Server
}

func (f httpFetcher) Fetch(ctx context.Context, raw string) (string, []byte, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host != f.host {
		return "", nil, errors.New("host not allowed")
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, f.srv.URL+u.Path, nil)
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		return "", nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	body, err := io.ReadAll(resp.Body)
	return resp.Header.Get("Content-Type"), body, err
}

func TestAssets(t *testing.T) {
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Join("..", "testdata", "corpus", "gleap-live"))))
	defer srv.Close()
	input := readTestdata(t, "gleap-live-feedback.json")
	b, _ := NewBuilder(Config{}, nil, httpFetcher{host: "shop.example.test:8788", srv: srv})
	sink := &memSink{}
	man, err := b.Build(context.Background(), bytes.NewReader(input), sink)
	if err != nil {
		t.Fatal(err)
	}
	if man.Input.Format != string(snapshot.SourceGleap) {
		t.Errorf("format = %q", man.Input.Format)
	}
	byURL := map[string]Asset{}
	for _, a := range man.Assets.Items {
		byURL[a.URL] = a
		f, ok := sink.files["assets/"+a.Name]
		sum := sha256.Sum256(f.data)
		if !ok || hex.EncodeToString(sum[:]) != a.Name || len(f.data) != a.Bytes {
			t.Errorf("asset %s not stored under its sha256", a.URL)
		}
	}
	photo, ok := byURL["http://shop.example.test:8788/site/img/photo.png"]
	if !ok {
		t.Fatalf("photo.png not fetched; assets %+v failed %+v", man.Assets.Items, man.Assets.Failed)
	}
	want, _ := os.ReadFile(filepath.Join("..", "testdata", "corpus", "gleap-live", "site", "img", "photo.png"))
	if !bytes.Equal(sink.files["assets/"+photo.Name].data, want) {
		t.Error("stored photo.png differs from the served file")
	}
	if _, ok := byURL["http://shop.example.test:8788/site/fonts/DejaVuSansMono.ttf"]; !ok {
		t.Error("the web font referenced from CSS was not fetched")
	}
	var all bytes.Buffer
	for _, s := range man.Segments {
		all.Write(gunzip(t, sink.files[s.Name].data))
	}
	if !bytes.Contains(all.Bytes(), []byte("kiln-asset:"+photo.Name)) {
		t.Error("events do not reference the stored photo")
	}
	if bytes.Contains(all.Bytes(), []byte("8788/site/img/photo.png")) {
		t.Error("events still reference the original photo URL")
	}
	for _, f := range man.Assets.Failed {
		if strings.Contains(f.URL, "/site/img/") {
			t.Errorf("image failed: %+v", f)
		}
	}

	// A fetch failure is listed, and its URL leaves the events.
	srv404 := httptest.NewServer(http.NotFoundHandler())
	defer srv404.Close()
	b, _ = NewBuilder(Config{}, nil, httpFetcher{host: "shop.example.test:8788", srv: srv404})
	sink = &memSink{}
	man, err = b.Build(context.Background(), bytes.NewReader(input), sink)
	if err != nil {
		t.Fatal(err)
	}
	if len(man.Assets.Items) != 0 || len(man.Assets.Failed) == 0 || !strings.Contains(man.Assets.Failed[0].Reason, "404") {
		t.Errorf("failed fetches not listed: %+v", man.Assets)
	}
	removed := map[string]string{}
	for _, r := range man.Assets.Removed {
		removed[r.URL] = r.Reason
	}
	if got := removed["http://shop.example.test:8788/site/img/photo.png"]; !strings.Contains(got, "404") {
		t.Errorf("photo.png removed for %q", got)
	}
	for _, s := range man.Segments {
		if bytes.Contains(gunzip(t, sink.files[s.Name].data), []byte("8788/site/img/photo.png")) {
			t.Error("events still reference the photo that failed")
		}
	}
}

func TestMalformedEvents(t *testing.T) {
	in := `[
	 {"type":4,"data":{"href":"http://untimed.test/","width":10,"height":10}},
	 {"type":2,"data":{"node":{"type":0,"id":1,"childNodes":[]},"initialOffset":{"left":0,"top":0}}},
	 {"type":3,"timestamp":900,"data":{"source":1,"positions":[]}},
	 1, "not packed", {"timestamp":950}, {"type":4,"timestamp":"x","data":{}},
	 {"type":4,"timestamp":1000,"data":{"href":"http://example.test/","width":800,"height":600}},
	 ` + baseSnapshot + `,
	 {"type":3,"timestamp":1100,"data":{"source":0,"adds":[{"parentId":999,"nextId":null,"node":{"type":3,"id":60,"textContent":"orphan"}}],"removes":[{"parentId":4,"id":777}],"texts":[{"id":888,"value":"x"}],"attributes":[{"id":5,"attributes":{"title":"ok"}}]}},
	 {"type":3,"timestamp":1050,"data":{"source":5,"id":7,"text":"late"}},
	 {"type":3,"timestamp":1200,"data":{"source":0,"adds":"nope"}},
	 {"type":3,"timestamp":1300,"data":{"source":5,"id":7,"text":"ok"}},
	 {"type":3,"data":{"source":5,"id":7,"text":"untimed"}},
	 {"type":3,"timestamp":1310,"data":{"source":5,"id":4242,"text":"leak"}},
	 {"type":3,"timestamp":1400,"data":{"nosource":1}},
	 {"type":2,"timestamp":1500,"data":{"node":{"type":2,"id":1}}},
	 {"type":3,"timestamp":1600,"data":{"source":8,"id":5,"adds":[{"rule":"a{}","index":"zz"}]}},
	 {"type":3,"timestamp":1700,"data":{"source":9,"id":5,"commands":[{"property":"fillRect","args":[0,0,1,1]}]}},
	 {"type":99,"timestamp":1800,"data":{}}
	]`
	b, _ := NewBuilder(Config{}, nil, nil)
	sink := &memSink{}
	man, err := b.Build(context.Background(), strings.NewReader(in), sink)
	if err != nil {
		t.Fatal(err)
	}
	for _, seg := range man.Segments {
		if bytes.Contains(gunzip(t, sink.files[seg.Name].data), []byte("leak")) {
			t.Error("an Input event on an unknown node was kept")
		}
		if bytes.Contains(gunzip(t, sink.files[seg.Name].data), []byte("untimed")) {
			t.Error("an event without a timestamp was kept")
		}
	}
	if man.StartTime != 1000 || man.Events["fullSnapshot"] != 1 {
		t.Errorf("start %d, %d full snapshots: events without a timestamp started the bundle", man.StartTime, man.Events["fullSnapshot"])
	}
	ws := strings.Join(man.Warnings, "\n")
	for _, want := range []string{"malformed event", "before the first full snapshot", "out of order", "unknown parent", "mutation event skipped", "fullSnapshot event skipped", "canvas", "input event skipped: unknown node"} {
		if !strings.Contains(ws, want) {
			t.Errorf("warnings lack %q:\n%s", want, ws)
		}
	}
	m, _, err := b.StateAt(context.Background(), strings.NewReader(in), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Node(7).Attr("value"); got != "ok" {
		t.Errorf("input value = %q, want ok (the late event skipped)", got)
	}
	if m.Node(5).Attr("title") != "ok" || m.Node(60) != nil {
		t.Error("the valid parts of a partly broken mutation were not applied")
	}
}

func TestErrors(t *testing.T) {
	bootstrap := readTestdata(t, "bootstrap-sign-in-password.rrweb.json")
	tests := []struct {
		name  string
		cfg   Config
		input string
		want  error
	}{
		{"not json", Config{}, "<html>", ErrInvalid},
		{"truncated", Config{}, `[{"type":4,"timestamp":1,"data":{}}`, ErrInvalid},
		{"no events", Config{}, `{"screenshotData":{}}`, ErrUnsupported},
		{"number", Config{}, `42`, ErrUnsupported},
		{"no snapshot", Config{}, `[{"type":3,"timestamp":1,"data":{"source":1}}]`, ErrInvalid},
		{"too many events", Config{Limits: snapshot.Limits{MaxEvents: 10}}, string(bootstrap), ErrTooLarge},
		{"too many bytes", Config{Limits: snapshot.Limits{MaxRecordingBytes: 100 << 10}}, string(bootstrap), ErrTooLarge},
		{"too long", Config{MaxDuration: 2 * time.Second}, string(bootstrap), ErrTooLarge},
		{"too many nodes", Config{Limits: snapshot.Limits{MaxNodes: 50}}, string(bootstrap), ErrTooLarge},
		{"too deep", Config{Limits: snapshot.Limits{MaxDepth: 4}}, string(bootstrap), ErrTooLarge},
		{"event too large", Config{Limits: snapshot.Limits{MaxEventBytes: 1000}}, string(bootstrap), ErrInvalid}, // its only full snapshot is skipped
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := NewBuilder(tt.cfg, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = b.Build(context.Background(), strings.NewReader(tt.input), &memSink{})
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
	if err := (Config{GzipLevel: 12, SegmentDuration: -1}).Validate(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "GzipLevel") || !strings.Contains(err.Error(), "SegmentDuration") {
		t.Errorf("Validate = %v", err)
	}
}

func TestStateAtMatchesTruthFrames(t *testing.T) {
	// recording-meta.json of the sign-in case: at 6145 ms both fields are
	// typed at 1280x800; at 8564 ms the window is 500x700.
	input := readTestdata(t, "bootstrap-sign-in-password.rrweb.json")
	b, _ := NewBuilder(Config{}, nil, nil)
	m, _, err := b.StateAt(context.Background(), bytes.NewReader(input), 6145*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := m.Viewport(); w != 1280 || h != 800 || m.Node(44).Attr("value") != "alice@example.com" || len(m.Node(52).Attr("value")) != 28 {
		t.Errorf("state at 6145 ms: %dx%d email %q", w, h, m.Node(44).Attr("value"))
	}
	m, _, err = b.StateAt(context.Background(), bytes.NewReader(input), 8564*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := m.Viewport(); w != 500 || h != 700 || m.Node(60).Attributes["checked"] != true {
		t.Errorf("state at 8564 ms: %dx%d checked %v", w, h, m.Node(60).Attributes["checked"])
	}
	s, err := ToSnapshot(m)
	if err != nil {
		t.Fatal(err)
	}
	if s.Viewport.Width != 500 || s.Viewport.Height != 700 || !strings.HasPrefix(s.URL, "http://127.0.0.1:8765/") {
		t.Errorf("snapshot viewport %+v url %q", s.Viewport, s.URL)
	}
}

// A keyframe (ToSnapshot, straight from the mirror's tree) is the snapshot
// Parse makes of the same state's full-snapshot node, but for the mark of
// where the mouse was.
func TestToSnapshotMatchesParse(t *testing.T) {
	for _, name := range recordings[:2] {
		b, _ := NewBuilder(Config{MaskSelectors: []string{".form-check"}}, nil, nil)
		m, _, err := b.StateAt(context.Background(), bytes.NewReader(readTestdata(t, name)), time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ToSnapshot(m)
		if err != nil {
			t.Fatal(err)
		}
		node, err := m.DocumentJSON()
		if err != nil {
			t.Fatal(err)
		}
		x, y := m.Scroll()
		w, h := m.Viewport()
		want, err := snapshot.Parse(node, snapshot.Options{Mask: []string{".form-check"},
			Override: snapshot.Override{URL: m.Href(), Width: w, Height: h, ScrollX: &x, ScrollY: &y}})
		if err != nil {
			t.Fatal(err)
		}
		// The one difference: where the mouse was (pointer.go), which the
		// serialized node does not carry.
		mark := regexp.MustCompile(` ` + snapshot.AttrPointer + `="[^"]*"`)
		if n := len(mark.FindAll(got.HTML, -1)); n != 1 {
			t.Errorf("%s: %d pointer marks, want 1", name, n)
		}
		got.HTML = mark.ReplaceAll(got.HTML, nil)
		if !bytes.Equal(got.HTML, want.HTML) || got.URL != want.URL || got.Viewport != want.Viewport || got.Scroll != want.Scroll || got.Nodes != want.Nodes {
			t.Errorf("%s: ToSnapshot and Parse disagree (%d vs %d bytes of HTML)", name, len(got.HTML), len(want.HTML))
		}
	}
	m, _ := NewMirror(Config{}, nil)
	if _, err := ToSnapshot(m); !errors.Is(err, ErrInvalid) {
		t.Errorf("ToSnapshot of an empty mirror: %v", err)
	}
}

func TestDirSink(t *testing.T) {
	dir := t.TempDir()
	b, _ := NewBuilder(Config{}, nil, nil)
	man, err := b.Build(context.Background(), bytes.NewReader(readTestdata(t, "todomvc-react.rrweb.json")), DirSink{dir})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var back Manifest
	if err := json.Unmarshal(data, &back); err != nil || back.Format != BundleFormat || len(back.Segments) != len(man.Segments) {
		t.Errorf("manifest.json does not read back: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "segments", "000.json.gz")); err != nil {
		t.Error(err)
	}
	if err := (DirSink{dir}).Put(context.Background(), "../x", nil, "", ""); !errors.Is(err, ErrInvalid) {
		t.Errorf("DirSink accepted ../x: %v", err)
	}
}

// SnapshotRatio bounds what the synthetic snapshots cost, whatever the
// segment duration: with 1 s segments and a ratio of 4, the segments
// weigh at most 1.6 times one segment of the whole recording (inline data
// moved out; small gzip streams compress worse), and a lower ratio gives
// more segments.
func TestSnapshotRatio(t *testing.T) {
	for _, name := range recordings[:2] {
		input := readTestdata(t, name)
		sizes, counts := map[float64]int{}, map[float64]int{}
		for _, ratio := range []float64{-1, 0, 4} {
			b, _ := NewBuilder(Config{SegmentDuration: time.Second, SnapshotRatio: ratio}, nil, nil)
			man, err := b.Build(context.Background(), bytes.NewReader(input), &memSink{})
			if err != nil {
				t.Fatal(err)
			}
			total := 0
			for _, s := range man.Segments {
				total += s.Bytes
			}
			sizes[ratio], counts[ratio] = total, len(man.Segments)
			t.Logf("%s, 1 s segments, SnapshotRatio %v: %d segments, %d B", name, ratio, len(man.Segments), total)
		}
		one, _ := NewBuilder(Config{SegmentDuration: time.Hour}, nil, nil)
		man, err := one.Build(context.Background(), bytes.NewReader(input), &memSink{})
		if err != nil || len(man.Segments) != 1 {
			t.Fatalf("one segment: %v", err)
		}
		if single := man.Segments[0].Bytes; float64(sizes[4]) > 1.6*float64(single) {
			t.Errorf("%s: ratio 4: segments %d B, one segment %d B", name, sizes[4], single)
		}
		if !(sizes[-1] > sizes[0] && sizes[0] > sizes[4]) || !(counts[-1] > counts[0] && counts[0] > counts[4]) {
			t.Errorf("%s: the ratio does not order the bundles: %v B, %v segments", name, sizes, counts)
		}
	}
}

// A navigation (Meta with a new href, then its FullSnapshot) lists the
// page and takes a keyframe of the new page's DOM.
func TestNavigationKeyframe(t *testing.T) {
	second := strings.NewReplacer(`"timestamp":1000`, `"timestamp":3050`, `"hi"`, `"second page"`).Replace(baseSnapshot)
	in := `[{"type":4,"timestamp":1000,"data":{"href":"http://a.test/one","width":800,"height":600}},` + baseSnapshot + `,
	 {"type":3,"timestamp":2000,"data":{"source":1,"positions":[]}},
	 {"type":4,"timestamp":3000,"data":{"href":"http://a.test/two","width":800,"height":600}},` + second + `,
	 {"type":3,"timestamp":4000,"data":{"source":1,"positions":[]}}]`
	sh := &fakeShooter{}
	b, _ := NewBuilder(Config{KeyframeInterval: -1}, sh, nil)
	man, err := b.Build(context.Background(), strings.NewReader(in), &memSink{})
	if err != nil {
		t.Fatal(err)
	}
	if len(man.Pages) != 2 || man.Pages[1].Href != "http://a.test/two" || man.Pages[1].AtMs != 2000 {
		t.Errorf("pages = %+v", man.Pages)
	}
	if len(man.Keyframes) != 1 || man.Keyframes[0].Reason != "navigation" || man.Keyframes[0].AtMs != 2050 {
		t.Fatalf("keyframes = %+v", man.Keyframes)
	}
	if !bytes.Contains(sh.snaps[0].HTML, []byte("second page")) || sh.snaps[0].URL != "http://a.test/two" {
		t.Errorf("navigation keyframe shows %q at %s", sh.snaps[0].HTML, sh.snaps[0].URL)
	}
}
