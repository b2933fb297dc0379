package renderer

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// A pool that starts removes the Chromium profiles of Kiln processes that
// are gone (a SIGKILLed worker cannot remove its own), and keeps those of
// live ones.
func TestSweepProfilesOfDeadProcesses(t *testing.T) {
	tmp := t.TempDir()
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	mk := func(name string, pid int) string {
		dir := filepath.Join(tmp, name)
		if err := os.MkdirAll(filepath.Join(dir, "profile"), 0o700); err != nil {
			t.Fatal(err)
		}
		if pid > 0 {
			os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(pid)), 0o600)
		}
		return dir
	}
	dead := mk(profilePrefix+"dead", gone.Process.Pid)
	live := mk(profilePrefix+"live", os.Getpid())
	unowned := mk(profilePrefix+"unowned", 0)
	other := mk("something-else", gone.Process.Pid)
	if n := sweepProfiles(tmp); n != 1 {
		t.Fatalf("removed %d profiles, want 1", n)
	}
	for dir, want := range map[string]bool{dead: false, live: true, unowned: true, other: true} {
		if _, err := os.Stat(dir); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(dir), err == nil, want)
		}
	}
}
