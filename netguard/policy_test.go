package netguard

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
)

func TestAllowedIP(t *testing.T) {
	tests := []struct {
		ip      string
		reason  string // "" means allowed
		private bool   // allowed when AllowPrivate is set
	}{
		{"8.8.8.8", "", true},
		{"203.0.113.10", "", true}, // documentation: allowed, see v4Ranges
		{"2606:4700::1111", "", true},
		{"2001:db8::1", "", true},
		{"127.0.0.1", ReasonLoopback, true},
		{"127.255.255.254", ReasonLoopback, true},
		{"::1", ReasonLoopback, true},
		{"::ffff:127.0.0.1", ReasonLoopback, true},
		{"::127.0.0.1", ReasonLoopback, true},                           // IPv4-compatible
		{"::ffff:0:127.0.0.1", ReasonLoopback, true},                    // IPv4-translated
		{"64:ff9b::7f00:1", ReasonLoopback, true},                       // NAT64
		{"2002:7f00:1::1", ReasonLoopback, true},                        // 6to4
		{"2002:a00:1::", ReasonPrivate, true},                           // 6to4 of 10.0.0.1
		{"2002:808:808::1", "", true},                                   // 6to4 of 8.8.8.8
		{"64:ff9b::808:808", "", true},                                  // NAT64 of 8.8.8.8
		{"2001:0:4136:e378:8000:63bf:3fff:fdd2", ReasonReserved, false}, // Teredo
		{"10.0.0.1", ReasonPrivate, true},
		{"172.16.5.4", ReasonPrivate, true},
		{"172.32.0.1", "", true},
		{"192.168.1.1", ReasonPrivate, true},
		{"::ffff:192.168.1.1", ReasonPrivate, true},
		{"fc00::1", ReasonPrivate, true},
		{"fd12:3456::1", ReasonPrivate, true},
		{"fec0::1", ReasonPrivate, true},
		{"100.64.0.1", ReasonCGNAT, true},
		{"100.127.255.255", ReasonCGNAT, true},
		{"100.128.0.1", "", true},
		{"169.254.1.1", ReasonLinkLocal, true},
		{"fe80::1", ReasonLinkLocal, true},
		{"fe80::1%eth0", ReasonLinkLocal, true},
		{"169.254.169.254", ReasonMetadata, false},
		{"::ffff:169.254.169.254", ReasonMetadata, false},
		{"64:ff9b::a9fe:a9fe", ReasonMetadata, false},
		{"169.254.170.2", ReasonMetadata, false},
		{"fd00:ec2::254", ReasonMetadata, false},
		{"100.100.100.200", ReasonMetadata, false},
		{"168.63.129.16", ReasonMetadata, false},
		{"0.0.0.0", ReasonUnspecified, false},
		{"0.1.2.3", ReasonUnspecified, false},
		{"::", ReasonUnspecified, false},
		{"::ffff:0.0.0.0", ReasonUnspecified, false},
		{"224.0.0.1", ReasonMulticast, false},
		{"ff02::1", ReasonMulticast, false},
		{"255.255.255.255", ReasonBroadcast, false},
		{"240.0.0.1", ReasonReserved, false},
		{"198.18.0.1", ReasonReserved, false},
		{"192.0.0.8", ReasonReserved, false},
		{"100::1", ReasonReserved, false},
		{"4000::1", ReasonReserved, false}, // outside 2000::/3
	}
	for _, tt := range tests {
		ip := netip.MustParseAddr(tt.ip)
		ok, reason := AllowedIP(ip, false)
		if ok != (tt.reason == "") || reason != tt.reason {
			t.Errorf("AllowedIP(%s, false) = %v, %q; want reason %q", tt.ip, ok, reason, tt.reason)
		}
		ok, reason = AllowedIP(ip, true)
		if ok != tt.private {
			t.Errorf("AllowedIP(%s, true) = %v, %q; want %v", tt.ip, ok, reason, tt.private)
		}
		if !ok && reason != tt.reason {
			t.Errorf("AllowedIP(%s, true) reason %q, want %q", tt.ip, reason, tt.reason)
		}
	}
	if ok, _ := AllowedIP(netip.Addr{}, true); ok {
		t.Error("the zero Addr is allowed")
	}
}

