package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/kilnrender/kiln/storage"
)

// flagDoc is one flag of one command, as the command defines it.
type flagDoc struct {
	command, name, env, def, usage string
}

// describeFlags collects every command's flags without running any: each
// command is called with a flag that none defines, so it defines its flags
// (through envFlags, with compiled-in defaults) and stops at parsing. It
// also returns the commands that define no flags through envFlags.
func describeFlags() ([]flagDoc, []string) {
	var docs []flagDoc
	var opaque []string
	for _, c := range commands() {
		seen := commandFlags(c)
		if len(seen) == 0 {
			opaque = append(opaque, c.name)
		}
		for _, e := range seen {
			e.fs.VisitAll(func(f *flag.Flag) {
				env := e.Env(f.Name)
				docs = append(docs, flagDoc{command: c.name, name: f.Name, env: env, def: f.DefValue,
					usage: strings.TrimSuffix(f.Usage, " [$"+env+"]")})
			})
		}
	}
	return docs, opaque
}

// storageEnv documents the variables storage.Open reads from the
// environment (they have no flag: they configure the store KILN_STORE
// names). config_test checks this list against what storage.Open reads.
var storageEnv = map[string]string{
	"KILN_S3_BUCKET":            "S3 bucket (the s3:// URI's bucket wins)",
	"KILN_S3_PREFIX":            "key prefix inside the bucket (the s3:// URI's path wins)",
	"KILN_S3_REGION":            "S3 region (default: AWS_REGION, the shared config, else us-east-1)",
	"KILN_S3_ENDPOINT":          "endpoint of an S3-compatible store (MinIO, R2, versitygw); empty for AWS",
	"KILN_S3_PATH_STYLE":        "address the bucket in the path (most S3-compatible stores need true)",
	"KILN_S3_ACCESS_KEY_ID":     "access key; empty uses the AWS default chain (AWS_* env, shared files, instance roles)",
	"KILN_S3_SECRET_ACCESS_KEY": "secret key, with KILN_S3_ACCESS_KEY_ID",
	"KILN_S3_SSE":               "server-side encryption: empty (the bucket's default), AES256 or aws:kms",
	"KILN_S3_KMS_KEY_ID":        "KMS key for aws:kms (default: the account's key)",
	"KILN_S3_PUBLIC_URL":        "serve results as this URL + key (a CDN or public bucket) instead of presigned URLs",
	"KILN_URL_SECRET":           "key signing /files/ URLs (folder store, sealed S3 store), 16+ bytes (default: url.secret generated in the folder; on S3 derived from KILN_STORE_KEY); the same on every process",
	"KILN_STORE_KEY":            "master key, base64 of 32 bytes (openssl rand -base64 32): seal objects at rest, each project under a data key of its own, in a folder or client-side on S3 (URLs then go through the API); unset, a folder uses its store.key if any (kiln dev makes one)",
}

// storageEnvRead returns the variables storage.Open and S3ConfigFromEnv
// ask for, by calling them with a recording getenv.
func storageEnvRead(dir string) ([]string, error) {
	seen := map[string]bool{}
	getenv := func(k string) string { seen[k] = true; return "" }
	if _, err := storage.S3ConfigFromEnv(getenv); err != nil {
		return nil, err
	}
	st, err := storage.Open(context.Background(), dir, getenv)
	if err != nil {
		return nil, err
	}
	if c, ok := st.(io.Closer); ok {
		c.Close()
	}
	var out []string
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
}

// setting is one row of the reference: an env var and its flag(s).
type setting struct {
	env      string
	flags    []string
	commands []string
	defs     map[string][]string // default -> commands
	usages   map[string][]string // meaning -> commands
}

