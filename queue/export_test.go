package queue

import (
	"context"
	"time"

	"github.com/hibiken/asynq"
)

// InsecureTLS reports whether o's TLS config skips certificate checks.
func InsecureTLS(o asynq.RedisConnOpt) bool {
	c := insecureOpt(o)
	return c != nil && c.InsecureSkipVerify
}

// InspectorFor exposes the client's inspector to tests.
func InspectorFor(c *Client) *asynq.Inspector { return c.insp }

// FailEnqueue makes each of c's Submit enqueues call f first; an error from
// f is that enqueue's failure (a Redis fault at that moment).
func FailEnqueue(c *Client, f func(id string) error) { c.enqueueHook = f }

// Prune runs h's removal of an earlier attempt's results under prefix,
// keeping the keys written (this attempt's) and what was stored after since.
func Prune(ctx context.Context, h *Handlers, prefix string, written []string, since time.Time) error {
	objs := make([]Object, len(written))
	for i, k := range written {
		objs[i] = Object{Key: k}
	}
	return h.prune(ctx, prefix, objs, nil, since)
}
