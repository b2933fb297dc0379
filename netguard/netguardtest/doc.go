// Package netguardtest helps test code that reaches the network through
// netguard, the way storagetest does for stores:
//
//   - Net, a test network that maps public-looking host names to local
//     servers, so that a test reaches its own servers through URLs the
//     policy treats as public;
//   - Canary, a loopback server that counts the connections it receives,
//     and Tripwire, a Config whose resolver and dialer fail the test when
//     used;
//   - RunSpellings, the table of hostile ways to name a target that every
//     caller (CheckURL, the Fetcher, the Client, webhook callbacks) must
//     refuse with the same reason, and RunPolicy, the operator's Allow and
//     Deny lists seen through a caller;
//   - the standing SSRF and script suite: Ground, a hostile network (a
//     canary, a host that redirects to forbidden targets, a host whose DNS
//     answer turns to loopback after the check) whose dialer lets a leak
//     reach the canary; PageVectors, every way a document can make a
//     browser load something or run a script, aimed at a Ground, with Page
//     and RRWebNode/RRWebEvents to feed them as HTML or rrweb; URLVectors
//     and RunURLVectors for callers handed a bare URL. The renderer runs
//     the page vectors through each of its input formats, replay through a
//     recording's asset capture, queue and netguard run the URLs.
package netguardtest
