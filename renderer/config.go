package renderer

import (
	"errors"
	"fmt"
	"time"

	"github.com/kilnrender/kiln/netguard"
)

// Config configures a Pool. Zero fields take the value of DefaultConfig.
type Config struct {
	// ChromePath is the Chromium binary; empty means the first of
	// chromium, chromium-browser, google-chrome on PATH. (kiln sets it from
	// --chrome / KILN_CHROME_PATH; the package reads no environment.)
	ChromePath string
	// Browsers is the number of Chromium processes. Capture is serialized
	// inside one browser process, so two processes with one tab each beat
	// one process with two tabs on a 2-core machine (docs/benchmarks.md).
	Browsers int
	// ReadyAfter is how many browsers New waits for; the others start
	// alongside and join the pool as they come up (a failed one is retried
	// in the background, like a restart). 0 means all of them. A batch
	// (kiln render) sets 1: its first render starts as soon as one
	// browser is warm instead of when the slowest is.
	ReadyAfter int
	// TabsPerBrowser is the number of warm tabs in each browser; each tab
	// renders one job at a time in a browser context of its own.
	TabsPerBrowser int
	// RecycleAfter restarts a browser after it has rendered this many jobs,
	// which bounds the memory a long-lived Chromium accumulates.
	RecycleAfter int
	// JobTimeout bounds one render when the caller's context has a later
	// deadline (or none).
	JobTimeout time.Duration
	// StartTimeout bounds a browser's start (cold start is 2.5–5 s here).
	StartTimeout time.Duration
	// MaxFullPageHeight caps a full-page capture, in CSS pixels: a 44k px
	// page took 3–8 s and 5–8 MB as PNG.
	MaxFullPageHeight int
	// MaxResources caps the subresources one render may load (served from
	// the snapshot or fetched); further requests fail.
	MaxResources int
	// MaxFetchBytes caps the bytes one render may fetch from the network.
	MaxFetchBytes int64
	// SettleTimeout bounds the wait for the load event, and separately the
	// settle step's waits (canvas pictures, web fonts, images) together; a
	// page that does not settle in time is captured as it is, with a
	// warning. A render whose deadline is nearer gets a third of the time
	// left for each, so that capture always has its turn.
	SettleTimeout time.Duration
	// Fetch configures the fetcher (netguard.Fetcher) used for resources
	// not in the snapshot: its network policy and limits. Fetching can be
	// turned off with NoFetch.
	Fetch   netguard.Config
	NoFetch bool
	// FontConfig is a fontconfig file for Chromium; empty means the one
	// Kiln writes itself, listing exactly the fonts Kiln installs, so that a
	// render does not change with whatever else is installed.
	FontConfig string
	// Logf, when set, receives browser lifecycle messages (starts, restarts).
	Logf func(format string, args ...any)
}

// BrowserMemory is what one browser of a pool takes at its peak, with one
// tab rendering real pages: its browser, GPU and renderer processes
// (docs/deploy.md, measured: one browser and the worker peaked at 1,007
// MB, three browsers at 3,097 MB).
const BrowserMemory = 1050 << 20

// BrowsersFor sizes a pool for a machine with cores and mem bytes of
// memory available (0: unknown, DefaultConfig's 2): as many browsers as
// 85 % of mem holds at BrowserMemory each, at most one per core, at least
// one. Capture is serialized inside a browser and each keeps about a core
// busy; on 2 cores a third browser measured within noise of two
// (docs/benchmarks.md) for a gigabyte more, so memory and cores decide.
func BrowsersFor(cores int, mem int64) int {
	if mem <= 0 {
		return DefaultConfig().Browsers
	}
	n := int(mem / 100 * 85 / BrowserMemory)
	return max(1, min(n, max(cores, 1)))
}

// DefaultConfig returns the defaults, sized for a 2-core machine.
func DefaultConfig() Config {
	return Config{
		Browsers:          2,
		TabsPerBrowser:    1,
		RecycleAfter:      500,
		JobTimeout:        30 * time.Second,
		StartTimeout:      30 * time.Second,
		MaxFullPageHeight: 10000,
		MaxResources:      500,
		MaxFetchBytes:     64 << 20,
		SettleTimeout:     10 * time.Second,
		Fetch:             netguard.DefaultConfig(),
	}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Browsers == 0 {
		c.Browsers = d.Browsers
	}
	if c.TabsPerBrowser == 0 {
		c.TabsPerBrowser = d.TabsPerBrowser
	}
	if c.ReadyAfter == 0 || c.ReadyAfter > c.Browsers {
		c.ReadyAfter = c.Browsers
	}
	if c.RecycleAfter == 0 {
		c.RecycleAfter = d.RecycleAfter
	}
	if c.JobTimeout == 0 {
		c.JobTimeout = d.JobTimeout
	}
	if c.StartTimeout == 0 {
		c.StartTimeout = d.StartTimeout
	}
	if c.MaxFullPageHeight == 0 {
		c.MaxFullPageHeight = d.MaxFullPageHeight
	}
	if c.MaxResources == 0 {
		c.MaxResources = d.MaxResources
	}
	if c.MaxFetchBytes == 0 {
		c.MaxFetchBytes = d.MaxFetchBytes
	}
	if c.SettleTimeout == 0 {
		c.SettleTimeout = d.SettleTimeout
	}
	return c
}

// Validate reports every invalid field at once.
func (c Config) Validate() error {
	c = c.withDefaults()
	var errs []error
	if c.Browsers < 1 || c.Browsers > 64 {
		errs = append(errs, fmt.Errorf("browsers: %d not in 1..64", c.Browsers))
	}
	if c.ReadyAfter < 0 {
		errs = append(errs, fmt.Errorf("ready after: %d must not be negative", c.ReadyAfter))
	}
	if c.TabsPerBrowser < 1 || c.TabsPerBrowser > 32 {
		errs = append(errs, fmt.Errorf("tabs per browser: %d not in 1..32", c.TabsPerBrowser))
	}
	if c.RecycleAfter < 1 {
		errs = append(errs, fmt.Errorf("recycle after: %d must be positive", c.RecycleAfter))
	}
	if c.JobTimeout < time.Second {
		errs = append(errs, fmt.Errorf("job timeout: %v below 1s", c.JobTimeout))
	}
	if c.SettleTimeout < 0 {
		errs = append(errs, fmt.Errorf("settle timeout: %v must not be negative", c.SettleTimeout))
	}
	if c.MaxFullPageHeight < 100 || c.MaxFullPageHeight > 60000 {
		errs = append(errs, fmt.Errorf("max full-page height: %d not in 100..60000", c.MaxFullPageHeight))
	}
	if c.MaxResources < 0 || c.MaxFetchBytes < 0 {
		errs = append(errs, errors.New("resource limits must not be negative"))
	}
	if !c.NoFetch {
		if err := c.Fetch.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("fetch: %w", err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("renderer config: %w", err)
	}
	return nil
}
