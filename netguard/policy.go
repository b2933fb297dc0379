package netguard

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// metadataAddrs are cloud instance-metadata and host-agent endpoints.
// They hand out credentials, so they stay blocked whatever the Policy says.
var metadataAddrs = map[netip.Addr]bool{
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

// metadataHosts are names of metadata services, blocked before any
// lookup (they resolve to the addresses above where they resolve at all).
var metadataHosts = map[string]bool{
	"metadata":                   true,
	"metadata.google.internal":   true,
	"metadata.goog":              true,
	"instance-data":              true,
	"instance-data.ec2.internal": true,
	"metadata.tencentyun.com":    true,
}

type addrRange struct {
	p      netip.Prefix
	reason string
}

func ranges(reason string, cidrs ...string) []addrRange {
	r := make([]addrRange, len(cidrs))
	for i, c := range cidrs {
		r[i] = addrRange{netip.MustParsePrefix(c), reason}
	}
	return r
}

// IPv4 special-purpose ranges (RFC 6890 and successors), first match wins.
// Documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) are
// not listed: they are routed nowhere, so reaching one reaches nothing, and
// tests use them as stand-ins for public addresses.
var v4Ranges = concat(
	ranges(ReasonUnspecified, "0.0.0.0/8"), // Linux dials 0.0.0.0 as loopback
	ranges(ReasonLoopback, "127.0.0.0/8"),
	ranges(ReasonPrivate, "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"),
	ranges(ReasonCGNAT, "100.64.0.0/10"),
	ranges(ReasonLinkLocal, "169.254.0.0/16"),
	ranges(ReasonReserved, "192.0.0.0/24", "192.88.99.0/24", "198.18.0.0/15"),
	ranges(ReasonMulticast, "224.0.0.0/4"),
	ranges(ReasonBroadcast, "255.255.255.255/32"),
	ranges(ReasonReserved, "240.0.0.0/4"),
)

// IPv6 ranges that are judged as they are (those embedding IPv4 are judged
// by the address they embed, see embeddedV4). Anything outside 2000::/3 is
// reserved as well.
var v6Ranges = concat(
	ranges(ReasonUnspecified, "::/128"),
	ranges(ReasonLoopback, "::1/128"),
	ranges(ReasonPrivate, "64:ff9b:1::/48", "fc00::/7", "fec0::/10"),
	ranges(ReasonReserved, "100::/64", "2001::/32"), // discard-only; Teredo
	ranges(ReasonLinkLocal, "fe80::/10"),
	ranges(ReasonMulticast, "ff00::/8"),
)

func concat(rs ...[]addrRange) []addrRange {
	var out []addrRange
	for _, r := range rs {
		out = append(out, r...)
	}
	return out
}

var (
	v4Compat     = netip.MustParsePrefix("::/96")           // deprecated IPv4-compatible
	v4Translated = netip.MustParsePrefix("::ffff:0:0:0/96") // SIIT
	nat64        = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour    = netip.MustParsePrefix("2002::/16")
	globalV6     = netip.MustParsePrefix("2000::/3")
)

// privateReasons are the classes Policy.AllowPrivate admits. Metadata,
// unspecified, multicast, broadcast and reserved addresses stay blocked.
var privateReasons = map[string]bool{
	ReasonLoopback: true, ReasonPrivate: true, ReasonLinkLocal: true, ReasonCGNAT: true,
}

// AllowedIP reports whether the built-in table (with Policy.AllowPrivate
// as allowPrivate, and no Allow or Deny lists) lets Kiln connect to ip, and
// if not, why (one of the Reason constants). IPv6 addresses that embed an
// IPv4 address (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d,
// IPv4-translated, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the
// embedded address, so [::ffff:127.0.0.1] is loopback. With allowPrivate,
// loopback, private, link-local and CGNAT addresses are allowed; cloud
// metadata endpoints (169.254.169.254, fd00:ec2::254, ...) never are. The
// zone of a scoped address is ignored.
func AllowedIP(ip netip.Addr, allowPrivate bool) (ok bool, reason string) {
	return (&rules{allowPrivate: allowPrivate}).addr(ip, false)
}

// ipClass returns the address's block reason, or "" for a public one.
func ipClass(ip netip.Addr) string {
	if !ip.IsValid() {
		return ReasonHost
	}
	if metadataAddrs[ip] {
		return ReasonMetadata
	}
	if ip.Is4() {
		for _, r := range v4Ranges {
			if r.p.Contains(ip) {
				return r.reason
			}
		}
		return ""
	}
	for _, r := range v6Ranges {
		if r.p.Contains(ip) {
			return r.reason
		}
	}
	if v4, ok := embeddedV4(ip); ok {
		return ipClass(v4)
	}
	if !globalV6.Contains(ip) {
		return ReasonReserved
	}
	return ""
}

// embeddedV4 returns the IPv4 address an IPv6 address stands for: the one
// it maps (::ffff:a.b.c.d), carries (::a.b.c.d, ::ffff:0:a.b.c.d), or
// reaches through a NAT64 or 6to4 gateway.
func embeddedV4(ip netip.Addr) (netip.Addr, bool) {
	if ip.Is4In6() {
		return ip.Unmap(), true
	}
	if !ip.Is6() {
		return netip.Addr{}, false
	}
	b := ip.As16()
	switch {
	case v4Compat.Contains(ip), v4Translated.Contains(ip), nat64.Contains(ip):
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}), true
	case sixToFour.Contains(ip):
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]}), true
	}
	return netip.Addr{}, false
}

