package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"maps"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite docs/config.md")

const configDoc = "../../docs/config.md"

// docs/config.md is generated from the commands' flags; it must not drift.
func TestConfigReference(t *testing.T) {
	got := configReference()
	if *update {
		if err := os.WriteFile(configDoc, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(configDoc)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/kiln -run TestConfigReference -update)", err)
	}
	if got != string(want) {
		t.Fatalf("docs/config.md is stale: run go test ./cmd/kiln -run TestConfigReference -update\n%s", firstDiff(string(want), got))
	}
	// The generator saw the service commands' flags with their env twins
	// and compiled-in defaults, whatever this process's environment says.
	for _, row := range []string{
		"| `KILN_WORKER_CONCURRENCY` | `--worker-concurrency` | worker, dev | dev: `2`<br>worker: `0` |",
		"| `REDIS_URL` | `--redis-url` | api, worker, dev, delete, settings | api, worker: `redis://127.0.0.1:6379/0`<br>dev, delete, settings: (empty) |",
		"| `KILN_LOG_FORMAT` | `--log-format` | api, worker, dev | (empty) |",
		"| `KILN_VIEWER` | `--viewer` | api, dev | api: `false`<br>dev: `true` |",
	} {
		if !strings.Contains(got, row) {
			t.Errorf("reference lacks the row starting %q", row)
		}
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "line " + strconvI(i+1) + ":\n  file:      " + x + "\n  generated: " + y
		}
	}
	return ""
}

func strconvI(i int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(i)) }

