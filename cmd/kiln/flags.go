package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"
)

// envFlags defines flags whose default comes from an environment variable
// (every flag has an env twin), collecting every bad env value so that all
// are reported at once.
type envFlags struct {
	fs   *flag.FlagSet
	errs []error
}

func newEnvFlags(fs *flag.FlagSet) *envFlags { return &envFlags{fs: fs} }

// Err reports every env variable that could not be parsed.
func (e *envFlags) Err() error { return errors.Join(e.errs...) }

func (e *envFlags) usage(env, usage string) string {
	if env == "" {
		return usage
	}
	return usage + " [$" + env + "]"
}

func (e *envFlags) String(name, env, def, usage string) *string {
	if v, ok := os.LookupEnv(env); ok && env != "" {
		def = v
	}
	return e.fs.String(name, def, e.usage(env, usage))
}

func (e *envFlags) Int(name, env string, def int, usage string) *int {
	if v, ok := os.LookupEnv(env); ok && env != "" && v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s=%q: not an integer", env, v))
		} else {
			def = n
		}
	}
	return e.fs.Int(name, def, e.usage(env, usage))
}

func (e *envFlags) Float(name, env string, def float64, usage string) *float64 {
	if v, ok := os.LookupEnv(env); ok && env != "" && v != "" {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s=%q: not a number", env, v))
		} else {
			def = n
		}
	}
	return e.fs.Float64(name, def, e.usage(env, usage))
}

func (e *envFlags) Bool(name, env string, def bool, usage string) *bool {
	if v, ok := os.LookupEnv(env); ok && env != "" && v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s=%q: not a boolean", env, v))
		} else {
			def = b
		}
	}
	return e.fs.Bool(name, def, e.usage(env, usage))
}

func (e *envFlags) Duration(name, env string, def time.Duration, usage string) *time.Duration {
	if v, ok := os.LookupEnv(env); ok && env != "" && v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s=%q: not a duration", env, v))
		} else {
			def = d
		}
	}
	return e.fs.Duration(name, def, e.usage(env, usage))
}
