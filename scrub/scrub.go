package scrub

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A Scrubber removes secrets from feedback items. It is immutable once
// built and safe for concurrent use.
type Scrubber struct {
	cfg   Config
	off   map[Rule]bool
	names *names
	extra []*regexp.Regexp
}

// New builds a Scrubber, compiling every pattern once. It returns
// Config.Validate's error for an invalid configuration.
func New(c Config) (*Scrubber, error) {
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("scrub: %w", err)
	}
	c = c.withDefaults()
	n, err := newNames(c.ExtraNames, c.AllowNames)
	if err != nil {
		return nil, fmt.Errorf("scrub: extra names: %w", err)
	}
	s := &Scrubber{cfg: c, off: map[Rule]bool{}, names: n}
	for _, r := range c.Disable {
		s.off[r] = true
	}
	for _, p := range c.ExtraValues {
		s.extra = append(s.extra, regexp.MustCompile(p)) // checked by Validate
	}
	return s, nil
}

func (s *Scrubber) on(r Rule) bool { return !s.off[r] }

// Item returns a scrubbed copy of a decoded JSON value (what encoding/json
// decodes into an any: map[string]any, []any, string, float64 or
// json.Number, bool, nil) and what was removed. v is not modified. Other
// Go values (structs, typed maps and slices) are converted through
// encoding/json first. See the package documentation for the rules and the
// two passes.
func (s *Scrubber) Item(v any) (any, Report) {
	k := s.Learn(v)
	out := k.Item(v)
	return out, k.Report()
}

// Learn runs the first pass over the parts of one item and returns their
// known secrets, to scrub those parts (and others of the same item that
// are decoded later, such as replay events) with Known's methods.
func (s *Scrubber) Learn(parts ...any) *Known {
	p := &pass{s: s, learn: true, secrets: map[string]bool{}}
	for _, v := range parts {
		p.value(v, 0, false)
	}
	return &Known{p: &pass{s: s, known: p.replacer(), count: len(p.secrets)}}
}

// Known holds the known secrets of one item and the Report of what its
// methods removed. It is not safe for concurrent use.
type Known struct{ p *pass }

// Item returns a scrubbed copy of v, as Scrubber.Item does, with the
// secrets Learn found.
func (k *Known) Item(v any) any { return k.p.value(v, 0, false) }

// Text scrubs free text with the value rules and the known secrets.
func (k *Known) Text(t string) string { return k.p.text(t) }

// Report counts what this Known's methods have removed so far.
func (k *Known) Report() Report { return k.p.rep }

// Len is the number of known secrets (spellings included: a secret and its
// URL-escaped form count twice).
func (k *Known) Len() int { return k.p.count }

// Headers returns a scrubbed copy of h: secret names' values are replaced
// by RuleHeader's marker, the others scrubbed as text, both with the
// secrets learned from h itself (a token in Authorization is also removed
// from Referer).
func (s *Scrubber) Headers(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	learn := &pass{s: s, learn: true, secrets: map[string]bool{}}
	learn.headers(h)
	return (&pass{s: s, known: learn.replacer()}).headers(h)
}

func (p *pass) headers(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for name, vals := range h {
		secret := p.s.on(RuleHeader) && p.s.names.secret(name)
		nv := make([]string, len(vals))
		for i, v := range vals {
			switch {
			case secret && p.learn:
				p.learnSecret(v, name)
			case secret:
				nv[i] = RuleHeader.Marker()
				p.rep.add(RuleHeader, 1)
			default:
				nv[i] = p.text(v)
			}
		}
		out[name] = nv
	}
	return out
}

// URL scrubs one URL (or a text with URLs in it): userinfo, secret-named
// query and fragment parameters, then the value rules, with the secrets
// learned from the URL itself.
func (s *Scrubber) URL(u string) string { return s.oneString(u, (*pass).str) }

// Text scrubs free text with the value rules only: no name rules apply to
// words, so a CSS selector such as input[type=password] or .password-field
// survives, while a card number, an IBAN, a PEM key, a JWT, a bearer token
// or a URL's userinfo and secret-named query parameters do not.
func (s *Scrubber) Text(t string) string {
	return s.oneString(t, func(p *pass, t string, _ int) string { return p.text(t) })
}

