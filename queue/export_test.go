package queue

import "github.com/hibiken/asynq"

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
