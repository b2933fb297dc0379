package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kilnrender/kiln/internal/imgcmp"
	"github.com/kilnrender/kiln/internal/testenv"
)

// The image's chromium-no-sandbox wrapper (docs/deploy.md, "Chromium
// sandbox"), as the Dockerfile writes it, is a Chromium that Kiln starts
// and renders with: the wrapper is run, hands --no-sandbox on, and the
// picture comes out.
func TestNoSandboxWrapper(t *testing.T) {
	chrome := testenv.LookPath(t, "chromium", "KILN_CHROME_PATH")
	df, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`printf '([^']*)'\s*\\\s*\n\s*> /usr/local/bin/chromium-no-sandbox`).FindSubmatch(df)
	if m == nil {
		t.Fatal("the Dockerfile writes no /usr/local/bin/chromium-no-sandbox")
	}
	script := strings.ReplaceAll(string(m[1]), `\n`, "\n")
	if !strings.Contains(script, `exec /usr/bin/chromium --no-sandbox "$@"`) {
		t.Fatalf("wrapper %q", script)
	}
	dir := t.TempDir()
	marker := filepath.Join(dir, "ran")
	// The same script, with this machine's Chromium and a trace of its
	// arguments.
	script = strings.Replace(script, "exec /usr/bin/chromium", `echo "$@" > `+marker+"\nexec "+chrome, 1)
	wrapper := filepath.Join(dir, "chromium-no-sandbox")
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "page.png")
	const in = "../../testdata/corpus/html-email-leemunroe/snapshot.kiln.json.gz"
	if msg, code := runCaptured(t, "render", "-q", "--chrome", wrapper, "--browsers", "1", "--out", out, in); code != 0 {
		t.Fatalf("kiln render through the wrapper: exit %d\n%s", code, msg)
	}
	args, err := os.ReadFile(marker)
	if err != nil || !strings.Contains(string(args), "--headless") {
		t.Fatalf("the wrapper was not run by Kiln: %q %v", args, err)
	}
	img, err := imgcmp.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	likeTruth(t, "kiln render through chromium-no-sandbox", img, "../../testdata/corpus/html-email-leemunroe/truth.png")
}
