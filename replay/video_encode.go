package replay

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The encode step: ffmpeg reads the captures through its concat demuxer,
// each lasting its frames, and writes them with those durations
// (variable frame rate on a 1/FPS time base): the encoder too pays for
// change only. Measured on the to-do recording with 30 s of idle time
// (588 frames, 50 captures, 1280×800, x264 veryfast, two runs on a
// shared 2-core machine): writing every frame at a constant rate (concat
// and the fps filter) took 3.6-4.7× the time and 2× the bytes, piping
// every frame's PNG to image2pipe 5-6× the time.

// lookFFmpeg finds ffmpeg: name (a path or a program on PATH), else
// "ffmpeg" on PATH. It wraps ErrNoFFmpeg when there is none.
func lookFFmpeg(name string) (string, error) {
	if name == "" {
		name = "ffmpeg"
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrNoFFmpeg, err)
	}
	return p, nil
}

// ffconcat is the concat demuxer's list: each capture with its duration
// (its frames / FPS). The last capture is listed again as the last
// frame, lasting 1/FPS, so that the video ends at frames / FPS (the
// demuxer may drop the last entry's duration; -t ends the video there).
func ffconcat(shots []shot, fps int) []byte {
	var b bytes.Buffer
	b.WriteString("ffconcat version 1.0\n")
	dur := func(frames int) string { return strconv.FormatFloat(float64(frames)/float64(fps), 'f', 6, 64) }
	for i, s := range shots {
		n := s.frames
		if i == len(shots)-1 {
			n--
		}
		if n > 0 {
			fmt.Fprintf(&b, "file '%s'\nduration %s\n", filepath.Base(s.file), dur(n))
		}
	}
	fmt.Fprintf(&b, "file '%s'\nduration %s\n", filepath.Base(shots[len(shots)-1].file), dur(1))
	return b.Bytes()
}

// ffmpegArgs is the command line for vc.Format, writing out.
func ffmpegArgs(list, out string, st *VideoStats, vc VideoConfig) []string {
	fps := vc.FPS
	dur := strconv.FormatFloat(st.Duration.Seconds(), 'f', 6, 64)
	scale := fmt.Sprintf("scale=%d:%d:flags=lanczos", st.Width, st.Height)
	args := []string{"-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "concat", "-safe", "0", "-i", list, "-threads", "2",
		"-fps_mode", "vfr", "-r", strconv.Itoa(fps)}
	switch vc.Format {
	case VideoGIF:
		args = append(args, "-filter_complex",
			"[0:v]"+scale+",split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=bayer:bayer_scale=5:diff_mode=rectangle",
			// The muxer would give the last frame the delay of the one
			// before: it lasts one frame.
			"-loop", "0", "-final_delay", strconv.Itoa(100/fps), "-t", dur, "-f", "gif", out)
	case VideoWebM:
		args = append(args, "-vf", scale+",format=yuv420p",
			"-c:v", "libvpx-vp9", "-crf", "34", "-b:v", "0", "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1",
			"-t", dur, "-f", "webm", out)
	default:
		args = append(args, "-vf", scale+",format=yuv420p",
			"-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p")
		if vc.Piece == nil {
			// A piece is not played: the join moves the index to the
			// front.
			args = append(args, "-movflags", "+faststart")
		}
		args = append(args, "-t", dur, "-f", "mp4", out)
	}
	return args
}

// encodeVideo runs ffmpeg on the captures in dir, within EncodeTimeout.
// The output goes to a temporary file beside out, renamed into place
// when ffmpeg succeeds.
func encodeVideo(ctx context.Context, ffmpeg, dir string, shots []shot, st *VideoStats, out string, vc VideoConfig) error {
	list := filepath.Join(dir, "frames.ffconcat")
	if err := os.WriteFile(list, ffconcat(shots, vc.FPS), 0o600); err != nil {
		return fmt.Errorf("encode video: %w", err)
	}
	part := filepath.Join(dir, "out."+vc.Format)
	if err := runFFmpeg(ctx, ffmpeg, ffmpegArgs(list, part, st, vc), vc.EncodeTimeout, vc.EncodeMemory); err != nil {
		return fmt.Errorf("encode video: %w", err)
	}
	return moveFile(part, out)
}

// runFFmpeg runs ffmpeg with args within timeout; its error has the
// tail of ffmpeg's error text.
func runFFmpeg(ctx context.Context, ffmpeg string, args []string, timeout time.Duration, memory int64) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, ffmpeg, args...)
	var stderr tailBuffer
	cmd.Stdout, cmd.Stderr = nil, &stderr
	err := cmd.Start()
	if err == nil {
		// The bound applies from here on, in practice while ffmpeg's
		// libraries are still being mapped (about 300 MiB of address
		// space): it covers the whole run.
		if lerr := limitMemory(cmd.Process.Pid, memory); lerr != nil {
			cmd.Process.Kill()
			cmd.Wait()
			return fmt.Errorf("ffmpeg: bound its memory: %w", lerr)
		}
		err = cmd.Wait()
	}
	if err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return ErrNoFFmpeg
		}
		if ctx.Err() != nil {
			return fmt.Errorf("ffmpeg: %w", ctx.Err())
		}
		msg := strings.TrimSpace(stderr.String())
		if memory > 0 && (strings.Contains(msg, "Cannot allocate memory") || strings.Contains(msg, "failed to map segment")) {
			// Final: the same video needs the same memory next time.
			return fmt.Errorf("ffmpeg: %w: the encode needs more than its %d MiB of memory (a GIF holds every distinct frame until its palette is made): %s",
				ErrTooLarge, memory>>20, msg)
		}
		return fmt.Errorf("ffmpeg: %v: %s", err, msg)
	}
	return nil
}

// moveFile renames from to to, or copies it across file systems.
func moveFile(from, to string) error {
	if err := os.Rename(from, to); err == nil {
		return nil
	}
	data, err := os.ReadFile(from)
	if err != nil {
		return fmt.Errorf("move video: %w", err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		return fmt.Errorf("move video: %w", err)
	}
	return nil
}

// tailBuffer keeps the last 4 KB written (ffmpeg's error text).
type tailBuffer struct{ b []byte }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 4096 {
		t.b = t.b[len(t.b)-4096:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.b) }
