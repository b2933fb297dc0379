package netguard

import (
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// CheckURL applies the syntactic half of the policy to raw and returns the
// URL in canonical form, ready to fetch. It accepts only
//
//   - the schemes http and https (in any case);
//   - no userinfo (user:pass@);
//   - a host: a domain name (internationalized names are converted to
//     punycode; a single trailing dot is dropped) or an IP literal. Hosts are
//     read the way Chromium reads them, so the IPv4 forms of the WHATWG URL
//     standard (2130706433, 0x7f000001, 0177.0.0.1, 127.1) become the
//     dotted-quad address they denote, and the caller's address check sees
//     127.0.0.1 rather than a "name" that the system resolver might treat
//     differently. Percent-encoded hosts, zones, backslashes before the
//     query and characters outside [a-z0-9-_.] are refused;
//   - port 80, 443, or any port from 1024 up except those Chromium itself
//     refuses (X11, IRC, SIP, NFS...). Low ports other than 80 and 443 are
//     where mail, SSH and other line protocols live, which a smuggled HTTP
//     request could talk to.
//
// CheckURL does not resolve names or judge addresses: IP literals pass here
// and are judged by the address policy when dialed. Errors wrap ErrBlocked
// and carry a reason for BlockReason (scheme, userinfo, host, port,
// malformed).
func CheckURL(raw string) (*url.URL, error) {
	u, err := checkURL(raw)
	if err != nil {
		return nil, fmt.Errorf("check url %s: %w", shortURL(raw), err)
	}
	return u, nil
}

func checkURL(raw string) (*url.URL, error) {
	// A backslash before the query is a slash to Chromium (http:\\host\)
	// and something else to Go; refuse rather than guess. Chromium itself
	// never sends one there: it has normalized the URL already.
	head := raw
	if i := strings.IndexAny(head, "?#"); i >= 0 {
		head = head[:i]
	}
	if strings.ContainsRune(head, '\\') {
		return nil, blocked(ReasonMalformed, "backslash in url")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, blocked(ReasonMalformed, "unparsable url")
	}
	// url.Parse lower-cases the scheme, so HTTP:// and FILE:// land here.
	if u.Scheme != "http" && u.Scheme != "https" {
		s := u.Scheme
		if s == "" {
			s = "(none)"
		}
		return nil, blocked(ReasonScheme, "scheme %q not allowed", shortString(s, 16))
	}
	if u.Opaque != "" || u.Host == "" {
		return nil, blocked(ReasonHost, "no host")
	}
	if u.User != nil {
		return nil, blocked(ReasonUserinfo, "credentials in url")
	}
	host, err := canonicalHost(u.Hostname())
	if err != nil {
		return nil, err
	}
	port := u.Port()
	if port == "" {
		if u.Scheme == "https" {
			port = "443"
		} else {
			port = "80"
		}
	}
	pn, err := strconv.ParseUint(port, 10, 16)
	if err != nil || !portAllowed(uint16(pn)) {
		return nil, blocked(ReasonPort, "port %s not allowed", shortString(port, 8))
	}
	hostport := host
	if strings.Contains(host, ":") {
		hostport = "[" + host + "]"
	}
	if u.Port() != "" {
		hostport += ":" + strconv.FormatUint(pn, 10)
	}
	u.Host = hostport
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

// checkParsedURL is checkURL for a URL that was parsed already (by
// http.NewRequest, say): the parse turned backslashes, which Go and
// Chromium read differently, into %5C, so they are looked for in the
// decoded parts first.
func checkParsedURL(u *url.URL) (*url.URL, error) {
	if strings.ContainsRune(u.Opaque+u.Host+u.Path, '\\') {
		return nil, blocked(ReasonMalformed, "backslash in url")
	}
	return checkURL(u.String())
}

// CanonicalHost returns host (a URL's host without brackets or port) in
// the form the fetcher resolves and dials, which is how Chromium reads it:
// a lower-case ASCII domain name (internationalized names in punycode, one
// trailing dot dropped), a dotted-quad IPv4 address for every WHATWG IPv4
// spelling (2130706433, 0x7f.1, 0177.0.0.1), or an IPv6 address in RFC
// 5952 form. It judges no address. Errors wrap ErrBlocked (reason host)
// for hosts CheckURL refuses: empty, percent-encoded, with a zone, or with
// characters outside [a-z0-9-_.].
func CanonicalHost(host string) (string, error) { return canonicalHost(host) }

// canonicalHost is CanonicalHost.
func canonicalHost(h string) (string, error) {
	if h == "" {
		return "", blocked(ReasonHost, "no host")
	}
	if strings.ContainsAny(h, "%\\") {
		return "", blocked(ReasonHost, "encoded host")
	}
	if strings.Contains(h, ":") { // IPv6 literal (url.Parse required brackets)
		a, err := netip.ParseAddr(h)
		if err != nil || a.Zone() != "" {
			return "", blocked(ReasonHost, "bad ipv6 literal")
		}
		return a.String(), nil
	}
	ascii, err := idna.Lookup.ToASCII(h)
	if err != nil {
		// Lookup refuses underscores, which real CDN names use; accept
		// plain ASCII names and check their characters below.
		if !isASCII(h) {
			return "", blocked(ReasonHost, "bad host name")
		}
		ascii = strings.ToLower(h)
	}
	if strings.HasSuffix(ascii, ".") {
		ascii = ascii[:len(ascii)-1]
	}
	if a, isIP, ok := parseWHATWGIPv4(ascii); isIP {
		if !ok {
			return "", blocked(ReasonHost, "bad ipv4 literal")
		}
		return a.String(), nil
	}
	if len(ascii) == 0 || len(ascii) > 253 {
		return "", blocked(ReasonHost, "bad host name")
	}
	for _, label := range strings.Split(ascii, ".") {
		if label == "" || len(label) > 63 {
			return "", blocked(ReasonHost, "bad host name")
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return "", blocked(ReasonHost, "bad host name")
			}
		}
	}
	return ascii, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// parseWHATWGIPv4 applies the WHATWG URL standard's IPv4 host parser, as
// Chromium does: a host whose last label is a number (decimal, 0x-hex or
// 0-octal) is an IPv4 address of one to four parts. isIP reports whether the
// host is meant as an address at all; ok whether it is a valid one (a host
// meant as an address that is not valid is an invalid URL in Chromium).
func parseWHATWGIPv4(h string) (addr netip.Addr, isIP, ok bool) {
	parts := strings.Split(h, ".")
	if len(parts) > 1 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	last := parts[len(parts)-1]
	if last == "" {
		return netip.Addr{}, false, false
	}
	if !endsInNumber(last) {
		return netip.Addr{}, false, false
	}
	if len(parts) > 4 {
		return netip.Addr{}, true, false
	}
	nums := make([]uint64, len(parts))
	for i, p := range parts {
		n, ok := ipv4Number(p)
		if !ok {
			return netip.Addr{}, true, false
		}
		nums[i] = n
	}
	for _, n := range nums[:len(nums)-1] {
		if n > 255 {
			return netip.Addr{}, true, false
		}
	}
	lastN := nums[len(nums)-1]
	if lastN >= uint64(1)<<(8*(5-len(nums))) {
		return netip.Addr{}, true, false
	}
	v := lastN
	for i, n := range nums[:len(nums)-1] {
		v += n << (8 * (3 - i))
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true, true
}

// endsInNumber reports whether the last label of a host is a number in
// the WHATWG sense: decimal digits, or "0x" followed by hex digits (even
// none, and however many).
func endsInNumber(s string) bool {
	digits := "0123456789"
	if len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X") {
		s, digits = s[2:], "0123456789abcdefABCDEF"
		if s == "" {
			return true
		}
	}
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune(digits, rune(s[i])) {
			return false
		}
	}
	return s != ""
}

// ipv4Number parses one part of a WHATWG IPv4 host: "0x" hex (an empty
// "0x" is zero), a leading "0" octal, otherwise decimal.
func ipv4Number(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	base := 10
	switch {
	case len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X"):
		s, base = s[2:], 16
		if s == "" {
			return 0, true
		}
	case len(s) >= 2 && s[0] == '0':
		s, base = s[1:], 8
	}
	n, err := strconv.ParseUint(s, base, 64)
	if err != nil || n > 0xffffffff {
		return 0, false
	}
	return n, true
}

// chromiumRestrictedPorts are the ports from 1024 up that Chromium
// refuses to connect to (net/base/port_util.cc).
var chromiumRestrictedPorts = map[uint16]bool{
	1719: true, 1720: true, 1723: true, 2049: true, 3659: true, 4045: true,
	4190: true, 5060: true, 5061: true, 6000: true, 6566: true, 6665: true,
	6666: true, 6667: true, 6668: true, 6669: true, 6679: true, 6697: true,
	10080: true,
}

func portAllowed(p uint16) bool {
	if p == 80 || p == 443 {
		return true
	}
	return p >= 1024 && !chromiumRestrictedPorts[p]
}
