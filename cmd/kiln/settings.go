package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/settings"
	"github.com/kilnrender/kiln/storage"
)

// runSettings prints a project's privacy settings, or replaces them:
//
//	kiln settings --project P [--store URI] [--set FILE|-]
//
// The API and workers read them through a cache of a few seconds: no
// restart is needed.
func runSettings(ctx context.Context, args []string) error {
	e := serviceFlagSet("settings")
	store := e.String("store", "KILN_STORE", storage.DefaultURI, "object store: file:///path or a folder path, or s3://bucket/prefix")
	project := e.String("project", "KILN_PROJECT", "", "project whose settings to print or set (required)")
	set := e.String("set", "KILN_SETTINGS_FILE", "", "replace the settings with this JSON file ('-': stdin); empty: print them")
	rf := addRedisFlags(e, "", "Redis of the farm (redis://…), where a retention period is registered for the workers' sweep; empty: the store only")
	if err := parseServiceFlags(e, args); err != nil {
		return err
	}
	if err := storage.ValidateName(*project); err != nil {
		return fmt.Errorf("%w: --project: %v", errUsage, err)
	}
	var doc []byte
	if *set != "" {
		var err error
		if *set == "-" {
			doc, err = io.ReadAll(io.LimitReader(os.Stdin, 1<<20))
		} else {
			doc, err = os.ReadFile(*set)
		}
		if err != nil {
			return fmt.Errorf("%w: --set: %v", errUsage, err)
		}
	}
	var ps settings.Settings
	if doc != nil {
		var err error
		if ps, err = settings.Parse(doc); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
	}
	st, closeStore, err := openStoreURI(ctx, *store)
	if err != nil {
		return err
	}
	defer closeStore()
	if doc != nil {
		if err := settings.Save(ctx, st, *project, ps); err != nil {
			return err
		}
		if err := registerRetention(ctx, rf, *project, ps.RetentionDays); err != nil {
			return err
		}
	} else if ps, err = settings.Load(ctx, st, *project); err != nil {
		return err
	}
	out := json.NewEncoder(os.Stdout)
	out.SetIndent("", "  ")
	return out.Encode(ps)
}

// registerRetention tells the farm's Redis whether project has a retention
// period, so that the workers' sweep visits it.
func registerRetention(ctx context.Context, rf *redisFlags, project string, days int) error {
	rc := rf.config()
	if rc.URL == "" && len(rc.Sentinels) == 0 && len(rc.ClusterAddrs) == 0 {
		if days > 0 {
			fmt.Fprintln(os.Stderr, "kiln settings: warning: no REDIS_URL: the retention period is stored but the workers' sweep will not visit this project until the settings are saved with it (or through the API)")
		}
		return nil
	}
	rdb, err := queue.NewRedisClient(rc)
	if err != nil {
		return err
	}
	defer rdb.Close()
	return queue.NewClient(rdb, nil, queue.DefaultConfig(), nil).SetRetention(ctx, project, days)
}
