package ingest

// Jobs: status with signed result URLs, and queue statistics.

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/kilnrender/kiln/queue"
)

// JobView is GET /v1/jobs/{id}: the queue's status plus signed URLs.
type JobView struct {
	*queue.Status
	Results []ResultView `json:"results,omitempty"`
}

// ResultView is one stored result with a signed URL.
type ResultView struct {
	Name        string `json:"name"`
	URL         string `json:"url"`
	Size        int64  `json:"size"`
	ContentType string `json:"contentType"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
}

func (s *Server) getJob(w http.ResponseWriter, r *http.Request, project string) error {
	id := r.PathValue("id")
	if !queue.ValidID(id) {
		return errNotFound
	}
	var (
		st  *queue.Status
		err error
	)
	if v := r.URL.Query().Get("wait"); v != "" {
		d, perr := time.ParseDuration(v)
		if perr != nil {
			secs, aerr := strconv.Atoi(v)
			if aerr != nil {
				return badRequest("wait: must be a duration such as 10s")
			}
			d = time.Duration(secs) * time.Second
		}
		if d < 0 {
			return badRequest("wait: must not be negative")
		}
		st, err = s.d.Queue.Wait(r.Context(), project, id, min(d, s.cfg.MaxWait))
	} else {
		st, err = s.d.Queue.Status(r.Context(), project, id)
	}
	if err != nil {
		return err
	}
	v, err := s.view(r.Context(), st)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// view adds signed result URLs to a job's status.
func (s *Server) view(ctx context.Context, st *queue.Status) (*JobView, error) {
	v := &JobView{Status: st}
	for _, o := range st.Objects {
		u, err := s.d.Store.URL(ctx, o.Key, s.cfg.URLTTL)
		if err != nil {
			return nil, fmt.Errorf("sign result URL: %w: %v", errStore, err)
		}
		v.Results = append(v.Results, ResultView{Name: o.Name, URL: u, Size: o.Size, ContentType: o.ContentType, Width: o.Width, Height: o.Height})
	}
	st.Objects = nil
	return v, nil
}

func (s *Server) getStats(w http.ResponseWriter, r *http.Request, project string) error {
	stats, err := s.d.Queue.Stats(r.Context())
	if err != nil {
		return err
	}
	n, err := s.d.Queue.InFlight(r.Context(), project)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"queues": stats, "project": map[string]any{
		"name": project, "inFlight": n, "cap": s.cfg.ProjectCap}})
	return nil
}
