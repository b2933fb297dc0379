package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const modulePath = "github.com/kilnrender/kiln/"

// The package table of docs/architecture.md is the import graph: for every
// package it lists, the Kiln packages it imports are exactly those named in
// its last column, and the API links no browser driver.
func TestArchitectureIsTheImportGraph(t *testing.T) {
	root := filepath.Join("..", "..")
	want := architectureTable(t, filepath.Join(root, "docs", "architecture.md"))
	if len(want) < 8 {
		t.Fatalf("docs/architecture.md lists %d packages; its table was not read", len(want))
	}
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	got := map[string][]string{}
	for line := range strings.Lines(string(out)) {
		f := strings.Fields(line)
		pkg := strings.TrimPrefix(f[0], modulePath)
		var kiln []string
		for _, imp := range f[1:] {
			if rest, ok := strings.CutPrefix(imp, modulePath); ok && !strings.HasPrefix(rest, "internal/") {
				kiln = append(kiln, rest)
			}
		}
		slices.Sort(kiln)
		got[pkg] = kiln
	}
	for pkg, imports := range want {
		g, ok := got[pkg]
		if !ok {
			t.Errorf("docs/architecture.md lists %s, which is not a package", pkg)
			continue
		}
		if !slices.Equal(g, imports) {
			t.Errorf("%s imports %v; docs/architecture.md says %v", pkg, g, imports)
		}
	}

	cmd = exec.Command("go", "list", "-deps", "./ingest/...")
	cmd.Dir = root
	out, err = cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for line := range strings.Lines(string(out)) {
		if strings.Contains(line, "chromedp") || strings.Contains(line, "cdproto") {
			t.Errorf("the API links a browser driver package: %s", strings.TrimSpace(line))
		}
	}
}

// architectureTable reads the rows "| `pkg/` | job | `a`, `b` |" of the
// package table ("none" for no imports of Kiln's).
func architectureTable(t *testing.T, path string) map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	row := regexp.MustCompile("^\\| `([a-z/]+)/?` \\|.*\\| ([^|]+) \\|$")
	name := regexp.MustCompile("`([a-z/]+)`")
	tab := map[string][]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		m := row.FindStringSubmatch(sc.Text())
		if m == nil || m[1] == "cmd/kiln" {
			continue
		}
		imports := []string{}
		if strings.TrimSpace(m[2]) != "none" {
			for _, n := range name.FindAllStringSubmatch(m[2], -1) {
				imports = append(imports, n[1])
			}
		}
		slices.Sort(imports)
		tab[strings.TrimSuffix(m[1], "/")] = imports
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return tab
}
