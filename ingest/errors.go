package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/snapshot"
	"github.com/kilnrender/kiln/storage"
)

// apiError is an error whose status and public message the handler chose.
type apiError struct {
	status int
	code   string
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func badRequest(msg string) error { return &apiError{http.StatusBadRequest, "bad_request", msg} }

var (
	errUnauthorized   = &apiError{http.StatusUnauthorized, "unauthorized", "missing or unknown API key"}
	errForbidden      = &apiError{http.StatusForbidden, "forbidden", "the API key does not belong to this project"}
	errNotFound       = &apiError{http.StatusNotFound, "not_found", "not found"}
	errTooLarge       = &apiError{http.StatusRequestEntityTooLarge, "too_large", "the request body is over the size limit"}
	errInflated       = &apiError{http.StatusRequestEntityTooLarge, "too_large", "the decompressed request body is over the size limit"}
	errMethod         = &apiError{http.StatusMethodNotAllowed, "method_not_allowed", "this path does not take that method"}
	errSlowBody       = &apiError{http.StatusRequestTimeout, "request_timeout", "the request body arrived too slowly"}
	errTooManyUploads = &apiError{http.StatusTooManyRequests, "too_many_uploads", "this client is sending too many request bodies at once; retry later"}
)

func unsupportedMedia(msg string) error {
	return &apiError{http.StatusUnsupportedMediaType, "unsupported_media_type", msg}
}

func unprocessable(msg string) error {
	return &apiError{http.StatusUnprocessableEntity, "unsupported_content", msg}
}

// errorStatus is the one place where errors become HTTP statuses and
// public messages. Only apiError messages and the snapshot parser's
// messages (which name a field or limit, never page content) are shown;
// anything else is logged and answered with a generic text.
func errorStatus(err error) (status int, code, msg string, internal bool) {
	var ae *apiError
	switch {
	case errors.As(err, &ae):
		return ae.status, ae.code, ae.msg, false
	case errors.Is(err, snapshot.ErrTooLarge):
		return http.StatusRequestEntityTooLarge, "too_large", err.Error(), false
	case errors.Is(err, snapshot.ErrUnsupported):
		return http.StatusUnprocessableEntity, "unsupported_content", err.Error(), false
	case errors.Is(err, snapshot.ErrInvalid):
		return http.StatusBadRequest, "invalid_snapshot", err.Error(), false
	case errors.Is(err, queue.ErrOverCap):
		return http.StatusTooManyRequests, "over_capacity", "the project has too many jobs in flight; retry later", false
	case errors.Is(err, queue.ErrNotFound), errors.Is(err, storage.ErrNotFound):
		return http.StatusNotFound, "not_found", "not found", false
	case errors.Is(err, queue.ErrUnavailable):
		return http.StatusServiceUnavailable, "unavailable", "the queue is unavailable; retry later", true
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable, "unavailable", "the request timed out; retry later", true
	case errors.Is(err, errStore), errors.Is(err, queue.ErrStorage):
		return http.StatusServiceUnavailable, "unavailable", "storage is unavailable; retry later", true
	case errors.Is(err, queue.ErrInFlight):
		return http.StatusConflict, "in_progress", "the same submission is still being accepted; retry shortly", false
	}
	return http.StatusInternalServerError, "internal", "internal error", true
}

var errStore = errors.New("storage unavailable")

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, code, msg, internal := errorStatus(err)
	if internal {
		s.log.LogAttrs(r.Context(), slog.LevelError, "request failed", slog.String("path", r.URL.Path), slog.Int("status", status),
			slog.String("request_id", RequestID(r.Context())), slog.String("err", err.Error()))
	}
	switch status {
	case http.StatusServiceUnavailable, http.StatusTooManyRequests:
		w.Header().Set("Retry-After", "5")
	case http.StatusConflict:
		w.Header().Set("Retry-After", "1")
	}
	var b errorBody
	b.Error.Code, b.Error.Message = code, msg
	writeJSON(w, status, b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
