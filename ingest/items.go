package ingest

// Feedback items: the whole item kept (scrubbed) as one record with its
// timeline, its screenshot and replay as jobs; read back one at a time or
// listed with a cursor.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kilnrender/kiln/feedback"
	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/replay"
	"github.com/kilnrender/kiln/settings"
	"github.com/kilnrender/kiln/snapshot"
	"github.com/kilnrender/kiln/storage"
)

// ItemRef answers POST /v1/items.
type ItemRef struct {
	ItemID     string  `json:"itemId"`
	URL        string  `json:"url"`
	Screenshot *JobRef `json:"screenshot,omitempty"`
	Replay     *JobRef `json:"replay,omitempty"`
}

// bodyParts are the parts of a feedback body that become jobs rather than
// fields of the record.
var bodyParts = map[string]bool{"screenshotData": true, "webReplay": true}

func (s *Server) postItem(w http.ResponseWriter, r *http.Request, project string) error {
	body, _, err := s.readBody(w, r, "application/json")
	if err != nil {
		return err
	}
	o, err := s.parseOptions(r, true)
	if err != nil {
		return err
	}
	video, err := videoParam(r) // for the replay job
	if err != nil {
		return err
	}
	// One scan of the body: the screenshot and the recording stay raw
	// bytes; the other parts are decoded, and scrubbed before anything is
	// kept.
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return badRequest("body: not a JSON object")
	}
	fields := make(map[string]any, len(top))
	for k, raw := range top {
		if bodyParts[k] {
			continue
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return badRequest("body: " + k + " is not valid JSON")
		}
		fields[k] = v
	}
	ps, err := s.settingsOf(r.Context(), project)
	if err != nil {
		return err
	}
	dropParts(fields, ps.Drop)
	fields = s.scrub(ps, fields)
	if p, _ := fields["priority"].(string); o.Priority == "" && p != "" {
		if _, err := queue.QueueFor(p); err != nil {
			return badRequest("priority: must be HIGH, MEDIUM or LOW")
		}
		o.Priority = strings.ToUpper(p)
	}
	exclude, _ := fields["excludeData"].(map[string]any)
	excluded := func(names ...string) bool {
		for _, n := range names {
			if b, _ := exclude[n].(bool); b {
				return true
			}
		}
		return false
	}
	present := func(raw json.RawMessage) bool {
		t := bytes.TrimSpace(raw)
		return len(t) > 0 && !bytes.Equal(t, []byte("null")) && !bytes.Equal(t, []byte("{}"))
	}
	itemID := queue.NewID()
	var (
		specs     []queue.JobSpec
		jobs      feedback.Jobs
		recording []feedback.Entry
		start     int64
	)
	if shot := top["screenshotData"]; present(shot) && !excluded("screenshot", "screenshotData") {
		input, err := s.parse(gleapScreenshot(shot, top["metaData"], present(top["metaData"])), ps, o.Override)
		if err != nil {
			return err
		}
		q, _ := queue.QueueFor(o.Priority)
		jobs.Screenshot = itemID + "-s"
		specs = append(specs, queue.JobSpec{ID: jobs.Screenshot, Type: queue.TypeScreenshot, Queue: q, Input: input,
			ContentType: snapshot.StoredContentType,
			Job:         o.itemJob(itemID, func(j *queue.Job) { j.Options = o.Render })})
	}
	if wr := top["webReplay"]; present(wr) && !excluded("replays", "replay", "webReplay") && !ps.Drop.Replays {
		// The recording with the page's density (metaData), as
		// /v1/replays takes a Gleap body.
		rec, err := gleapRecording(wr, top["metaData"])
		if err != nil {
			return err
		}
		if recording, start, err = feedback.RecordingEntries(snapshot.NewEventDecoder(bytes.NewReader(rec), snapshot.Limits{}), feedback.Limits{}); err != nil {
			return err
		}
		stored, err := redactRecording(r.Context(), rec, ps)
		if err != nil {
			return err
		}
		jobs.Replay = itemID + "-r"
		specs = append(specs, queue.JobSpec{ID: jobs.Replay, Type: queue.TypeReplay, Queue: queue.QueueReplay, Input: stored,
			ContentType: replay.StoredContentType,
			Job:         o.itemJob(itemID, func(j *queue.Job) { j.Mask, j.Block = ps.Mask, ps.Block; setVideo(j, video) })})
	}
	it, entries, _ := feedback.Build(fields, recording, start, time.Now(), feedback.Limits{})
	if len(specs) == 0 && it.Counts.Timeline == 0 && len(it.Form) == 0 && len(it.CustomData) == 0 {
		return unprocessable("the item has nothing to keep: no screenshot, recording, form, logs or custom data (or all are excluded)")
	}
	it.ID, it.Project, it.Jobs = itemID, project, jobs
	records, err := itemRecords(it, entries)
	if err != nil {
		return err
	}
	key, err := idemKey(r, videoKind("item", video), body, o)
	if err != nil {
		return err
	}
	got, fresh, err := s.submitItem(r.Context(), project, key, itemID, specs, records)
	if err != nil {
		return err
	}
	ref := ItemRef{ItemID: got, URL: "/v1/items/" + got}
	for _, sp := range specs {
		jr := jobRef(got+strings.TrimPrefix(sp.ID, itemID), sp.Type, queue.StateQueued)
		if sp.Type == queue.TypeReplay {
			ref.Replay = &jr
		} else {
			ref.Screenshot = &jr
		}
	}
	status := http.StatusAccepted
	if !fresh {
		status = http.StatusOK
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.Header().Set("Location", ref.URL)
	writeJSON(w, status, ref)
	return nil
}

