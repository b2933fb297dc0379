package queue

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// RedisConfig says where Redis is. Exactly one mode applies: Cluster when
// ClusterAddrs is set, Sentinel when Sentinels is set (Master names the
// group), otherwise the single server at URL. URL also supplies the
// username, password, database and TLS settings of the other modes.
type RedisConfig struct {
	// URL is redis://[user:pass@]host:port[/db] or rediss:// for TLS (as
	// Heroku gives it). ?skip_verify=true turns off certificate checks
	// (Heroku Redis uses self-signed certificates).
	URL          string
	Sentinels    []string // host:port of each sentinel
	Master       string   // sentinel master name
	ClusterAddrs []string // host:port of cluster nodes
	PoolSize     int      // connections per process; 0 means go-redis's default
}

// DefaultRedisConfig is a local Redis.
func DefaultRedisConfig() RedisConfig {
	return RedisConfig{URL: "redis://127.0.0.1:6379/0"}
}

// Validate reports every problem in c at once.
func (c RedisConfig) Validate() error {
	var errs []error
	if c.URL == "" && len(c.Sentinels) == 0 && len(c.ClusterAddrs) == 0 {
		errs = append(errs, errors.New("redis: one of URL, sentinels or cluster addresses is required"))
	}
	if c.URL != "" {
		if _, _, err := parseRedisURL(c.URL); err != nil {
			errs = append(errs, err)
		}
	}
	if len(c.Sentinels) > 0 && c.Master == "" {
		errs = append(errs, errors.New("redis: sentinel master name is required with sentinels"))
	}
	if len(c.Sentinels) > 0 && len(c.ClusterAddrs) > 0 {
		errs = append(errs, errors.New("redis: sentinels and cluster addresses are exclusive"))
	}
	if c.PoolSize < 0 {
		errs = append(errs, errors.New("redis: pool size must not be negative"))
	}
	return errors.Join(errs...)
}

// parseRedisURL parses with go-redis (which keeps the username and the TLS
// setting that asynq.ParseRedisURI drops) after taking out skip_verify,
// which go-redis does not know.
func parseRedisURL(raw string) (*redis.Options, bool, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, false, fmt.Errorf("parse redis URL: %w", errors.New("malformed URL"))
	}
	q := u.Query()
	skip := false
	if v := q.Get("skip_verify"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, false, fmt.Errorf("parse redis URL: skip_verify=%q is not a boolean", v)
		}
		skip = b
		q.Del("skip_verify")
		u.RawQuery = q.Encode()
	}
	opt, err := redis.ParseURL(u.String())
	if err != nil {
		// go-redis errors may quote the URL, which can hold a password.
		msg := err.Error()
		if u.User != nil {
			if p, ok := u.User.Password(); ok && p != "" {
				msg = strings.ReplaceAll(msg, p, "xxxxx")
			}
		}
		return nil, false, fmt.Errorf("parse redis URL: %s", msg)
	}
	if skip && opt.TLSConfig != nil {
		opt.TLSConfig.InsecureSkipVerify = true
	}
	return opt, skip, nil
}

// ConnOpt builds asynq's connection options from c.
func (c RedisConfig) ConnOpt() (asynq.RedisConnOpt, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	var base *redis.Options
	if c.URL != "" {
		var err error
		if base, _, err = parseRedisURL(c.URL); err != nil {
			return nil, err
		}
	} else {
		base = &redis.Options{}
	}
	timeouts := func() (time.Duration, time.Duration, time.Duration) {
		return base.DialTimeout, base.ReadTimeout, base.WriteTimeout
	}
	dial, read, write := timeouts()
	switch {
	case len(c.ClusterAddrs) > 0:
		return asynq.RedisClusterClientOpt{
			Addrs:    c.ClusterAddrs,
			Username: base.Username, Password: base.Password,
			DialTimeout: dial, ReadTimeout: read, WriteTimeout: write,
			TLSConfig: cloneTLS(base.TLSConfig),
		}, nil
	case len(c.Sentinels) > 0:
		return asynq.RedisFailoverClientOpt{
			MasterName:    c.Master,
			SentinelAddrs: c.Sentinels,
			Username:      base.Username, Password: base.Password, DB: base.DB,
			DialTimeout: dial, ReadTimeout: read, WriteTimeout: write,
			PoolSize:  c.PoolSize,
			TLSConfig: cloneTLS(base.TLSConfig),
		}, nil
	default:
		return asynq.RedisClientOpt{
			Network: base.Network, Addr: base.Addr,
			Username: base.Username, Password: base.Password, DB: base.DB,
			DialTimeout: dial, ReadTimeout: read, WriteTimeout: write,
			PoolSize:  c.PoolSize,
			TLSConfig: cloneTLS(base.TLSConfig),
		}, nil
	}
}

func cloneTLS(c *tls.Config) *tls.Config {
	if c == nil {
		return nil
	}
	return c.Clone()
}

// NewRedisClient opens the Redis client that a process's asynq client,
// inspector and server share.
func NewRedisClient(c RedisConfig) (redis.UniversalClient, error) {
	opt, err := c.ConnOpt()
	if err != nil {
		return nil, err
	}
	rc, ok := opt.MakeRedisClient().(redis.UniversalClient)
	if !ok {
		return nil, errors.New("open redis: unexpected client type")
	}
	return rc, nil
}
