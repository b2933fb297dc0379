package main

import (
	"encoding/json"
	"image"
	"os"
	"path/filepath"
	"testing"

	"github.com/kilnrender/kiln/internal/imgcmp"
	"github.com/kilnrender/kiln/replay"
)

// featureFloor is what the feature cases' frames must reach where it is
// not the default (SSIM 0.999, at most 0.2 % of the pixels changed):
//   - cssom-adopted-fonts has a CSS animation paused mid-turn, which both
//     players draw at its start (rrweb's Replayer scores the same);
//   - form-state has a <select multiple> with two options chosen, of
//     which rrweb records the first (the manifest warns; the Replayer
//     shows the same);
//   - modal-dialog's live page painted a focus ring around the dialog
//     showModal() focused: pictures paint no focus;
//   - responsive-images/initial: the recorder's bitmap of an image with a
//     srcset is a re-raster at its box's size, a little softer than the
//     live page's (the Replayer shows the same).
var featureFloor = map[string]struct{ ssim, changed float64 }{
	"cssom-adopted-fonts/initial":          {0.997, 0.002},
	"cssom-adopted-fonts/vars-cssom-fonts": {0.997, 0.002},
	"cssom-adopted-fonts/adopted-changed":  {0.997, 0.002},
	"cssom-adopted-fonts/resized-800":      {0.996, 0.002},
	"form-state/all-changed":               {0.996, 0.007},
	"form-state/dialogs-open":              {0.998, 0.005},
	"form-state/modal-closed-open-attr":    {0.996, 0.007},
	"modal-dialog/open":                    {0.997, 0.004},
	"responsive-images/initial":            {0.996, 0.004},
}

// testReplayFeatures pictures the feature cases (testdata/replay/features,
// see its README: pages made for the project, each using a few browser
// features, recorded by the real rrweb recorder with their truth frames)
// like the fidelity cases, and also counts the pixels that changed:
// SSIM compares luminance, and an image swapped for one of another
// colour but the same brightness barely moves it.
func testReplayFeatures(t *testing.T, shooter replay.Shooter) {
	root := filepath.Join("..", "..", "testdata", "replay", "features")
	ents, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if d := os.Getenv("KILN_FIDELITY_OUT"); d != "" {
		out = d // keep the pictures
	}
	cases := 0
	for _, e := range ents {
		dir := filepath.Join(root, e.Name())
		b, err := os.ReadFile(filepath.Join(dir, "frames.json"))
		if !e.IsDir() || os.IsNotExist(err) {
			continue // make/: the recorder and the pages
		}
		var frames []fidelityFrame
		if err == nil {
			err = json.Unmarshal(b, &frames)
		}
		if err != nil || len(frames) == 0 {
			t.Fatalf("%s: frames.json: %v", e.Name(), err)
		}
		cases++
		for _, fr := range frames {
			png, want := pictureAt(t, shooter, dir, fr, out)
			score := ssimOf(t, png, want)
			got, err := imgcmp.Load(png)
			if err != nil {
				t.Fatal(err)
			}
			changed := changedPixels(got, want)
			key := e.Name() + "/" + fr.Label
			t.Logf("%-44s t=%6d ms  SSIM %.4f  changed %.4f", key, fr.AtMs, score, changed)
			floor, ok := featureFloor[key]
			if !ok {
				floor.ssim, floor.changed = 0.999, 0.002
			}
			if score < floor.ssim || changed > floor.changed {
				t.Errorf("%s: SSIM %.4f (floor %.4f), %.2f %% of the pixels changed (at most %.1f %%)", key, score, floor.ssim, 100*changed, 100*floor.changed)
			}
		}
	}
	if cases < 22 {
		t.Fatalf("%d feature cases found under %s", cases, root)
	}
}

// changedPixels is the fraction of the pixels of a and b (same size, else
// 1) whose colour differs by more than 48 in a channel.
func changedPixels(a, b image.Image) float64 {
	if a.Bounds().Size() != b.Bounds().Size() {
		return 1
	}
	ab, bb := a.Bounds(), b.Bounds()
	n := 0
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			r1, g1, b1, _ := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, _ := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			if far(r1, r2) || far(g1, g2) || far(b1, b2) {
				n++
			}
		}
	}
	return float64(n) / float64(ab.Dx()*ab.Dy())
}

func far(a, b uint32) bool { return a>>8 > b>>8+48 || b>>8 > a>>8+48 }
