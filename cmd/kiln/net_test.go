package main

import (
	"slices"
	"strings"
	"testing"
)

// --net-allow and --net-deny (and their env twins) become the one network
// policy of the renderer's fetches and the worker's callbacks; bad entries
// are configuration errors.
func TestNetFlags(t *testing.T) {
	t.Setenv("KILN_NET_ALLOW", " 10.1.0.0/16, intranet.example ,")
	e := serviceFlagSet("worker")
	f := addWorkerFlags(e)
	if err := parseServiceFlags(e, []string{"--net-deny", "evil.example,203.0.113.7"}); err != nil {
		t.Fatal(err)
	}
	_, rc, err := f.configs()
	if err != nil {
		t.Fatal(err)
	}
	p := rc.Fetch.Policy
	if !slices.Equal(p.Allow, []string{"10.1.0.0/16", "intranet.example"}) || !slices.Equal(p.Deny, []string{"evil.example", "203.0.113.7"}) || p.AllowPrivate {
		t.Fatalf("policy %+v", p)
	}

	t.Setenv("KILN_NET_DENY", "10.0.0.0/99,not a host")
	e = serviceFlagSet("worker")
	f = addWorkerFlags(e)
	if err := parseServiceFlags(e, nil); err != nil {
		t.Fatal(err)
	}
	_, _, err = f.configs()
	for _, want := range []string{`"10.0.0.0/99"`, `"not a host"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("configs() = %v, want it to name %s", err, want)
		}
	}
	if err := runRender(t.Context(), []string{"--net-allow", "bad//cidr", "-o", t.TempDir(), "x.html"}); err == nil || !strings.Contains(err.Error(), "bad//cidr") {
		t.Errorf("kiln render with a bad --net-allow: %v", err)
	}
}
