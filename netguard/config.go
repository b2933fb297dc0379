package netguard

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"golang.org/x/net/http/httpguts"
)

// Config configures a Fetcher, a Dialer or a Client. Zero fields take the
// value of DefaultConfig. Policy, Resolver and DialContext apply to all
// three; the limits say which they bound.
type Config struct {
	// Policy widens or narrows the built-in address table: the operator's
	// allowed and denied hosts and CIDRs. The zero Policy admits public
	// addresses only.
	Policy Policy
	// Timeout bounds one Fetch as a whole: waiting for a concurrency slot,
	// every redirect hop, and reading the body. A page waits for its
	// resources, so a slow third-party host must not hold a render long.
	// For a Dialer and a Client it bounds each lookup and dial, the TLS
	// handshake and the wait for a response header.
	Timeout time.Duration
	// MaxBytes caps one response body, in bytes, after decoding. The body is
	// held in memory and handed to Chromium whole.
	MaxBytes int64
	// MaxRedirects is the number of redirects followed before giving up
	// (Fetcher and Client).
	MaxRedirects int
	// PerHostConcurrency caps simultaneous fetches to one host name, so one
	// page with hundreds of images does not hammer a third party. For a
	// Client it caps the idle connections kept per host.
	PerHostConcurrency int
	// MaxConcurrency caps simultaneous fetches for the whole Fetcher.
	MaxConcurrency int
	// UserAgent is sent with every Fetch; a Client's caller sets its own.
	UserAgent string
	// Resolver replaces DNS and DialContext the network dial; production
	// leaves both nil. Tests use them to map public-looking names to local
	// servers (netguardtest.Net). The policy check always runs on the
	// addresses Resolver returns, and DialContext is only ever given a
	// checked IP address.
	Resolver    Resolver
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Resolver looks up a host's addresses; *net.Resolver is one.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		Timeout:            10 * time.Second,
		MaxBytes:           16 << 20,
		MaxRedirects:       5,
		PerHostConcurrency: 4,
		MaxConcurrency:     32,
		UserAgent:          "Mozilla/5.0 (compatible; Kiln/1.0; +https://github.com/kilnrender/kiln)",
	}
}

// maxBytesLimit bounds MaxBytes: bodies are held in memory.
const maxBytesLimit = 1 << 30

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Timeout == 0 {
		c.Timeout = d.Timeout
	}
	if c.MaxBytes == 0 {
		c.MaxBytes = d.MaxBytes
	}
	if c.MaxRedirects == 0 {
		c.MaxRedirects = d.MaxRedirects
	}
	if c.PerHostConcurrency == 0 {
		c.PerHostConcurrency = d.PerHostConcurrency
	}
	if c.MaxConcurrency == 0 {
		c.MaxConcurrency = d.MaxConcurrency
	}
	if c.UserAgent == "" {
		c.UserAgent = d.UserAgent
	}
	return c
}

// Validate reports every invalid field at once.
func (c Config) Validate() error {
	c = c.withDefaults()
	var errs []error
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("timeout: %v is negative", c.Timeout))
	}
	if c.MaxBytes < 0 || c.MaxBytes > maxBytesLimit {
		errs = append(errs, fmt.Errorf("max bytes: %d not in 1..%d", c.MaxBytes, maxBytesLimit))
	}
	if c.MaxRedirects < 0 || c.MaxRedirects > 20 {
		errs = append(errs, fmt.Errorf("max redirects: %d not in 1..20", c.MaxRedirects))
	}
	if c.PerHostConcurrency < 0 {
		errs = append(errs, fmt.Errorf("per-host concurrency: %d is negative", c.PerHostConcurrency))
	}
	if c.MaxConcurrency < 0 {
		errs = append(errs, fmt.Errorf("max concurrency: %d is negative", c.MaxConcurrency))
	}
	if !httpguts.ValidHeaderFieldValue(c.UserAgent) {
		errs = append(errs, errors.New("user agent: not a valid header value"))
	}
	if err := c.Policy.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
