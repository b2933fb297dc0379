package ingest

import (
	"errors"
	"fmt"
	"time"
)

// Config tunes the API.
type Config struct {
	// MaxBodyBytes caps a request body as sent (compressed or not).
	MaxBodyBytes int64
	// MaxInflatedBytes caps a gzip body after inflation. Inflation stops at
	// the cap, so a small gzip bomb costs at most this much work.
	MaxInflatedBytes int64
	// ProjectCap is how many jobs one project may have queued, running or
	// retrying; over it, submissions answer 429. 0 means no cap.
	ProjectCap int
	// MaxWait bounds ?wait= on GET /v1/jobs/{id}.
	MaxWait time.Duration
	// URLTTL is the lifetime of signed result URLs.
	URLTTL time.Duration
	// IdempotencyTTL is how long an Idempotency-Key (or an identical body)
	// maps to its job. Keep it at most the queue's retention: past it the
	// job's status is gone anyway.
	IdempotencyTTL time.Duration
	// Viewer serves the viewer page at / (and its files at /viewer/). The
	// page holds no data: it calls the API with a key the user gives it.
	Viewer bool
}

// DefaultConfig returns the production defaults. A Gleap body with
// inlined images is ~0.6 MB; 32 MB leaves room for pages with large inline
// canvases and recordings (rrweb users report ~4 MB per 90 s).
func DefaultConfig() Config {
	return Config{
		MaxBodyBytes:     32 << 20,
		MaxInflatedBytes: 128 << 20,
		ProjectCap:       1000,
		MaxWait:          30 * time.Second,
		URLTTL:           time.Hour,
		IdempotencyTTL:   24 * time.Hour,
	}
}

// Validate reports every problem in c at once.
func (c Config) Validate() error {
	var errs []error
	if c.MaxBodyBytes <= 0 {
		errs = append(errs, errors.New("ingest: max body bytes must be positive"))
	}
	if c.MaxInflatedBytes < c.MaxBodyBytes {
		errs = append(errs, errors.New("ingest: max inflated bytes must be at least max body bytes"))
	}
	if c.ProjectCap < 0 {
		errs = append(errs, errors.New("ingest: project cap must not be negative"))
	}
	if c.MaxWait <= 0 || c.MaxWait > 5*time.Minute {
		errs = append(errs, fmt.Errorf("ingest: max wait must be in (0, 5m], got %v", c.MaxWait))
	}
	if c.URLTTL <= 0 {
		errs = append(errs, errors.New("ingest: URL TTL must be positive"))
	}
	if c.IdempotencyTTL <= 0 {
		errs = append(errs, errors.New("ingest: idempotency TTL must be positive"))
	}
	return errors.Join(errs...)
}