// itemRecords are the objects an item's submission stores: its record
// and its timeline pages.
func itemRecords(it *feedback.Item, entries []feedback.Entry) ([]queue.Record, error) {
	key, err := storage.FeedbackRecord(it.Project, it.ID)
	if err != nil {
		return nil, err
	}
	b, _ := json.Marshal(it)
	out := []queue.Record{{Key: key, Data: b, ContentType: "application/json"}}
	for p := 0; p < it.TimelinePages; p++ {
		k, err := storage.FeedbackTimeline(it.Project, it.ID, p)
		if err != nil {
			return nil, err
		}
		b, _ := json.Marshal(feedback.Page(entries, p))
		out = append(out, queue.Record{Key: k, Data: b, ContentType: "application/json"})
	}
	return out, nil
}

// ItemView is GET /v1/items/{id}: the record, its jobs with their result
// URLs, and one page of its timeline.
type ItemView struct {
	*feedback.Item
	Screenshot *JobView     `json:"screenshot,omitempty"`
	Replay     *JobView     `json:"replay,omitempty"`
	Timeline   TimelineView `json:"timeline"`
}

// TimelineView is one page of an item's timeline.
type TimelineView struct {
	Page    int              `json:"page"`
	Pages   int              `json:"pages"`
	Next    string           `json:"next,omitempty"` // URL of the next page
	Entries []feedback.Entry `json:"entries"`
}

