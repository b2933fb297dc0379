package snapshot

import (
	"path/filepath"
	"strings"
	"testing"
)

func benchParse(b *testing.B, file string) {
	data := fixture(b, file)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// The Gleap local payload: 605 KB of JSON, 540 KB of HTML.
func BenchmarkParseGleapLocal(b *testing.B) { benchParse(b, "gleap-local.json.gz") }

func BenchmarkParseRRWebPricing(b *testing.B) { benchParse(b, "rrweb-pricing-mobile.rrweb.json.gz") }

// BenchmarkParseKilnCorpus parses the desktop corpus snapshots in Kiln
// JSON (what `kiln render` and the bench harness read), one after
// another: ms/parse is the mean per input.
func BenchmarkParseKilnCorpus(b *testing.B) {
	files, err := filepath.Glob("../testdata/corpus/*/snapshot.kiln.json.gz")
	if err != nil || len(files) == 0 {
		b.Fatalf("no corpus snapshots: %v", err)
	}
	var ins [][]byte
	total := 0
	for _, f := range files {
		if strings.HasSuffix(filepath.Dir(f), "-mobile") {
			continue
		}
		d := fixture(b, filepath.Join("..", "corpus", filepath.Base(filepath.Dir(f)), "snapshot.kiln.json.gz"))
		ins = append(ins, d)
		total += len(d)
	}
	b.SetBytes(int64(total))
	for b.Loop() {
		for _, d := range ins {
			if _, err := Parse(d, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N)/float64(len(ins)), "ms/parse")
}
