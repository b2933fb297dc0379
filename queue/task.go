package queue

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kilnrender/kiln/replay"
	"github.com/kilnrender/kiln/storage"
)

// Task types.
const (
	TypeScreenshot = "render:screenshot"
	TypeReplay     = "render:replay"
	TypeCallback   = "notify:callback"
)

// Queues, by weight.
const (
	QueueCritical = "critical"
	QueueDefault  = "default"
	QueueLow      = "low"
	QueueReplay   = "replay"
)

// Queues maps each queue to its weight: a worker takes tasks from a queue
// in proportion to its weight, so low queues are slower but never starve.
func Queues() map[string]int {
	return map[string]int{QueueCritical: 6, QueueDefault: 3, QueueLow: 1, QueueReplay: 1}
}

// QueueNames lists the queues in priority order.
func QueueNames() []string { return []string{QueueCritical, QueueDefault, QueueLow, QueueReplay} }

// ErrPriority is returned for a priority that is not HIGH, MEDIUM or LOW.
var ErrPriority = errors.New("unknown priority")

// QueueFor maps a Gleap priority (HIGH, MEDIUM, LOW; case-insensitive;
// empty means MEDIUM) to a screenshot queue.
func QueueFor(priority string) (string, error) {
	switch strings.ToUpper(priority) {
	case "HIGH":
		return QueueCritical, nil
	case "", "MEDIUM":
		return QueueDefault, nil
	case "LOW":
		return QueueLow, nil
	}
	return "", fmt.Errorf("map priority: %w", ErrPriority)
}

// RenderOptions are a screenshot job's options: Format webp (default),
// jpeg or png; Quality 1..100 (0 means 80); ThumbWidth in CSS px (0: no
// thumbnail); FullPage captures the whole document up to the renderer's
// height cap.
type RenderOptions struct {
	Format     string `json:"format,omitempty"`
	Quality    int    `json:"quality,omitempty"`
	ThumbWidth int    `json:"thumbWidth,omitempty"`
	FullPage   bool   `json:"fullPage,omitempty"`
}

// Job is a task payload: keys and options only, never the input itself.
type Job struct {
	Project    string         `json:"project"`
	Input      string         `json:"input"` // storage key of the input
	ItemID     string         `json:"item,omitempty"`
	ExternalID string         `json:"ext,omitempty"`
	Callback   string         `json:"cb,omitempty"`
	Options    *RenderOptions `json:"opts,omitempty"` // screenshots only
	// Mask and Block are the project's extra selectors, for replays (a
	// screenshot's were applied when the API normalized its input).
	Mask  []string `json:"mask,omitempty"`
	Block []string `json:"block,omitempty"`
	// Video, for replays, asks for a video of the bundle too: VideoMP4,
	// VideoWebM or VideoGIF ("": none).
	Video string `json:"video,omitempty"`
	// VideoFPS, VideoWidth and VideoSkipInactive tune that video (0 and
	// false: the maker's defaults, real time).
	VideoFPS          int  `json:"videoFps,omitempty"`
	VideoWidth        int  `json:"videoWidth,omitempty"`
	VideoSkipInactive bool `json:"videoSkipInactive,omitempty"`
	// RequestID is the X-Request-Id of the API request that submitted the
	// job: the worker's log lines of the job carry it.
	RequestID string `json:"rid,omitempty"`
	// Enqueued is when the job was first enqueued (Unix ms), for the
	// queue-wait measurement.
	Enqueued int64 `json:"at,omitempty"`
}

// Video formats a replay job may ask for (replay's, by file extension).
const (
	VideoMP4  = replay.VideoMP4
	VideoWebM = replay.VideoWebM
	VideoGIF  = replay.VideoGIF
)

// VideoSpec is the video a replay job asks for, as its VideoMaker is
// given it.
type VideoSpec struct {
	Format       string // VideoMP4, VideoWebM or VideoGIF
	FPS          int    // frames per second; 0: the maker's default
	Width        int    // pixels wide; 0: the recorded width
	SkipInactive bool   // leave out most of each long span without user interaction
}

// VideoSpec is the video the job asks for (Format "": none).
func (j Job) VideoSpec() VideoSpec {
	return VideoSpec{Format: j.Video, FPS: j.VideoFPS, Width: j.VideoWidth, SkipInactive: j.VideoSkipInactive}
}

