package storage

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
)

// ErrInvalidName reports a project, item id, kind or asset hash that does
// not fit the key layout.
var ErrInvalidName = errors.New("invalid name")

// nameRE is what a project or item id may be: lower-case, starting with a
// letter or digit, at most 63 bytes. Safe in a key, a URL, a file name and
// a CSV cell (no leading =, +, - or @), on every backend.
var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)

var sha256RE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ValidateName reports whether s can be a project or item id. The error
// wraps ErrInvalidName.
func ValidateName(s string) error {
	if !nameRE.MatchString(s) {
		return fmt.Errorf("%w: %q: want [a-z0-9][a-z0-9_-]{0,62}", ErrInvalidName, s)
	}
	return nil
}

// Kind is the kind of an item.
type Kind string

// Item kinds.
const (
	KindScreenshot Kind = "screenshot"
	KindReplay     Kind = "replay"
)

// Validate reports whether k is a known kind.
func (k Kind) Validate() error {
	switch k {
	case KindScreenshot, KindReplay:
		return nil
	}
	return fmt.Errorf("%w: kind %q: want screenshot or replay", ErrInvalidName, string(k))
}

// ProjectPrefix is "p/{project}/": every object of the project.
func ProjectPrefix(project string) (string, error) {
	if err := ValidateName(project); err != nil {
		return "", fmt.Errorf("project: %w", err)
	}
	return "p/" + project + "/", nil
}

// AssetKey is "p/{project}/assets/{sha256}": a shared asset (a font, an
// image the snapshot referenced) stored once per project, named by the
// hex SHA-256 of its bytes.
func AssetKey(project, sha256hex string) (string, error) {
	p, err := ProjectPrefix(project)
	if err != nil {
		return "", err
	}
	if !sha256RE.MatchString(sha256hex) {
		return "", fmt.Errorf("asset: %w: %q is not a lower-case hex SHA-256", ErrInvalidName, sha256hex)
	}
	return p + "assets/" + sha256hex, nil
}

// SettingsKey is "p/{project}/settings.json": the project's privacy
// settings (package settings).
func SettingsKey(project string) (string, error) {
	p, err := ProjectPrefix(project)
	return p + "settings.json", err
}

// FeedbackPrefix is "p/{project}/feedback/{id}/" (or, with id "", every
// feedback item's folder of the project): a feedback item's record
// (FeedbackRecord) and its timeline pages (FeedbackTimeline).
func FeedbackPrefix(project, id string) (string, error) {
	p, err := ProjectPrefix(project)
	if err != nil {
		return "", err
	}
	if id == "" {
		return p + "feedback/", nil
	}
	if err := ValidateName(id); err != nil {
		return "", fmt.Errorf("feedback item id: %w", err)
	}
	return p + "feedback/" + id + "/", nil
}

// FeedbackRecord is "p/{project}/feedback/{id}/item.json".
func FeedbackRecord(project, id string) (string, error) {
	if id == "" {
		return "", fmt.Errorf("feedback item id: %w: empty", ErrInvalidName)
	}
	p, err := FeedbackPrefix(project, id)
	return p + "item.json", err
}

// FeedbackTimeline is "p/{project}/feedback/{id}/timeline-{page:03d}.json".
func FeedbackTimeline(project, id string, page int) (string, error) {
	if id == "" || page < 0 {
		return "", fmt.Errorf("feedback timeline: %w: id %q, page %d", ErrInvalidName, id, page)
	}
	p, err := FeedbackPrefix(project, id)
	return fmt.Sprintf("%stimeline-%03d.json", p, page), err
}

// Keys names the objects of one item. Every key is a pure function of
// project, kind and id, so a retried job overwrites what a failed attempt
// left instead of adding to it.
type Keys struct {
	Project string
	ID      string
	Kind    Kind
}

// ItemKeys validates project, kind and id and returns their key names.
func ItemKeys(project string, kind Kind, id string) (Keys, error) {
	if err := ValidateName(project); err != nil {
		return Keys{}, fmt.Errorf("project: %w", err)
	}
	if err := ValidateName(id); err != nil {
		return Keys{}, fmt.Errorf("item id: %w", err)
	}
	if err := kind.Validate(); err != nil {
		return Keys{}, err
	}
	return Keys{Project: project, ID: id, Kind: kind}, nil
}

func (k Keys) project() string { return "p/" + k.Project + "/" }

// Prefix holds the item's outputs: "p/{project}/shots/{id}/" for a
// screenshot, "p/{project}/replays/{id}/" for a replay.
func (k Keys) Prefix() string {
	if k.Kind == KindReplay {
		return k.project() + "replays/" + k.ID + "/"
	}
	return k.project() + "shots/" + k.ID + "/"
}

// ShotImage is ".../shots/{id}/full.{format}" for format webp, jpeg (or
// jpg) or png; any other format gives ".../full.bin".
func (k Keys) ShotImage(format string) string {
	ext := "bin"
	switch format {
	case "webp", "png", "jpeg":
		ext = format
	case "jpg":
		ext = "jpeg"
	}
	return k.project() + "shots/" + k.ID + "/full." + ext
}

// ShotThumb is ".../shots/{id}/thumb.jpg".
func (k Keys) ShotThumb() string { return k.project() + "shots/" + k.ID + "/thumb.jpg" }

// ShotRender is ".../shots/{id}/render.json": the render's report.
func (k Keys) ShotRender() string { return k.project() + "shots/" + k.ID + "/render.json" }

// ReplayManifest is ".../replays/{id}/manifest.json".
func (k Keys) ReplayManifest() string { return k.project() + "replays/" + k.ID + "/manifest.json" }

// ReplaySegment is ".../replays/{id}/segments/{n}.json.gz" (n from 0).
func (k Keys) ReplaySegment(n int) string {
	return k.project() + "replays/" + k.ID + "/segments/" + strconv.Itoa(n) + ".json.gz"
}

// Input is "p/{project}/inputs/{id}": the payload the item was made from.
// An id names one item in a project whatever its kind.
func (k Keys) Input() string { return k.project() + "inputs/" + k.ID }

// Item is "p/{project}/items/{kind}-{id}.json": the item's record.
func (k Keys) Item() string { return k.project() + "items/" + string(k.Kind) + "-" + k.ID + ".json" }

// ItemsPrefix is "p/{project}/items/": every item record of the project.
func ItemsPrefix(project string) (string, error) {
	p, err := ProjectPrefix(project)
	if err != nil {
		return "", err
	}
	return p + "items/", nil
}
