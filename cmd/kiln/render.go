package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/kilnrender/kiln/renderer"
	"github.com/kilnrender/kiln/snapshot"
	"github.com/kilnrender/kiln/storage"
)

// renderReport is the <name>.json written next to each image.
type renderReport struct {
	Input    string             `json:"input"`
	Source   snapshot.Source    `json:"source"`
	URL      string             `json:"url"`
	Viewport snapshot.Viewport  `json:"viewport"`
	Scroll   snapshot.Scroll    `json:"scroll"`
	Image    string             `json:"image"`
	Thumb    string             `json:"thumb,omitempty"`
	Bytes    int                `json:"bytes"`
	Result   *renderer.Result   `json:"result"`
	Timings  map[string]float64 `json:"timingsMs"`
	TotalMs  float64            `json:"totalMs"`
	Warnings []string           `json:"warnings,omitempty"`
}

// smallBatch is the largest batch kiln render gives one browser when
// --browsers and --tabs are not set. On 2 cores two browsers render ~25 %
// faster than one with two tabs (docs/benchmarks.md), which repays the
// second browser's start from about 15–20 renders on.
const smallBatch = 16

func runRender(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: kiln render [flags] -o DIR INPUT...   (or --out FILE INPUT)\n\nINPUT is Kiln snapshot JSON, a Gleap payload, rrweb events or a snapshot node, or an HTML file (gzip accepted; - reads stdin).\n\nflags (each has an env twin):")
		fs.PrintDefaults()
	}
	e := newEnvFlags(fs)
	outDir := e.String("o", "KILN_OUT_DIR", "", "write <name>.<format>, <name>.thumb.jpg and <name>.json into this folder")
	outFile := e.String("out", "KILN_OUT", "", "render a single INPUT to this file (format from its extension unless --format)")
	format := e.String("format", "KILN_FORMAT", "", "image format: webp, jpeg or png (default webp)")
	quality := e.Int("quality", "KILN_QUALITY", 80, "WebP/JPEG quality 1..100")
	thumbW := e.Int("thumb-width", "KILN_THUMB_WIDTH", 320, "thumbnail width in CSS px (0 = none)")
	fullPage := e.Bool("full-page", "KILN_FULL_PAGE", false, "capture the whole page, up to the renderer's maximum height")
	conc := e.Int("concurrency", "KILN_CONCURRENCY", 0, "renders in flight (default: browsers × tabs)")
	browsers := e.Int("browsers", "KILN_BROWSERS", 0, "Chromium processes (default 2; 1 for a batch of up to 16 inputs)")
	tabs := e.Int("tabs", "KILN_TABS", 0, "tabs per Chromium process (default 1; for a batch of up to 16 inputs, one per render in flight)")
	timeout := e.Duration("timeout", "KILN_RENDER_TIMEOUT", 30*time.Second, "deadline for one render")
	chrome := e.String("chrome", "KILN_CHROME_PATH", "", "Chromium binary (default: found on PATH)")
	noFetch := e.Bool("no-fetch", "KILN_NO_FETCH", false, "never fetch resources from the network; use only those in the input")
	netPolicy := addNetFlags(e)
	u := e.String("url", "KILN_URL", "", "page URL (overrides the input's)")
	width := e.Int("width", "KILN_WIDTH", 0, "viewport width in CSS px (overrides the input's)")
	height := e.Int("height", "KILN_HEIGHT", 0, "viewport height in CSS px (overrides the input's)")
	dpr := e.Float("dpr", "KILN_DPR", 0, "device pixel ratio (overrides the input's)")
	scrollY := e.Int("scroll-y", "KILN_SCROLL_Y", -1, "vertical scroll in CSS px (overrides the input's)")
	mask := e.String("mask", "KILN_MASK", "", "extra CSS selectors to mask, ';'-separated (a ',' inside one is CSS's own selector list)")
	quiet := e.Bool("q", "KILN_QUIET", false, "no progress line")
	storeURI := e.String("store", "", "", "also store each render in this object store (file:///path, s3://bucket/prefix; KILN_STORE is not read here, so a local run never writes to production by accident)")
	project := e.String("project", "KILN_PROJECT", "local", "project the stored renders belong to (with --store)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("%v: %w", err, errUsage)
	}
	if err := errors.Join(e.Err(), netPolicy.config().Validate()); err != nil {
		return fmt.Errorf("%v: %w", err, errUsage)
	}
	inputs := fs.Args()
	switch {
	case len(inputs) == 0:
		return fmt.Errorf("no INPUT given: %w", errUsage)
	case *outFile != "" && len(inputs) != 1:
		return fmt.Errorf("--out takes exactly one INPUT: %w", errUsage)
	case *outFile == "" && *outDir == "" && *storeURI == "":
		return fmt.Errorf("give -o DIR, --out FILE or --store URI: %w", errUsage)
	case *storeURI != "" && *outFile != "":
		return fmt.Errorf("--store goes with -o DIR or alone, not with --out: %w", errUsage)
	}
	var store storage.Store
	if *storeURI != "" {
		if err := storage.ValidateName(*project); err != nil {
			return fmt.Errorf("--project: %v: %w", err, errUsage)
		}
		st, closeStore, err := openStoreURI(ctx, *storeURI)
		if err != nil {
			return err
		}
		defer closeStore()
		store = st
	}
	if *outFile != "" && *format == "" {
		switch strings.ToLower(filepath.Ext(*outFile)) {
		case ".png":
			*format = renderer.FormatPNG
		case ".jpg", ".jpeg":
			*format = renderer.FormatJPEG
		}
	}
	opts := renderer.Options{Format: *format, Quality: *quality, ThumbWidth: *thumbW, FullPage: *fullPage}
	if *outFile != "" {
		opts.ThumbWidth = 0
	}
	ov := snapshot.Override{URL: *u, Width: *width, Height: *height, DPR: *dpr}
	if *scrollY >= 0 {
		ov.ScrollY = scrollY
	}
	masks := splitSelectors(*mask)

	cfg := renderer.DefaultConfig()
	cfg.ChromePath = *chrome
	cfg.NoFetch = *noFetch
	cfg.Fetch = netPolicy.config()
	if *browsers > 0 {
		cfg.Browsers = *browsers
	}
	if *tabs > 0 {
		cfg.TabsPerBrowser = *tabs
	}
	cfg.JobTimeout = *timeout
	if *conc <= 0 {
		*conc = cfg.Browsers * cfg.TabsPerBrowser
	}
	if *browsers == 0 && *tabs == 0 && len(inputs) <= smallBatch {
		// A small batch does not repay a second Chromium's start (1.5–2
		// CPU-s): one browser with a tab per render in flight.
		cfg.Browsers, cfg.TabsPerBrowser = 1, min(*conc, 32)
	}
	if *outDir != "" {
		if err := os.MkdirAll(*outDir, 0o755); err != nil {
			return err
		}
	}
	// The browsers start at once, while the inputs are read and parsed in
	// order: the first render begins as soon as the first input is parsed
	// and one browser is warm (cfg.ReadyAfter), the other browsers join as
	// they come up. A malformed input is reported when it is parsed,
	// without waiting for a browser, and does not stop the others.
	cfg.ReadyAfter = 1
	type started struct {
		pool *renderer.Pool
		err  error
	}
	poolc := make(chan started, 1)
	startCtx, cancelStart := context.WithTimeout(ctx, 60*time.Second)
	defer cancelStart()
	go func() {
		p, err := renderer.New(startCtx, cfg)
		poolc <- started{p, err}
	}()
	type item struct {
		input string
		name  string
		snap  *snapshot.Snapshot
	}
	var (
		mu     sync.Mutex
		bad    int
		failed int
	)
	prog := newProgress(len(inputs), *quiet)
	items := make(chan item, *conc)
	go func() {
		defer close(items)
		names := map[string]int{}
		for _, in := range inputs {
			if ctx.Err() != nil {
				return
			}
			data, err := readInput(in)
			var s *snapshot.Snapshot
			if err == nil {
				s, err = snapshot.Parse(data, snapshot.Options{Name: in, Override: ov, Mask: masks})
			}
			if err != nil {
				mu.Lock()
				bad++
				prog.clear()
				fmt.Fprintf(os.Stderr, "kiln render: %s: %v\n", in, err)
				prog.step(in)
				mu.Unlock()
				continue
			}
			name := outputName(in)
			if names[name] > 0 {
				// Generic names (snapshot, feedback) repeat across
				// folders: prefix the folder's name.
				if dir := filepath.Base(filepath.Dir(in)); dir != "." && dir != "/" {
					name = dir + "-" + name
				}
			}
			if n := names[name]; n > 0 {
				names[name] = n + 1
				name = fmt.Sprintf("%s-%d", name, n+1)
			} else {
				names[name] = 1
			}
			items <- item{in, name, s}
		}
	}()
	// The pool is waited for only once there is a good input to render.
	first, ok := <-items
	var pool *renderer.Pool
	if ok {
		st := <-poolc
		if st.err != nil {
			for range items { // let the parser finish
			}
			return st.err
		}
		pool = st.pool
	} else {
		cancelStart()
		if st := <-poolc; st.pool != nil {
			st.pool.Close()
		}
		return exitError{2}
	}
	defer pool.Close()

	work := make(chan item)
	var wg sync.WaitGroup
	for i := 0; i < *conc; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range work {
				err := renderOne(ctx, pool, it.input, it.name, it.snap, opts, *outDir, *outFile, *timeout, store, *project)
				mu.Lock()
				if err != nil {
					if errors.Is(err, renderer.ErrBadInput) {
						bad++
					} else {
						failed++
					}
					prog.clear()
					fmt.Fprintf(os.Stderr, "kiln render: %s: %v\n", it.input, err)
				}
				prog.step(it.name)
				mu.Unlock()
			}
		}()
	}
	send := func(it item) {
		select {
		case work <- it:
		case <-ctx.Done():
		}
	}
	send(first)
	for it := range items {
		send(it)
	}
	close(work)
	wg.Wait()
	prog.done()
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case failed > 0:
		return exitError{1}
	case bad > 0:
		return exitError{2}
	}
	return nil
}

