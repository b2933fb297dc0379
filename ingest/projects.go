package ingest

// Projects and items: CSV export and deletion.

import (
	"fmt"
	"io"
	"net/http"

	"github.com/kilnrender/kiln/feedback"
	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/storage"
)

func (s *Server) ownProject(r *http.Request, project string) error {
	if r.PathValue("project") != project {
		return errForbidden
	}
	return nil
}

func (s *Server) exportProject(w http.ResponseWriter, r *http.Request, project string) error {
	if err := s.ownProject(r, project); err != nil {
		return err
	}
	// Streamed, one item in memory at a time: a project may hold 100,000
	// items. A store fault before the first byte is a 503; after it, the
	// connection is cut so the client sees a failed download, never a
	// silently truncated file.
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+project+`.csv"`)
	cw := &countingWriter{w: w}
	if err := feedback.Export(r.Context(), s.d.Store, project, cw); err != nil {
		if cw.n == 0 {
			w.Header().Del("Content-Disposition")
			return fmt.Errorf("export project: %w: %v", errStore, err)
		}
		s.log.Error("export project: cut mid-way", "project", project, "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

// countingWriter counts what has been written.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

func (s *Server) deleteProject(w http.ResponseWriter, r *http.Request, project string) error {
	if err := s.ownProject(r, project); err != nil {
		return err
	}
	var ids []string
	for it, err := range storage.ListItems(r.Context(), s.d.Store, project) {
		if err != nil {
			return fmt.Errorf("delete project: %w: %v", errStore, err)
		}
		ids = append(ids, it.ID)
	}
	// Redis first (no queued job starts on an input about to go), then the
	// objects, then Redis again (jobs that were running have ended).
	if err := s.d.Queue.Forget(r.Context(), project, ids, true); err != nil {
		return err
	}
	if err := storage.DeleteProject(r.Context(), s.d.Store, project, nil); err != nil {
		return fmt.Errorf("delete project: %w: %v", errStore, err)
	}
	if err := s.d.Queue.Forget(r.Context(), project, ids, true); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func kindOfType(typ string) storage.Kind {
	if typ == queue.TypeReplay {
		return storage.KindReplay
	}
	return storage.KindScreenshot
}

// deleteItem deletes an item by its id (both its jobs) or one job by its
// job id. An id with no record is 404.
func (s *Server) deleteItem(w http.ResponseWriter, r *http.Request, project string) error {
	id := r.PathValue("id")
	if !queue.ValidID(id) {
		return errNotFound
	}
	found, err := s.d.Queue.DeleteItem(r.Context(), project, id)
	if err != nil {
		return err
	}
	if !found {
		return errNotFound
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
