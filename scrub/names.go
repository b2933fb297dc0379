package scrub

import (
	"regexp"
	"strings"
)

// secretHeaders are header names whose value is always removed, compared
// case-insensitively. The list is PostHog's network-capture denylist
// (DESIGN.md §8) plus api-token and Gleap's identity headers gleap-id and
// gleap-hash; most of them also match namePattern, cookie, set-cookie, the
// forwarded addresses and Gleap's headers do not. The names count wherever
// they appear as names (a JSON key "cookie" is a cookie too).
var secretHeaders = []string{
	"authorization", "proxy-authorization", "cookie", "set-cookie",
	"x-api-key", "api-token", "x-csrf-token", "x-xsrf-token", "x-csrftoken",
	"gleap-id", "gleap-hash",
	"x-forwarded-for", "x-real-ip", "remote-addr", "forwarded",
}

// namePattern is the secret-name rule for header names, JSON keys, form
// fields and query parameters. It contains Sentry Relay's password rule
// (password, secret, passwd, api_key, apikey, auth, credentials, mysql_pwd,
// privatekey, private_key, token) and adds session and the cookie names
// Sentry lists (sessid, csrf, xsrf) and signature (X-Amz-Signature).
// Like Sentry's it matches anywhere in the name, so it also takes "author"
// and "tokens"; a known false positive is cheaper than a leak, and
// Config.AllowNames exempts exact names.
const namePattern = `(?i)(password|passwd|pwd|secret|token|api[_-]?key|auth|credential|session|sessid|csrf|xsrf|private[_-]?key|signature)`

// names decides whether a name marks its value as secret.
type names struct {
	re      *regexp.Regexp
	headers map[string]bool
	allow   map[string]bool
}

func newNames(extra, allow []string) (*names, error) {
	expr := namePattern
	for _, p := range extra {
		expr += `|(?i:` + p + `)`
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, err
	}
	n := &names{re: re, headers: map[string]bool{}, allow: map[string]bool{}}
	for _, h := range secretHeaders {
		n.headers[h] = true
	}
	for _, a := range allow {
		n.allow[strings.ToLower(a)] = true
	}
	return n, nil
}

// secret reports whether a value under this name is a secret.
func (n *names) secret(name string) bool {
	if name == "" {
		return false
	}
	lower := strings.ToLower(name)
	if n.allow[lower] {
		return false
	}
	return n.headers[lower] || n.re.MatchString(name)
}

// isHeaders reports whether an object key holds a header map, so that its
// keys are header names: Gleap's request.headers, HAR's headers lists, and
// the requestHeaders/responseHeaders spellings other SDKs use.
func isHeaders(key string) bool {
	switch strings.ToLower(key) {
	case "headers", "requestheaders", "responseheaders", "request_headers", "response_headers":
		return true
	}
	return false
}
