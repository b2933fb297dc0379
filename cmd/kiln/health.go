package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// runHealthcheck GETs a health URL and exits 0 when it answers 200, 1
// otherwise: the image's HEALTHCHECK, which has no curl.
//
//	kiln healthcheck [--url URL]
//
// The default URL is the API's /healthz on $PORT; a worker serves /healthz
// on --metrics-addr, so its container sets KILN_HEALTH_URL to that.
func runHealthcheck(ctx context.Context, args []string) error {
	e := serviceFlagSet("healthcheck")
	port := e.Int("port", "PORT", 8080, "the API's port, for the default URL")
	u := e.String("url", "KILN_HEALTH_URL", "", "URL to check (default http://127.0.0.1:$PORT/healthz; a worker: http://127.0.0.1<metrics-addr>/healthz)")
	timeout := e.Duration("timeout", "KILN_HEALTH_TIMEOUT", 5*time.Second, "how long the check may take")
	if err := parseServiceFlags(e, args); err != nil {
		return err
	}
	if err := e.Err(); err != nil {
		return usageError{err}
	}
	target := *u
	if target == "" {
		target = "http://127.0.0.1:" + strconv.Itoa(*port) + "/healthz"
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return fmt.Errorf("%w: --url: %v", errUsage, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("unhealthy: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("unhealthy: %s answered %d", target, resp.StatusCode)
	}
	return nil
}
