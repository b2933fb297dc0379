package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kilnrender/kiln/renderer"
	"github.com/kilnrender/kiln/snapshot"
)

// command is one line the harness sends to a worker process on stdin.
// Workers (the Go ones here and peer/playwright.mjs) answer each
// with one reply line on stdout.
type command struct {
	Op   string `json:"op"`   // "run", "save" or "quit"
	N    int    `json:"n"`    // run: renders
	Conc int    `json:"conc"` // run: renders in flight
	Dir  string `json:"dir"`  // save: folder for <case>.png
}

type reply struct {
	Ready  bool               `json:"ready,omitempty"`
	Lat    []float64          `json:"lat,omitempty"` // ms per render
	WallMs float64            `json:"wallMs,omitempty"`
	Errors int                `json:"errors,omitempty"`
	Err    string             `json:"err,omitempty"`
	Steps  map[string]float64 `json:"steps,omitempty"` // mean ms per step (Kiln)
}

// renderFunc renders case i of the corpus in the worker's way; png asks
// for a lossless full-size image (no thumbnail) for the equality check.
type renderFunc func(ctx context.Context, i int, png bool) ([]byte, map[string]time.Duration, error)

// serveWorker runs the worker protocol over stdin/stdout.
// warmEach renders each of the n cases once, before timing starts.
func warmEach(n int, render renderFunc) func() error {
	return func() error {
		for i := 0; i < n; i++ {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			_, _, err := render(ctx, i, false)
			cancel()
			if err != nil {
				return err
			}
		}
		return nil
	}
}

func serveWorker(cases []benchCase, render renderFunc, warm func() error) error {
	out := json.NewEncoder(os.Stdout)
	if warm != nil {
		if err := warm(); err != nil {
			_ = out.Encode(reply{Err: err.Error()})
			return err
		}
	}
	if err := out.Encode(reply{Ready: true}); err != nil {
		return err
	}
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		var c command
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return fmt.Errorf("worker: %w", err)
		}
		switch c.Op {
		case "quit":
			return nil
		case "save":
			var r reply
			for i, bc := range cases {
				ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
				img, _, err := render(ctx, i, true)
				cancel()
				if err == nil {
					err = os.WriteFile(filepath.Join(c.Dir, bc.Name+".png"), img, 0o644)
				}
				if err != nil {
					r.Errors++
					r.Err = err.Error()
				}
			}
			_ = out.Encode(r)
		case "run":
			_ = out.Encode(runBatch(c.N, c.Conc, len(cases), render))
		default:
			return fmt.Errorf("worker: unknown op %q", c.Op)
		}
	}
	return sc.Err()
}

func runBatch(n, conc, ncases int, render renderFunc) reply {
	lat := make([]float64, n)
	steps := map[string]time.Duration{}
	var (
		mu    sync.Mutex
		next  atomic.Int64
		errs  atomic.Int64
		first atomic.Value
		wg    sync.WaitGroup
	)
	start := time.Now()
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
				st := time.Now()
				_, sd, err := render(ctx, i%ncases, false)
				lat[i] = float64(time.Since(st).Microseconds()) / 1000
				cancel()
				if err != nil {
					errs.Add(1)
					first.CompareAndSwap(nil, err.Error())
				}
				mu.Lock()
				for k, v := range sd {
					steps[k] += v
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	r := reply{Lat: lat, WallMs: float64(time.Since(start).Microseconds()) / 1000, Errors: int(errs.Load())}
	if e, ok := first.Load().(string); ok {
		r.Err = e
	}
	if len(steps) > 0 {
		r.Steps = map[string]float64{}
		for k, v := range steps {
			r.Steps[k] = float64(v.Microseconds()) / 1000 / float64(n)
		}
	}
	return r
}

// readInputs reads every case's Kiln JSON into memory: a render starts
// from these bytes.
func readInputs(cases []benchCase) ([][]byte, error) {
	raw := make([][]byte, len(cases))
	for i, c := range cases {
		b, err := os.ReadFile(c.Input)
		if err != nil {
			return nil, err
		}
		raw[i] = b
	}
	return raw, nil
}

func kilnOptions(png bool) renderer.Options {
	if png {
		return renderer.Options{Format: renderer.FormatPNG}
	}
	return renderer.Options{Format: renderer.FormatWebP, Quality: 80, ThumbWidth: 320}
}

// kilnRender parses the input bytes and renders them with p.
func kilnRender(ctx context.Context, p *renderer.Pool, raw []byte, png bool) ([]byte, map[string]time.Duration, error) {
	st := time.Now()
	s, err := snapshot.Parse(raw, snapshot.Options{})
	if err != nil {
		return nil, nil, err
	}
	parse := time.Since(st)
	res, err := p.Render(ctx, s, kilnOptions(png))
	if err != nil {
		return nil, nil, err
	}
	if !png && (len(res.Image) == 0 || len(res.Thumb) == 0) {
		return nil, nil, errors.New("render: missing image or thumbnail")
	}
	sd := map[string]time.Duration{"parse": parse}
	for _, s := range res.Steps {
		sd[s.Name] += s.Duration
	}
	return res.Image, sd, nil
}

// runKilnWorker serves renders from one warm Pool.
func runKilnWorker(cases []benchCase, cfg renderer.Config) error {
	raw, err := readInputs(cases)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	p, err := renderer.New(ctx, cfg)
	cancel()
	if err != nil {
		return err
	}
	defer p.Close()
	render := func(ctx context.Context, i int, png bool) ([]byte, map[string]time.Duration, error) {
		return kilnRender(ctx, p, raw[i], png)
	}
	return serveWorker(cases, render, warmEach(len(cases), render))
}

// runNaiveWorker starts a new one-browser Pool for every render.
func runNaiveWorker(cases []benchCase, cfg renderer.Config) error {
	raw, err := readInputs(cases)
	if err != nil {
		return err
	}
	cfg.Browsers, cfg.TabsPerBrowser = 1, 1
	render := func(ctx context.Context, i int, png bool) ([]byte, map[string]time.Duration, error) {
		p, err := renderer.New(ctx, cfg)
		if err != nil {
			return nil, nil, err
		}
		defer p.Close()
		return kilnRender(ctx, p, raw[i], png)
	}
	return serveWorker(cases, render, nil)
}
