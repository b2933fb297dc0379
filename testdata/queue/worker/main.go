// Command worker is a queue worker whose renderer draws a flat PNG after a
// configurable delay. The queue's fault tests run it as a subprocess to
// kill it mid-render; it is not part of Kiln.
//
// Environment: REDIS_URL, KILN_STORE (a folder), KILN_TEST_DELAY (render
// time), KILN_TEST_RENDER_LOG (a file to which every finished render
// appends its job id), KILN_SHUTDOWN_TIMEOUT.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/snapshot"
	"github.com/kilnrender/kiln/storage"
)

type slowRenderer struct {
	delay time.Duration
	log   string
	mu    sync.Mutex
}

func (r *slowRenderer) Render(ctx context.Context, s *snapshot.Snapshot, _ queue.RenderOptions) (*queue.Shot, error) {
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("render: %w", ctx.Err())
	case <-time.After(r.delay):
	}
	img := image.NewRGBA(image.Rect(0, 0, s.Viewport.Width, s.Viewport.Height))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	img.Set(0, 0, color.RGBA{255, 0, 0, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	if id, ok := ctx.Value(jobKey{}).(string); ok && r.log != "" {
		r.mu.Lock()
		f, err := os.OpenFile(r.log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintln(f, id)
			f.Close()
		}
		r.mu.Unlock()
	}
	return &queue.Shot{Image: buf.Bytes(), ContentType: "image/png", Width: s.Viewport.Width, Height: s.Viewport.Height}, nil
}

type jobKey struct{}

// parse reads {"id":..., "width":..., "height":...}.
func parse(data []byte) (*snapshot.Snapshot, error) {
	var in struct {
		ID            string `json:"id"`
		Width, Height int
	}
	if err := json.Unmarshal(data, &in); err != nil || in.Width <= 0 || in.Height <= 0 {
		return nil, fmt.Errorf("parse: %w", snapshot.ErrInvalid)
	}
	return &snapshot.Snapshot{Viewport: snapshot.Viewport{Width: in.Width, Height: in.Height}, URL: in.ID}, nil
}

// idRenderer puts the snapshot's id on the context for the log.
type idRenderer struct{ *slowRenderer }

func (r idRenderer) Render(ctx context.Context, s *snapshot.Snapshot, o queue.RenderOptions) (*queue.Shot, error) {
	return r.slowRenderer.Render(context.WithValue(ctx, jobKey{}, s.URL), s, o)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	delay, _ := time.ParseDuration(os.Getenv("KILN_TEST_DELAY"))
	shutdown, err := time.ParseDuration(os.Getenv("KILN_SHUTDOWN_TIMEOUT"))
	if err != nil {
		shutdown = 5 * time.Second
	}
	store, err := storage.NewFolder(storage.FolderConfig{Dir: os.Getenv("KILN_STORE"), BaseURL: "http://127.0.0.1:1", NoSync: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rdb, err := queue.NewRedisClient(queue.RedisConfig{URL: os.Getenv("REDIS_URL")})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	cfg := queue.DefaultConfig()
	cfg.Concurrency = 2
	cfg.TaskCheckInterval = 50 * time.Millisecond
	cfg.DelayedTaskCheckInterval = time.Second
	cfg.RetryBase, cfg.RetryMax = 100*time.Millisecond, time.Second
	cfg.ShutdownTimeout = shutdown
	w, err := queue.NewWorker(rdb, cfg, queue.Handlers{
		Store:    store,
		Renderer: idRenderer{&slowRenderer{delay: delay, log: os.Getenv("KILN_TEST_RENDER_LOG")}},
		Parse:    parse,
	}, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("ready")
	if err := w.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("stopped")
}
