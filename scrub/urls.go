package scrub

import (
	"net/url"
	"regexp"
	"strings"
)

// reForm recognizes a whole string as an a=b&c=d body: names of URL
// characters, values without '&' or white space. Anchored, so a string that
// is not a form is rejected at its first stray character.
var reForm = regexp.MustCompile(`^[A-Za-z0-9_.~%+\-\[\]]+=[^&\s]*(?:&[A-Za-z0-9_.~%+\-\[\]]*(?:=[^&\s]*)?)*$`)

// isRelURL recognizes a relative URL with a query or fragment
// ("/api/config/KEY?lang=en"): absolute URLs are found inside any text.
func isRelURL(s string) bool {
	if len(s) < 2 || s[0] != '/' || !strings.ContainsAny(s, "?#") {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool { return r <= ' ' }) < 0
}

func isSchemeChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '+' || c == '.' || c == '-'
}

// isURLChar is a byte that may continue a URL found in text: not white
// space, quotes, angle brackets or ')' (the end of CSS url(...)).
func isURLChar(c byte) bool {
	return c > ' ' && !strings.ContainsRune("\"'<>`{}|\\^)", rune(c))
}

// urls applies urlNames to every absolute URL (scheme://...) inside s.
func (p *pass) urls(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	var b strings.Builder
	last, from := 0, 0
	for {
		k := strings.Index(s[from:], "://")
		if k < 0 {
			break
		}
		k += from
		a := k
		for a > 0 && k-a < 32 && isSchemeChar(s[a-1]) {
			a--
		}
		for a < k && !isUpper(s[a]) && (s[a] < 'a' || s[a] > 'z') {
			a++
		}
		z := k + 3
		for z < len(s) && isURLChar(s[z]) {
			z++
		}
		from = z
		if a == k || a < last {
			continue
		}
		u := s[a:z]
		if nu := p.urlNames(u); nu != u {
			b.WriteString(s[last:a])
			b.WriteString(nu)
			last = z
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// urlNames scrubs one URL by its syntax: the userinfo of scheme://user@host
// (user-only too: a token is often the user name), secret-named query
// parameters, and secret-named fragment parameters (OAuth's
// #access_token=...). The path is left to the value rules and to the known
// secrets, which find an SDK key in /api/config/<key>/....
func (p *pass) urlNames(u string) string {
	base, frag, hasFrag := strings.Cut(u, "#")
	base, query, hasQuery := strings.Cut(base, "?")
	if k := strings.Index(base, "://"); k >= 0 && p.s.on(RuleUserinfo) {
		auth := k + 3
		end := len(base)
		if i := strings.IndexByte(base[auth:], '/'); i >= 0 {
			end = auth + i
		}
		if at := strings.LastIndexByte(base[auth:end], '@'); at > 0 {
			ui := base[auth : auth+at]
			if p.learn {
				user, pass, ok := strings.Cut(ui, ":")
				if !ok {
					pass = user
				}
				p.add(pass)
				p.add(unescape(pass))
			} else {
				base = base[:auth] + RuleUserinfo.Marker() + base[auth+at:]
				p.rep.add(RuleUserinfo, 1)
			}
		}
	}
	if hasQuery {
		query = p.params(query, RuleQuery)
	}
	if hasFrag && strings.Contains(frag, "=") {
		frag = p.params(frag, RuleQuery)
	}
	if p.learn {
		return u
	}
	out := base
	if hasQuery {
		out += "?" + query
	}
	if hasFrag {
		out += "#" + frag
	}
	return out
}

// params scrubs the values of secret-named parameters of an a=b&c=d list
// (a query, a fragment or a form body) with rule's marker.
func (p *pass) params(s string, rule Rule) string {
	if !p.s.on(rule) || !strings.Contains(s, "=") {
		return s
	}
	var b strings.Builder
	changed := false
	for i, part := range strings.Split(s, "&") {
		if i > 0 {
			b.WriteByte('&')
		}
		name, val, ok := strings.Cut(part, "=")
		n := strings.TrimPrefix(unescape(name), "amp;") // &amp; in HTML text
		if !ok || val == "" || isMarker(val) || !p.s.names.secret(n) {
			b.WriteString(part)
			continue
		}
		if p.learn {
			p.learnSecret(val, n)
			p.learnSecret(unescape(val), n)
			continue
		}
		b.WriteString(name)
		b.WriteByte('=')
		b.WriteString(rule.Marker())
		p.rep.add(rule, 1)
		changed = true
	}
	if !changed {
		return s
	}
	return b.String()
}

// unescape decodes a query component, or returns it as it is when it is
// not valid percent-encoding.
func unescape(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// isMarker reports whether s is one marker, which no rule scrubs again.
func isMarker(s string) bool {
	return strings.HasPrefix(s, "[scrubbed:") && strings.IndexByte(s, ']') == len(s)-1
}
