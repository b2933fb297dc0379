package netguard_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kilnrender/kiln/netguard"
	"github.com/kilnrender/kiln/netguard/netguardtest"
)

// One table of hostile spellings, run against every caller of the policy:
// CheckURL, the Fetcher and the Client (queue runs it against webhook
// callbacks).

func TestSpellingsCheckURL(t *testing.T) {
	for _, s := range netguardtest.Spellings("8080") {
		_, err := netguard.CheckURL(s.URL)
		switch {
		case !s.AtURL && err != nil:
			t.Errorf("CheckURL(%q) = %v; the address check, not CheckURL, refuses it", s.URL, err)
		case s.AtURL && (!errors.Is(err, netguard.ErrBlocked) || netguard.BlockReason(err) != s.Reason):
			t.Errorf("CheckURL(%q) = %v, want ErrBlocked (%s)", s.URL, err, s.Reason)
		}
	}
}

func TestSpellingsFetcher(t *testing.T)  { netguardtest.RunSpellings(t, fetchVia) }
func TestSpellingsClient(t *testing.T)   { netguardtest.RunSpellings(t, postVia) }
func TestURLVectorsFetcher(t *testing.T) { netguardtest.RunURLVectors(t, fetchVia) }
func TestURLVectorsClient(t *testing.T)  { netguardtest.RunURLVectors(t, postVia) }
func TestPolicyFetcher(t *testing.T)     { netguardtest.RunPolicy(t, fetchVia) }
func TestPolicyClient(t *testing.T)      { netguardtest.RunPolicy(t, postVia) }

// fetchVia and postVia are the request functions of a Fetcher and a
// Client for the shared tables: an answer other than 200 is an error.
func fetchVia(t *testing.T, cfg netguard.Config) func(string) error {
	f := newTestFetcher(t, cfg)
	return func(url string) error {
		resp, err := f.Fetch(testCtx(t), url, nil)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fetch ") || len(err.Error()) > 400 {
				t.Errorf("Fetch(%q): message %q", url, err)
			}
			return err
		}
		if resp.Status != http.StatusOK {
			return errors.New(resp.URL + ": " + http.StatusText(resp.Status))
		}
		return nil
	}
}

func postVia(t *testing.T, cfg netguard.Config) func(string) error {
	c := newTestClient(t, cfg)
	return func(url string) error {
		resp, err := c.Post(url, "application/json", strings.NewReader("{}"))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		io.Copy(io.Discard, resp.Body)
		if resp.StatusCode != http.StatusOK {
			return errors.New(resp.Status)
		}
		return nil
	}
}

func newTestClient(t *testing.T, cfg netguard.Config) *http.Client {
	t.Helper()
	c, err := netguard.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// A Dialer connects to a checked address only; an allowed name admits the
// private address it resolves to, all the way down to connect(2), where
// the system dialer checks once more.
func TestDialer(t *testing.T) {
	canary := netguardtest.NewCanary(t)
	resolver := fetchTestResolver{"canary.intranet.example": {"127.0.0.1"}, "other.example": {"127.0.0.1"}}
	d, err := netguard.NewDialer(netguard.Config{Resolver: resolver, Policy: netguard.Policy{Allow: []string{"canary.intranet.example"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{canary.Addr(), "other.example:" + canary.Port(), "[::ffff:127.0.0.1]:" + canary.Port(), "nowhere"} {
		if c, err := d.DialContext(testCtx(t), "tcp", addr); !errors.Is(err, netguard.ErrBlocked) {
			t.Errorf("dial %s: %v, %v; want ErrBlocked", addr, c, err)
		}
	}
	canary.AssertUntouched(t)
	c, err := d.DialContext(testCtx(t), "tcp", "canary.intranet.example:"+canary.Port())
	if err != nil {
		t.Fatalf("dial the allowed name: %v", err)
	}
	c.Close()
	// The canary counts a connection when its accept loop takes it, which
	// may lag the dial a little.
	for deadline := time.Now().Add(5 * time.Second); canary.Conns() < 1 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if n := canary.Conns(); n != 1 {
		t.Errorf("canary saw %d connections, want 1", n)
	}
	if _, err := netguard.NewDialer(netguard.Config{Policy: netguard.Policy{Allow: []string{"a b"}}}); err == nil {
		t.Error("NewDialer accepted a bad policy")
	}
}

func TestCanonicalHost(t *testing.T) {
	for in, want := range map[string]string{
		"Page.Kiln.Test.": "page.kiln.test",
		"bücher.example":  "xn--bcher-kva.example",
		"0x7f.1":          "127.0.0.1",
		"2130706433":      "127.0.0.1",
		"::FFFF:7f00:1":   "::ffff:127.0.0.1",
		"cdn_1.example":   "cdn_1.example",
	} {
		if got, err := netguard.CanonicalHost(in); got != want || err != nil {
			t.Errorf("CanonicalHost(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "%6Biln.test", "a b", "fe80::1%eth0", "256.1.1.1"} {
		if _, err := netguard.CanonicalHost(in); !errors.Is(err, netguard.ErrBlocked) || netguard.BlockReason(err) != netguard.ReasonHost {
			t.Errorf("CanonicalHost(%q): %v, want ErrBlocked (host)", in, err)
		}
	}
}
