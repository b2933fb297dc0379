package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/term"
)

// logFlags select the log format and level of the service commands.
type logFlags struct {
	format, level *string
}

func addLogFlags(e *envFlags) *logFlags {
	return &logFlags{
		format: e.String("log-format", "KILN_LOG_FORMAT", "", "log format: json or text (default: text on a terminal, json otherwise)"),
		level:  e.String("log-level", "KILN_LOG_LEVEL", "info", "log level: debug, info, warn or error"),
	}
}

func (l *logFlags) validate() error {
	var errs []string
	switch strings.ToLower(*l.format) {
	case "", "json", "text":
	default:
		errs = append(errs, fmt.Sprintf("log format %q: want json or text", *l.format))
	}
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(*l.level)); err != nil {
		errs = append(errs, fmt.Sprintf("log level %q: want debug, info, warn or error", *l.level))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

// logger builds the process's logger on stderr (validate first).
func (l *logFlags) logger() *slog.Logger {
	return newLogger(os.Stderr, *l.format, *l.level, term.IsTerminal(int(os.Stderr.Fd())))
}

// newLogger writes JSON lines, or slog's text format when format says so
// or, with no format, when w is a terminal: logs read by a machine are
// JSON by default.
func newLogger(w io.Writer, format, level string, terminal bool) *slog.Logger {
	var lv slog.Level
	_ = lv.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{Level: lv}
	switch strings.ToLower(format) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts))
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	if terminal {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
