package renderer

import (
	"context"
	"errors"
	"os"
	"syscall"
	"testing"
	"time"
)

func lifecyclePool(t *testing.T, recycle int) *Pool {
	t.Helper()
	sharedPool(t) // fails or skips when there is no Chromium
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cfg := DefaultConfig()
	cfg.Browsers = 1
	cfg.TabsPerBrowser = 1
	cfg.RecycleAfter = recycle
	cfg.NoFetch = true
	p, err := New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// browserState returns the process groups and profile dirs of the pool's
// browsers.
func browserState(p *Pool) (pgids []int, dirs []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for b := range p.browsers {
		pgids = append(pgids, int(b.pgid.Load()))
		dirs = append(dirs, b.dir)
	}
	return
}

// groupAlive reports whether a process of the group still runs (a zombie
// waiting for init to reap it is dead: see groupRunning).
func groupAlive(pgid int) bool {
	return groupRunning(pgid)
}

func TestPoolRecyclesBrowsers(t *testing.T) {
	p := lifecyclePool(t, 3)
	pg0, dir0 := browserState(p)
	for i := 0; i < 7; i++ {
		renderPNG(t, p, testPage(`<p>recycle`))
	}
	deadline := time.Now().Add(20 * time.Second)
	for p.Stats().Restarts < 2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if st := p.Stats(); st.Restarts < 2 || st.Renders != 7 {
		t.Fatalf("after 7 renders with RecycleAfter=3: %+v", st)
	}
	if groupAlive(pg0[0]) {
		t.Fatalf("recycled browser's process group %d still alive", pg0[0])
	}
	if _, err := os.Stat(dir0[0]); !os.IsNotExist(err) {
		t.Fatalf("recycled browser's profile %s not removed", dir0[0])
	}
}

func TestPoolSurvivesBrowserCrash(t *testing.T) {
	p := lifecyclePool(t, 1000)
	pg, _ := browserState(p)
	renderPNG(t, p, testPage(`<p>before`))
	if err := syscall.Kill(-pg[0], syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// The render that meets the dead browser fails as a browser fault (a
	// queue retries it); the pool restarts Chromium and the next succeeds.
	failures := 0
	for i := 0; i < 4; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
		_, err := p.Render(ctx, testPage(`<p>after`), Options{})
		cancel()
		if err == nil {
			break
		}
		if !errors.Is(err, ErrBrowser) && !errors.Is(err, ErrTimeout) {
			t.Fatalf("crash surfaced as %v, want ErrBrowser", err)
		}
		failures++
	}
	if failures > 2 {
		t.Fatalf("%d renders failed after the crash", failures)
	}
	renderPNG(t, p, testPage(`<p>after restart`))
	if p.Stats().Restarts < 1 {
		t.Fatalf("no restart recorded: %+v", p.Stats())
	}
}

func TestPoolCloseLeavesNothing(t *testing.T) {
	p := lifecyclePool(t, 1000)
	renderPNG(t, p, testPage(`<p>x`))
	pgids, dirs := browserState(p)
	p.Close()
	for _, pg := range pgids {
		if groupAlive(pg) {
			t.Errorf("process group %d still alive after Close", pg)
		}
	}
	for _, d := range dirs {
		if _, err := os.Stat(d); !os.IsNotExist(err) {
			t.Errorf("profile %s not removed", d)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := p.Render(ctx, testPage(`<p>x`), Options{}); !errors.Is(err, ErrClosed) {
		t.Fatalf("render after close: %v", err)
	}
}
