package ingest

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/kilnrender/kiln/snapshot"
)

// checkRecording keeps what the worker needs of a recording: Kiln replay
// JSON whole (its resources and density), a Gleap body's webReplay with
// the density of its metaData, and refuses what the worker would.
func TestCheckRecording(t *testing.T) {
	evs := `[{"type":4,"timestamp":1,"data":{"href":"https://app.example/"}},{"type":3,"timestamp":2,"data":{"source":2}}]`
	res := `"resources":[{"url":"https://app.example/a.css","contentType":"text/css","data":"cHt9"}]`
	kiln := `{"version":1,"viewport":{"deviceScaleFactor":3,"mobile":true},` + res + `,"events":` + evs + `}`
	got, err := checkRecording([]byte(kiln))
	if err != nil || string(got) != kiln {
		t.Fatalf("Kiln replay JSON: err %v, stored %.60q…", err, got)
	}
	// In another order (as serializers that sort keys write it), stored
	// in the order the worker reads.
	got, err = checkRecording([]byte(`{"events":` + evs + `,` + res + `,"sessionId":"x","version":1,"viewport":{"mobile":true}}`))
	if want := `{"version":1,"viewport":{"mobile":true},` + res + `,"events":` + evs + `}`; err != nil || string(got) != want {
		t.Errorf("reordered: err %v, stored\n%s\nwant\n%s", err, got, want)
	}
	for _, tc := range []struct {
		name, body string
		status     int
	}{
		{"version 2", `{"version":2,"events":` + evs + `}`, http.StatusUnprocessableEntity},
		{"bad resource", `{"resources":[{"url":"javascript:x","contentType":"text/css","data":""}],"events":` + evs + `}`, http.StatusBadRequest},
		{"bad density", `{"viewport":{"deviceScaleFactor":40},"events":` + evs + `}`, http.StatusBadRequest},
		{"gleap bad density", `{"metaData":{"devicePixelRatio":40},"webReplay":{"events":` + evs + `}}`, http.StatusBadRequest},
	} {
		_, err := checkRecording([]byte(tc.body))
		if status, _, _, _ := errorStatus(err); status != tc.status {
			t.Errorf("%s: status %d (%v), want %d", tc.name, status, err, tc.status)
		}
	}

	// The Gleap SDK's body: the webReplay behind its density only.
	zr, err := gzip.NewReader(bytes.NewReader(mustReadFile(t, filepath.Join("..", "testdata", "snapshot", "gleap-live.json.gz"))))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(zr)
	got, err = checkRecording(body)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(got, []byte(`{"metaData":{"devicePixelRatio":2,"mobile":false},"webReplay":{`)) || bytes.Contains(got, []byte("screenshotData")) || len(got) > len(body)/2 {
		t.Errorf("stored %d of %d bytes: %.80q…", len(got), len(body), got)
	}
	dec := snapshot.NewEventDecoder(bytes.NewReader(got), snapshot.Limits{})
	n := 0
	for ; ; n++ {
		if _, err := dec.Next(); err != nil {
			if err != io.EOF {
				t.Fatal(err)
			}
			break
		}
	}
	if n == 0 || dec.Viewport().DeviceScaleFactor != 2 || dec.Format() != snapshot.SourceGleap {
		t.Errorf("stored recording reads as %d events, %+v, format %q", n, dec.Viewport(), dec.Format())
	}
}

func mustReadFile(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
