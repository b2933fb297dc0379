package settings

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kilnrender/kiln/storage"
)

func TestParseAndValidate(t *testing.T) {
	good := `{"mask":[".card","input[name=iban]"],"block":["#secret"],"drop":{"networkBodies":true,"formFields":["phone"]},"scrubKeys":["(?i)x-tenant"],"retentionDays":30}`
	s, err := Parse([]byte(good))
	if err != nil || len(s.Mask) != 2 || !s.Drop.NetworkBodies || s.RetentionDays != 30 {
		t.Fatalf("%+v %v", s, err)
	}
	for name, doc := range map[string]string{
		"unknown field":      `{"masks":[".card"]}`,
		"combinator":         `{"mask":["form .card"]}`,
		"refused pseudo":     `{"block":["div:has(p)"]}`,
		"bad regexp":         `{"scrubValues":["(unclosed"]}`,
		"negative retention": `{"retentionDays":-1}`,
		"not JSON":           `{`,
	} {
		if _, err := Parse([]byte(doc)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}

// Saved settings read back, and the cache sees a change once its TTL has
// passed, without a restart.
func TestSaveLoadCache(t *testing.T) {
	st, err := storage.NewFolder(storage.FolderConfig{Dir: t.TempDir(), BaseURL: "http://127.0.0.1:1", NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if s, err := Load(ctx, st, "acme"); err != nil || s.RetentionDays != 0 {
		t.Fatalf("default: %+v %v", s, err)
	}
	c := NewCache(st, 50*time.Millisecond)
	c.Get(ctx, "acme")
	if err := Save(ctx, st, "acme", Settings{Mask: []string{".card"}}); err != nil {
		t.Fatal(err)
	}
	if err := Save(ctx, st, "acme", Settings{Mask: []string{"a b"}}); err == nil || !strings.Contains(err.Error(), "mask") {
		t.Fatalf("invalid settings saved: %v", err)
	}
	time.Sleep(60 * time.Millisecond)
	if s, err := c.Get(ctx, "acme"); err != nil || len(s.Mask) != 1 {
		t.Fatalf("after the TTL: %+v %v", s, err)
	}
}
