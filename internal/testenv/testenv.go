// Package testenv finds the real programs Kiln's tests talk to (Chromium,
// redis-server, versitygw, ffmpeg). A test that needs one it cannot find
// fails when CI=true and is skipped, loudly, otherwise.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// CI reports whether the tests run under CI (CI=true).
func CI() bool { return os.Getenv("CI") == "true" }

// Missing fails the test under CI and skips it otherwise, saying what is missing.
func Missing(t testing.TB, what string) {
	t.Helper()
	if CI() {
		t.Fatalf("%s not found: run scripts/setup.sh --test (make test does)", what)
	}
	t.Skipf("%s not found: run scripts/setup.sh --test (make test does); under CI=true this fails", what)
}

// LookPath finds a program on PATH, in $GOPATH/bin, or at the path in env
// (when env is not empty and set). It calls Missing when it finds none.
func LookPath(t testing.TB, name, env string) string {
	t.Helper()
	if p := FindPath(name, env); p != "" {
		return p
	}
	Missing(t, name)
	return ""
}

// FindPath is LookPath without the test: "" when the program is not found.
func FindPath(name, env string) string {
	if env != "" {
		if p := os.Getenv(env); p != "" {
			return p
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if gp, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		p := filepath.Join(string(trimNL(gp)), "bin", name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