// VideoContentType is the content type of a video format, "" for none
// Kiln makes.
func VideoContentType(format string) string {
	switch format {
	case VideoMP4:
		return "video/mp4"
	case VideoWebM:
		return "video/webm"
	case VideoGIF:
		return "image/gif"
	}
	return ""
}

// Object is one stored result.
type Object struct {
	Name        string `json:"name"` // "image", "thumb", "video", or a replay file name
	Key         string `json:"key"`
	Size        int64  `json:"size"`
	ContentType string `json:"contentType"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
}

// Error classes reported while a job retries or after it failed.
const (
	ClassBadInput = "bad_input" // the input cannot be rendered
	ClassRenderer = "renderer"  // browser crash or render fault
	ClassTimeout  = "timeout"   // the task ran out of time
	ClassStorage  = "storage"   // object storage fault
	ClassNetwork  = "network"   // callback or other network fault
	ClassInternal = "internal"
)

// Result is what a handler records as the task's result: the objects on
// success; the public reason on failure; the error class of the last
// failed attempt while retrying. It never holds internal error text.
type Result struct {
	Objects    []Object `json:"objects,omitempty"`
	Warnings   []string `json:"warnings,omitempty"`
	Reason     string   `json:"reason,omitempty"`
	ErrorClass string   `json:"errorClass,omitempty"`
	Report     *Report  `json:"report,omitempty"`
	// VideoParts, on a replay task's result, says its video is made in
	// that many pieces: the job is done when they are joined
	// (videoparts.go).
	VideoParts int `json:"videoParts,omitempty"`

	pending *videoPending // the pieces to enqueue
}

// Report is how a successful job went: the time each step took and, for
// screenshots, the requests Kiln refused to serve and the resource counts.
// It holds no page content beyond the refused URLs (truncated by the
// renderer), which belong to the job's own project.
type Report struct {
	// QueueWaitMs is the time from enqueue to the first attempt's start.
	QueueWaitMs float64 `json:"queueWaitMs,omitempty"`
	// Steps are in order. Screenshots: load_input, decode, the renderer's
	// steps (tab_wait, load, settle, capture, thumb) and upload. Replays:
	// open_input, build (the bundle, its keyframes and poster) and upload
	// (the time spent storing files while the bundle was built).
	Steps   []StepTiming `json:"steps"`
	TotalMs float64      `json:"totalMs"`
	Blocked []Blocked    `json:"blocked,omitempty"`
	// BlockedTotal counts refused requests; Blocked lists at most
	// MaxReportBlocked of them.
	BlockedTotal int `json:"blockedTotal,omitempty"`
	Fetched      int `json:"fetched,omitempty"`
	Served       int `json:"served,omitempty"`
}

// MaxReportBlocked caps the refused requests a Report lists: a report
// lives in Redis with the task for the retention period.
const MaxReportBlocked = 50

// StepTiming is one timed step of a job.
type StepTiming struct {
	Name string  `json:"name"`
	Ms   float64 `json:"ms"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Key layout: storage's (storage.ItemKeys). Every key is derived from
// the project and job id alone, so a repeated delivery overwrites the same
// objects. The helpers assume names already validated (ValidID, the API's
// project names); storage.ErrInvalidKey catches the rest.

// InputKey is where a job's input is stored: "p/{project}/inputs/{id}".
func InputKey(project, id string) string {
	return storage.Keys{Project: project, ID: id, Kind: storage.KindScreenshot}.Input()
}

// ShotKey is where a screenshot job's file goes ("full.webp", "thumb.jpg").
func ShotKey(project, id, name string) string {
	return storage.Keys{Project: project, ID: id, Kind: storage.KindScreenshot}.Prefix() + name
}

// ReplayKey is where a replay job's file goes.
func ReplayKey(project, id, name string) string {
	return storage.Keys{Project: project, ID: id, Kind: storage.KindReplay}.Prefix() + name
}

// kindOf maps a task type to the storage item kind.
func kindOf(typ string) storage.Kind {
	if typ == TypeReplay {
		return storage.KindReplay
	}
	return storage.KindScreenshot
}
