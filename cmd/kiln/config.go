package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"

	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/storage"
)

// parseServiceFlags parses a service command's flags. Bad env values are
// not returned here: the caller reports them with the configuration's
// other errors (e.Err()).
func parseServiceFlags(e *envFlags, args []string) error {
	if err := e.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitError{0}
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if e.fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %q", errUsage, e.fs.Args())
	}
	return nil
}

func serviceFlagSet(name string) *envFlags {
	return newEnvFlags(flag.NewFlagSet("kiln "+name, flag.ContinueOnError))
}

// redisFlags are the Redis settings shared by api, worker and dev.
type redisFlags struct {
	url, sentinels, master, cluster *string
}

func addRedisFlags(e *envFlags) *redisFlags {
	return &redisFlags{
		url:       e.String("redis-url", "REDIS_URL", "redis://127.0.0.1:6379/0", "Redis URL: redis:// or rediss:// (TLS), ?skip_verify=true for self-signed certificates"),
		sentinels: e.String("redis-sentinels", "KILN_REDIS_SENTINELS", "", "comma-separated host:port of Redis Sentinels"),
		master:    e.String("redis-master", "KILN_REDIS_MASTER", "", "Redis Sentinel master name"),
		cluster:   e.String("redis-cluster-addrs", "KILN_REDIS_CLUSTER_ADDRS", "", "comma-separated host:port of Redis Cluster nodes"),
	}
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (r *redisFlags) config() queue.RedisConfig {
	c := queue.RedisConfig{URL: *r.url, Sentinels: splitList(*r.sentinels), Master: *r.master, ClusterAddrs: splitList(*r.cluster)}
	if len(c.Sentinels) > 0 || len(c.ClusterAddrs) > 0 {
		// With Sentinel or Cluster the URL only carries credentials and
		// TLS; the default local URL is dropped.
		if c.URL == "redis://127.0.0.1:6379/0" {
			c.URL = ""
		}
	}
	return c
}

// storeFlags select the object store.
type storeFlags struct {
	uri, baseURL *string
}

func addStoreFlags(e *envFlags) *storeFlags {
	return &storeFlags{
		uri:     e.String("store", "KILN_STORE", "kiln-data/", "object store: file:///path or a folder path, or s3://bucket/prefix"),
		baseURL: e.String("public-url", "KILN_PUBLIC_URL", "", "the API's public base URL, for signed URLs of a folder store (default http://localhost:$PORT)"),
	}
}

func (s *storeFlags) validate() error {
	u := *s.uri
	switch {
	case u == "":
		return errors.New("store: KILN_STORE is empty")
	case strings.HasPrefix(u, "s3://"), strings.HasPrefix(u, "file://"), !strings.Contains(u, "://"):
		return nil
	}
	return fmt.Errorf("store: %q: want file:///path, a folder path or s3://bucket/prefix", u)
}

// open opens the store (storage.Open). A folder store serves its files
// from the API at KILN_PUBLIC_URL/files/, by default http://localhost:$PORT.
func (s *storeFlags) open(ctx context.Context, getenv func(string) string, port int) (storage.Store, error) {
	base := *s.baseURL
	if base == "" {
		base = "http://localhost:" + strconv.Itoa(port)
	}
	env := func(k string) string {
		if k == "KILN_PUBLIC_URL" {
			return base
		}
		return getenv(k)
	}
	return storage.Open(ctx, *s.uri, env)
}

func newLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
