package ingest

// POST /v1/render: a screenshot answered with its image, for callers that
// want the picture now. The API renders nothing itself: it submits the
// job as POST /v1/screenshots does and waits for a worker to finish it.

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/storage"
)

// errRenderTimeout answers a render whose job outlived Config.RenderWait.
var errRenderTimeout = &apiError{http.StatusGatewayTimeout, "render_timeout", "the render took longer than the API waits; poll the job's status"}

// renderFailed is a job that ended without an image: 422 when its input
// cannot be rendered, 502 when the workers failed it.
func renderFailed(st *queue.Status) error {
	if st.LastErrorClass == queue.ClassBadInput {
		return &apiError{http.StatusUnprocessableEntity, "render_failed", st.Reason}
	}
	return &apiError{http.StatusBadGateway, "render_failed", st.Reason}
}

// maxImageBytes bounds the image the API reads back: the renderer's
// height cap and WebP/PNG at that size stay far below it.
const maxImageBytes = 64 << 20

func (s *Server) postRender(w http.ResponseWriter, r *http.Request, project string) error {
	id, fresh, err := s.submitScreenshot(r, w, project)
	if err != nil {
		return err
	}
	w.Header().Set("Kiln-Job-Id", id)
	w.Header().Set("Location", "/v1/jobs/"+id)
	if !fresh {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	st, err := s.d.Queue.Wait(r.Context(), project, id, s.cfg.RenderWait)
	if err != nil {
		return err
	}
	switch st.State {
	case queue.StateDone:
	case queue.StateFailed:
		return renderFailed(st)
	default:
		var b errorBody
		b.Error.Code, b.Error.Message = errRenderTimeout.code, errRenderTimeout.msg
		writeJSON(w, errRenderTimeout.status, struct {
			errorBody
			Job JobRef `json:"job"`
		}{b, jobRef(id, queue.TypeScreenshot, st.State)})
		return nil
	}
	var img *queue.Object
	for i, o := range st.Objects {
		if o.Name == "image" {
			img = &st.Objects[i]
		}
	}
	if img == nil {
		return errors.New("render: a done job without an image")
	}
	rc, obj, err := s.d.Store.Get(r.Context(), img.Key, nil)
	if err != nil {
		return storeErr("read rendered image", err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxImageBytes+1))
	if err != nil {
		return storeErr("read rendered image", err)
	}
	if len(data) > maxImageBytes {
		return errors.New("render: image over the read-back cap")
	}
	ct := img.ContentType
	if ct == "" {
		ct = obj.ContentType
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Header().Set("Cache-Control", "no-store")
	if img.Width > 0 {
		w.Header().Set("Kiln-Width", strconv.Itoa(img.Width))
		w.Header().Set("Kiln-Height", strconv.Itoa(img.Height))
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
	return nil
}

// storeErr is a store fault on a read: 404 for a missing object (its item
// was deleted meanwhile), else 503.
func storeErr(verb string, err error) error {
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("%s: %w", verb, err)
	}
	return fmt.Errorf("%s: %w: %v", verb, errStore, err)
}