// Body scrubs a request or response body by its content type: JSON
// (application/json, text/json, +json) by object key, form bodies
// (application/x-www-form-urlencoded) by field name, and anything else as
// text. With no content type the body is sniffed as Item does with
// strings. A body that does not parse as its type, or is longer than
// Config.MaxParse, is scrubbed as text.
func (s *Scrubber) Body(contentType, body string) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "":
		return s.oneString(body, (*pass).str)
	case mt == "application/json" || mt == "text/json" || strings.HasSuffix(mt, "+json"):
		return s.oneString(body, func(p *pass, b string, depth int) string {
			if len(b) <= p.s.cfg.MaxParse {
				if out, ok := p.jsonBody(b, depth); ok {
					return p.replaceKnown(out)
				}
			}
			return p.text(b)
		})
	case mt == "application/x-www-form-urlencoded":
		return s.oneString(body, func(p *pass, b string, _ int) string {
			if len(b) <= p.s.cfg.MaxParse {
				return p.form(b)
			}
			return p.text(b)
		})
	}
	return s.Text(body)
}

// oneString runs both passes of f over one string.
func (s *Scrubber) oneString(t string, f func(p *pass, t string, depth int) string) string {
	learn := &pass{s: s, learn: true, secrets: map[string]bool{}}
	f(learn, t, 0)
	return f(&pass{s: s, known: learn.replacer()}, t, 0)
}

// pass is one walk over an item. The first (learn) walk only records the
// values that name rules remove; the second replaces them, and every other
// secret, by markers and counts what it removed.
type pass struct {
	s       *Scrubber
	learn   bool
	secrets map[string]bool   // learn: what name rules removed
	known   *strings.Replacer // second pass: secrets to markers; nil if none
	count   int               // number of known secrets
	rep     Report
}

// learnDepthLimit bounds the first pass's recursion: it looks below
// MaxDepth (a secret there must still be known elsewhere), but a Go value
// can contain itself. encoding/json refuses deeper input anyway.
const learnDepthLimit = 10000

// value scrubs v found at nesting depth; hdr says that v's keys (or the
// names of its {name, value} pairs) are header names.
func (p *pass) value(v any, depth int, hdr bool) any {
	switch t := v.(type) {
	case nil, bool:
		return v
	case string:
		return p.str(t, depth)
	case float64:
		if t != math.Trunc(t) || math.Abs(t) < 1e11 || math.Abs(t) >= 1e20 {
			return v
		}
		return p.number(v, strconv.FormatFloat(t, 'f', -1, 64))
	case json.Number:
		return p.number(v, t.String())
	case map[string]any:
		return p.object(t, depth+1, hdr)
	case []any:
		if p.tooDeep(depth + 1) {
			return p.deep()
		}
		if p.learn {
			for _, e := range t {
				p.value(e, depth+1, hdr)
			}
			return v
		}
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = p.value(e, depth+1, hdr)
		}
		return out
	}
	return p.value(toJSON(v), depth, hdr)
}

// toJSON converts a Go value to what encoding/json decodes; a value that
// does not marshal becomes nil (it could not be stored as JSON either).
func toJSON(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var out any
	if d.Decode(&out) != nil {
		return nil
	}
	return out
}

func (p *pass) tooDeep(depth int) bool {
	if p.learn {
		return depth > learnDepthLimit
	}
	return depth > p.s.cfg.MaxDepth
}

func (p *pass) deep() any {
	p.rep.add(RuleDepth, 1)
	return RuleDepth.Marker()
}

// number applies the card rule to an integer (a card number sent as a JSON
// number); digits is its decimal form.
func (p *pass) number(v any, digits string) any {
	if p.learn || !p.s.on(RuleCard) {
		return v
	}
	if sp := cards(digits); len(sp) == 1 && sp[0] == (span{0, len(digits)}) {
		p.rep.add(RuleCard, 1)
		return RuleCard.Marker()
	}
	return v
}

func (p *pass) nameRule(hdr bool) Rule {
	if hdr {
		return RuleHeader
	}
	return RuleKey
}

