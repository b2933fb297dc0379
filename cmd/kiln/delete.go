package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kilnrender/kiln/queue"
	"github.com/kilnrender/kiln/storage"
	"golang.org/x/term"
)

// runDelete deletes a project's data, or one item:
//
//	kiln delete --project P [--item ID --kind screenshot|replay] [--yes]
//
// Without --yes it asks for the project (or item) name on a terminal and
// refuses outright when stdin is not one, so a script cannot delete by
// accident: scripts pass --yes.
func runDelete(ctx context.Context, args []string) error {
	e := serviceFlagSet("delete")
	store := e.String("store", "KILN_STORE", storage.DefaultURI, "object store: file:///path or a folder path, or s3://bucket/prefix")
	project := e.String("project", "KILN_PROJECT", "", "project to delete from (required)")
	item := e.String("item", "KILN_ITEM", "", "delete only this item id (with --kind)")
	kind := e.String("kind", "KILN_KIND", "", "kind of --item: screenshot or replay")
	yes := e.Bool("yes", "KILN_YES", false, "do not ask for confirmation (needed when stdin is not a terminal)")
	rf := addRedisFlags(e, "", "Redis of the farm (redis://…): also remove the queue's state of what is deleted (jobs, results, idempotency keys); empty: the store only")
	if err := parseServiceFlags(e, args); err != nil {
		return err
	}
	if err := storage.ValidateName(*project); err != nil {
		return fmt.Errorf("%w: --project: %v", errUsage, err)
	}
	what, confirmWord := fmt.Sprintf("every object of project %q", *project), *project
	if *item != "" || *kind != "" {
		if _, err := storage.ItemKeys(*project, storage.Kind(*kind), *item); err != nil {
			return fmt.Errorf("%w: --item and --kind: %v", errUsage, err)
		}
		what, confirmWord = fmt.Sprintf("%s %q of project %q", *kind, *item, *project), *item
	}
	if !*yes {
		if !stdinIsTerminal() {
			return fmt.Errorf("%w: refusing to delete %s without --yes when stdin is not a terminal", errUsage, what)
		}
		fmt.Fprintf(os.Stderr, "This deletes %s. Type %q to confirm: ", what, confirmWord)
		if !confirm(os.Stdin, confirmWord) {
			return fmt.Errorf("not confirmed: nothing deleted")
		}
	}
	st, closeStore, err := openStoreURI(ctx, *store)
	if err != nil {
		return err
	}
	defer closeStore()
	forget, closeQueue, err := queueForgetter(rf)
	if err != nil {
		return err
	}
	defer closeQueue()
	if *item != "" {
		ids := []string{*item}
		if err := forget(ctx, *project, ids, false); err != nil {
			return err
		}
		if err := storage.DeleteItem(ctx, st, *project, storage.Kind(*kind), *item); err != nil {
			return err
		}
		if err := forget(ctx, *project, ids, false); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "deleted %s\n", what)
		return nil
	}
	var ids []string
	for it, err := range storage.ListItems(ctx, st, *project) {
		if err != nil {
			return err
		}
		ids = append(ids, it.ID)
	}
	if err := forget(ctx, *project, ids, true); err != nil {
		return err
	}
	deleted := 0
	prog := newProgress(0, false)
	err = storage.DeleteProject(ctx, st, *project, func(n int) {
		deleted = n
		prog.set(n, "deleted objects")
	})
	prog.clear()
	if err != nil {
		return fmt.Errorf("%w (run the same command again to finish)", err)
	}
	if err := forget(ctx, *project, ids, true); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "deleted %s: %d objects\n", what, deleted)
	return nil
}

// queueForgetter returns queue.Client.Forget on the Redis rf names, or a
// no-op when none is configured.
func queueForgetter(rf *redisFlags) (func(ctx context.Context, project string, ids []string, whole bool) error, func(), error) {
	rc := rf.config()
	if rc.URL == "" && len(rc.Sentinels) == 0 && len(rc.ClusterAddrs) == 0 {
		return func(context.Context, string, []string, bool) error { return nil }, func() {}, nil
	}
	rdb, err := queue.NewRedisClient(rc)
	if err != nil {
		return nil, nil, err
	}
	c := queue.NewClient(rdb, nil, queue.DefaultConfig(), nil)
	return c.Forget, func() { rdb.Close() }, nil
}

func stdinIsTerminal() bool { return term.IsTerminal(int(os.Stdin.Fd())) }

func confirm(r io.Reader, word string) bool {
	line, _ := bufio.NewReader(r).ReadString('\n')
	return strings.TrimSpace(line) == word
}
