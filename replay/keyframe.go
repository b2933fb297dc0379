package replay

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// pendingKeyframe is a keyframe asked for (at a navigation or a resize),
// taken once every event up to at has been applied.
type pendingKeyframe struct {
	at     int64 // absolute ms
	reason string
}

// schedule asks for a keyframe of the state once every event at or before
// at (absolute ms) has been applied. Events come in time order, so the
// list stays sorted; it is bounded like the keyframes themselves.
func (bd *build) schedule(at int64, reason string) {
	if len(bd.kfPending) < bd.cfg.MaxKeyframes {
		bd.kfPending = append(bd.kfPending, pendingKeyframe{at, reason})
	}
}

// keyframesBefore takes the keyframes due before an event at ts (the
// mirror then holds the state at those times): periodic ones, the poster
// when PosterAt is set, and those scheduled at navigations and resizes.
func (bd *build) keyframesBefore(ts int64) {
	for {
		at, reason := int64(1<<62), ""
		periodic := bd.cfg.KeyframeInterval > 0 && bd.shots < bd.cfg.MaxKeyframes && bd.nextPeriodic <= bd.last
		if periodic {
			at, reason = bd.nextPeriodic, "interval"
			if at == bd.start {
				reason = "start"
			}
		}
		if p := bd.cfg.PosterAt.Milliseconds(); p > 0 && !bd.posterDone && bd.start+p <= bd.last && bd.start+p < at {
			at, reason = bd.start+p, "poster"
		}
		if len(bd.kfPending) > 0 && bd.kfPending[0].at < at {
			at, reason = bd.kfPending[0].at, bd.kfPending[0].reason
		}
		if reason == "" || at >= ts {
			return
		}
		switch {
		case reason == "poster":
			bd.posterDone = true
		case reason == "interval" || reason == "start":
			bd.nextPeriodic += bd.cfg.KeyframeInterval.Milliseconds()
			if at-bd.lastShot < bd.cfg.KeyframeMinGap.Milliseconds() {
				continue
			}
		default:
			bd.kfPending = bd.kfPending[1:]
		}
		if reason != "poster" {
			if bd.shots >= bd.cfg.MaxKeyframes {
				bd.warn.add("keyframes over MaxKeyframes dropped")
				continue
			}
			bd.lastShot = at
			bd.shots++
		}
		name := ""
		if reason == "poster" {
			name = "poster"
		}
		kf := bd.shoot(Keyframe{AtMs: at - bd.start, Reason: reason}, name)
		bd.man.Keyframes = append(bd.man.Keyframes, kf)
	}
}

// maxShotRetries bounds the pictures of one build tried a second time.
const maxShotRetries = 2

// shoot renders the mirror's state through the Shooter and stores it;
// failures become warnings. name is the file stem ("" = keyframes/<ms>).
func (bd *build) shoot(kf Keyframe, name string) Keyframe {
	if bd.b.shooter == nil {
		if !bd.pictureWarn {
			bd.pictureWarn = true
			bd.warn.add("pictures skipped: no renderer configured")
		}
		return kf
	}
	if bd.ctx.Err() != nil {
		return kf
	}
	bd.m.SetMoment(bd.start + kf.AtMs)
	snap, err := ToSnapshot(bd.m)
	bd.m.SetMoment(0)
	if err != nil {
		bd.warn.add("picture skipped: " + errText(err))
		return kf
	}
	pic, err := bd.b.shooter.Shoot(bd.ctx, snap)
	if (err != nil || pic == nil || len(pic.Image) == 0) && bd.ctx.Err() == nil && bd.shotRetries < maxShotRetries {
		// A browser killed or restarting fails one picture; the next
		// attempt gets a fresh one. A page that fails every time costs
		// at most maxShotRetries extra tries per build.
		bd.shotRetries++
		pic, err = bd.b.shooter.Shoot(bd.ctx, snap)
	}
	if err != nil || pic == nil || len(pic.Image) == 0 {
		bd.warn.add("picture failed")
		return kf
	}
	if name == "" {
		name = fmt.Sprintf("keyframes/%07d", kf.AtMs)
	}
	kf.Image = name + extension(pic.ContentType)
	kf.ContentType = pic.ContentType
	kf.Width, kf.Height = pic.Width, pic.Height
	sum := sha256.Sum256(pic.Image)
	kf.SHA256 = hex.EncodeToString(sum[:])
	if err := bd.sink.Put(bd.ctx, kf.Image, pic.Image, pic.ContentType, ""); err != nil {
		bd.fatal = fmt.Errorf("store picture: %w", err)
		return kf
	}
	if len(pic.Thumb) > 0 {
		kf.Thumb = name + "-thumb" + extension(pic.ThumbContentType)
		if err := bd.sink.Put(bd.ctx, kf.Thumb, pic.Thumb, pic.ThumbContentType, ""); err != nil {
			bd.fatal = fmt.Errorf("store picture: %w", err)
		}
	}
	return kf
}

func extension(contentType string) string {
	switch strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0]) {
	case "image/webp":
		return ".webp"
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	}
	return ""
}
