package ingest

// Request ids and the access log.

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/kilnrender/kiln/queue"
)

// RequestIDHeader carries a request's id: a client's own (when sane) or
// one the API makes, echoed in every answer, written in the request's
// access log line and carried into the jobs it submits (their status and
// their log lines in the worker).
const RequestIDHeader = "X-Request-Id"

// maxRequestID bounds a client's request id: it goes into logs and the
// job's payload.
const maxRequestID = 128

// requestID returns the client's id when it is 1 to 128 characters of
// [A-Za-z0-9._:-] (what tracing headers and UUIDs use; nothing that could
// forge a log line or a header), else a new one.
func requestID(given string) string {
	if len(given) == 0 || len(given) > maxRequestID {
		return queue.NewID()
	}
	for i := 0; i < len(given); i++ {
		c := given[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-'
		if !ok {
			return queue.NewID()
		}
	}
	return given
}

type requestIDKey struct{}

func withRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the request id ServeHTTP gave ctx's request ("" for a
// context that did not come through it).
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// accessLog writes one line per request: method, route (the pattern that
// served it, not the path, so that ids and keys in paths stay out),
// status, response bytes, duration and request id. Never the body, the
// query (callback URLs, external ids) or any header: the Authorization
// header holds the API key.
func (s *Server) accessLog(r *http.Request, w *statusWriter, d time.Duration) {
	route := r.Pattern
	if route == "" {
		route = "unmatched"
	}
	s.log.LogAttrs(r.Context(), slog.LevelInfo, "http request",
		slog.String("method", r.Method),
		slog.String("route", route),
		slog.Int("status", w.code()),
		slog.Int64("bytes", w.bytes),
		slog.Float64("duration_ms", float64(d.Microseconds())/1000),
		slog.String("request_id", RequestID(r.Context())),
	)
}
