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
//     Deny lists seen through a caller.
package netguardtest
