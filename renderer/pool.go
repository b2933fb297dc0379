package renderer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kilnrender/kiln/netguard"
	"github.com/kilnrender/kiln/snapshot"
)

// Pool is a supervised set of warm Chromium tabs. Each tab renders one job
// at a time, in a browser context of its own, and is reused: a fresh
// context per job measured ~2.8× slower. Nothing leaks between jobs
// because every response a tab sees is served by Kiln with no-store and no
// cookies, and page scripts never run (see doc.go).
type Pool struct {
	cfg    Config
	chrome string
	sink   *blackhole
	fetch  *netguard.Fetcher

	idle   idleTabs
	closed atomic.Bool
	done   chan struct{}

	mu       sync.Mutex
	browsers map[*browser]struct{}
	nextID   int
	wg       sync.WaitGroup

	restarts atomic.Int64
	renders  atomic.Int64
}

// New starts cfg.Browsers Chromium processes with their tabs, all at
// once, and returns when cfg.ReadyAfter of them are warm (by default all).
// ctx bounds only that wait.
func New(ctx context.Context, cfg Config) (*Pool, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	chrome, err := findChrome(cfg.ChromePath)
	if err != nil {
		return nil, err
	}
	if n := sweepProfiles(os.TempDir()); n > 0 && cfg.Logf != nil {
		cfg.Logf("renderer: removed %d profiles left by Kiln processes that are gone", n)
	}
	p := &Pool{
		cfg:      cfg,
		chrome:   chrome,
		done:     make(chan struct{}),
		browsers: map[*browser]struct{}{},
	}
	if !cfg.NoFetch {
		if p.fetch, err = netguard.NewFetcher(cfg.Fetch); err != nil {
			return nil, err
		}
	}
	if p.sink, err = newBlackhole(); err != nil {
		return nil, err
	}
	// Every browser starts at once; New waits for cfg.ReadyAfter of them
	// (an error before then fails it), and those still starting join the
	// pool as they come up.
	type started struct {
		tabs []*tab
		err  error
	}
	ch := make(chan started, cfg.Browsers)
	for i := 0; i < cfg.Browsers; i++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			_, tabs, err := p.startBrowser()
			ch <- started{tabs, err}
		}()
	}
	var errs []error
	got, ready := 0, 0
	for ready < cfg.ReadyAfter && len(errs) == 0 {
		select {
		case s := <-ch:
			got++
			if s.err != nil {
				errs = append(errs, s.err)
				continue
			}
			ready++
			for _, t := range s.tabs {
				p.idle.put(t)
			}
		case <-ctx.Done():
			errs = append(errs, fmt.Errorf("start renderer: %w", ctx.Err()))
		}
	}
	if len(errs) > 0 {
		p.Close()
		return nil, errors.Join(errs...)
	}
	if rest := cfg.Browsers - got; rest > 0 {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for i := 0; i < rest; i++ {
				s := <-ch
				if s.err == nil {
					for _, t := range s.tabs {
						p.put(t)
					}
					continue
				}
				if errors.Is(s.err, ErrClosed) {
					continue
				}
				p.logf("renderer: browser start failed: %v", s.err)
				p.wg.Add(1)
				go func() {
					defer p.wg.Done()
					p.startRetrying()
				}()
			}
		}()
	}
	return p, nil
}

// startBrowser launches one browser with its first tab and registers it;
// its other tabs open in the background and join the pool one by one (the
// first job need not wait for them).
func (p *Pool) startBrowser() (*browser, []*tab, error) {
	p.mu.Lock()
	p.nextID++
	id := p.nextID
	p.mu.Unlock()
	b, err := startBrowser(id, p.chrome, p.cfg, p.sink.addr(), p.done)
	if err != nil {
		return nil, nil, err
	}
	t, err := newTab(b, p)
	if err != nil {
		b.close()
		return nil, nil, err
	}
	// open counts the tabs still to open too: the browser is not retired
	// while one is on its way.
	b.open = p.cfg.TabsPerBrowser
	p.mu.Lock()
	if p.closed.Load() {
		p.mu.Unlock()
		b.close()
		return nil, nil, ErrClosed
	}
	p.browsers[b] = struct{}{}
	p.mu.Unlock()
	p.logf("renderer: browser %d started (%d tabs)", b.id, p.cfg.TabsPerBrowser)
	if n := p.cfg.TabsPerBrowser - 1; n > 0 {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for i := 0; i < n; i++ {
				t, err := newTab(b, p)
				if err == nil {
					p.put(t)
					continue
				}
				b.dead.Store(true)
				b.mu.Lock()
				b.open -= n - i
				last := b.open == 0
				b.mu.Unlock()
				if last {
					p.replace(b)
				}
				return
			}
		}()
	}
	return b, []*tab{t}, nil
}

func (p *Pool) logf(format string, args ...any) {
	if p.cfg.Logf != nil {
		p.cfg.Logf(format, args...)
	}
}

// Render renders one snapshot. ctx must carry a deadline; the render is
// also bounded by Config.JobTimeout. Errors wrap ErrBadInput (do not retry),
// ErrTimeout, ErrBrowser or ErrClosed.
func (p *Pool) Render(ctx context.Context, s *snapshot.Snapshot, opts Options) (*Result, error) {
	if _, ok := ctx.Deadline(); !ok {
		return nil, fmt.Errorf("render: %w", ErrNoContext)
	}
	if p.closed.Load() {
		return nil, fmt.Errorf("render: %w", ErrClosed)
	}
	if err := checkInput(s, &opts); err != nil {
		return nil, fmt.Errorf("render: %v: %w", err, ErrBadInput)
	}
	ctx, cancel := context.WithTimeout(ctx, p.cfg.JobTimeout)
	defer cancel()
	start := time.Now()
	t, err := p.acquire(ctx, s.Viewport)
	if err != nil {
		return nil, err
	}
	wait := time.Since(start)
	res, err := t.render(ctx, s, opts)
	broken := err != nil && !errors.Is(err, ErrBadInput)
	p.release(t, broken)
	if err != nil {
		return nil, err
	}
	p.renders.Add(1)
	res.Steps = append([]Step{{Name: "queue", Duration: wait}}, res.Steps...)
	return res, nil
}

