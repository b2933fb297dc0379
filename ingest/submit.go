package ingest

// Submissions: screenshots, replays and feedback items, each validated once
// and handed to the queue as one all-or-nothing submission.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/replay"
	"github.com/kilnrender/kiln/settings"
	"github.com/kilnrender/kiln/snapshot"
)

// JobRef is how a submission answers: the job id and where to poll.
type JobRef struct {
	ID        string `json:"id"`
	Type      string `json:"type"`
	State     string `json:"state"`
	StatusURL string `json:"statusUrl"`
}

func jobRef(id, typ, state string) JobRef {
	return JobRef{ID: id, Type: typ, State: state, StatusURL: "/v1/jobs/" + id}
}

// submit hands one request's jobs to the queue as one all-or-nothing
// submission, counting each job's outcome. It returns the id bound to the
// request's idempotency key and whether it was new.
func (s *Server) submit(ctx context.Context, project, key, id string, jobs []queue.JobSpec) (string, bool, error) {
	return s.submitItem(ctx, project, key, id, jobs, nil)
}

// submitItem is submit with records stored (and rolled back) with the jobs.
func (s *Server) submitItem(ctx context.Context, project, key, id string, jobs []queue.JobSpec, records []queue.Record) (string, bool, error) {
	got, fresh, err := s.d.Queue.Submit(ctx, queue.Submission{Project: project, Key: key, TTL: s.cfg.IdempotencyTTL,
		ID: id, Jobs: jobs, Records: records, Capacity: s.cfg.ProjectCap})
	outcome := "accepted"
	switch {
	case errors.Is(err, queue.ErrOverCap):
		outcome = "over_cap"
	case err != nil:
		outcome = "error"
	case !fresh:
		outcome = "duplicate"
	}
	for _, j := range jobs {
		s.enqueued.WithLabelValues(j.Type, outcome).Inc()
	}
	return got, fresh, err
}

// parse validates and normalizes a screenshot input, once, with the
// project's masks and blocks: what the worker reads is the normalized
// snapshot (snapshot.Encode), never the raw body, so it does not parse
// again and the store never holds the raw values the picture masks.
// ov, when not nil, replaces the input's viewport, scale and scroll.
func (s *Server) parse(data []byte, ps settings.Settings, ov *snapshot.Override) ([]byte, error) {
	o := snapshot.Options{Mask: ps.Mask, Block: ps.Block}
	if ov != nil {
		o.Override = *ov
	}
	snap, err := s.d.Parse(data, o)
	if err != nil {
		return nil, err
	}
	return snapshot.EncodeBytes(snap), nil
}

func (s *Server) postScreenshot(w http.ResponseWriter, r *http.Request, project string) error {
	id, fresh, err := s.submitScreenshot(r, w, project)
	if err != nil {
		return err
	}
	return s.accepted(w, r, project, id, fresh, queue.TypeScreenshot)
}

// submitScreenshot reads, checks and submits one screenshot request (of
// POST /v1/screenshots or /v1/render: the same inputs, options and
// idempotency), returning the job id bound to it and whether it is new.
func (s *Server) submitScreenshot(r *http.Request, w http.ResponseWriter, project string) (string, bool, error) {
	body, _, err := s.readBody(w, r, "application/json", "text/html")
	if err != nil {
		s.enqueued.WithLabelValues(queue.TypeScreenshot, "rejected").Inc()
		return "", false, err
	}
	o, err := s.parseOptions(r, true)
	if err != nil {
		return "", false, err
	}
	ps, err := s.settingsOf(r.Context(), project)
	if err != nil {
		return "", false, err
	}
	input, err := s.parse(body, ps, o.Override)
	if err != nil {
		s.enqueued.WithLabelValues(queue.TypeScreenshot, "rejected").Inc()
		return "", false, err
	}
	key, err := idemKey(r, "screenshot", body, o)
	if err != nil {
		return "", false, err
	}
	q, _ := queue.QueueFor(o.Priority)
	id := queue.NewID()
	job := o.job()
	job.Options = o.Render
	return s.submit(r.Context(), project, key, id, []queue.JobSpec{{
		ID: id, Type: queue.TypeScreenshot, Queue: q, Input: input, ContentType: snapshot.StoredContentType, Job: job,
	}})
}

// accepted answers 202 for a new job, 200 with the job's status for a
// duplicate.
func (s *Server) accepted(w http.ResponseWriter, r *http.Request, project, id string, fresh bool, typ string) error {
	w.Header().Set("Location", "/v1/jobs/"+id)
	if fresh {
		writeJSON(w, http.StatusAccepted, jobRef(id, typ, queue.StateQueued))
		return nil
	}
	w.Header().Set("Idempotent-Replayed", "true")
	st, err := s.d.Queue.Status(r.Context(), project, id)
	state := queue.StateQueued
	if err == nil {
		state = st.State
	} else if !errors.Is(err, queue.ErrNotFound) {
		return err
	}
	writeJSON(w, http.StatusOK, jobRef(id, typ, state))
	return nil
}

