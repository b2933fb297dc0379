// Package ingest is Kiln's HTTP API: it authenticates a project's API key,
// validates inputs (with the snapshot parser, never a browser), stores them
// in object storage and enqueues render jobs with the queue package.
//
// All routes are versioned under /v1 and documented in docs/openapi.yaml
// (a test checks the two against each other). Errors are JSON
// {"error":{"code":...,"message":...}}, their status chosen in one function
// (errorStatus); internal error text never reaches a client.
//
// Ownership: a key sees only its own project. A job or item of another
// project answers 404, exactly as one that does not exist, so ids cannot be
// probed; a project route naming another project answers 403 (the caller
// already knows the name it typed).
package ingest
