package queue

import "github.com/hibiken/asynq"

// InsecureTLS reports whether o's TLS config skips certificate checks.
func InsecureTLS(o asynq.RedisConnOpt) bool {
	c := insecureOpt(o)
	return c != nil && c.InsecureSkipVerify
}

// InspectorFor exposes the client's inspector to tests.
func InspectorFor(c *Client) *asynq.Inspector { return c.insp }
