package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/kilnrender/kiln/netguard"
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
	skipVerify                      *bool
}

// defaultRedisURL is the Redis of the api and worker commands when none is
// configured.
const defaultRedisURL = "redis://127.0.0.1:6379/0"

const redisURLUsage = "Redis URL: redis:// or rediss:// (TLS), ?skip_verify=true for self-signed certificates"

// addRedisFlags defines the Redis flags with def as the URL's default.
func addRedisFlags(e *envFlags, def, urlUsage string) *redisFlags {
	return &redisFlags{
		url:       e.String("redis-url", "REDIS_URL", def, urlUsage),
		sentinels: e.String("redis-sentinels", "KILN_REDIS_SENTINELS", "", "comma-separated host:port of Redis Sentinels"),
		master:    e.String("redis-master", "KILN_REDIS_MASTER", "", "Redis Sentinel master name"),
		cluster:   e.String("redis-cluster-addrs", "KILN_REDIS_CLUSTER_ADDRS", "", "comma-separated host:port of Redis Cluster nodes"),
		skipVerify: e.Bool("redis-skip-verify", "KILN_REDIS_SKIP_VERIFY", false,
			"do not verify the TLS certificate of a rediss:// Redis (Heroku Redis uses self-signed ones; same as ?skip_verify=true)"),
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
	if *r.skipVerify && c.URL != "" && !strings.Contains(c.URL, "skip_verify=") {
		sep := "?"
		if strings.Contains(c.URL, "?") {
			sep = "&"
		}
		c.URL += sep + "skip_verify=true"
	}
	if len(c.Sentinels) > 0 || len(c.ClusterAddrs) > 0 {
		// With Sentinel or Cluster the URL only carries credentials and
		// TLS; the default local URL is dropped.
		if c.URL == defaultRedisURL {
			c.URL = ""
		}
	}
	return c
}

// netFlags are the operator's network policy, one setting for every
// request Kiln makes on its inputs' behalf: the renderer's fetches, replay
// asset capture and webhook callbacks (worker, dev, render, replay).
type netFlags struct {
	allow, deny *string
}

func addNetFlags(e *envFlags) *netFlags {
	return &netFlags{
		allow: e.String("net-allow", "KILN_NET_ALLOW", "",
			"comma-separated hosts (*.example.com: the names below it), addresses or CIDRs that fetches and callbacks may reach besides public addresses; "+
				"anyone who submits work can then reach them, so keep it narrow (cloud metadata addresses stay refused); empty: public addresses only"),
		deny: e.String("net-deny", "KILN_NET_DENY", "",
			"comma-separated hosts (*.example.com: the names below it), addresses or CIDRs that fetches and callbacks never reach, public or not; wins over --net-allow"),
	}
}

// config returns netguard's defaults under the flags' policy.
func (n *netFlags) config() netguard.Config {
	c := netguard.DefaultConfig()
	c.Policy = netguard.Policy{Allow: splitList(*n.allow), Deny: splitList(*n.deny)}
	return c
}

// storeFlags select the object store.
type storeFlags struct {
	uri, baseURL *string
}

func addStoreFlags(e *envFlags) *storeFlags {
	return &storeFlags{
		uri:     e.String("store", "KILN_STORE", storage.DefaultURI, "object store: file:///path or a folder path, or s3://bucket/prefix"),
		baseURL: e.String("public-url", "KILN_PUBLIC_URL", "", "the API's public base URL, for the signed /files/ URLs of a folder store or a sealed S3 store (default http://localhost:$PORT)"),
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

// open opens the store (storage.Open). A folder store, and an S3 store
// with KILN_STORE_KEY (S3 then holds only ciphertext), serve their files
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