// gleapScreenshot is the Gleap body the snapshot parser reads for an
// item's screenshot: its screenshotData and metaData (for the device pixel
// ratio), joined as they are, without decoding and encoding them again.
func gleapScreenshot(shot, meta json.RawMessage, withMeta bool) []byte {
	b := make([]byte, 0, len(shot)+len(meta)+32)
	b = append(b, `{"screenshotData":`...)
	b = append(b, shot...)
	if withMeta {
		b = append(b, `,"metaData":`...)
		b = append(b, meta...)
	}
	return append(b, '}')
}

// checkRecording accepts an rrweb event array, a {"events": [...]} object
// (Kiln replay JSON with its resources and density among them, a Gleap
// webReplay, packed or not) or a Gleap body with webReplay, and returns
// the recording to store: the body, or the webReplay part of a Gleap body
// (sliced out, not re-encoded) behind the density of its metaData
// ({"metaData":{"devicePixelRatio":…,"mobile":…},"webReplay":…}), so that
// the worker pictures it as the SDK's screenshots are. Kiln replay JSON
// is stored with version, viewport and resources before events (the
// worker reads it in one pass), its other fields left out. The whole
// stored recording is read as the worker reads it (resources and their
// limits included).
func checkRecording(body []byte) ([]byte, error) {
	rec := bytes.TrimSpace(body)
	if len(rec) > 0 && rec[0] == '{' {
		var top map[string]json.RawMessage
		if err := json.Unmarshal(rec, &top); err != nil {
			return nil, badRequest("body: not valid JSON")
		}
		if wr, ok := top["webReplay"]; ok {
			return gleapRecording(wr, top["metaData"])
		} else if _, ok := top["events"]; !ok {
			return nil, unprocessable("not a recording: want an rrweb event array or an object with events")
		} else if top["version"] != nil || top["viewport"] != nil || top["resources"] != nil {
			// Kiln replay JSON: the worker reads it in one pass and needs
			// these before the events, in whatever order they came.
			var b bytes.Buffer
			b.WriteByte('{')
			for _, k := range []string{"version", "viewport", "resources", "events"} {
				if v, ok := top[k]; ok {
					fmt.Fprintf(&b, "%q:", k)
					b.Write(v)
					b.WriteByte(',')
				}
			}
			rec = append(bytes.TrimSuffix(b.Bytes(), []byte(",")), '}')
		}
	}
	if err := checkEvents(rec); err != nil {
		return nil, err
	}
	return rec, nil
}

// gleapRecording is checkRecording's answer for a Gleap body's webReplay
// and metaData (already split out of the body): the webReplay, behind the
// density of metaData when it gives one.
func gleapRecording(wr, metaData json.RawMessage) ([]byte, error) {
	wr = bytes.TrimSpace(wr)
	var inner map[string]json.RawMessage
	if len(wr) == 0 || wr[0] != '{' || json.Unmarshal(wr, &inner) != nil || inner["events"] == nil {
		return nil, unprocessable("not a recording: webReplay must be an object with events")
	}
	rec := wr
	var meta struct {
		DPR    *float64 `json:"devicePixelRatio"`
		Mobile *bool    `json:"mobile"`
	}
	if json.Unmarshal(metaData, &meta) == nil && (meta.DPR != nil || meta.Mobile != nil) {
		m, _ := json.Marshal(map[string]any{"devicePixelRatio": meta.DPR, "mobile": meta.Mobile})
		rec = slices.Concat([]byte(`{"metaData":`), m, []byte(`,"webReplay":`), wr, []byte(`}`))
	}
	if err := checkEvents(rec); err != nil {
		return nil, err
	}
	return rec, nil
}

// checkEvents reads an events array with the recording model's decoder,
// the code and limits the worker reads it with, one event at a time: a
// malformed event (which the worker would skip) or a recording without
// events is refused.
func checkEvents(raw []byte) error {
	d := snapshot.NewEventDecoder(bytes.NewReader(raw), snapshot.Limits{})
	n := 0
	for {
		_, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var ee *snapshot.EventError
		if errors.As(err, &ee) {
			return unprocessable(fmt.Sprintf("not a recording: event %d is malformed", ee.Index))
		}
		if errors.Is(err, snapshot.ErrInvalid) {
			return badRequest("recording: " + err.Error()) // the decoder never quotes input
		}
		if err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		return unprocessable("the recording has no events")
	}
	return nil
}