func TestCheckURLCanonical(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://example.com/a?b=c#frag", "http://example.com/a?b=c"},
		{"HTTPS://EXAMPLE.com./x", "https://example.com/x"},
		{"http://bücher.example/", "http://xn--bcher-kva.example/"},
		{"http://img_cdn.example.com:8080/p.png", "http://img_cdn.example.com:8080/p.png"},
		// WHATWG IPv4 forms become the address Chromium would connect to.
		{"http://2130706433/", "http://127.0.0.1/"},
		{"http://0x7f000001:8080/", "http://127.0.0.1:8080/"},
		{"http://0177.0.0.1/", "http://127.0.0.1/"},
		{"http://0x7f.1/", "http://127.0.0.1/"},
		{"http://127.1/", "http://127.0.0.1/"},
		{"http://127.0.0.1./", "http://127.0.0.1/"},
		{"http://10.0x10.1/", "http://10.16.0.1/"},
		{"http://[::FFFF:127.0.0.1]:8443/", "http://[::ffff:127.0.0.1]:8443/"},
		{"http://1.2.3.4:443/", "http://1.2.3.4:443/"},
		{"http://example.com/a?c=\\", "http://example.com/a?c=\\"},
	}
	for _, tt := range tests {
		u, err := CheckURL(tt.in)
		if err != nil {
			t.Errorf("CheckURL(%q): %v", tt.in, err)
			continue
		}
		if got := u.String(); got != tt.want {
			t.Errorf("CheckURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheckURLRejects(t *testing.T) {
	tests := []struct{ in, reason string }{
		{"file:///etc/passwd", ReasonScheme},
		{"FILE:///etc/passwd", ReasonScheme},
		{"ftp://example.com/", ReasonScheme},
		{"gopher://example.com:70/", ReasonScheme},
		{"data:text/html,<b>x</b>", ReasonScheme},
		{"javascript:alert(1)", ReasonScheme},
		{"ws://example.com/", ReasonScheme},
		{"//example.com/", ReasonScheme},
		{"\\\\localhost\\x", ReasonMalformed},
		{"http:\\\\127.0.0.1\\", ReasonMalformed},
		{"http://example.com\\@127.0.0.1/", ReasonMalformed},
		{"http:foo", ReasonHost},
		{"http:///x", ReasonHost},
		{"http://user:pass@example.com/", ReasonUserinfo},
		{"http://user@example.com/", ReasonUserinfo},
		{"http://example.com:25/", ReasonPort},
		{"http://example.com:22/", ReasonPort},
		{"http://example.com:6667/", ReasonPort},
		{"http://example.com:0/", ReasonPort},
		{"http://example.com:99999/", ReasonPort},
		{"http://example.com/a\\b", ReasonMalformed},
		{"http://[fe80::1%25eth0]/", ReasonHost},
		{"http://256.0.0.1/", ReasonHost},
		{"http://1.2.3.4.5/", ReasonHost},
		{"http://0x100000000/", ReasonHost},
		{"http://09.0.0.1/", ReasonHost},
		{"http://a..b/", ReasonHost},
		{"http://bad!.example/", ReasonHost},
		{"http://ex ample.com/", ReasonMalformed},
		{"http://ex%41mple.com/", ReasonMalformed},
		{"http://example.com/\x00", ReasonMalformed},
	}
	for _, tt := range tests {
		_, err := CheckURL(tt.in)
		if !errors.Is(err, ErrBlocked) {
			t.Errorf("CheckURL(%q) = %v, want ErrBlocked", tt.in, err)
			continue
		}
		if got := BlockReason(err); got != tt.reason {
			t.Errorf("CheckURL(%q): reason %q, want %q (%v)", tt.in, got, tt.reason, err)
		}
	}
}

func TestWHATWGIPv4(t *testing.T) {
	tests := []struct {
		in       string
		want     string
		isIP, ok bool
	}{
		{"example.com", "", false, false},
		{"1.example", "", false, false},
		{"example.1", "", true, false}, // ends in a number, so meant as an address
		{"0x", "0.0.0.0", true, true},
		{"4294967295", "255.255.255.255", true, true},
		{"4294967296", "", true, false},
		{"1.16777215", "1.255.255.255", true, true},
		{"1.16777216", "", true, false},
		{"0xc0.0250.1", "192.168.0.1", true, true},
	}
	for _, tt := range tests {
		a, isIP, ok := parseWHATWGIPv4(tt.in)
		if isIP != tt.isIP || ok != tt.ok || ok && a.String() != tt.want {
			t.Errorf("parse %q = %v, %v, %v; want %s, %v, %v", tt.in, a, isIP, ok, tt.want, tt.isIP, tt.ok)
		}
	}
}

func TestBlockReasonForeign(t *testing.T) {
	if got := BlockReason(nil); got != "" {
		t.Errorf("BlockReason(nil) = %q", got)
	}
	if got := BlockReason(errors.New("x")); got != "error" {
		t.Errorf("BlockReason(other) = %q", got)
	}
}

func TestPolicyValidate(t *testing.T) {
	good := Policy{
		Allow: []string{"10.1.0.0/16", "10.2.3.4", "fd00:1::/64", "intranet.example", "*.corp.example", "Bücher.Example.", " 192.168.1.0/24 "},
		Deny:  []string{"203.0.113.7", "evil.example", "*.evil.example", "2001:db8::/32"},
	}
	if err := good.Validate(); err != nil {
		t.Errorf("valid policy: %v", err)
	}
	bad := Policy{
		Allow: []string{"10.0.0.0/33", "http://intranet.example/", "bad name", "fe80::1%eth0"},
		Deny:  []string{"*.10.0.0.1", "", "exa_mple..com"},
	}
	err := bad.Validate()
	if err == nil {
		t.Fatal("bad policy accepted")
	}
	for _, e := range append(bad.Allow, bad.Deny...) {
		if !strings.Contains(err.Error(), fmt.Sprintf("%q", e)) {
			t.Errorf("error %q does not name %q", err, e)
		}
	}
	if !strings.HasPrefix(err.Error(), "network policy: allow: ") {
		t.Errorf("error %q", err)
	}
	if err := (Config{Policy: bad}).Validate(); err == nil || !strings.Contains(err.Error(), "network policy") {
		t.Errorf("Config.Validate does not check the policy: %v", err)
	}
}

func TestPolicyRules(t *testing.T) {
	r, err := Policy{
		Allow: []string{"10.1.0.0/16", "169.254.0.0/16", "intranet.example", "*.corp.example", "0x7f.1"},
		Deny:  []string{"10.1.2.0/24", "evil.example", "*.evil.example", "8.8.8.8", "2606:4700::/32"},
	}.compile()
	if err != nil {
		t.Fatal(err)
	}
	hosts := []struct {
		host     string
		approved bool
		reason   string
	}{
		{"example.com", false, ""},
		{"intranet.example", true, ""},
		{"www.intranet.example", false, ""}, // an exact name admits no subdomain
		{"a.b.corp.example", true, ""},
		{"corp.example", false, ""}, // a wildcard does not admit the name itself
		{"evil.example", false, ReasonDenied},
		{"x.evil.example", false, ReasonDenied},
		{"metadata.google.internal", false, ReasonMetadata},
		{"localhost", false, ""}, // 127.0.0.1 is allowed, by the WHATWG form 0x7f.1
	}
	for _, tt := range hosts {
		approved, reason := r.host(tt.host)
		if approved != tt.approved || reason != tt.reason {
			t.Errorf("host(%s) = %v, %q; want %v, %q", tt.host, approved, reason, tt.approved, tt.reason)
		}
	}
	addrs := []struct {
		ip       string
		approved bool
		reason   string // "" means allowed
	}{
		{"10.1.9.9", false, ""},
		{"::ffff:10.1.9.9", false, ""},
		{"64:ff9b::a01:909", false, ""}, // NAT64 of 10.1.9.9
		{"10.1.2.3", false, ReasonDenied},
		{"10.1.2.3", true, ReasonDenied}, // deny wins over an allowed name
		{"::ffff:10.1.2.3", false, ReasonDenied},
		{"10.2.0.1", false, ReasonPrivate},
		{"10.2.0.1", true, ""}, // an address of an allowed name
		{"169.254.1.1", false, ""},
		{"169.254.169.254", false, ReasonMetadata}, // inside an allowed CIDR
		{"169.254.169.254", true, ReasonMetadata},  // of an allowed name
		{"fd00:ec2::254", true, ReasonMetadata},
		{"127.0.0.1", false, ""},
		{"127.0.0.2", false, ReasonLoopback},
		{"8.8.8.8", false, ReasonDenied},
		{"2606:4700::1111", false, ReasonDenied},
		{"1.1.1.1", false, ""},
		{"", true, ReasonHost},
	}
	for _, tt := range addrs {
		var ip netip.Addr
		if tt.ip != "" {
			ip = netip.MustParseAddr(tt.ip)
		}
		ok, reason := r.addr(ip, tt.approved)
		if ok != (tt.reason == "") || reason != tt.reason {
			t.Errorf("addr(%s, %v) = %v, %q; want reason %q", tt.ip, tt.approved, ok, reason, tt.reason)
		}
	}
}
