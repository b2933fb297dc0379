// Package netguard is Kiln's one network policy: which URLs and addresses
// Kiln may reach on behalf of its inputs, and the only way it reaches them.
//
// Every URL Kiln fetches or calls comes from whoever submitted the work: a
// snapshot names stylesheets, images and fonts, a recording names assets, a
// job names a webhook. netguard treats each one as an attempt to reach the
// machine's own network (SSRF). Chromium never fetches anything itself (it
// has no route out); the renderer, replay asset capture and webhook
// callbacks all go through this package.
//
// # The policy
//
// The policy has two halves, both decided here and nowhere else:
//
//   - CheckURL is syntactic: only http and https, no credentials, allowed
//     ports, and a host read the way Chromium reads it (2130706433, 0x7f.1
//     and [::ffff:127.0.0.1] are all 127.0.0.1).
//   - AllowedIP is semantic: one table of special-purpose ranges decides
//     whether a resolved address may be dialed. Loopback, private,
//     link-local, CGNAT, unspecified, multicast, reserved and cloud
//     metadata addresses are refused; IPv6 forms that embed an IPv4
//     address (::ffff:a.b.c.d, ::a.b.c.d, NAT64, 6to4) are judged by the
//     address they embed.
//
// The operator adjusts the table with one Policy, shared by every caller:
// Allow admits more hosts and CIDRs (a risk, see Policy), Deny refuses more,
// and always wins. Cloud metadata names and addresses stay refused
// whatever the Policy says.
//
// # Connecting
//
// A Dialer is the only way out: it resolves a name itself, judges every
// address, and dials exactly the checked ones. A Client (NewClient) is an
// http.Client for calls such as webhooks: every request URL, redirects
// included, passes CheckURL, and every connection goes through a Dialer.
//
// # Fetching
//
// A Fetcher GETs resources for pages and recordings, and applies both
// halves to every request:
//
//   - The host is resolved once per connection, every address it resolves
//     to is judged by the policy, and the connection is dialed to exactly
//     those checked addresses: the dial never resolves again, which defeats
//     DNS rebinding between check and connect. If ANY address of a name is
//     disallowed the whole name is refused: a name that mixes public and
//     private addresses is an attack or a misconfiguration, and dialing
//     only its public half would still let an attacker probe which of the
//     two answered.
//   - Redirects are followed by hand, at most MaxRedirects, and every hop is
//     checked again (scheme, port, host, addresses).
//   - Limits: one Timeout for the whole fetch (queueing, redirects, body);
//     MaxBytes per body, counted after decoding so that a gzip bomb stops at
//     MaxBytes+1 decoded bytes; PerHostConcurrency and MaxConcurrency.
//   - No proxy from the environment, no cookies, TLS verified, only a short
//     allowlist of request headers forwarded (Accept, Accept-Language,
//     Origin, Range, If-Range), and Set-Cookie and hop-by-hop headers
//     dropped from the response.
//
// # Errors
//
// Errors wrap ErrBlocked (the policy refused), ErrTooLarge or ErrFetchFailed
// (network, DNS, TLS, timeouts, too many redirects); BlockReason gives a
// short reason (one of the Reason constants) for metrics and render
// reports. A response with an HTTP error status is not an error: it is
// returned as it is, for the page to see.
//
// Tests of callers use netguardtest: a test network that maps
// public-looking names to local servers, a canary server that counts
// connections, and the table of hostile URL spellings every caller must
// refuse.
package netguard