// configReference renders docs/config.md.
func configReference() string {
	docs, opaque := describeFlags()
	byEnv := map[string]*setting{}
	var order []string
	for _, d := range docs {
		key := d.env
		if key == "" {
			key = "--" + d.name
		}
		s := byEnv[key]
		if s == nil {
			s = &setting{env: d.env, defs: map[string][]string{}, usages: map[string][]string{}}
			byEnv[key] = s
			order = append(order, key)
		}
		dash := "--"
		if len(d.name) == 1 {
			dash = "-"
		}
		if !slices.Contains(s.flags, dash+d.name) {
			s.flags = append(s.flags, dash+d.name)
		}
		s.commands = append(s.commands, d.command)
		s.defs[d.def] = append(s.defs[d.def], d.command)
		s.usages[d.usage] = append(s.usages[d.usage], d.command)
	}
	sort.Strings(order)
	var b strings.Builder
	b.WriteString("# Configuration reference\n\n")
	b.WriteString("<!-- Generated from the commands' flags by `go test ./cmd/kiln -run TestConfigReference -update`; do not edit. -->\n\n")
	b.WriteString("Every setting is a flag of the commands that use it and an environment variable of the same meaning;\n")
	b.WriteString("a flag given on the command line wins over the environment. `kiln <command> -h` lists a command's flags.\n")
	b.WriteString("Durations are Go durations (`90s`, `5m`, `1h30m`); booleans `true`/`false`.\n")
	b.WriteString("`.env.example` lists them all; `docs/deploy.md` says which matter in production.\n\n")
	b.WriteString("| Env var | Flag | Commands | Default | Meaning |\n|---|---|---|---|---|\n")
	for _, k := range order {
		s := byEnv[k]
		env := "—"
		if s.env != "" {
			env = "`" + s.env + "`"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", env, code(s.flags), strings.Join(s.commands, ", "),
			variants(s.defs, len(s.commands), true), variants(s.usages, len(s.commands), false))
	}
	b.WriteString("\n## Store settings read from the environment\n\n")
	b.WriteString("The store named by `KILN_STORE` reads these (no flags). S3 also honours the AWS SDK's own variables\n")
	b.WriteString("(`AWS_REGION`, `AWS_PROFILE`, `AWS_ACCESS_KEY_ID`, ...) when the `KILN_S3_*` ones are empty.\n\n")
	b.WriteString("| Env var | Meaning |\n|---|---|\n")
	var keys []string
	for k := range storageEnv {
		if _, ok := byEnv[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "| `%s` | %s |\n", k, cell(storageEnv[k]))
	}
	if len(opaque) > 0 {
		b.WriteString("\n## Not listed here\n\n")
		for _, c := range opaque {
			fmt.Fprintf(&b, "- `kiln %s` defines its flags without the shared env-twin helper: see `kiln %s -h`.\n", c, c)
		}
	}
	return b.String()
}

// variants prints one value, or each value with the commands it applies
// to when commands differ.
func variants(m map[string][]string, n int, isDefault bool) string {
	show := func(v string) string {
		if !isDefault {
			return cell(v)
		}
		if v == "" {
			return "(empty)"
		}
		return "`" + strings.ReplaceAll(v, "|", "\\|") + "`"
	}
	if len(m) == 1 {
		for v := range m {
			return show(v)
		}
	}
	var keys []string
	for v := range m {
		keys = append(keys, v)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]][0] < m[keys[j]][0] })
	var parts []string
	for _, v := range keys {
		parts = append(parts, strings.Join(m[v], ", ")+": "+show(v))
	}
	return strings.Join(parts, "<br>")
}

func code(flags []string) string {
	var out []string
	for _, f := range flags {
		out = append(out, "`"+f+"`")
	}
	return strings.Join(out, " ")
}

func cell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", "\\|"), "\n", " ")
}

// runConfig prints the configuration reference:
//
//	kiln config --markdown [-o docs/config.md]
func runConfig(ctx context.Context, args []string) error {
	e := serviceFlagSet("config")
	md := e.Bool("markdown", "", true, "print the reference as Markdown (docs/config.md)")
	out := e.String("o", "", "", "write to this file instead of stdout")
	if err := parseServiceFlags(e, args); err != nil {
		return err
	}
	if !*md {
		return fmt.Errorf("%w: only --markdown is supported", errUsage)
	}
	ref := configReference()
	if *out == "" {
		_, err := io.WriteString(os.Stdout, ref)
		return err
	}
	if err := writeFileAtomic(*out, []byte(ref)); err != nil {
		return fmt.Errorf("write reference: %w", err)
	}
	return nil
}
