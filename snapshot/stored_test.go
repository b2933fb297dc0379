package snapshot

import (
	"errors"
	"reflect"
	"testing"

	"github.com/kilnrender/kiln/internal/testenv"
)

func corpusInput(t testing.TB, rel string) []byte {
	t.Helper()
	return testenv.ReadFixture(t, "../testdata/corpus/"+rel)
}

// A parsed snapshot survives the stored form unchanged, and every
// truncation or corruption of it is ErrInvalid, never a panic.
func TestStoredRoundTrip(t *testing.T) {
	for _, rel := range []string{"gleap-live/feedback.json.gz", "purple-admin-dashboard/snapshot.kiln.json.gz", "todomvc-react/snapshot.rrweb.json.gz"} {
		s := mustParse(t, corpusInput(t, rel), Options{Mask: []string{"h1"}})
		enc := EncodeBytes(s)
		if !IsStored(enc) {
			t.Fatalf("%s: no magic", rel)
		}
		got, err := Decode(enc)
		if err != nil {
			t.Fatalf("%s: decode: %v", rel, err)
		}
		if !reflect.DeepEqual(got, s) {
			t.Fatalf("%s: round trip differs:\n got %+v\nwant %+v", rel, got.Viewport, s.Viewport)
		}
		for _, cut := range []int{0, 5, len(StoredMagic) + 2, len(StoredMagic) + 40, len(enc) / 2, len(enc) - 1} {
			if _, err := Decode(enc[:cut]); !errors.Is(err, ErrInvalid) {
				t.Fatalf("%s: truncated at %d: err %v, want ErrInvalid", rel, cut, err)
			}
		}
		if _, err := Decode(append(append([]byte(nil), enc...), 'x')); !errors.Is(err, ErrInvalid) {
			t.Fatalf("%s: trailing byte accepted: %v", rel, err)
		}
	}
}

func FuzzDecodeStored(f *testing.F) {
	s := &Snapshot{Source: SourceHTML, URL: "https://x.test/", HTML: []byte("<p>x</p>"),
		Resources: []Resource{{URL: "https://x.test/a.png", ContentType: "image/png", Data: []byte("PNG")}}}
	f.Add(EncodeBytes(s))
	f.Add([]byte(StoredMagic + "\x00\x00\x00\x02{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Decode(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		again, err := Decode(EncodeBytes(got))
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Fatalf("a decoded snapshot does not survive re-encoding: %v", err)
		}
	})
}

// The worker reads the stored form instead of parsing the input again:
// this is what that saves per job.
func BenchmarkWorkerInput(b *testing.B) {
	in := corpusInput(b, "purple-admin-dashboard/snapshot.kiln.json.gz")
	s := mustParse(b, in, Options{})
	enc := EncodeBytes(s)
	b.Run("parse-raw", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		for i := 0; i < b.N; i++ {
			if _, err := Parse(in, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode-stored", func(b *testing.B) {
		b.SetBytes(int64(len(enc)))
		for i := 0; i < b.N; i++ {
			if _, err := Decode(enc); err != nil {
				b.Fatal(err)
			}
		}
	})
}
