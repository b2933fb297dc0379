package queue

import (
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/kilnrender/kiln/internal/procstat"
	"github.com/kilnrender/kiln/netguard"
)

// Config tunes the client and the worker. Durations that become asynq task
// timeouts must be whole seconds: asynq stores timeouts in seconds and a
// fraction would be lost (500ms becomes "no timeout").
type Config struct {
	// Concurrency is how many tasks a worker runs at once; 0 means
	// DefaultConcurrency().
	Concurrency int
	// ShutdownTimeout bounds how long a stopping worker waits for
	// in-flight tasks before requeueing them. 25 s leaves a 30 s dyno
	// grace period room to close Chromium.
	ShutdownTimeout time.Duration
	// TaskCheckInterval is how often an idle worker polls for work: the
	// pickup latency of an idle queue.
	TaskCheckInterval time.Duration
	// DelayedTaskCheckInterval is how often scheduled and retrying tasks
	// are moved back to their queue; retry delays round up to it.
	DelayedTaskCheckInterval time.Duration
	// MaxRetry is how many times a failed task is retried (at least 1:
	// with 0, a task whose worker was killed is archived, not retried).
	MaxRetry int
	// ScreenshotTimeout, ReplayTimeout and CallbackTimeout bound one
	// attempt of each task type (whole seconds).
	ScreenshotTimeout time.Duration
	ReplayTimeout     time.Duration
	CallbackTimeout   time.Duration
	// Retention keeps finished tasks (and their results) for status look-ups.
	Retention time.Duration
	// RetryBase and RetryMax shape the backoff: RetryBase·2^n, capped at
	// RetryMax, with up to 20% jitter.
	RetryBase time.Duration
	RetryMax  time.Duration
	// InflightTTL forgets an in-flight entry (of the per-project cap) that
	// no worker removed, e.g. after a task was deleted by hand.
	InflightTTL time.Duration
	// URLTTL is the lifetime of signed URLs sent in callbacks.
	URLTTL time.Duration
	// WebhookSecret signs callback bodies (HMAC-SHA256); empty sends them
	// unsigned.
	WebhookSecret string
	// AllowPrivateCallbacks lets callbacks reach loopback and private
	// addresses. For tests and local development only.
	AllowPrivateCallbacks bool
	// Network is the policy and limits callbacks go out under (zero
	// fields take netguard's defaults: public addresses only). Give it the
	// netguard.Config the renderer fetches with, so that one operator
	// setting (allowed and denied hosts and CIDRs) governs every request
	// Kiln makes.
	Network netguard.Config
}

// DefaultConfig returns the production defaults.
func DefaultConfig() Config {
	return Config{
		ShutdownTimeout:          25 * time.Second,
		TaskCheckInterval:        200 * time.Millisecond,
		DelayedTaskCheckInterval: time.Second,
		MaxRetry:                 5,
		ScreenshotTimeout:        60 * time.Second,
		ReplayTimeout:            10 * time.Minute,
		CallbackTimeout:          15 * time.Second,
		Retention:                24 * time.Hour,
		RetryBase:                2 * time.Second,
		RetryMax:                 5 * time.Minute,
		InflightTTL:              2 * time.Hour,
		URLTTL:                   24 * time.Hour,
	}
}

// Validate reports every problem in c at once.
func (c Config) Validate() error {
	var errs []error
	pos := func(name string, d time.Duration) {
		if d <= 0 {
			errs = append(errs, fmt.Errorf("queue: %s must be positive", name))
		}
	}
	whole := func(name string, d time.Duration) {
		pos(name, d)
		if d > 0 && d%time.Second != 0 {
			errs = append(errs, fmt.Errorf("queue: %s must be a whole number of seconds (asynq stores seconds), got %v", name, d))
		}
	}
	if c.Concurrency < 0 {
		errs = append(errs, errors.New("queue: concurrency must not be negative"))
	}
	pos("shutdown timeout", c.ShutdownTimeout)
	pos("task check interval", c.TaskCheckInterval)
	pos("delayed task check interval", c.DelayedTaskCheckInterval)
	if c.MaxRetry < 1 {
		errs = append(errs, errors.New("queue: max retry must be at least 1 (a killed worker's task is archived with 0)"))
	}
	whole("screenshot timeout", c.ScreenshotTimeout)
	whole("replay timeout", c.ReplayTimeout)
	whole("callback timeout", c.CallbackTimeout)
	whole("retention", c.Retention)
	pos("retry base", c.RetryBase)
	pos("retry max", c.RetryMax)
	if c.RetryMax < c.RetryBase {
		errs = append(errs, errors.New("queue: retry max must not be below retry base"))
	}
	pos("in-flight TTL", c.InflightTTL)
	pos("URL TTL", c.URLTTL)
	if err := c.Network.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("queue: callback network: %w", err))
	}
	return errors.Join(errs...)
}

func (c Config) concurrency() int {
	if c.Concurrency > 0 {
		return c.Concurrency
	}
	return DefaultConcurrency()
}

// DefaultConcurrency sizes a worker from the machine: min(2·cores,
// available memory / 300 MB), at least 1. Memory, not CPU, limits renders
// per machine (a Chromium tab with its page takes 100–300 MB).
func DefaultConcurrency() int {
	n := 2 * runtime.NumCPU()
	if avail := procstat.AvailableMemory(); avail > 0 {
		if m := int(avail / (300 << 20)); m < n {
			n = m
		}
	}
	if n < 1 {
		n = 1
	}
	return n
}
