package testenv

import "testing"

// FFmpeg returns the path of ffmpeg (found as LookPath finds it, or at
// KILN_FFMPEG_PATH), failing the test under CI when there is none
// (scripts/setup.sh installs Debian's package).
func FFmpeg(t testing.TB) string {
	t.Helper()
	return LookPath(t, "ffmpeg", "KILN_FFMPEG_PATH")
}

// FFprobe is FFmpeg for ffprobe (KILN_FFPROBE_PATH), which comes in the
// same package.
func FFprobe(t testing.TB) string {
	t.Helper()
	return LookPath(t, "ffprobe", "KILN_FFPROBE_PATH")
}