func (p *pass) object(m map[string]any, depth int, hdr bool) any {
	if p.tooDeep(depth) {
		return p.deep()
	}
	rule := p.nameRule(hdr)
	on := p.s.on(rule)
	// A {name, value} (or {key, value}) pair: a HAR header, a form field.
	pair := ""
	if _, ok := m["value"]; ok && on {
		for _, k := range []string{"name", "key"} {
			if n, ok := m[k].(string); ok && p.s.names.secret(n) {
				pair = n
			}
		}
	}
	return p.mapWith(m, func(k string, v any) any {
		switch {
		case on && p.s.names.secret(k):
			return p.secret(v, depth, rule, k)
		case pair != "" && k == "value":
			return p.secret(v, depth, rule, pair)
		}
		return p.value(v, depth, isHeaders(k))
	})
}

// mapWith returns a copy of m with f applied to each value and the text
// rules to each key (a key may be a URL, or hold a known secret). A key
// that a rule changed is added after the others, in sorted order, and
// never overwrites another key (see freeKey), so the result is the same
// whatever the map's order.
func (p *pass) mapWith(m map[string]any, f func(k string, v any) any) any {
	type renamed struct {
		from, to string
		v        any
	}
	var (
		out   map[string]any
		moved []renamed
	)
	if !p.learn {
		out = make(map[string]any, len(m))
	}
	for k, v := range m {
		nv := f(k, v)
		nk := p.text(k)
		switch {
		case p.learn: // the first pass builds nothing
		case nk != k:
			moved = append(moved, renamed{k, nk, nv})
		default:
			out[k] = nv
		}
	}
	if p.learn {
		return m
	}
	slices.SortFunc(moved, func(a, b renamed) int { return strings.Compare(a.from, b.from) })
	for _, r := range moved {
		out[freeKey(r.to, out, m)] = r.v
	}
	return out
}

// freeKey returns k, or k with a "#n" suffix, so that a key changed by a
// value rule does not overwrite another key.
func freeKey(k string, out, in map[string]any) string {
	try := k
	for i := 2; ; i++ {
		_, taken := out[try]
		_, orig := in[try]
		if !taken && !orig {
			return try
		}
		try = k + "#" + strconv.Itoa(i)
	}
}

// secret replaces every string and number in v, a value under the secret
// name, by rule's marker; containers keep their shape, booleans and nulls
// stay (a flag says too little to hide).
func (p *pass) secret(v any, depth int, rule Rule, name string) any {
	switch t := v.(type) {
	case nil, bool:
		return v
	case string:
		if p.learn {
			p.learnSecret(t, name)
			return v
		}
	case float64:
		if p.learn {
			p.add(strconv.FormatFloat(t, 'f', -1, 64))
			return v
		}
	case json.Number:
		if p.learn {
			p.add(t.String())
			return v
		}
	case map[string]any:
		if p.tooDeep(depth + 1) {
			return p.deep()
		}
		return p.mapWith(t, func(_ string, e any) any { return p.secret(e, depth+1, rule, name) })
	case []any:
		if p.tooDeep(depth + 1) {
			return p.deep()
		}
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = p.secret(e, depth+1, rule, name)
		}
		return out
	default:
		return p.secret(toJSON(v), depth, rule, name)
	}
	p.rep.add(rule, 1)
	return rule.Marker()
}

// str scrubs a string found at depth: a JSON body by key, a form body by
// field, a relative URL by its parameters, anything else as text.
func (p *pass) str(s string, depth int) string {
	if len(s) <= p.s.cfg.MaxParse {
		if out, ok := p.jsonBody(s, depth); ok {
			return p.replaceKnown(out)
		}
		if reForm.MatchString(s) {
			return p.form(s)
		}
		if isRelURL(s) {
			return p.scrubWith(s, p.urlNames)
		}
	}
	return p.text(s)
}

// text scrubs free text: value rules, and URL syntax for the URLs in it.
func (p *pass) text(s string) string { return p.scrubWith(s, p.urls) }

// form scrubs an a=b&c=d body by field name, then by value.
func (p *pass) form(s string) string {
	return p.scrubWith(s, func(seg string) string { return p.params(seg, RuleForm) })
}

// scrubWith is the string pipeline: PEM blocks, then outside base64
// payloads the syntax step (names) and the value rules, then the known
// secrets. Known secrets come last so that a value keeps the marker of the
// rule that found it ("Bearer [scrubbed:bearer]" where the token was seen)
// and only its copies elsewhere say known-secret.
func (p *pass) scrubWith(s string, names func(string) string) string {
	s = p.pem(s)
	s = outsideData(s, func(seg string) string { return p.values(names(seg)) })
	return p.replaceKnown(s)
}