// Policy is the operator's say over the built-in table: what else Kiln may
// reach, and what it must not. The zero Policy admits public addresses
// only. One Policy serves every caller (the renderer's fetches, replay
// asset capture, webhook callbacks): cmd/kiln builds it from --net-allow
// and --net-deny.
//
// Entries of Allow and Deny are CIDRs ("10.1.0.0/16", "fd00:1::/64"),
// single addresses ("10.1.2.3"), host names ("intranet.example": that name
// only) or wildcard names ("*.intranet.example": every name below it, not
// the name itself). Names are matched in their canonical form (lower case,
// punycode, no trailing dot). An address matches a CIDR when it, or the
// IPv4 address it embeds (::ffff:10.1.2.3, NAT64, 6to4), lies inside.
//
// Deny always wins over Allow and over the table: a denied name is refused
// before it is resolved, and a name is refused if any address it resolves
// to is denied. Cloud metadata names and addresses (169.254.169.254,
// fd00:ec2::254, metadata.google.internal, ...) stay refused whatever Allow
// says, even when a listed CIDR (169.254.0.0/16) contains them: they hand
// out the machine's credentials.
//
// Allow is a hole in the wall, and everyone who can submit a snapshot, a
// recording or a callback URL can use it: an allowed CIDR exposes every
// service listening in it (admin panels, databases with HTTP interfaces,
// other tenants' machines) to GET requests whose responses end up in
// screenshots and bundles, and to callback POSTs. An allowed name admits
// whatever address it resolves to, except metadata and denied ones, so
// whoever controls its DNS controls where Kiln connects. Allow the
// narrowest ranges and names that serve the deployment, never a whole
// private range on a shared network.
type Policy struct {
	// AllowPrivate admits every loopback, private, link-local and CGNAT
	// address. Only for trusted on-premises deployments whose snapshots
	// reference intranet hosts, and for tests: it exposes every service on
	// the Kiln machine and its network. Prefer Allow with narrow entries.
	AllowPrivate bool
	// Allow lists hosts and CIDRs Kiln may reach in addition to public
	// addresses (see the type's comment for the risk).
	Allow []string
	// Deny lists hosts and CIDRs Kiln must never reach, public or not.
	Deny []string
}

// Validate reports every entry of Allow and Deny that is not a host name,
// wildcard name, address or CIDR.
func (p Policy) Validate() error {
	_, err := p.compile()
	return err
}

// rules is a compiled Policy.
type rules struct {
	allowPrivate          bool
	allowNets, denyNets   []netip.Prefix
	allowHosts, denyHosts hostList
}

// hostList matches canonical host names: exact ones, and the names below
// each suffix (".example.com" for "*.example.com").
type hostList struct {
	exact    map[string]bool
	suffixes []string
}

