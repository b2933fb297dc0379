// Package feedback reads the whole feedback item a Gleap-style SDK posts
// (type, priority, form data, metadata, custom data, tags, attachments'
// metadata, the console log, the network log, custom events, the action
// log) into one record and one timeline, sorted by time, that a support
// dashboard shows beside the screenshot and the replay.
//
// The package decodes and arranges; it does not decide what is secret.
// Callers scrub the decoded body before Build (ingest does, with scrub),
// so everything an Item or an Entry holds has been scrubbed. The
// screenshot and the recording are not part of the record: they become
// jobs, and the recording contributes its navigations, clicks, inputs
// (values never kept), resizes and errors to the timeline. Items and Export
// read the records back from a storage.Store; the CSV export streams one
// item at a time.
package feedback

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Item is one feedback item as Kiln keeps it.
type Item struct {
	ID       string    `json:"id"`
	Project  string    `json:"project"`
	Created  time.Time `json:"created"`
	Type     string    `json:"type,omitempty"`     // BUG, FEATURE_REQUEST, …
	Priority string    `json:"priority,omitempty"` // HIGH, MEDIUM, LOW
	Outbound string    `json:"outbound,omitempty"` // the SDK's outbound (flow) id
	Silent   bool      `json:"silent,omitempty"`
	// Form is the form data the user filled in.
	Form map[string]any `json:"form,omitempty"`
	// Meta is the SDK's metadata, all of it; Essentials picks what a
	// list shows.
	Meta       map[string]any `json:"meta,omitempty"`
	Essentials Essentials     `json:"essentials"`
	CustomData map[string]any `json:"customData,omitempty"`
	Tags       []string       `json:"tags,omitempty"`
	// Attachments lists attachments by name, type and size (their bytes
	// are not taken).
	Attachments []Attachment `json:"attachments,omitempty"`
	Counts      Counts       `json:"counts"`
	// Jobs are the item's screenshot and replay job ids, when present.
	Jobs Jobs `json:"jobs"`
	// StartTime is what timeline offsets count from (Unix ms): the
	// recording's first event, or the item's own time.
	StartTime int64 `json:"startTime"`
	// TimelinePages is how many pages of TimelinePageSize entries the
	// timeline has.
	TimelinePages int `json:"timelinePages"`
}

// Essentials are the metadata a list of items shows.
type Essentials struct {
	Browser    string `json:"browser,omitempty"`
	OS         string `json:"os,omitempty"`
	AppVersion string `json:"appVersion,omitempty"`
	URL        string `json:"url,omitempty"`
	Language   string `json:"language,omitempty"`
	Screen     string `json:"screen,omitempty"` // e.g. 1280x800@2
	SDK        string `json:"sdk,omitempty"`
}

// Attachment is an attachment's metadata.
type Attachment struct {
	Name string `json:"name,omitempty"`
	Type string `json:"type,omitempty"`
	Size int64  `json:"size,omitempty"`
}

// Counts are sizes of the item's parts.
type Counts struct {
	Console  int `json:"console"`
	Network  int `json:"network"`
	Events   int `json:"events"`
	Actions  int `json:"actions"`
	Errors   int `json:"errors"` // console errors, failed requests, recorded errors
	Timeline int `json:"timeline"`
}

// Jobs names an item's jobs.
type Jobs struct {
	Screenshot string `json:"screenshot,omitempty"`
	Replay     string `json:"replay,omitempty"`
}

// Limits bound what Build keeps.
type Limits struct {
	// MaxEntries caps the timeline; later entries are dropped and counted
	// in a warning.
	MaxEntries int
	// MaxText caps one text field of an entry (a console message, a
	// request body), in bytes.
	MaxText int
}

// DefaultLimits: 20,000 entries (a long session logs a few thousand);
// 64 KiB per text (PostHog drops network bodies over 1 MB; 64 KiB keeps
// a JSON error response whole).
func DefaultLimits() Limits { return Limits{MaxEntries: 20_000, MaxText: 64 << 10} }