func (s *Server) getItem(w http.ResponseWriter, r *http.Request, project string) error {
	id := r.PathValue("id")
	if !queue.ValidID(id) {
		return errNotFound
	}
	it, err := s.readItem(r.Context(), project, id)
	if err != nil {
		return err
	}
	page := 0
	if v := r.URL.Query().Get("page"); v != "" {
		if page, err = strconv.Atoi(v); err != nil || page < 0 {
			return badRequest("page: must be a page number from 0")
		}
	}
	v := ItemView{Item: it, Timeline: TimelineView{Page: page, Pages: it.TimelinePages, Entries: []feedback.Entry{}}}
	if page < it.TimelinePages {
		entries, err := feedback.ReadTimeline(r.Context(), s.d.Store, project, id, page)
		if errors.Is(err, storage.ErrNotFound) {
			return errNotFound
		}
		if err != nil {
			return fmt.Errorf("read timeline: %w: %v", errStore, err)
		}
		v.Timeline.Entries = entries
		if page+1 < it.TimelinePages {
			v.Timeline.Next = fmt.Sprintf("/v1/items/%s?page=%d", id, page+1)
		}
	}
	for _, j := range []struct {
		id  string
		dst **JobView
	}{{it.Jobs.Screenshot, &v.Screenshot}, {it.Jobs.Replay, &v.Replay}} {
		if j.id == "" {
			continue
		}
		st, err := s.d.Queue.Status(r.Context(), project, j.id)
		if errors.Is(err, queue.ErrNotFound) {
			continue // its status has expired (retention)
		}
		if err != nil {
			return err
		}
		if *j.dst, err = s.view(r.Context(), st); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// ItemList is GET /v1/items: a page of the project's items, newest ids
// last (ids sort by nothing meaningful; the cursor is stable).
type ItemList struct {
	Items []*feedback.Item `json:"items"`
	// Next is the cursor of the next page (absent at the end).
	Next string `json:"next,omitempty"`
}

func (s *Server) listItems(w http.ResponseWriter, r *http.Request, project string) error {
	q := r.URL.Query()
	if p := q.Get("project"); p != "" && p != project {
		return errForbidden
	}
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			return badRequest("limit: must be an integer from 1 to 200")
		}
		limit = n
	}
	prefix, err := storage.FeedbackPrefix(project, "")
	if err != nil {
		return err
	}
	token := ""
	if c := q.Get("cursor"); c != "" {
		if !queue.ValidID(c) {
			return badRequest("cursor: not a cursor this API gave")
		}
		// The store's token is the last key listed: continue after the
		// item's whole folder.
		token = prefix + c + "/\xff"
	}
	out := ItemList{Items: []*feedback.Item{}}
	for len(out.Items) < limit {
		objs, next, err := s.d.Store.List(r.Context(), prefix, token, 500)
		if err != nil {
			return fmt.Errorf("list items: %w: %v", errStore, err)
		}
		for _, o := range objs {
			id, ok := strings.CutSuffix(strings.TrimPrefix(o.Key, prefix), "/item.json")
			if !ok || strings.Contains(id, "/") {
				continue
			}
			it, err := s.readItem(r.Context(), project, id)
			if errors.Is(err, errNotFound) {
				continue // deleted meanwhile
			}
			if err != nil {
				return err
			}
			out.Items = append(out.Items, it)
			if len(out.Items) == limit {
				out.Next = id
				break
			}
		}
		if next == "" || out.Next != "" {
			break
		}
		token = next
	}
	if out.Next != "" {
		// A full page: say there is more only when there is.
		objs, _, err := s.d.Store.List(r.Context(), prefix, prefix+out.Next+"/\xff", 1)
		if err == nil && len(objs) == 0 {
			out.Next = ""
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) readItem(ctx context.Context, project, id string) (*feedback.Item, error) {
	key, err := storage.FeedbackRecord(project, id)
	if err != nil {
		return nil, errNotFound
	}
	it, err := feedback.ReadItem(ctx, s.d.Store, key)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("read item: %w: %v", errStore, err)
	}
	return it, nil
}

// scrub applies the configured scrubber, with the project's patterns, to
// an item's decoded fields.
func (s *Server) scrub(ps settings.Settings, fields map[string]any) map[string]any {
	if s.d.Scrub == nil {
		return fields
	}
	if m, ok := s.d.Scrub(ps, fields).(map[string]any); ok {
		return m
	}
	return map[string]any{}
}

// dropParts removes the parts of an item the project's settings never
// keep.
func dropParts(fields map[string]any, d settings.Drop) {
	if d.Console {
		delete(fields, "consoleLog")
	}
	if d.CustomData {
		delete(fields, "customData")
	}
	if form, ok := fields["formData"].(map[string]any); ok {
		for _, f := range d.FormFields {
			delete(form, f)
		}
	}
	if d.NetworkBodies {
		logs, _ := fields["networkLogs"].([]any)
		for _, l := range logs {
			n, _ := l.(map[string]any)
			for _, part := range []string{"request", "response"} {
				if m, ok := n[part].(map[string]any); ok {
					delete(m, "payload")
					delete(m, "responseText")
				}
			}
		}
	}
}

// settingsOf is project's settings (the defaults without a cache).
func (s *Server) settingsOf(ctx context.Context, project string) (settings.Settings, error) {
	if s.d.Settings == nil {
		return settings.Settings{}, nil
	}
	ps, err := s.d.Settings.Get(ctx, project)
	if err != nil {
		return settings.Settings{}, fmt.Errorf("read settings: %w: %v", errStore, err)
	}
	return ps, nil
}

func (s *Server) getSettings(w http.ResponseWriter, r *http.Request, project string) error {
	if err := s.ownProject(r, project); err != nil {
		return err
	}
	ps, err := settings.Load(r.Context(), s.d.Store, project)
	if err != nil {
		return fmt.Errorf("read settings: %w: %v", errStore, err)
	}
	writeJSON(w, http.StatusOK, ps)
	return nil
}

func (s *Server) putSettings(w http.ResponseWriter, r *http.Request, project string) error {
	if err := s.ownProject(r, project); err != nil {
		return err
	}
	body, _, err := s.readBody(w, r, "application/json")
	if err != nil {
		return err
	}
	ps, err := settings.Parse(body)
	if err != nil {
		return badRequest(err.Error())
	}
	if err := settings.Save(r.Context(), s.d.Store, project, ps); err != nil {
		return fmt.Errorf("save settings: %w: %v", errStore, err)
	}
	if err := s.d.Queue.SetRetention(r.Context(), project, ps.RetentionDays); err != nil {
		return err
	}
	if s.d.Settings != nil {
		s.d.Settings.Forget(project)
	}
	writeJSON(w, http.StatusOK, ps)
	return nil
}