func renderOne(ctx context.Context, pool *renderer.Pool, input, name string, s *snapshot.Snapshot, opts renderer.Options, dir, file string, timeout time.Duration, store storage.Store, project string) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	res, err := pool.Render(ctx, s, opts)
	if err != nil {
		return err
	}
	total := time.Since(start)
	if file != "" {
		return writeFileAtomic(file, res.Image)
	}
	ext := map[string]string{"image/webp": ".webp", "image/jpeg": ".jpg", "image/png": ".png"}[res.ContentType]
	rep := renderReport{
		Input: input, Source: s.Source, URL: s.URL, Viewport: s.Viewport, Scroll: s.Scroll,
		Image: name + ext, Bytes: len(res.Image), Result: res, Timings: map[string]float64{},
		TotalMs: ms(total), Warnings: res.Warnings,
	}
	for _, st := range res.Steps {
		rep.Timings[st.Name] = ms(st.Duration)
	}
	if len(res.Thumb) > 0 {
		rep.Thumb = name + ".thumb.jpg"
	}
	js, _ := json.MarshalIndent(rep, "", "  ")
	js = append(js, '\n')
	if store != nil {
		if err := storeRender(ctx, store, project, itemID(name), res, js); err != nil {
			return err
		}
	}
	if dir == "" {
		return nil
	}
	if err := writeFileAtomic(filepath.Join(dir, rep.Image), res.Image); err != nil {
		return err
	}
	if len(res.Thumb) > 0 {
		if err := writeFileAtomic(filepath.Join(dir, rep.Thumb), res.Thumb); err != nil {
			return err
		}
	}
	return writeFileAtomic(filepath.Join(dir, name+".json"), js)
}