// acquire takes a warm tab, preferring one already set to vp, waiting
// for one to come free.
func (p *Pool) acquire(ctx context.Context, vp snapshot.Viewport) (*tab, error) {
	for {
		t, w := p.idle.get(vp)
		if t == nil {
			select {
			case t = <-w.ch:
			case <-p.done:
				if t := p.idle.cancel(w); t != nil {
					p.put(t)
				}
				return nil, fmt.Errorf("render: %w", ErrClosed)
			case <-ctx.Done():
				if t := p.idle.cancel(w); t != nil {
					p.put(t)
				}
				return nil, fmt.Errorf("render: waiting for a browser: %v: %w", ctx.Err(), ErrTimeout)
			}
		}
		if t.b.dead.Load() || t.b.retiring.Load() {
			p.retire(t)
			continue
		}
		return t, nil
	}
}

// release returns a tab after a job. A broken tab (timeout, crash) is
// replaced; a browser past RecycleAfter jobs is retired once its last tab
// comes back.
func (p *Pool) release(t *tab, broken bool) {
	b := t.b
	if n := b.jobs.Add(1); n >= int64(p.cfg.RecycleAfter) {
		b.retiring.Store(true)
	}
	if b.ctx.Err() != nil {
		b.dead.Store(true)
	}
	if b.dead.Load() || b.retiring.Load() || p.closed.Load() {
		p.retire(t)
		return
	}
	if broken {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			t.close()
			nt, err := newTab(b, p)
			if err != nil {
				b.dead.Store(true)
				b.mu.Lock()
				b.open--
				last := b.open == 0
				b.mu.Unlock()
				if last {
					p.replace(b)
				}
				return
			}
			p.put(nt)
		}()
		return
	}
	p.put(t)
}

func (p *Pool) put(t *tab) {
	if p.closed.Load() {
		t.close()
		return
	}
	p.idle.put(t)
}

// retire closes a tab of a dying or retiring browser; the last one out
// replaces the browser.
func (p *Pool) retire(t *tab) {
	b := t.b
	t.close()
	b.mu.Lock()
	b.open--
	last := b.open == 0
	b.mu.Unlock()
	if last {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.replace(b)
		}()
	}
}

// replace closes b and starts a browser in its place, retrying with
// backoff until it starts or the pool closes.
func (p *Pool) replace(b *browser) {
	p.mu.Lock()
	delete(p.browsers, b)
	p.mu.Unlock()
	b.close()
	if p.closed.Load() {
		return
	}
	p.restarts.Add(1)
	p.logf("renderer: restarting browser %d after %d jobs (dead=%v)", b.id, b.jobs.Load(), b.dead.Load())
	p.startRetrying()
}

// startRetrying starts a browser and puts its tabs in the pool, retrying
// with backoff until it starts or the pool closes.
func (p *Pool) startRetrying() {
	delay := 500 * time.Millisecond
	for !p.closed.Load() {
		_, tabs, err := p.startBrowser()
		if err == nil {
			for _, t := range tabs {
				p.put(t)
			}
			return
		}
		if errors.Is(err, ErrClosed) {
			return
		}
		p.logf("renderer: browser start failed: %v", err)
		select {
		case <-time.After(delay):
		case <-p.done:
			return
		}
		delay = min(2*delay, 30*time.Second)
	}
}

// Stats is a snapshot of the pool's counters.
type Stats struct {
	Browsers int   `json:"browsers"`
	Idle     int   `json:"idle"`
	Renders  int64 `json:"renders"`
	Restarts int64 `json:"restarts"`
	// SinkConnections counts connections Chromium opened to the proxy
	// sink: requests that bypassed interception. It should stay 0.
	SinkConnections int64 `json:"sinkConnections"`
}

// Stats returns the pool's counters.
func (p *Pool) Stats() Stats {
	p.mu.Lock()
	n := len(p.browsers)
	p.mu.Unlock()
	return Stats{Browsers: n, Idle: p.idle.len(), Renders: p.renders.Load(), Restarts: p.restarts.Load(), SinkConnections: p.sink.conns.Load()}
}

// ProcessGroups returns the process group of each running browser (for
// CPU and memory accounting).
func (p *Pool) ProcessGroups() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []int
	for b := range p.browsers {
		if pg := b.pgid.Load(); pg > 0 {
			out = append(out, int(pg))
		}
	}
	return out
}

// Fetcher returns the pool's network fetcher (nil when fetching is off), so
// that other parts (replay asset capture) share its policy and limits.
func (p *Pool) Fetcher() *netguard.Fetcher { return p.fetch }

// Close stops every browser, kills their process groups and removes their
// profiles. Renders in flight fail with ErrClosed or ErrBrowser.
func (p *Pool) Close() error {
	if p.closed.Swap(true) {
		return nil
	}
	close(p.done)
	p.mu.Lock()
	bs := make([]*browser, 0, len(p.browsers))
	for b := range p.browsers {
		bs = append(bs, b)
	}
	p.browsers = map[*browser]struct{}{}
	p.mu.Unlock()
	var wg sync.WaitGroup
	for _, b := range bs {
		wg.Add(1)
		go func() { defer wg.Done(); b.close() }()
	}
	wg.Wait()
	p.wg.Wait()
	if p.sink != nil {
		p.sink.close()
	}
	return nil
}
