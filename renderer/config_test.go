package renderer

import "testing"

// The worker's default shape follows the machine: memory decides, the
// cores cap it (docs/deploy.md has the measurements behind both).
func TestBrowsersFor(t *testing.T) {
	const gb = 1 << 30
	for _, tc := range []struct {
		cores int
		mem   int64
		want  int
	}{
		{2, 24 * gb, 2},   // this project's 2-core, 24 GB machine: as before
		{2, 2.5 * gb, 2},  // a 2.5 GB dyno: two
		{2, 2 * gb, 1},    // 85 % of 2 GB holds one
		{2, 1 * gb, 1},    // a 1 GB dyno: one, never zero
		{1, 8 * gb, 1},    // one core: one
		{8, 64 * gb, 8},   // one per core
		{8, 6 * gb, 4},    // memory first
		{2, 0, 2},         // memory unknown: DefaultConfig's
		{0, 24 * gb, 1},   // cores unknown: as for one
		{2, 200 << 20, 1}, // far too small: still one
	} {
		if got := BrowsersFor(tc.cores, tc.mem); got != tc.want {
			t.Errorf("BrowsersFor(%d, %.2f GB) = %d, want %d", tc.cores, float64(tc.mem)/gb, got, tc.want)
		}
	}
}
