package main

import (
	"strings"
	"sync"

	"github.com/kilnrender/kiln/scrub"
	"github.com/kilnrender/kiln/settings"
)

// itemScrubber returns the API's scrubbing of a feedback item's decoded
// fields: scrub's defaults plus the project's extra name and value
// patterns. Scrubbers are compiled once per distinct pattern set and kept
// (a few per deployment in practice; bounded at 1,000).
func itemScrubber() (func(settings.Settings, any) any, error) {
	base, err := scrub.New(scrub.DefaultConfig())
	if err != nil {
		return nil, err
	}
	var (
		mu    sync.Mutex
		cache = map[string]*scrub.Scrubber{}
	)
	get := func(ps settings.Settings) *scrub.Scrubber {
		if len(ps.ScrubKeys) == 0 && len(ps.ScrubValues) == 0 {
			return base
		}
		key := strings.Join(ps.ScrubKeys, "\x00") + "\x01" + strings.Join(ps.ScrubValues, "\x00")
		mu.Lock()
		defer mu.Unlock()
		if s, ok := cache[key]; ok {
			return s
		}
		cfg := scrub.DefaultConfig()
		cfg.ExtraNames, cfg.ExtraValues = ps.ScrubKeys, ps.ScrubValues
		s, err := scrub.New(cfg)
		if err != nil {
			// Settings are validated when saved; a pattern scrub refuses
			// anyway falls back to the defaults rather than to nothing.
			return base
		}
		if len(cache) >= 1000 {
			clear(cache)
		}
		cache[key] = s
		return s
	}
	return func(ps settings.Settings, v any) any {
		out, _ := get(ps).Item(v)
		return out
	}, nil
}
