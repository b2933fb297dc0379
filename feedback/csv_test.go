package feedback

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"
)

func rows(n int) func(yield func(Row, error) bool) {
	return func(yield func(Row, error) bool) {
		for i := 0; i < n; i++ {
			it := &Item{ID: fmt.Sprintf("item%06d", i), Created: time.Unix(1795874260, 0), Type: "BUG", Priority: "HIGH",
				Form:       map[string]any{"title": fmt.Sprintf("title %d", i), "email": "=HYPERLINK(\"http://evil\")"},
				Essentials: Essentials{Browser: "Chrome", OS: "Linux", AppVersion: "1.2.3", URL: "https://shop.example.test/"},
				Counts:     Counts{Console: 3, Network: 6, Timeline: 20, Errors: 1}}
			if !yield(Row{Item: it, Status: "done", Results: []string{"p/acme/shots/x/full.webp"}}, nil) {
				return
			}
		}
	}
}

// Every row has the form fields as columns, and a cell a spreadsheet would
// run as a formula is written as text.
func TestWriteCSV(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, []string{"email", "title"}, rows(3)); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || recs[0][6] != "form.email" || recs[0][7] != "form.title" {
		t.Fatalf("header %q", recs[0])
	}
	if r := recs[1]; r[0] != "item000000" || r[4] != "done" || r[6] != `'=HYPERLINK("http://evil")` || r[7] != "title 0" || r[len(r)-1] != "p/acme/shots/x/full.webp" {
		t.Fatalf("row %q", r)
	}
	for _, s := range []string{"=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"} {
		if got := neutralize(s); got[0] != '\'' {
			t.Errorf("neutralize(%q) = %q", s, got)
		}
	}
	if neutralize("plain") != "plain" || neutralize("") != "" {
		t.Error("neutralize changed a plain cell")
	}
}

// BenchmarkExportCSV streams 100,000 items and reports the peak heap: it
// must not grow with the item count (compare with 10,000 in the same run).
//
//	go test ./feedback -run '^$' -bench ExportCSV -benchtime 1x
func BenchmarkExportCSV(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for range b.N {
				runtime.GC()
				var peak uint64
				var ms runtime.MemStats
				i := 0
				counted := func(yield func(Row, error) bool) {
					for r, err := range rows(n) {
						if i++; i%1000 == 0 {
							runtime.ReadMemStats(&ms)
							peak = max(peak, ms.HeapInuse)
						}
						if !yield(r, err) {
							return
						}
					}
				}
				if err := WriteCSV(io.Discard, []string{"email", "title"}, counted); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			}
		})
	}
}
