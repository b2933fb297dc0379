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
	// RenderWait is how long POST /v1/render waits for its job before it
	// answers 504 with the job's id (the job goes on; poll its status).
	// Keep it under the proxy's and the client's own timeouts: 30 s
	// covers a screenshot (a few seconds) queued behind a short backlog.
	RenderWait time.Duration
	// URLTTL is the lifetime of signed result URLs.
	URLTTL time.Duration
	// IdempotencyTTL is how long an Idempotency-Key (or an identical body)
	// maps to its job. Keep it at most the queue's retention: past it the
	// job's status is gone anyway.
	IdempotencyTTL time.Duration
	// Viewer serves the viewer page at / (and its files at /viewer/). The
	// page holds no data: it calls the API with a key the user gives it.
	Viewer bool
	// BodyGrace and MinBodyRate bound how long a request body may take:
	// the grace, plus one second per MinBodyRate bytes received, so a
	// client trickling a byte every few seconds is cut off after the
	// grace (408) while a slow phone uploading steadily is not.
	BodyGrace   time.Duration
	MinBodyRate int64 // bytes per second
	// MaxBodyTime caps a body's read whatever its rate.
	MaxBodyTime time.Duration
	// MaxUploadsPerClient caps the request bodies one client (by remote
	// address, or ClientIPHeader) may be sending at once; more answer 429.
	// 0 means no cap.
	MaxUploadsPerClient int
	// ClientIPHeader names a header that carries the client's address when
	// the API runs behind a proxy that sets it (e.g. Fly-Client-IP,
	// X-Forwarded-For: its first address). Empty: the connection's remote
	// address. Only set it behind a proxy that overwrites the header.
	ClientIPHeader string
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
		RenderWait:       30 * time.Second,
		URLTTL:           time.Hour,
		IdempotencyTTL:   24 * time.Hour,
		// 16 KiB/s: a 32 MB body in about half an hour; a slow-loris
		// client is cut off after the 30 s grace.
		BodyGrace:           30 * time.Second,
		MinBodyRate:         16 << 10,
		MaxBodyTime:         30 * time.Minute,
		MaxUploadsPerClient: 8,
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
	if c.RenderWait <= 0 || c.RenderWait > 5*time.Minute {
		errs = append(errs, fmt.Errorf("ingest: render wait must be in (0, 5m], got %v", c.RenderWait))
	}
	if c.URLTTL <= 0 {
		errs = append(errs, errors.New("ingest: URL TTL must be positive"))
	}
	if c.IdempotencyTTL <= 0 {
		errs = append(errs, errors.New("ingest: idempotency TTL must be positive"))
	}
	if c.BodyGrace <= 0 || c.MinBodyRate <= 0 || c.MaxBodyTime < c.BodyGrace {
		errs = append(errs, errors.New("ingest: body grace and rate must be positive, and the max body time at least the grace"))
	}
	if c.MaxUploadsPerClient < 0 {
		errs = append(errs, errors.New("ingest: max uploads per client must not be negative"))
	}
	return errors.Join(errs...)
}
