package snapshot

import (
	"net/url"
	"strings"
)

// ClimbedURL returns the URL the page loaded for u when u is what rrweb
// made of a "../" that climbed past the root of base's origin. rrweb
// resolves url() in style text itself (absoluteToStylesheet) and lets
// "../" pop the host too: url(../img/a.jpg) in a page at /index.html is
// recorded as http://img/a.jpg, url(../../a.jpg) as http:/a.jpg, where
// the browser stops at the root and loads http://host/img/a.jpg. The
// result is base's origin followed by u's host (the first path segment)
// and path; "" when u has a port or credentials, another scheme, or
// base's host.
func ClimbedURL(u, base *url.URL) string {
	if u.User != nil || u.Port() != "" || u.Host == base.Host || u.Scheme != base.Scheme {
		return ""
	}
	c := *base
	c.User, c.Fragment, c.RawFragment = nil, "", ""
	c.Path, c.RawPath = "/"+u.Host+u.Path, ""
	if u.Host == "" {
		c.Path = u.Path
	}
	if !strings.HasPrefix(c.Path, "/") {
		return ""
	}
	c.RawQuery, c.ForceQuery = u.RawQuery, u.ForceQuery
	return c.String()
}