// ErrInvalid is returned for a body that is not a feedback item.
var ErrInvalid = errors.New("invalid feedback item")

// Build reads a decoded (and scrubbed) Gleap feedback body into an Item
// and its timeline entries, sorted by offset. recording holds the entries
// from the item's recording (RecordingEntries), with start its first
// event's time (Unix ms), or 0 without a recording; now is the item's
// receipt time.
func Build(body map[string]any, recording []Entry, start int64, now time.Time, lim Limits) (*Item, []Entry, []string) {
	if lim.MaxEntries == 0 {
		lim = DefaultLimits()
	}
	it := &Item{Created: now.UTC(), Type: str(body["type"]), Priority: strings.ToUpper(str(body["priority"])),
		Outbound: str(body["outbound"]), Silent: body["isSilent"] == true,
		Form: obj(body["formData"]), Meta: obj(body["metaData"]), CustomData: obj(body["customData"])}
	for _, t := range arr(body["tags"]) {
		if s := str(t); s != "" {
			it.Tags = append(it.Tags, s)
		}
	}
	for _, a := range arr(body["attachments"]) {
		m := obj(a)
		it.Attachments = append(it.Attachments, Attachment{Name: str(m["name"]), Type: str(m["type"]), Size: int64(num(m["size"]))})
	}
	it.Essentials = essentials(it.Meta)
	it.StartTime = start
	if start == 0 {
		it.StartTime = now.UnixMilli()
	}
	var warnings []string
	t := &timeline{start: it.StartTime, lim: lim}
	for _, c := range arr(body["consoleLog"]) {
		t.console(obj(c), it)
	}
	for _, n := range arr(body["networkLogs"]) {
		t.network(obj(n), it)
	}
	for _, e := range arr(body["customEventLog"]) {
		t.event(obj(e), it)
	}
	for _, a := range arr(body["actionLog"]) {
		t.action(obj(a), it)
	}
	for _, e := range recording {
		if e.Kind == KindError {
			it.Counts.Errors++
		}
		t.add(e)
	}
	sort.SliceStable(t.entries, func(i, j int) bool { return t.entries[i].AtMs < t.entries[j].AtMs })
	if t.dropped > 0 {
		warnings = append(warnings, fmt.Sprintf("timeline cut at %d entries (%d dropped)", lim.MaxEntries, t.dropped))
	}
	it.Counts.Timeline = len(t.entries)
	it.TimelinePages = (len(t.entries) + TimelinePageSize - 1) / TimelinePageSize
	return it, t.entries, warnings
}

func essentials(m map[string]any) Essentials {
	e := Essentials{Browser: first(m, "browserName", "browser"), OS: first(m, "systemName", "os"),
		AppVersion: first(m, "releaseVersionNumber", "appVersion", "buildVersionNumber"), URL: first(m, "currentUrl", "url"),
		Language: str(m["language"])}
	if w, h := num(m["screenWidth"]), num(m["screenHeight"]); w > 0 && h > 0 {
		e.Screen = fmt.Sprintf("%gx%g", w, h)
		if d := num(m["devicePixelRatio"]); d > 0 {
			e.Screen += fmt.Sprintf("@%g", d)
		}
	}
	if v := str(m["sdkVersion"]); v != "" {
		e.SDK = strings.TrimSpace(str(m["sdkType"]) + " " + v)
	}
	return e
}

func first(m map[string]any, keys ...string) string {
	for _, k := range keys {
		if s := str(m[k]); s != "" {
			return s
		}
	}
	return ""
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case float64, bool:
		return fmt.Sprint(x)
	}
	return ""
}

func num(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case json.Number:
		f, _ := x.Float64()
		return f
	}
	return 0
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func arr(v any) []any {
	a, _ := v.([]any)
	return a
}
