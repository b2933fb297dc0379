package snapshot

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

type schemaNode struct {
	Type                 any                    `json:"type"`
	Properties           map[string]*schemaNode `json:"properties"`
	Items                *schemaNode            `json:"items"`
	Required             []string               `json:"required"`
	AdditionalProperties *bool                  `json:"additionalProperties"`
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestSchemaMatchesParser keeps docs/snapshot.schema.json and the fields
// Parse accepts in step, object by object.
func TestSchemaMatchesParser(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "docs", "snapshot.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Schema string `json:"$schema"`
		schemaNode
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	if s.Schema != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %q", s.Schema)
	}
	for _, c := range []struct {
		name   string
		schema *schemaNode
		parser map[string]bool
	}{
		{"top level", &s.schemaNode, kilnFields},
		{"viewport", s.Properties["viewport"], kilnViewportFields},
		{"scroll", s.Properties["scroll"], kilnScrollFields},
		{"resources[]", s.Properties["resources"].Items, kilnResourceFields},
	} {
		if c.schema == nil {
			t.Fatalf("%s: missing in schema", c.name)
		}
		got, want := keys(c.schema.Properties), keys(c.parser)
		if len(got) != len(want) {
			t.Errorf("%s: schema has %v, parser accepts %v", c.name, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: schema has %v, parser accepts %v", c.name, got, want)
				break
			}
		}
		if c.schema.AdditionalProperties == nil || *c.schema.AdditionalProperties {
			t.Errorf("%s: schema allows unknown fields, the parser does not", c.name)
		}
	}
}

// TestSchemaExampleParses builds a Kiln snapshot from the corpus (the
// email page plus one resource), checks it structurally against the schema
// and parses it.
func TestSchemaExampleParses(t *testing.T) {
	example := map[string]any{
		"version":  1,
		"url":      "http://127.0.0.1:8765/email/index.html",
		"html":     string(fixture(t, "rrweb-email-mobile.html")),
		"viewport": map[string]any{"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": true},
		"scroll":   map[string]any{"x": 0, "y": 0},
		"resources": []any{map[string]any{
			"url": "http://127.0.0.1:8765/email/logo.png", "contentType": "image/png", "data": "iVBORw0KGgo=",
		}},
		"mask": []string{".footer"},
	}
	raw, err := os.ReadFile(filepath.Join("..", "docs", "snapshot.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var schema schemaNode
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(example)
	var generic any
	json.Unmarshal(b, &generic)
	checkAgainst(t, "", &schema, generic)

	s := mustParse(t, b, Options{})
	if s.Source != SourceKiln || s.Viewport.Width != 390 || !s.Viewport.Mobile || len(s.Resources) != 1 || string(s.Resources[0].Data[:4]) != "\x89PNG" {
		t.Errorf("parsed %+v", s)
	}
}

// checkAgainst is a structural check: types, required and unknown fields.
func checkAgainst(t *testing.T, path string, s *schemaNode, v any) {
	t.Helper()
	switch typ := s.Type.(type) {
	case string:
		ok := false
		switch v.(type) {
		case map[string]any:
			ok = typ == "object"
		case []any:
			ok = typ == "array"
		case string:
			ok = typ == "string"
		case float64:
			ok = typ == "number" || (typ == "integer" && v.(float64) == float64(int64(v.(float64))))
		case bool:
			ok = typ == "boolean"
		}
		if !ok {
			t.Errorf("%s: %T is not %s", path, v, typ)
		}
	}
	switch v := v.(type) {
	case map[string]any:
		for _, r := range s.Required {
			if _, ok := v[r]; !ok {
				t.Errorf("%s: %s required", path, r)
			}
		}
		for k, val := range v {
			p, ok := s.Properties[k]
			if !ok {
				if s.AdditionalProperties != nil && !*s.AdditionalProperties {
					t.Errorf("%s.%s: not in schema", path, k)
				}
				continue
			}
			checkAgainst(t, path+"."+k, p, val)
		}
	case []any:
		if s.Items != nil {
			for _, it := range v {
				checkAgainst(t, path+"[]", s.Items, it)
			}
		}
	}
}
