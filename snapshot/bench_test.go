package snapshot

import "testing"

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