// jsonBody parses s as a JSON object or array and scrubs it as part of the
// item. The result is re-encoded (compact, keys sorted) only when something
// was removed; otherwise s is returned as it was.
func (p *pass) jsonBody(s string, depth int) (string, bool) {
	t := strings.TrimSpace(s)
	if len(t) < 2 || !(t[0] == '{' && t[len(t)-1] == '}' || t[0] == '[' && t[len(t)-1] == ']') {
		return "", false
	}
	d := json.NewDecoder(strings.NewReader(t))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil || d.InputOffset() != int64(len(t)) {
		return "", false // not JSON, or JSON followed by more text
	}
	before := p.rep.Total()
	out := p.value(v, depth, false)
	if p.learn || p.rep.Total() == before {
		return s, true
	}
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if e.Encode(out) != nil {
		return s, true // cannot happen: out holds only JSON values
	}
	return strings.TrimSuffix(b.String(), "\n"), true
}

// learnSecret records a value a name rule removes, and the parts of it that
// may appear alone elsewhere: a cookie's values, the token after an auth
// scheme ("Bearer x", "Basic x"), the fields of a value with spaces.
func (p *pass) learnSecret(v, name string) {
	p.add(v)
	switch strings.ToLower(name) {
	case "cookie":
		for c := range strings.SplitSeq(v, ";") {
			_, val, _ := strings.Cut(c, "=")
			p.add(val)
		}
		return
	case "set-cookie": // only the first pair; the rest are attributes (HttpOnly, Path=/)
		first, _, _ := strings.Cut(v, ";")
		_, val, _ := strings.Cut(first, "=")
		p.add(val)
		return
	}
	if f := strings.Fields(v); len(f) > 1 {
		for _, x := range f {
			p.add(x)
		}
	}
}

// inMarker reports whether v is part of a marker (a value "scrubbed:key"):
// such a secret would rewrite the markers themselves.
func inMarker(v string) bool {
	for _, r := range Rules() {
		if strings.Contains(r.Marker(), v) {
			return true
		}
	}
	return false
}

// add records a known secret if it looks like one: at least MinSecret
// bytes, and a digit, a symbol or 16 bytes at least, so that a plain word
// under a secret-looking key ("authMethod": "password") is not erased from
// the whole item (and from every CSS selector that names it). Its
// URL-escaped spellings are recorded too.
func (p *pass) add(v string) {
	v = strings.Trim(v, " \t\r\n\"'")
	if !p.learn || !secretShaped(v, p.s.cfg.MinSecret) || inMarker(v) {
		return
	}
	p.secrets[v] = true
	p.secrets[url.QueryEscape(v)] = true
	p.secrets[url.PathEscape(v)] = true
}

func secretShaped(v string, minLen int) bool {
	if len(v) < minLen {
		return false
	}
	if len(v) >= 16 {
		return true
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == ' ') {
			return true
		}
	}
	return false
}

// replacer builds the second pass's replacer, longest secrets first so that
// a secret containing another is removed whole.
func (p *pass) replacer() *strings.Replacer {
	if len(p.secrets) == 0 || !p.s.on(RuleKnown) {
		return nil
	}
	keys := make([]string, 0, len(p.secrets))
	for k := range p.secrets {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b))
	})
	args := make([]string, 0, 2*len(keys))
	for _, k := range keys {
		args = append(args, k, RuleKnown.Marker())
	}
	return strings.NewReplacer(args...)
}

// maxKnownRounds bounds replaceKnown's rounds. One round removes every
// secret in s; a second is needed only when a marker and the text beside it
// spell another secret (one that starts with "]"), more only for contrived
// chains of such secrets.
const maxKnownRounds = 4

// replaceKnown replaces the known secrets in s and counts them.
func (p *pass) replaceKnown(s string) string {
	if p.known == nil || s == "" {
		return s
	}
	m := RuleKnown.Marker()
	for range maxKnownRounds {
		out := p.known.Replace(s)
		if out == s {
			break
		}
		p.rep.add(RuleKnown, max(1, strings.Count(out, m)-strings.Count(s, m)))
		s = out
	}
	return s
}
