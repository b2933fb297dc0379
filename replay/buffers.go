package replay

import "sync"

// buildBuffers keep the large buffers of a build (the segment being
// written, its gzip output, outline's scratch) between builds: made anew,
// a build allocates and clears several times the size of its largest
// event, and the garbage collector's work on them was a fifth of a warm
// build's CPU time. sync.Pool would not do: the collector empties it,
// and a build of a few megabytes runs several collections. At most
// maxBuildBuffers buffers of at most maxBuildBuffer bytes each are kept
// (64 MB in all at worst, as transformCacheBytes), so a worker holds no
// more than its busiest builds need.
var buildBuffers struct {
	mu   sync.Mutex
	free [][]byte
}

const (
	maxBuildBuffers = 8
	maxBuildBuffer  = 8 << 20
)

// getBuffer returns an empty kept buffer, or nil.
func getBuffer() []byte {
	buildBuffers.mu.Lock()
	defer buildBuffers.mu.Unlock()
	n := len(buildBuffers.free)
	if n == 0 {
		return nil
	}
	b := buildBuffers.free[n-1]
	buildBuffers.free[n-1] = nil
	buildBuffers.free = buildBuffers.free[:n-1]
	return b[:0]
}

// putBuffer keeps b for a later build unless it is too large or enough
// are kept. Nothing may use b afterwards.
func putBuffer(b []byte) {
	if cap(b) == 0 || cap(b) > maxBuildBuffer {
		return
	}
	buildBuffers.mu.Lock()
	defer buildBuffers.mu.Unlock()
	if len(buildBuffers.free) < maxBuildBuffers {
		buildBuffers.free = append(buildBuffers.free, b[:0])
	}
}