// redactRecording is what a replay job stores: the recording with the
// privacy rules (the project's mask and block selectors, password fields,
// rr-mask and rr-block) and the sanitizing rules applied, as the worker's
// bundle will have them (replay.Builder.Redact). The raw recording is
// never written.
func redactRecording(ctx context.Context, rec []byte, ps settings.Settings) ([]byte, error) {
	b, err := replay.NewBuilder(replay.Config{MaskSelectors: ps.Mask, BlockSelectors: ps.Block}, nil, nil)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if _, err := b.Redact(ctx, bytes.NewReader(rec), &out); err != nil {
		switch {
		case errors.Is(err, replay.ErrTooLarge):
			return nil, &apiError{http.StatusRequestEntityTooLarge, "too_large", err.Error()}
		case errors.Is(err, replay.ErrInvalid), errors.Is(err, replay.ErrUnsupported):
			return nil, unprocessable(err.Error())
		}
		return nil, err
	}
	return out.Bytes(), nil
}

// videoParam reads the video a replay asks for: the format (query video,
// or Kiln-Video: mp4, webm or gif, "" for none), and with one, videoFps
// (1..60; a GIF's at most replay.MaxGIFFPS), videoWidth (16..3840, even;
// default the recorded width) and skipInactive (true: long spans without
// user interaction are left out, and listed in the manifest).
func videoParam(r *http.Request) (queue.VideoSpec, error) {
	var v queue.VideoSpec
	switch v.Format = strings.ToLower(param(r, "video", "Kiln-Video")); v.Format {
	case "", queue.VideoMP4, queue.VideoWebM, queue.VideoGIF:
	default:
		return v, badRequest("video: must be mp4, webm or gif")
	}
	q := r.URL.Query()
	if v.Format == "" {
		for _, k := range []string{"videoFps", "videoWidth", "skipInactive"} {
			if q.Has(k) {
				return v, badRequest(k + ": only with video=mp4, webm or gif")
			}
		}
		return v, nil
	}
	maxFPS := 60
	if v.Format == queue.VideoGIF {
		maxFPS = replay.MaxGIFFPS
	}
	var err error
	if raw := q.Get("videoFps"); raw != "" {
		if v.FPS, err = strconv.Atoi(raw); err != nil || v.FPS < 1 || v.FPS > maxFPS {
			return v, badRequest(fmt.Sprintf("videoFps: must be a whole number 1..%d", maxFPS))
		}
	}
	if raw := q.Get("videoWidth"); raw != "" {
		if v.Width, err = strconv.Atoi(raw); err != nil || v.Width < 16 || v.Width > 3840 || v.Width%2 != 0 {
			return v, badRequest("videoWidth: must be an even number of pixels 16..3840")
		}
	}
	if raw := q.Get("skipInactive"); raw != "" {
		if v.SkipInactive, err = strconv.ParseBool(raw); err != nil {
			return v, badRequest("skipInactive: must be true or false")
		}
	}
	return v, nil
}

// videoKind is the idempotency kind of a submission asking for video:
// the same recording with and without a video (or with another format,
// frame rate, width or inactivity skipping) is two jobs.
func videoKind(kind string, v queue.VideoSpec) string {
	if v.Format == "" {
		return kind
	}
	k := kind + "+video." + v.Format
	if v != (queue.VideoSpec{Format: v.Format}) {
		k += fmt.Sprintf("/%d/%d/%t", v.FPS, v.Width, v.SkipInactive)
	}
	return k
}

// setVideo puts the video asked for on a replay job.
func setVideo(j *queue.Job, v queue.VideoSpec) {
	j.Video, j.VideoFPS, j.VideoWidth, j.VideoSkipInactive = v.Format, v.FPS, v.Width, v.SkipInactive
}

func (s *Server) postReplay(w http.ResponseWriter, r *http.Request, project string) error {
	body, _, err := s.readBody(w, r, "application/json")
	if err != nil {
		s.enqueued.WithLabelValues(queue.TypeReplay, "rejected").Inc()
		return err
	}
	o, err := s.parseOptions(r, false)
	if err != nil {
		return err
	}
	video, err := videoParam(r)
	if err != nil {
		return err
	}
	rec, err := checkRecording(body)
	if err != nil {
		s.enqueued.WithLabelValues(queue.TypeReplay, "rejected").Inc()
		return err
	}
	key, err := idemKey(r, videoKind("replay", video), body, o)
	if err != nil {
		return err
	}
	id := queue.NewID()
	ps, err := s.settingsOf(r.Context(), project)
	if err != nil {
		return err
	}
	if ps.Drop.Replays {
		return unprocessable("this project keeps no replays (its settings drop them)")
	}
	stored, err := redactRecording(r.Context(), rec, ps)
	if err != nil {
		s.enqueued.WithLabelValues(queue.TypeReplay, "rejected").Inc()
		return err
	}
	job := o.job()
	job.Mask, job.Block = ps.Mask, ps.Block
	setVideo(&job, video)
	got, fresh, err := s.submit(r.Context(), project, key, id, []queue.JobSpec{{
		ID: id, Type: queue.TypeReplay, Queue: queue.QueueReplay, Input: stored, ContentType: replay.StoredContentType, Job: job,
	}})
	if err != nil {
		return err
	}
	return s.accepted(w, r, project, got, fresh, queue.TypeReplay)
}
