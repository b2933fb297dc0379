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
//	kiln healthcheck  exit 0 when /healthz answers (the image's HEALTHCHECK)
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/kilnrender/kiln/replay"
	"github.com/kilnrender/kiln/snapshot"
)

// errUsage marks command-line mistakes and bad input: exit status 2.
var errUsage = errors.New("usage")

// usageError is a bad configuration or input reported as itself (not
// prefixed "usage:") that still exits 2.
type usageError struct{ err error }

func (e usageError) Error() string        { return e.err.Error() }
func (e usageError) Unwrap() error        { return e.err }
func (e usageError) Is(target error) bool { return target == errUsage }

// badConfig reports a service's configuration errors (all at once): exit 2.
func badConfig(err error) error {
	return usageError{fmt.Errorf("configuration:\n%w", err)}
}

type command struct {
	name  string
	short string // one line, shown by kiln -h and kiln <command> -h
	usage string // synopsis, and what the arguments are
	run   func(ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"render", "render snapshots (Kiln JSON, Gleap, rrweb, HTML) to images", "kiln render [flags] -o DIR INPUT...   (or --out FILE INPUT)\n\n" +
			"INPUT is Kiln snapshot JSON, a Gleap payload, rrweb events or a snapshot node, or an HTML file (gzip accepted; - reads stdin).", runRender},
		{"replay", "turn an rrweb recording into a replay bundle", strings.TrimPrefix(replayUsage, "usage: "), runReplay},
		{"api", "serve the ingest HTTP API", "kiln api [flags]", runAPI},
		{"worker", "process render jobs from the queue", "kiln worker [flags]", runWorker},
		{"dev", "API, worker and embedded queue in one process", "kiln dev [flags]", runDev},
		{"export", "write a project's items as CSV", "kiln export --project P [flags]", runExport},
		{"delete", "delete a project's data, or one item", "kiln delete --project P [--item ID --kind KIND] [--yes] [flags]", runDelete},
		{"settings", "print or set a project's privacy settings", "kiln settings --project P [--set FILE|-] [flags]", runSettings},
		{"config", "print the configuration reference (--markdown)", "kiln config [--markdown] [-o FILE]", runConfig},
		{"healthcheck", "exit 0 if the API (or a worker's metrics address) answers its health check", "kiln healthcheck [--url URL]", runHealthcheck},
	}
}

// stderr is where run writes usage and errors (tests capture it).
var stderr io.Writer = os.Stderr

func main() {
	os.Exit(run(os.Args[1:]))
}

// run runs one command and returns the exit status: 0, 1 for a failure,
// 2 for a usage mistake or bad input (a flag, a setting or an input file
// that cannot be used).
func run(args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) == 2 && args[0] == "help" {
			if c, ok := lookup(args[1]); ok {
				help(stderr, c)
				return 0
			}
		}
		usage()
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := lookup(args[0])
	if !ok {
		fmt.Fprintf(stderr, "kiln: unknown command %q\n", args[0])
		usage()
		return 2
	}
	if wantsHelp(args[1:]) {
		help(stderr, c)
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := c.run(ctx, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage), badInput(err):
		fmt.Fprintf(stderr, "kiln %s: %v\n", c.name, err)
		return 2
	default:
		var ee exitError
		if errors.As(err, &ee) {
			return ee.code
		}
		fmt.Fprintf(stderr, "kiln %s: %v\n", c.name, err)
		return 1
	}
}

func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// wantsHelp reports whether the flags ask for help (-h, -help, --help
// before a "--").
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// badInput reports whether err is an input Kiln cannot use (malformed,
// unsupported or over a limit), which exits 2 like a usage mistake.
func badInput(err error) bool {
	for _, e := range []error{snapshot.ErrInvalid, snapshot.ErrUnsupported, snapshot.ErrTooLarge,
		replay.ErrInvalid, replay.ErrUnsupported, replay.ErrTooLarge} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// help prints a command's description, synopsis and flags, without
// running it: its flag sets are collected the way the configuration
// reference collects them.
func help(w io.Writer, c command) {
	fmt.Fprintf(w, "kiln %s: %s\n\nusage: %s\n\nflags (each has an environment twin, shown as [$NAME]):\n", c.name, c.short, c.usage)
	for _, e := range commandFlags(c) {
		e.fs.SetOutput(w)
		e.fs.PrintDefaults()
		e.fs.SetOutput(io.Discard)
	}
}

// commandFlags returns the flag sets c defines, without running it.
func commandFlags(c command) []*envFlags {
	var seen []*envFlags
	flagWatch.Lock()
	flagWatch.f = func(e *envFlags) { seen = append(seen, e) }
	flagWatch.Unlock()
	defer func() {
		flagWatch.Lock()
		flagWatch.f = nil
		flagWatch.Unlock()
	}()
	_ = c.run(context.Background(), []string{"--kiln-describe-flags"})
	return seen
}

// exitError ends the process with code after the command has reported
// its own errors.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func usage() {
	fmt.Fprintln(stderr, "usage: kiln <command> [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(stderr, "  %-11s %s\n", c.name, c.short)
	}
	fmt.Fprintln(stderr, "\nRun 'kiln <command> -h' for a command's flags.")
}
