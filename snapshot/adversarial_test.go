package snapshot

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// adversarialInputs are worst cases other than selectors, each within the
// documented limits: they must parse (or be refused) in well under a
// second of CPU, which BenchmarkAdversarialInputs checks.
func adversarialInputs() []struct {
	name string
	data []byte
	opts Options
} {
	kiln := func(html string, n, size int) []byte {
		res := make([]map[string]string, n)
		data := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("x", size)))
		for i := range res {
			res[i] = map[string]string{"url": fmt.Sprintf("https://a.test/r%d.png", i), "contentType": "image/png", "data": data}
		}
		b, _ := json.Marshal(map[string]any{"version": 1, "url": "https://a.test/", "html": html, "resources": res})
		return b
	}
	var attrs strings.Builder
	for i := 0; i < 50_000; i++ {
		fmt.Fprintf(&attrs, ` data-a%d="v"`, i)
	}
	var srcset strings.Builder
	for i := 0; i < 100_000; i++ {
		fmt.Fprintf(&srcset, "https://a.test/i%d.png %dw, ", i, i+1)
	}
	html := Options{Name: "x.html"}
	return []struct {
		name string
		data []byte
		opts Options
	}{
		{"many resources", kiln("<p>x</p>", DefaultMaxResources, 16<<10), Options{}},
		{"huge attribute count", []byte("<!doctype html><body><div" + attrs.String() + ">x</div>"), html},
		{"long srcset", []byte(`<!doctype html><body><img srcset="` + srcset.String() + `">`), html},
		{"deep @import chain", []byte("<!doctype html><style>" + strings.Repeat("@import url(https://a.test/x.css);\n", 50_000) + "</style><p>x</p>"), html},
		{"deep nesting at the limit", []byte(strings.Repeat("<div>", DefaultMaxDepth-5) + "x"), html},
		{"many small elements", []byte("<!doctype html><body>" + strings.Repeat("<b>x</b>", 150_000)), html},
	}
}

func TestAdversarialInputs(t *testing.T) {
	for _, tc := range adversarialInputs() {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Parse(tc.data, tc.opts); err != nil && !strings.Contains(err.Error(), "parse snapshot") {
				t.Fatalf("error without the parser's prefix: %v", err)
			}
		})
	}
}

// BenchmarkAdversarialInputs parses each worst case; every case must stay
// under half a second of CPU, or the benchmark fails.
//
//	go test ./snapshot -run '^$' -bench AdversarialInputs
func BenchmarkAdversarialInputs(b *testing.B) {
	for _, tc := range adversarialInputs() {
		b.Run(strings.ReplaceAll(tc.name, " ", "_"), func(b *testing.B) {
			b.SetBytes(int64(len(tc.data)))
			for range b.N {
				Parse(tc.data, tc.opts)
			}
			if per := b.Elapsed().Seconds() / float64(b.N); per > 0.5 {
				b.Errorf("%.2f s per parse, over the 0.5 s budget", per)
			}
		})
	}
}