// storeRender writes a render to the store with the documented layout
// (image, thumbnail, report), the item record last: a retried run
// overwrites the same keys.
func storeRender(ctx context.Context, st storage.Store, project, id string, res *renderer.Result, report []byte) error {
	k, err := storage.ItemKeys(project, storage.KindScreenshot, id)
	if err != nil {
		return err
	}
	ext := map[string]string{"image/webp": "webp", "image/jpeg": "jpeg", "image/png": "png"}[res.ContentType]
	objs := []struct {
		key, ctype string
		data       []byte
	}{{k.ShotImage(ext), res.ContentType, res.Image}, {k.ShotRender(), "application/json", report}}
	if len(res.Thumb) > 0 {
		objs = append(objs, struct {
			key, ctype string
			data       []byte
		}{k.ShotThumb(), "image/jpeg", res.Thumb})
	}
	it := storage.Item{ID: id, Project: project, Kind: storage.KindScreenshot, Status: storage.StatusDone, Warnings: res.Warnings}
	for _, o := range objs {
		if err := st.Put(ctx, o.key, bytes.NewReader(o.data), int64(len(o.data)), storage.PutOptions{ContentType: o.ctype}); err != nil {
			return fmt.Errorf("store %s: %w", o.key, err)
		}
		it.Objects = append(it.Objects, o.key)
		it.Bytes += int64(len(o.data))
	}
	return storage.PutItem(ctx, st, it)
}

// itemID turns an output name into a valid item id: lower case, runs of
// other characters as '-', at most 63 bytes.
func itemID(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	id := strings.TrimRight(b.String(), "-")
	if len(id) > 63 {
		id = strings.TrimRight(id[:63], "-")
	}
	if id == "" {
		id = "snapshot"
	}
	return id
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// readInput reads a file (or stdin for "-"), inflating gzip (openInput),
// up to the snapshot size limit.
func readInput(path string) ([]byte, error) {
	r, closeIn, err := openInput(path)
	if err != nil {
		return nil, err
	}
	defer closeIn()
	limit := int64(snapshot.DefaultMaxInputBytes)
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("input over %d bytes", limit)
	}
	return data, nil
}

// outputName derives <name> from an input path: the base name without
// .gz, .json, .html and similar extensions.
func outputName(path string) string {
	if path == "-" {
		return "stdin"
	}
	base := filepath.Base(path)
	for {
		ext := strings.ToLower(filepath.Ext(base))
		switch ext {
		case ".gz", ".json", ".html", ".htm", ".rrweb", ".kiln":
			base = strings.TrimSuffix(base, base[len(base)-len(ext):])
			continue
		}
		break
	}
	if base == "" || base == "." {
		base = "snapshot"
	}
	return base
}

func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".kiln-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
