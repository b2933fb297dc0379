// Package settings holds a project's privacy settings: a small JSON
// document per project (extra mask and block selectors, parts of a
// feedback item to drop, extra scrub patterns, a retention period), stored
// in the project's prefix, validated once, and read through a short cache,
// so a change applies to new submissions within seconds and without a
// restart.
//
// The API reads them when it accepts work: masks and blocks go into the
// screenshot's normalization and into the replay job, drops and scrub
// patterns into the item's record and timeline. Retention is applied by
// the worker's periodic sweep.
package settings

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sync"
	"time"

	"github.com/kilnrender/kiln/replay"
	"github.com/kilnrender/kiln/scrub"
	"github.com/kilnrender/kiln/snapshot"
	"github.com/kilnrender/kiln/storage"
)

// Settings is one project's privacy settings. The zero value is the
// default: nothing extra masked, blocked, dropped or scrubbed, items kept
// until deleted.
type Settings struct {
	// Mask and Block are CSS selectors applied to screenshots and replays
	// on top of the SDK's own classes (rr-mask, rr-block …): masked
	// elements keep their layout with their text and values replaced;
	// blocked ones are emptied to a box of their size.
	Mask  []string `json:"mask,omitempty"`
	Block []string `json:"block,omitempty"`
	Drop  Drop     `json:"drop,omitempty"`
	// ScrubKeys are extra regular expressions for key, header and field
	// names whose values are scrubbed; ScrubValues extra regular
	// expressions for values scrubbed wherever they appear.
	ScrubKeys   []string `json:"scrubKeys,omitempty"`
	ScrubValues []string `json:"scrubValues,omitempty"`
	// RetentionDays deletes items (with their jobs and results) this many
	// days after they were received; 0 keeps them until deleted.
	RetentionDays int `json:"retentionDays,omitempty"`
}

// Drop lists parts of a feedback item that are never kept.
type Drop struct {
	NetworkBodies bool     `json:"networkBodies,omitempty"` // request and response bodies
	Console       bool     `json:"console,omitempty"`
	Replays       bool     `json:"replays,omitempty"` // the recording: no replay job, no recorded timeline entries
	CustomData    bool     `json:"customData,omitempty"`
	FormFields    []string `json:"formFields,omitempty"` // form fields by name
}

// Bounds of a settings document.
const (
	maxPatterns      = 64
	maxPatternBytes  = 512
	maxRetentionDays = 3650
	maxDocBytes      = 64 << 10
)

// ErrInvalid wraps every validation error.
var ErrInvalid = errors.New("invalid settings")

// Validate reports every problem at once: selectors must compile under
// the mask selectors' bounds, patterns must be regular expressions (RE2:
// linear time) of bounded number and size.
func (s Settings) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...))
	}
	// A selector must apply to screenshots and replays alike: the replay
	// mirror takes simple compounds only, so those are what settings take.
	for name, list := range map[string][]string{"mask": s.Mask, "block": s.Block} {
		if _, err := snapshot.CompileSelectors(name, list); err != nil {
			bad("%v", err)
		}
		for i, sel := range list {
			if err := replay.CheckSelector(sel); err != nil {
				bad("%s[%d]: replays take simple selectors only (tag, #id, .class, [attr], [attr=value], comma lists)", name, i)
			}
		}
	}
	for name, list := range map[string][]string{"scrubKeys": s.ScrubKeys, "scrubValues": s.ScrubValues, "drop.formFields": s.Drop.FormFields} {
		if len(list) > maxPatterns {
			bad("%s: more than %d entries", name, maxPatterns)
		}
		for i, p := range list {
			if len(p) == 0 || len(p) > maxPatternBytes {
				bad("%s[%d]: empty or longer than %d bytes", name, i, maxPatternBytes)
				continue
			}
			if name == "drop.formFields" {
				continue
			}
			if _, err := regexp.Compile(p); err != nil {
				bad("%s[%d]: not a regular expression", name, i)
			}
		}
	}
	if err := (scrub.Config{ExtraNames: s.ScrubKeys, ExtraValues: s.ScrubValues}).Validate(); err != nil {
		bad("%v", err)
	}
	if s.RetentionDays < 0 || s.RetentionDays > maxRetentionDays {
		bad("retentionDays: %d not in 0..%d", s.RetentionDays, maxRetentionDays)
	}
	return errors.Join(errs...)
}

// Parse reads and validates a settings document; unknown fields are
// refused (a typo must not silently leave data unprotected).
func Parse(b []byte) (Settings, error) {
	var s Settings
	if len(b) > maxDocBytes {
		return s, fmt.Errorf("%w: over %d bytes", ErrInvalid, maxDocBytes)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&s); err != nil {
		return Settings{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return s, s.Validate()
}

// Load reads project's settings; a project that never set any has the
// zero Settings.
func Load(ctx context.Context, st storage.Store, project string) (Settings, error) {
	key, err := storage.SettingsKey(project)
	if err != nil {
		return Settings{}, err
	}
	rc, _, err := st.Get(ctx, key, nil)
	if errors.Is(err, storage.ErrNotFound) {
		return Settings{}, nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("load settings: %w", err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxDocBytes+1))
	if err != nil {
		return Settings{}, fmt.Errorf("load settings: %w", err)
	}
	return Parse(b)
}

// Save validates and stores project's settings.
func Save(ctx context.Context, st storage.Store, project string, s Settings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	key, err := storage.SettingsKey(project)
	if err != nil {
		return err
	}
	b, _ := json.MarshalIndent(s, "", "  ")
	if err := st.Put(ctx, key, bytes.NewReader(b), int64(len(b)), storage.PutOptions{ContentType: "application/json", CacheControl: "no-store"}); err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	return nil
}

// Cache reads settings through a store with a short time to live: a
// change applies within TTL everywhere, without a restart, and a busy API
// does not read the store for every request.
type Cache struct {
	store storage.Store
	ttl   time.Duration

	mu sync.Mutex
	m  map[string]cached
}

type cached struct {
	s  Settings
	at time.Time
}

// NewCache reads st; ttl 0 means 10 s.
func NewCache(st storage.Store, ttl time.Duration) *Cache {
	if ttl == 0 {
		ttl = 10 * time.Second
	}
	return &Cache{store: st, ttl: ttl, m: map[string]cached{}}
}

// Get returns project's settings, from the cache when fresh.
func (c *Cache) Get(ctx context.Context, project string) (Settings, error) {
	c.mu.Lock()
	e, ok := c.m[project]
	c.mu.Unlock()
	if ok && time.Since(e.at) < c.ttl {
		return e.s, nil
	}
	s, err := Load(ctx, c.store, project)
	if err != nil {
		return Settings{}, err
	}
	c.mu.Lock()
	if len(c.m) > 10_000 {
		clear(c.m) // bounded: a few thousand projects stay warm
	}
	c.m[project] = cached{s, time.Now()}
	c.mu.Unlock()
	return s, nil
}

// Forget drops project from the cache (after a Save or a delete).
func (c *Cache) Forget(project string) {
	c.mu.Lock()
	delete(c.m, project)
	c.mu.Unlock()
}
