// Command kiln renders DOM snapshots and session recordings.
//
//	kiln render   render snapshots to images
//	kiln replay   turn a recording into a replay bundle
//	kiln api      the ingest HTTP API
//	kiln worker   the queue worker
//	kiln dev      API, worker and an embedded queue in one process
//	kiln export   a project's items as CSV
//	kiln delete   delete a project or one item
//	kiln config   the configuration reference
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// errUsage marks command-line mistakes: exit status 2.
var errUsage = errors.New("usage")

type command struct {
	name  string
	short string
	run   func(ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"render", "render snapshots (Kiln JSON, Gleap, rrweb, HTML) to images", runRender},
		{"replay", "turn an rrweb recording into a replay bundle", runReplay},
		{"api", "serve the ingest HTTP API", runAPI},
		{"worker", "process render jobs from the queue", runWorker},
		{"dev", "API, worker and embedded queue in one process", runDev},
		{"export", "write a project's items as CSV", runExport},
		{"delete", "delete a project's data, or one item", runDelete},
		{"settings", "print or set a project's privacy settings", runSettings},
		{"config", "print the configuration reference (--markdown)", runConfig},
	}
}

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage()
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		err := c.run(ctx, args[1:])
		switch {
		case err == nil:
			return 0
		case errors.Is(err, errUsage):
			fmt.Fprintf(os.Stderr, "kiln %s: %v\n", c.name, err)
			return 2
		default:
			var ee exitError
			if errors.As(err, &ee) {
				return ee.code
			}
			fmt.Fprintf(os.Stderr, "kiln %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(os.Stderr, "kiln: unknown command %q\n", args[0])
	usage()
	return 2
}

// exitError ends the process with code after the command has reported
// its own errors.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func usage() {
	fmt.Fprintln(os.Stderr, "usage: kiln <command> [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(os.Stderr, "  %-8s %s\n", c.name, c.short)
	}
	fmt.Fprintln(os.Stderr, "\nRun 'kiln <command> -h' for a command's flags.")
}