func fmtInt(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// sameSetting reports whether two spellings of a setting's value are the
// same value (durations by what they last, so 1h is 1h0m0s).
func sameSetting(a, b string) bool {
	if a == b {
		return true
	}
	da, errA := time.ParseDuration(a)
	db, errB := time.ParseDuration(b)
	return errA == nil && errB == nil && da == db
}

// referenceEnv is every env var of the reference: flags' twins and the
// store's environment-only settings.
func referenceEnv(t *testing.T) []string {
	t.Helper()
	docs, _ := describeFlags()
	set := map[string]bool{}
	for _, d := range docs {
		if d.env != "" {
			set[d.env] = true
		}
	}
	for k := range storageEnv {
		set[k] = true
	}
	var out []string
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// .env.example lists every setting of the reference, and nothing else;
// app.json's env only settings of the reference.
func TestEnvExampleAndAppJSON(t *testing.T) {
	ref := referenceEnv(t)
	if len(ref) < 40 {
		t.Fatalf("only %d settings in the reference", len(ref))
	}
	f, err := os.Open("../../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// A value given for a setting with one default (other than empty or 0,
	// where the file gives an example) is that default.
	defaults := map[string]map[string]bool{}
	docs, _ := describeFlags()
	for _, d := range docs {
		if d.env != "" {
			if defaults[d.env] == nil {
				defaults[d.env] = map[string]bool{}
			}
			defaults[d.env][d.def] = true
		}
	}
	re := regexp.MustCompile(`^#?\s*([A-Z][A-Z0-9_]*)=(.*)$`)
	var example []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		if m := re.FindStringSubmatch(s.Text()); m != nil {
			if slices.Contains(example, m[1]) {
				t.Errorf(".env.example lists %s twice", m[1])
			}
			example = append(example, m[1])
			if defs := defaults[m[1]]; m[2] != "" && len(defs) == 1 {
				def := slices.Collect(maps.Keys(defs))[0]
				if def != "" && def != "0" && !sameSetting(m[2], def) {
					t.Errorf(".env.example gives %s=%s, which is not its default %s", m[1], m[2], def)
				}
			}
		}
	}
	for _, k := range ref {
		if !slices.Contains(example, k) {
			t.Errorf("%s is a setting but .env.example does not list it", k)
		}
	}
	for _, k := range example {
		if !slices.Contains(ref, k) {
			t.Errorf(".env.example lists %s, which no command reads", k)
		}
	}

	b, err := os.ReadFile("../../app.json")
	if err != nil {
		t.Fatal(err)
	}
	var app struct {
		Env map[string]struct {
			Description string `json:"description"`
		} `json:"env"`
		Formation map[string]struct {
			Quantity int `json:"quantity"`
		} `json:"formation"`
		Addons []any `json:"addons"`
	}
	if err := json.Unmarshal(b, &app); err != nil {
		t.Fatalf("app.json: %v", err)
	}
	if len(app.Env) == 0 || app.Formation["web"].Quantity < 1 || app.Formation["worker"].Quantity < 1 || len(app.Addons) == 0 {
		t.Fatalf("app.json lacks env, a web and worker formation or its add-ons: %s", b)
	}
	for k, v := range app.Env {
		// REDIS_URL comes from the add-on; PORT from the platform.
		if !slices.Contains(ref, k) {
			t.Errorf("app.json sets %s, which no command reads", k)
		}
		if v.Description == "" {
			t.Errorf("app.json: %s has no description", k)
		}
	}
}

// storageEnv documents exactly what storage.Open reads.
func TestStorageEnvDocumented(t *testing.T) {
	read, err := storageEnvRead(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := describeFlags()
	flagEnv := map[string]bool{}
	for _, d := range docs {
		flagEnv[d.env] = true
	}
	for _, k := range read {
		if _, ok := storageEnv[k]; !ok && !flagEnv[k] {
			t.Errorf("storage reads %s, which the reference does not document", k)
		}
	}
	for k := range storageEnv {
		if !slices.Contains(read, k) {
			t.Errorf("the reference documents %s, which storage does not read", k)
		}
	}
}

// Env twins give defaults, flags win, bad env values are all reported.
func TestEnvFlags(t *testing.T) {
	t.Setenv("KILN_TEST_N", "7")
	t.Setenv("KILN_TEST_D", "soon")
	t.Setenv("KILN_TEST_B", "maybe")
	t.Setenv("KILN_TEST_S", "from-env")
	e := newEnvFlags(flag.NewFlagSet("t", flag.ContinueOnError))
	n := e.Int("n", "KILN_TEST_N", 1, "n")
	d := e.Duration("d", "KILN_TEST_D", time.Second, "d")
	b := e.Bool("b", "KILN_TEST_B", false, "b")
	s := e.String("s", "KILN_TEST_S", "def", "s")
	u := e.String("u", "KILN_TEST_UNSET", "def", "u")
	if err := e.fs.Parse([]string{"-s", "from-flag"}); err != nil {
		t.Fatal(err)
	}
	if *n != 7 || *d != time.Second || *b || *s != "from-flag" || *u != "def" {
		t.Fatalf("n=%d d=%v b=%v s=%q u=%q", *n, *d, *b, *s, *u)
	}
	err := e.Err()
	if err == nil || !strings.Contains(err.Error(), "KILN_TEST_D") || !strings.Contains(err.Error(), "KILN_TEST_B") {
		t.Fatalf("Err() = %v, want both bad values", err)
	}
	if !e.isSet("s") || !e.isSet("n") || e.isSet("u") {
		t.Fatalf("isSet: s=%v n=%v u=%v", e.isSet("s"), e.isSet("n"), e.isSet("u"))
	}
	if e.Env("n") != "KILN_TEST_N" || !strings.Contains(e.fs.Lookup("n").Usage, "[$KILN_TEST_N]") {
		t.Fatalf("env twin of n: %q, usage %q", e.Env("n"), e.fs.Lookup("n").Usage)
	}
}

// JSON logs by default off a terminal, text on one or when asked; the
// level filters.
func TestLogger(t *testing.T) {
	var buf bytes.Buffer
	newLogger(&buf, "", "info", false).Info("job done", "job", "abc", slog.Group("steps_ms", "load", 12.5))
	newLogger(&buf, "", "info", false).Debug("hidden")
	var line map[string]any
	if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
		t.Fatalf("not one JSON line: %q", buf.String())
	}
	if line["msg"] != "job done" || line["job"] != "abc" || line["steps_ms"].(map[string]any)["load"] != 12.5 {
		t.Fatalf("line = %v", line)
	}
	buf.Reset()
	newLogger(&buf, "", "debug", true).Debug("shown", "k", "v")
	if !strings.Contains(buf.String(), "level=DEBUG msg=shown k=v") {
		t.Fatalf("text line = %q", buf.String())
	}
	buf.Reset()
	newLogger(&buf, "json", "warn", true).Info("hidden")
	newLogger(&buf, "json", "warn", true).Warn("shown")
	if strings.Count(buf.String(), "\n") != 1 || !strings.HasPrefix(buf.String(), "{") {
		t.Fatalf("json on a terminal = %q", buf.String())
	}
	lf := &logFlags{format: new(string), level: new(string)}
	*lf.format, *lf.level = "xml", "loud"
	if err := lf.validate(); err == nil || !strings.Contains(err.Error(), "xml") || !strings.Contains(err.Error(), "loud") {
		t.Fatalf("validate = %v", err)
	}
}

// Off a terminal (as under go test, stderr is a pipe or file), progress
// prints nothing, whatever it is told.
func TestProgressQuietOffTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stderr
	os.Stderr = w
	p := newProgress(3, false)
	p.step("a")
	p.set(10, "deleted")
	p.clear()
	p.done()
	os.Stderr = old
	w.Close()
	out, _ := io.ReadAll(r)
	if p.on || len(out) != 0 || p.n != 10 {
		t.Fatalf("on=%v n=%d wrote %q", p.on, p.n, out)
	}
}
