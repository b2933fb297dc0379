package ingest

// Projects and items: CSV export and deletion.

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"

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
	// Buffered: on a storage error mid-way the client gets a 503, not a
	// truncated file.
	var buf bytes.Buffer
	if err := storage.Export(r.Context(), s.d.Store, project, &buf); err != nil {
		return fmt.Errorf("export project: %w: %v", errStore, err)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+project+`.csv"`)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
	return nil
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
	var found []string
	for _, c := range []struct {
		kind storage.Kind
		id   string
	}{
		{storage.KindScreenshot, id}, {storage.KindReplay, id},
		{storage.KindScreenshot, id + "-s"}, {storage.KindReplay, id + "-r"},
	} {
		if !queue.ValidID(c.id) {
			continue
		}
		_, err := storage.GetItem(r.Context(), s.d.Store, project, c.kind, c.id)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("delete item: %w: %v", errStore, err)
		}
		found = append(found, c.id)
		if err := s.d.Queue.Forget(r.Context(), project, []string{c.id}, false); err != nil {
			return err
		}
		if err := storage.DeleteItem(r.Context(), s.d.Store, project, c.kind, c.id); err != nil {
			return fmt.Errorf("delete item: %w: %v", errStore, err)
		}
	}
	if len(found) == 0 {
		return errNotFound
	}
	if err := s.d.Queue.Forget(r.Context(), project, found, false); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
