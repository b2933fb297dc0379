package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// envFlags defines flags whose default comes from an environment variable
// (every flag has an env twin), collecting every bad env value so that all
// are reported at once. It remembers each flag's env twin, from which the
// configuration reference (docs/config.md) is generated.
type envFlags struct {
	fs     *flag.FlagSet
	errs   []error
	env    map[string]string // flag name -> env var
	lookup func(string) (string, bool)
}

func newEnvFlags(fs *flag.FlagSet) *envFlags {
	e := &envFlags{fs: fs, env: map[string]string{}, lookup: os.LookupEnv}
	flagWatch.Lock()
	watch := flagWatch.f
	flagWatch.Unlock()
	if watch != nil {
		// Describing: defaults as compiled, not as the environment says,
		// and no usage text printed.
		e.lookup = func(string) (string, bool) { return "", false }
		fs.SetOutput(io.Discard)
		watch(e)
	}
	return e
}

// flagWatch, when set, receives every envFlags created: describeFlags
// uses it to collect each command's flags without running the command.
var flagWatch struct {
	sync.Mutex
	f func(*envFlags)
}

// Err reports every env variable that could not be parsed.
func (e *envFlags) Err() error { return errors.Join(e.errs...) }

// Env returns the env twin of the flag name ("" when it has none).
func (e *envFlags) Env(name string) string { return e.env[name] }

func (e *envFlags) define(name, env, usage string) (string, bool, string) {
	e.env[name] = env
	u := usage
	if env != "" {
		u += " [$" + env + "]"
	}
	if env == "" {
		return "", false, u
	}
	v, ok := e.lookup(env)
	return v, ok, u
}

func (e *envFlags) String(name, env, def, usage string) *string {
	v, ok, u := e.define(name, env, usage)
	if ok {
		def = v
	}
	return e.fs.String(name, def, u)
}

func (e *envFlags) Int(name, env string, def int, usage string) *int {
	v, ok, u := e.define(name, env, usage)
	if ok && v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s=%q: not an integer", env, v))
		} else {
			def = n
		}
	}
	return e.fs.Int(name, def, u)
}

func (e *envFlags) Float(name, env string, def float64, usage string) *float64 {
	v, ok, u := e.define(name, env, usage)
	if ok && v != "" {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s=%q: not a number", env, v))
		} else {
			def = n
		}
	}
	return e.fs.Float64(name, def, u)
}

func (e *envFlags) Bool(name, env string, def bool, usage string) *bool {
	v, ok, u := e.define(name, env, usage)
	if ok && v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s=%q: not a boolean", env, v))
		} else {
			def = b
		}
	}
	return e.fs.Bool(name, def, u)
}

func (e *envFlags) Duration(name, env string, def time.Duration, usage string) *time.Duration {
	v, ok, u := e.define(name, env, usage)
	if ok && v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s=%q: not a duration", env, v))
		} else {
			def = d
		}
	}
	return e.fs.Duration(name, def, u)
}

// isSet reports whether the flag name was given on the command line or
// through its env twin.
func (e *envFlags) isSet(name string) bool {
	set := false
	e.fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	if env := e.env[name]; !set && env != "" {
		_, set = e.lookup(env)
	}
	return set
}

// SelectorSeparator separates the selectors of a mask or block list on
// the command line and in the environment (kiln render --mask, kiln
// replay --mask and --block). Not ',': a comma belongs to CSS itself
// (".a, .b" is one selector list, and [title="a,b"] or :is(.a, .b) hold
// commas), so a list written with commas, as kiln render took it before,
// still means the same selectors.
const SelectorSeparator = ";"

// splitSelectors splits a mask or block list at SelectorSeparator,
// dropping empty entries.
func splitSelectors(s string) []string {
	var out []string
	for _, p := range strings.Split(s, SelectorSeparator) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
