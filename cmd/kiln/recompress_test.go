package main

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/kilnrender/kiln/replay"
)

// --recompress-images (KILN_REPLAY_RECOMPRESS_IMAGES) decides whether the
// PNGs a recording carries are re-encoded, for kiln replay and for the
// worker's replay jobs: on by default (smaller bundles), off stores them
// as recorded.
func TestRecompressImagesSetting(t *testing.T) {
	rec, err := os.ReadFile("../../testdata/replay/bootstrap-sign-in-password.rrweb.json")
	if err != nil {
		t.Fatal(err)
	}
	pngBytes := func(cfg replay.Config) int {
		t.Helper()
		b, err := replay.NewBuilder(cfg, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		sink := &replay.MemorySink{}
		man, err := b.Build(context.Background(), bytes.NewReader(rec), sink)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, a := range man.Assets.Items {
			if a.ContentType == "image/png" {
				n += a.Bytes
			}
		}
		if n == 0 {
			t.Fatal("the recording's images are not among the bundle's assets")
		}
		return n
	}
	replayCfg := func(args ...string) replay.Config {
		t.Helper()
		f, _, err := parseReplayFlags(args)
		if err != nil {
			t.Fatal(err)
		}
		return f.config()
	}
	workerCfg := func() replay.Config {
		t.Helper()
		e := serviceFlagSet("worker")
		f := addWorkerFlags(e)
		if err := parseServiceFlags(e, nil); err != nil {
			t.Fatal(err)
		}
		return f.replayConfig()
	}
	small, worker := pngBytes(replayCfg()), pngBytes(workerCfg())
	off := pngBytes(replayCfg("--recompress-images=false"))
	t.Logf("PNG assets: %d B re-encoded (%.2f of the %d B recorded)", small, float64(small)/float64(off), off)
	if small >= off || worker != small {
		t.Fatalf("PNG assets: kiln replay %d B, the worker %d B, with --recompress-images=false %d B", small, worker, off)
	}
	t.Setenv("KILN_REPLAY_RECOMPRESS_IMAGES", "false")
	if got := pngBytes(workerCfg()); got != off {
		t.Fatalf("worker with KILN_REPLAY_RECOMPRESS_IMAGES=false: PNG assets %d B, want %d B as recorded", got, off)
	}
}
