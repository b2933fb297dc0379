package replay

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
)

// A recording of a feedback item links the item's timeline from its
// manifest, as stored (the sink's manifest.json), so a player can show it.
func TestManifestLinksTimeline(t *testing.T) {
	b, err := NewBuilder(Config{Timeline: "/v1/items/abc"}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	sink := &memSink{}
	if _, err := b.Build(context.Background(), bytes.NewReader(readTestdata(t, recordings[0])), sink); err != nil {
		t.Fatal(err)
	}
	var m struct{ Timeline string }
	if err := json.Unmarshal(sink.files["manifest.json"].data, &m); err != nil || m.Timeline != "/v1/items/abc" {
		t.Fatalf("manifest timeline %q, %v", m.Timeline, err)
	}
}
