package netguard

import (
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// Network policy: which URLs and addresses the fetcher may reach.
//
// The policy has two halves. CheckURL is syntactic: it accepts only http and
// https URLs without credentials, with a host written the way Chromium would
// read it, on an allowed port. AllowedIP is semantic: it decides whether one
// resolved address may be dialed. The fetcher applies CheckURL to every URL
// (the first and every redirect hop) and AllowedIP to every address a host
// name resolves to, in the same function that then dials that very address.

// Block reasons, as returned by AllowedIP and BlockReason. They are short and
// stable so that they can label metrics and appear in render reports.
const (
	ReasonScheme      = "scheme"      // not http or https
	ReasonUserinfo    = "userinfo"    // user:pass@ in the URL
	ReasonHost        = "host"        // missing or malformed host
	ReasonPort        = "port"        // port outside the allowed set
	ReasonMalformed   = "malformed"   // the URL does not parse
	ReasonLoopback    = "loopback"    // 127.0.0.0/8, ::1, localhost
	ReasonPrivate     = "private"     // RFC 1918, fc00::/7, fec0::/10, 64:ff9b:1::/48
	ReasonLinkLocal   = "link-local"  // 169.254.0.0/16, fe80::/10
	ReasonCGNAT       = "cgnat"       // 100.64.0.0/10 (shared address space)
	ReasonMetadata    = "metadata"    // cloud instance metadata services
	ReasonUnspecified = "unspecified" // 0.0.0.0/8, ::
	ReasonMulticast   = "multicast"   // 224.0.0.0/4, ff00::/8
	ReasonBroadcast   = "broadcast"   // 255.255.255.255
	ReasonReserved    = "reserved"    // IETF special-purpose ranges, Teredo, non-global IPv6
	ReasonTooLarge    = "too-large"   // response body over Config.MaxBytes
	ReasonTimeout     = "timeout"     // Config.Timeout passed
	ReasonCanceled    = "canceled"    // the caller's context was canceled
	ReasonRedirects   = "redirects"   // too many redirects, or a bad Location
	ReasonDNS         = "dns"         // the host name did not resolve
	ReasonTLS         = "tls"         // certificate verification or handshake failed
	ReasonEncoding    = "encoding"    // a Content-Encoding the fetcher does not decode
	ReasonNetwork     = "network"     // connection refused, reset, ...
)

// fetchReasonError carries a machine-friendly reason alongside an error that
// already wraps one of the package's sentinels.
type fetchReasonError struct {
	reason string
	err    error
}

func (e *fetchReasonError) Error() string { return e.err.Error() }
func (e *fetchReasonError) Unwrap() error { return e.err }

// fetchBlocked returns an ErrBlocked error such as
// "blocked: loopback address 127.0.0.1: request blocked".
func fetchBlocked(reason, format string, args ...any) error {
	return &fetchReasonError{reason: reason, err: fmt.Errorf("blocked: %s: %w", fmt.Sprintf(format, args...), ErrBlocked)}
}

// fetchFailed returns an ErrFetchFailed error with the given reason; cause,
// when not nil, stays reachable with errors.Is and errors.As.
func fetchFailed(reason string, cause error, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if cause != nil {
		return &fetchReasonError{reason: reason, err: fmt.Errorf("%s: %w: %w", msg, cause, ErrFetchFailed)}
	}
	return &fetchReasonError{reason: reason, err: fmt.Errorf("%s: %w", msg, ErrFetchFailed)}
}

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
// and are judged by AllowedIP when fetched. Errors wrap ErrBlocked and carry
// a reason for BlockReason (scheme, userinfo, host, port, malformed).
func CheckURL(raw string) (*url.URL, error) {
	u, err := fetchCheckURL(raw)
	if err != nil {
		return nil, fmt.Errorf("check url %s: %w", fetchShortURL(raw), err)
	}
	return u, nil
}

func fetchCheckURL(raw string) (*url.URL, error) {
	// A backslash before the query is a slash to Chromium (http:\\host\)
	// and something else to Go; refuse rather than guess. Chromium itself
	// never sends one there: it has normalized the URL already.
	head := raw
	if i := strings.IndexAny(head, "?#"); i >= 0 {
		head = head[:i]
	}
	if strings.ContainsRune(head, '\\') {
		return nil, fetchBlocked(ReasonMalformed, "backslash in url")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fetchBlocked(ReasonMalformed, "unparsable url")
	}
	// url.Parse lower-cases the scheme, so HTTP:// and FILE:// land here.
	if u.Scheme != "http" && u.Scheme != "https" {
		s := u.Scheme
		if s == "" {
			s = "(none)"
		}
		return nil, fetchBlocked(ReasonScheme, "scheme %q not allowed", fetchShortString(s, 16))
	}
	if u.Opaque != "" || u.Host == "" {
		return nil, fetchBlocked(ReasonHost, "no host")
	}
	if u.User != nil {
		return nil, fetchBlocked(ReasonUserinfo, "credentials in url")
	}
	host, err := fetchCanonicalHost(u.Hostname())
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
	if err != nil || !fetchPortAllowed(uint16(pn)) {
		return nil, fetchBlocked(ReasonPort, "port %s not allowed", fetchShortString(port, 8))
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

// fetchCanonicalHost returns the host in the form the fetcher resolves and
// dials: a lower-case ASCII domain name, a dotted-quad IPv4 address, or an
// IPv6 address (without brackets).
func fetchCanonicalHost(h string) (string, error) {
	if h == "" {
		return "", fetchBlocked(ReasonHost, "no host")
	}
	if strings.ContainsAny(h, "%\\") {
		return "", fetchBlocked(ReasonHost, "encoded host")
	}
	if strings.Contains(h, ":") { // IPv6 literal (url.Parse required brackets)
		a, err := netip.ParseAddr(h)
		if err != nil || a.Zone() != "" {
			return "", fetchBlocked(ReasonHost, "bad ipv6 literal")
		}
		return a.String(), nil
	}
	ascii, err := idna.Lookup.ToASCII(h)
	if err != nil {
		// Lookup refuses underscores, which real CDN names use; accept
		// plain ASCII names and check their characters below.
		if !fetchIsASCII(h) {
			return "", fetchBlocked(ReasonHost, "bad host name")
		}
		ascii = strings.ToLower(h)
	}
	if strings.HasSuffix(ascii, ".") {
		ascii = ascii[:len(ascii)-1]
	}
	if a, isIP, ok := fetchParseWHATWGIPv4(ascii); isIP {
		if !ok {
			return "", fetchBlocked(ReasonHost, "bad ipv4 literal")
		}
		return a.String(), nil
	}
	if len(ascii) == 0 || len(ascii) > 253 {
		return "", fetchBlocked(ReasonHost, "bad host name")
	}
	for _, label := range strings.Split(ascii, ".") {
		if label == "" || len(label) > 63 {
			return "", fetchBlocked(ReasonHost, "bad host name")
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return "", fetchBlocked(ReasonHost, "bad host name")
			}
		}
	}
	return ascii, nil
}

func fetchIsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// fetchParseWHATWGIPv4 applies the WHATWG URL standard's IPv4 host parser, as
// Chromium does: a host whose last label is a number (decimal, 0x-hex or
// 0-octal) is an IPv4 address of one to four parts. isIP reports whether the
// host is meant as an address at all; ok whether it is a valid one (a host
// meant as an address that is not valid is an invalid URL in Chromium).
func fetchParseWHATWGIPv4(h string) (addr netip.Addr, isIP, ok bool) {
	parts := strings.Split(h, ".")
	if len(parts) > 1 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	last := parts[len(parts)-1]
	if last == "" {
		return netip.Addr{}, false, false
	}
	if !fetchEndsInNumber(last) {
		return netip.Addr{}, false, false
	}
	if len(parts) > 4 {
		return netip.Addr{}, true, false
	}
	nums := make([]uint64, len(parts))
	for i, p := range parts {
		n, ok := fetchIPv4Number(p)
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

// fetchEndsInNumber reports whether the last label of a host is a number in
// the WHATWG sense: decimal digits, or "0x" followed by hex digits (even
// none, and however many).
func fetchEndsInNumber(s string) bool {
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

// fetchIPv4Number parses one part of a WHATWG IPv4 host: "0x" hex (an empty
// "0x" is zero), a leading "0" octal, otherwise decimal.
func fetchIPv4Number(s string) (uint64, bool) {
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

// fetchChromiumRestrictedPorts are the ports from 1024 up that Chromium
// refuses to connect to (net/base/port_util.cc).
var fetchChromiumRestrictedPorts = map[uint16]bool{
	1719: true, 1720: true, 1723: true, 2049: true, 3659: true, 4045: true,
	4190: true, 5060: true, 5061: true, 6000: true, 6566: true, 6665: true,
	6666: true, 6667: true, 6668: true, 6669: true, 6679: true, 6697: true,
	10080: true,
}

func fetchPortAllowed(p uint16) bool {
	if p == 80 || p == 443 {
		return true
	}
	return p >= 1024 && !fetchChromiumRestrictedPorts[p]
}

// fetchMetadataAddrs are cloud instance-metadata and host-agent endpoints.
// They hand out credentials, so they stay blocked even with AllowPrivate.
var fetchMetadataAddrs = map[netip.Addr]bool{
	netip.MustParseAddr("169.254.169.254"): true, // AWS, GCP, Azure, OCI, DigitalOcean...
	netip.MustParseAddr("169.254.170.2"):   true, // AWS ECS task metadata and credentials
	netip.MustParseAddr("169.254.170.23"):  true, // AWS EKS pod identity agent
	netip.MustParseAddr("100.100.100.200"): true, // Alibaba Cloud
	netip.MustParseAddr("168.63.129.16"):   true, // Azure WireServer (a public address)
	netip.MustParseAddr("192.0.0.192"):     true, // Oracle Cloud Classic
	netip.MustParseAddr("fd00:ec2::254"):   true, // AWS IMDS over IPv6
	netip.MustParseAddr("fd00:ec2::23"):    true, // AWS EKS pod identity agent over IPv6
	netip.MustParseAddr("fd20:ce::254"):    true, // GCP metadata over IPv6
}

// fetchMetadataHosts are names of metadata services, blocked before any
// lookup (they resolve to the addresses above where they resolve at all).
var fetchMetadataHosts = map[string]bool{
	"metadata":                   true,
	"metadata.google.internal":   true,
	"metadata.goog":              true,
	"instance-data":              true,
	"instance-data.ec2.internal": true,
	"metadata.tencentyun.com":    true,
}

// fetchHostAllowed judges a canonical host name before it is resolved:
// metadata names always fail, and localhost (with its subdomains, which
// Chromium maps to loopback without asking DNS) fails unless allowPrivate.
func fetchHostAllowed(host string, allowPrivate bool) (ok bool, reason string) {
	if fetchMetadataHosts[host] {
		return false, ReasonMetadata
	}
	if !allowPrivate && (host == "localhost" || strings.HasSuffix(host, ".localhost")) {
		return false, ReasonLoopback
	}
	return true, ""
}

type fetchRange struct {
	p      netip.Prefix
	reason string
}

func fetchPrefixes(reason string, cidrs ...string) []fetchRange {
	r := make([]fetchRange, len(cidrs))
	for i, c := range cidrs {
		r[i] = fetchRange{netip.MustParsePrefix(c), reason}
	}
	return r
}

// IPv4 special-purpose ranges (RFC 6890 and successors), first match wins.
// Documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) are
// not listed: they are routed nowhere, so reaching one reaches nothing, and
// tests use them as stand-ins for public addresses.
var fetchV4Ranges = fetchConcatRanges(
	fetchPrefixes(ReasonUnspecified, "0.0.0.0/8"), // Linux dials 0.0.0.0 as loopback
	fetchPrefixes(ReasonLoopback, "127.0.0.0/8"),
	fetchPrefixes(ReasonPrivate, "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"),
	fetchPrefixes(ReasonCGNAT, "100.64.0.0/10"),
	fetchPrefixes(ReasonLinkLocal, "169.254.0.0/16"),
	fetchPrefixes(ReasonReserved, "192.0.0.0/24", "192.88.99.0/24", "198.18.0.0/15"),
	fetchPrefixes(ReasonMulticast, "224.0.0.0/4"),
	fetchPrefixes(ReasonBroadcast, "255.255.255.255/32"),
	fetchPrefixes(ReasonReserved, "240.0.0.0/4"),
)

// IPv6 ranges that are judged as they are (those embedding IPv4 are handled
// in AllowedIP). Anything outside 2000::/3 is reserved as well.
var fetchV6Ranges = fetchConcatRanges(
	fetchPrefixes(ReasonUnspecified, "::/128"),
	fetchPrefixes(ReasonLoopback, "::1/128"),
	fetchPrefixes(ReasonPrivate, "64:ff9b:1::/48", "fc00::/7", "fec0::/10"),
	fetchPrefixes(ReasonReserved, "100::/64", "2001::/32"), // discard-only; Teredo
	fetchPrefixes(ReasonLinkLocal, "fe80::/10"),
	fetchPrefixes(ReasonMulticast, "ff00::/8"),
)

func fetchConcatRanges(rs ...[]fetchRange) []fetchRange {
	var out []fetchRange
	for _, r := range rs {
		out = append(out, r...)
	}
	return out
}

var (
	fetchV4Compat     = netip.MustParsePrefix("::/96")           // deprecated IPv4-compatible
	fetchV4Translated = netip.MustParsePrefix("::ffff:0:0:0/96") // SIIT
	fetchNAT64        = netip.MustParsePrefix("64:ff9b::/96")
	fetch6to4         = netip.MustParsePrefix("2002::/16")
	fetchGlobalV6     = netip.MustParsePrefix("2000::/3")
)

// fetchPrivateReasons are the classes AllowPrivate admits. Metadata,
// unspecified, multicast, broadcast and reserved addresses stay blocked.
var fetchPrivateReasons = map[string]bool{
	ReasonLoopback: true, ReasonPrivate: true, ReasonLinkLocal: true, ReasonCGNAT: true,
}

// AllowedIP reports whether the fetcher may connect to ip, and if not, why
// (one of the Reason constants). IPv6 addresses that embed an IPv4 address
// (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, IPv4-translated,
// NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the embedded address, so
// [::ffff:127.0.0.1] is loopback. With allowPrivate, loopback, private,
// link-local and CGNAT addresses are allowed; cloud metadata endpoints
// (169.254.169.254, fd00:ec2::254, ...) never are. The zone of a scoped
// address is ignored.
func AllowedIP(ip netip.Addr, allowPrivate bool) (ok bool, reason string) {
	reason = fetchIPClass(ip.WithZone(""))
	if reason == "" || allowPrivate && fetchPrivateReasons[reason] {
		return true, ""
	}
	return false, reason
}

// fetchIPClass returns the address's block reason, or "" for a public one.
func fetchIPClass(ip netip.Addr) string {
	if !ip.IsValid() {
		return ReasonHost
	}
	if fetchMetadataAddrs[ip] {
		return ReasonMetadata
	}
	if ip.Is4In6() {
		return fetchIPClass(ip.Unmap())
	}
	if ip.Is4() {
		for _, r := range fetchV4Ranges {
			if r.p.Contains(ip) {
				return r.reason
			}
		}
		return ""
	}
	for _, r := range fetchV6Ranges {
		if r.p.Contains(ip) {
			return r.reason
		}
	}
	b := ip.As16()
	switch {
	case fetchV4Compat.Contains(ip), fetchV4Translated.Contains(ip), fetchNAT64.Contains(ip):
		return fetchIPClass(netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}))
	case fetch6to4.Contains(ip):
		return fetchIPClass(netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}))
	case !fetchGlobalV6.Contains(ip):
		return ReasonReserved
	}
	return ""
}

// fetchShortURL bounds a URL for error messages.
func fetchShortURL(s string) string { return fetchShortString(s, 200) }

func fetchShortString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
