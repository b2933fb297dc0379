package snapshot

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestReplaySchemaMatchesDecoder keeps docs/replay.schema.json and the
// fields the EventDecoder reads in Kiln replay JSON in step; its resources
// are snapshot JSON's.
func TestReplaySchemaMatchesDecoder(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "docs", "replay.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Schema     string `json:"$schema"`
		Required   []string
		Properties map[string]struct {
			Ref        string                     `json:"$ref"`
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	if s.Schema != "https://json-schema.org/draft/2020-12/schema" || !slices.Equal(s.Required, []string{"events"}) {
		t.Errorf("$schema %q, required %v", s.Schema, s.Required)
	}
	if got, want := keys(s.Properties), keys(replayFields); !slices.Equal(got, want) {
		t.Errorf("top level: schema has %v, decoder reads %v", got, want)
	}
	if got, want := keys(s.Properties["viewport"].Properties), keys(replayViewportFields); !slices.Equal(got, want) {
		t.Errorf("viewport: schema has %v, decoder reads %v", got, want)
	}
	if r := s.Properties["resources"].Ref; r != "snapshot.schema.json#/properties/resources" {
		t.Errorf("resources: $ref %q, want snapshot JSON's", r)
	}
}
