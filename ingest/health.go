package ingest

// Health: liveness, readiness and metrics.

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/kilnrender/kiln/storage"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request, _ string) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request, _ string) error {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	checks := map[string]string{"redis": "ok", "storage": "ok"}
	ready := true
	if err := s.d.Queue.Ping(ctx); err != nil {
		checks["redis"], ready = "unavailable", false
	}
	if _, err := s.d.Store.Head(ctx, "kiln-readyz-probe"); err != nil && !errors.Is(err, storage.ErrNotFound) {
		checks["storage"], ready = "unavailable", false
	}
	status := http.StatusOK
	if !ready {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, checks)
	return nil
}

func (s *Server) metrics(w http.ResponseWriter, r *http.Request, _ string) error {
	promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
	return nil
}
