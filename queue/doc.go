// Package queue carries render work between the ingest API and the workers
// through Redis with asynq.
//
// Inputs live in object storage; a task carries only the storage key of its
// input and the render options (a few hundred bytes), so Redis holds no
// page content. Task types are TypeScreenshot ("render:screenshot"),
// TypeReplay ("render:replay") and TypeCallback ("notify:callback").
//
// Queues are weighted: QueueCritical 6, QueueDefault 3, QueueLow 1 and
// QueueReplay 1 (replays are slow and must not starve screenshots). Gleap
// priorities HIGH, MEDIUM and LOW map to critical, default and low.
//
// Delivery is at least once. Handlers write results under deterministic
// keys (see the key helpers), so a task delivered twice produces the same
// objects. Errors are classified at the edge: input that cannot be
// rendered ends the task with asynq.SkipRetry and a public reason stored as
// the task's result; browser, storage and network faults are retried with
// exponential backoff. Every handler works under the task's context, whose
// deadline is the task's timeout.
//
// A Client enqueues, deduplicates (idempotency keys), enforces the
// per-project cap on jobs in flight and reads job status; a Worker runs the
// handlers; a Collector exports queue size and latency (the autoscaling
// signal) to Prometheus.
package queue
