package replay

import (
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/kilnrender/kiln/internal/testenv"
)

// TestFFmpegMemoryBound: an ffmpeg run is bounded in memory. The encodes
// Kiln runs (H.264, veryfast, two threads, 1280×800; a GIF of 50 distinct
// frames with its palette) succeed within their bounds; a GIF that needs
// more fails with ErrTooLarge (a final error) instead of growing.
func TestFFmpegMemoryBound(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the bound is prlimit(2), Linux only")
	}
	ffmpeg := testenv.FFmpeg(t)
	dir := t.TempDir()
	src := []string{"-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-t", "5", "-f", "lavfi", "-i", "testsrc2=size=1280x800:rate=10", "-threads", "2"}
	mp4 := append(append([]string(nil), src...), "-vf", "format=yuv420p", "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-f", "mp4", filepath.Join(dir, "v.mp4"))
	gif := append(append([]string(nil), src...), "-filter_complex",
		"[0:v]split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer:bayer_scale=5:diff_mode=rectangle", "-f", "gif", filepath.Join(dir, "v.gif"))
	// An H.264 encode fits in well under a third of the default bound.
	if err := runFFmpeg(context.Background(), ffmpeg, mp4, time.Minute, 600<<20); err != nil {
		t.Fatalf("mp4 within 600 MiB: %v", err)
	}
	if err := runFFmpeg(context.Background(), ffmpeg, gif, time.Minute, DefaultEncodeMemory); err != nil {
		t.Fatalf("gif of 50 frames within the default bound: %v", err)
	}
	// A GIF of 200 distinct frames under 600 MiB: ffmpeg starts (its
	// libraries need about 300 MiB of address space), buffers frames, and
	// fails.
	long := append([]string(nil), gif...)
	long[6] = "20" // -t 20
	start := time.Now()
	err := runFFmpeg(context.Background(), ffmpeg, long, time.Minute, 600<<20)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("gif under 600 MiB: %v, want ErrTooLarge", err)
	}
	if time.Since(start) > 30*time.Second {
		t.Fatalf("gif under 600 MiB took %v to fail", time.Since(start))
	}
	t.Logf("gif under 600 MiB: %v", err)
}
