//go:build !linux

package replay

// limitMemory does nothing where prlimit(2) is not available: ffmpeg
// runs keep their deadline only.
func limitMemory(pid int, bytes int64) error { return nil }
