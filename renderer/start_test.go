package renderer

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestPoolReadyAfterOne: a pool that waits for one browser of two renders
// at once, and the second browser joins; Close right after New (the second
// maybe still starting) leaves no process running.
func TestPoolReadyAfterOne(t *testing.T) {
	sharedPool(t) // fails or skips when there is no Chromium
	// The pools below keep their profiles in a folder of this test's: the
	// profiles other test binaries' browsers make meanwhile are not seen.
	t.Setenv("TMPDIR", t.TempDir())
	start := func() *Pool {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		cfg := DefaultConfig()
		cfg.Browsers, cfg.ReadyAfter, cfg.NoFetch = 2, 1, true
		p, err := New(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := start()
	defer p.Close()
	if n := p.Stats().Browsers; n < 1 {
		t.Fatalf("New returned with %d browsers", n)
	}
	img, _ := renderPNG(t, p, testPage(`<body style="background:#0f0">`))
	if c := img.At(10, 10); !near(c, 0, 255, 0) {
		t.Fatalf("pixel %v, want green", c)
	}
	deadline := time.Now().Add(30 * time.Second)
	for p.Stats().Browsers < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if st := p.Stats(); st.Browsers != 2 || st.Idle != 2 {
		t.Fatalf("the second browser did not join: %+v", st)
	}

	// A browser still starting when Close is called is not in the pool's
	// list yet: that its profile is gone shows Close ended it too.
	before := profiles(t)
	q := start()
	pgids, _ := browserState(q)
	q.Close()
	for _, pg := range pgids {
		if groupAlive(pg) {
			t.Errorf("process group %d still running after Close", pg)
		}
	}
	for d := range profiles(t) {
		if !before[d] {
			t.Errorf("profile %s left after Close", d)
		}
	}
}

// profiles lists the Chromium profiles in the temporary folder.
func profiles(t *testing.T) map[string]bool {
	m, err := filepath.Glob(filepath.Join(os.TempDir(), profilePrefix+"*"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, d := range m {
		out[d] = true
	}
	return out
}

// TestPoolTabsJoinOneByOne: New returns with a browser's first tab; its
// other tabs join the pool as they open, and all of them render.
func TestPoolTabsJoinOneByOne(t *testing.T) {
	sharedPool(t) // fails or skips when there is no Chromium
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cfg := DefaultConfig()
	cfg.Browsers, cfg.TabsPerBrowser, cfg.NoFetch = 1, 3, true
	p, err := New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	deadline := time.Now().Add(30 * time.Second)
	for p.Stats().Idle < 3 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if st := p.Stats(); st.Idle != 3 || st.Browsers != 1 {
		t.Fatalf("want 3 idle tabs in 1 browser: %+v", st)
	}
	// Three renders at once take the three tabs.
	errs := make(chan error, 3)
	for i := 0; i < 3; i++ {
		go func() {
			_, err := p.Render(renderCtx(t), testPage(`<body style="background:#00f">`), Options{Format: FormatPNG})
			errs <- err
		}()
	}
	for i := 0; i < 3; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if st := p.Stats(); st.Renders != 3 || st.Idle != 3 {
		t.Fatalf("after 3 renders: %+v", st)
	}
}