func (l hostList) match(host string) bool {
	if l.exact[host] {
		return true
	}
	for _, s := range l.suffixes {
		if strings.HasSuffix(host, s) {
			return true
		}
	}
	return false
}

func (p Policy) compile() (*rules, error) {
	r := &rules{allowPrivate: p.AllowPrivate}
	var errs []error
	for _, list := range []struct {
		name    string
		entries []string
		nets    *[]netip.Prefix
		hosts   *hostList
	}{
		{"allow", p.Allow, &r.allowNets, &r.allowHosts},
		{"deny", p.Deny, &r.denyNets, &r.denyHosts},
	} {
		for _, e := range list.entries {
			if err := addEntry(e, list.nets, list.hosts); err != nil {
				errs = append(errs, fmt.Errorf("%s: %q: %w", list.name, shortString(e, 64), err))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("network policy: %w", err)
	}
	return r, nil
}

// addEntry parses one Allow or Deny entry into nets or hosts.
func addEntry(e string, nets *[]netip.Prefix, hosts *hostList) error {
	e = strings.TrimSpace(e)
	if strings.Contains(e, "/") {
		pf, err := netip.ParsePrefix(e)
		if err != nil || pf.Addr().Zone() != "" {
			return errors.New("not a CIDR")
		}
		*nets = append(*nets, pf.Masked())
		return nil
	}
	if a, err := netip.ParseAddr(e); err == nil {
		if a.Zone() != "" {
			return errors.New("an address with a zone")
		}
		*nets = append(*nets, netip.PrefixFrom(a, a.BitLen()))
		return nil
	}
	name, wild := strings.CutPrefix(e, "*.")
	h, err := canonicalHost(name)
	if err != nil || strings.Contains(h, ":") {
		return errors.New("not a host name, address or CIDR")
	}
	if a, err := netip.ParseAddr(h); err == nil { // a WHATWG IPv4 form such as 0x7f.1
		if wild {
			return errors.New("a wildcard address")
		}
		*nets = append(*nets, netip.PrefixFrom(a, a.BitLen()))
		return nil
	}
	if wild {
		hosts.suffixes = append(hosts.suffixes, "."+h)
		return nil
	}
	if hosts.exact == nil {
		hosts.exact = map[string]bool{}
	}
	hosts.exact[h] = true
	return nil
}

// listed reports whether ip, or the IPv4 address it embeds, lies in nets.
func listed(nets []netip.Prefix, ip netip.Addr) bool {
	for _, p := range nets {
		if p.Contains(ip) {
			return true
		}
	}
	if v4, ok := embeddedV4(ip); ok {
		return listed(nets, v4)
	}
	return false
}

// loopbackV4 stands for the address of a localhost name.
var loopbackV4 = netip.AddrFrom4([4]byte{127, 0, 0, 1})

// host judges a canonical host name before it is resolved. approved means
// the name is on the Allow list, which admits the addresses it resolves to
// (see addr). Metadata names always fail, denied names fail, and localhost
// and its subdomains (which Chromium maps to loopback without asking DNS)
// are judged as the loopback address they stand for.
func (r *rules) host(host string) (approved bool, reason string) {
	switch {
	case metadataHosts[host]:
		return false, ReasonMetadata
	case r.denyHosts.match(host):
		return false, ReasonDenied
	case r.allowHosts.match(host):
		return true, ""
	case host == "localhost" || strings.HasSuffix(host, ".localhost"):
		if ok, reason := r.addr(loopbackV4, false); !ok {
			return false, reason
		}
	}
	return false, ""
}

// addr judges one address; approved means it is an address of a name on
// the Allow list. Metadata addresses always fail, then denied ones; public
// addresses pass, and so do those AllowPrivate or Allow admit.
func (r *rules) addr(ip netip.Addr, approved bool) (ok bool, reason string) {
	ip = ip.WithZone("")
	class := ipClass(ip)
	switch {
	case !ip.IsValid():
		return false, ReasonHost
	case class == ReasonMetadata:
		return false, class
	case listed(r.denyNets, ip):
		return false, ReasonDenied
	case class == "", approved, r.allowPrivate && privateReasons[class], listed(r.allowNets, ip):
		return true, ""
	}
	return false, class
}
