package scrub

import (
	"encoding/base64"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
)

// The value rules' patterns, compiled once. Each is RE2 (linear in the
// input); the ones with a literal start (PEM, JWT) skip ahead with a
// substring search. Boundaries are checked in Go rather than with \b so
// that the literal starts stay literal.
var (
	// A PEM private key: RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP ("PRIVATE KEY
	// BLOCK"). With no END line (a truncated log) the base64 body that
	// follows is taken, escaped newlines ("\n" in JSON text) included.
	rePEM = regexp.MustCompile(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\s\\:,.\-]*)`)
	// A JWT (or JWE): a base64url JSON header ("ey" is how "{" followed by
	// '"' or ' ' encodes) and two to four more dot-separated parts; the
	// header is decoded and must name an "alg".
	reJWT = regexp.MustCompile(`ey[A-Za-z0-9_-]{6,}(?:\.[A-Za-z0-9_-]*){2,4}`)
	// "Bearer <token>": the token (RFC 6750's b64token) is removed, the word
	// kept. Eight characters at least, so "bearer of bad news" survives.
	reBearer = regexp.MustCompile(`(?i)\bbearer\s+([A-Za-z0-9\-._~+/]{8,}=*)`)
	// "//user:pass@" without a scheme (Sentry's rule); URLs with a scheme
	// are handled, user-only userinfo included, by urlNames.
	reUserinfo = regexp.MustCompile(`//([^/\s:@\[\]"'<>]+:[^/\s@\[\]"'<>]*)@`)
)

// Keys in the formats providers publish so that scanners can find them.
// tokenPrefixes are their literal starts: tokens finds the prefixes with a
// substring search and only then runs reTokenAt, anchored, on a window of
// maxToken bytes (an alternation without a literal start would make the
// regexp engine step through every byte of every string).
var (
	reTokenAt = regexp.MustCompile(`^(?:` +
		`(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}` + // AWS access key id
		`|gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}` + // GitHub
		`|glpat-[A-Za-z0-9_-]{20,}` + // GitLab
		`|xox[abposr]-[A-Za-z0-9-]{10,}` + // Slack
		`|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}` + // Stripe secret and restricted keys
		`|AIza[A-Za-z0-9_-]{35}` + // Google API key
		`|sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}` + // OpenAI, Anthropic
		`|npm_[A-Za-z0-9]{36}|hf_[A-Za-z0-9]{34,}` + // npm, Hugging Face
		`|SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}` + // SendGrid
		`)`)
	tokenPrefixes = []string{"A3T", "AKIA", "ASIA", "ABIA", "ACCA", "gh", "github_pat_", "glpat-", "xox", "sk_", "rk_", "AIza", "sk-", "npm_", "hf_", "SG."}
)

// maxToken bounds a provider token match; real ones are under 300 bytes.
const maxToken = 1024

// tokens finds provider keys that do not continue a word.
func tokens(s string) []span {
	var out []span
	for _, pre := range tokenPrefixes {
		for from := 0; ; {
			k := strings.Index(s[from:], pre)
			if k < 0 {
				break
			}
			k += from
			from = k + 1
			if k > 0 && isWord(s[k-1]) {
				continue
			}
			if m := reTokenAt.FindStringIndex(s[k:min(len(s), k+maxToken)]); m != nil {
				out = append(out, span{k, k + m[1]})
				from = k + m[1]
			}
		}
	}
	if len(out) < 2 {
		return out
	}
	slices.SortFunc(out, func(a, b span) int { return a.a - b.a })
	kept := out[:1]
	for _, sp := range out[1:] {
		if sp.a >= kept[len(kept)-1].z {
			kept = append(kept, sp)
		}
	}
	return kept
}

// A span is a half-open byte range [a, z) of a string.
type span struct{ a, z int }

// cut replaces the spans (sorted, not overlapping) of s by rule's marker and
// counts them.
func (p *pass) cut(s string, spans []span, rule Rule) string {
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp.a])
		b.WriteString(rule.Marker())
		last = sp.z
	}
	b.WriteString(s[last:])
	p.rep.add(rule, len(spans))
	return b.String()
}

// matches returns the spans of re's group g in s that keep accepts (nil
// keep accepts all).
func matches(s string, re *regexp.Regexp, g int, keep func(s string, a, z int) bool) []span {
	var out []span
	for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
		a, z := m[2*g], m[2*g+1]
		if a < 0 || (keep != nil && !keep(s, m[0], m[1])) {
			continue
		}
		out = append(out, span{a, z})
	}
	return out
}

// values applies the value rules to a piece of text that is neither a
// base64 payload nor already a marker. In the first pass it only learns
// bearer tokens and userinfo passwords.
func (p *pass) values(s string) string {
	on := p.s.on
	if on(RuleUserinfo) && strings.Contains(s, "//") && strings.Contains(s, "@") {
		sp := matches(s, reUserinfo, 1, nil)
		if p.learn {
			for _, x := range sp {
				_, pass, _ := strings.Cut(s[x.a:x.z], ":")
				p.add(pass)
			}
		} else {
			s = p.cut(s, sp, RuleUserinfo)
		}
	}
	if on(RuleBearer) && (strings.Contains(s, "earer") || strings.Contains(s, "EARER")) {
		sp := matches(s, reBearer, 1, nil)
		if p.learn {
			for _, x := range sp {
				p.add(s[x.a:x.z])
			}
		} else {
			s = p.cut(s, sp, RuleBearer)
		}
	}
	if p.learn {
		return s
	}
	if on(RuleJWT) && strings.Contains(s, "ey") {
		s = p.cut(s, matches(s, reJWT, 0, isJWT), RuleJWT)
	}
	if on(RuleToken) {
		s = p.cut(s, tokens(s), RuleToken)
	}
	if on(RuleCard) {
		s = p.cut(s, cards(s), RuleCard)
	}
	if on(RuleIBAN) {
		s = p.cut(s, ibans(s), RuleIBAN)
	}
	if on(RuleCustom) {
		for _, re := range p.s.extra {
			s = p.cut(s, matches(s, re, 0, nil), RuleCustom)
		}
	}
	return s
}

// pem removes PEM private key blocks. It runs on a whole string before it
// is cut around data: URLs, since a block spans lines.
func (p *pass) pem(s string) string {
	if p.learn || !p.s.on(RulePEM) || !strings.Contains(s, "PRIVATE KEY") {
		return s
	}
	return p.cut(s, matches(s, rePEM, 0, nil), RulePEM)
}

func isWord(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// maxJWTHeader bounds the header decoded to confirm a JWT; real headers are
// well under 1 KiB.
const maxJWTHeader = 8 << 10

// isJWT accepts a reJWT match whose first part decodes to a JSON object
// with an "alg" member and whose second part is not empty.
func isJWT(s string, a, z int) bool {
	if a > 0 && (isWord(s[a-1]) || s[a-1] == '-' || s[a-1] == '.') {
		return false
	}
	parts := strings.SplitN(s[a:z], ".", 3)
	if len(parts) < 3 || parts[1] == "" || len(parts[0]) > maxJWTHeader {
		return false
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[0], "="))
	if err != nil {
		return false
	}
	var head map[string]json.RawMessage
	if json.Unmarshal(raw, &head) != nil {
		return false
	}
	_, ok := head["alg"]
	return ok
}

// cards finds payment card numbers: 12 to 19 digits, optionally grouped by
// single spaces or dashes, not part of a longer word or number, with a
// card prefix and a valid Luhn check digit. A run of groups longer than a
// card ("Order 12 4111 1111 1111 1111") is searched for the longest valid
// range of whole groups, so that a neighbouring number does not hide a card.
func cards(s string) []span {
	var out []span
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		start := i
		var groups []span
		g := i
		for i < len(s) {
			if isDigit(s[i]) {
				i++
				continue
			}
			if (s[i] == ' ' || s[i] == '-') && i+1 < len(s) && isDigit(s[i+1]) {
				groups = append(groups, span{g, i})
				i++
				g = i
				continue
			}
			break
		}
		groups = append(groups, span{g, i})
		// A run glued to a word or a decimal fraction is not a card.
		if start > 0 && (isWord(s[start-1]) || s[start-1] == '.' && start > 1 && isDigit(s[start-2])) {
			continue
		}
		if i < len(s) && isWord(s[i]) {
			groups = groups[:len(groups)-1] // the last group continues a word
		}
		out = appendCards(out, s, groups)
	}
	return out
}

// appendCards appends the cards found in consecutive digit groups. It looks
// at the ranges that start in a window of maxCardDigits groups, takes the
// longest valid one (and any card wholly before it), and moves on past it,
// so a run costs time linear in its length whatever it holds.
func appendCards(out []span, s string, groups []span) []span {
	for a := 0; a < len(groups); {
		to := min(len(groups), a+maxCardDigits)
		ba, bb := bestCard(s, groups, a, to)
		if ba < 0 {
			a = to
			continue
		}
		if ba > a {
			out = appendCards(out, s, groups[a:ba])
		}
		out = append(out, span{groups[ba].a, groups[bb].z})
		a = bb + 1
	}
	return out
}

const minCardDigits, maxCardDigits = 12, 19

// bestCard returns the longest range of whole groups, starting at a group
// in [from, to), that is a card: 12 to 19 digits, a card prefix and a valid
// Luhn digit; or -1, -1. The Luhn sum is kept for both parities while the
// range grows, so each extension costs O(1).
func bestCard(s string, groups []span, from, to int) (int, int) {
	ba, bb, best := -1, -1, 0
	for a := from; a < to; a++ {
		if !cardPrefix(s[groups[a].a:]) {
			continue
		}
		// plain[p] and doubled[p] sum the digits at even/odd index p, as
		// they are and doubled (minus 9 above 9). With n digits the Luhn
		// rule doubles those whose index has n's parity.
		var plain, doubled [2]int
		n := 0
		for b := a; b < len(groups) && n <= maxCardDigits; b++ {
			for i := groups[b].a; i < groups[b].z && n <= maxCardDigits; i++ {
				d := int(s[i] - '0')
				plain[n%2] += d
				doubled[n%2] += 2*d - 9*(d/5)
				n++
			}
			if n >= minCardDigits && n <= maxCardDigits && n > best && (doubled[n%2]+plain[1-n%2])%10 == 0 {
				ba, bb, best = a, b, n
			}
		}
	}
	return ba, bb
}

// cardPrefix accepts the issuer prefixes of the card networks: 2221-2720
// (Mastercard), 3 (Amex 34/37, Diners 30/36/38/39, JCB 35), 4 (Visa),
// 5 (Mastercard 51-55, Maestro), 6 (Discover 6011/644-65, UnionPay 62,
// Maestro).
func cardPrefix(s string) bool {
	switch s[0] {
	case '3':
		return len(s) > 1 && s[1] != '1' && s[1] != '2' && s[1] != '3'
	case '4', '5', '6':
		return true
	case '2':
		if len(s) < 4 || !isDigit(s[1]) || !isDigit(s[2]) || !isDigit(s[3]) {
			return false
		}
		n := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
		return n >= 2221 && n <= 2720
	}
	return false
}

// ibanLength is the IBAN length of every country in the SWIFT IBAN
// registry. A candidate must have its country's exact length: the check
// digits alone would let one in 97 random strings of the right shape
// through (base64 text is full of them).
var ibanLength = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16,
	"BG": 22, "BH": 22, "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22,
	"CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20,
	"EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22,
	"GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21,
	"HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30,
	"KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
	"LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20,
	"MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23,
	"PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
	"RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24,
	"SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26,
	"UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// ibans finds IBANs: a country code, two check digits and the country's
// number of alphanumerics, optionally grouped by single spaces
// ("DE89 3704 0044 0532 0130 00"), not inside a word, with a valid mod-97
// check.
func ibans(s string) []span {
	var out []span
	for i := 0; i+15 <= len(s); i++ {
		if !isUpper(s[i]) || !isUpper(s[i+1]) || !isDigit(s[i+2]) || !isDigit(s[i+3]) || i > 0 && isWord(s[i-1]) {
			continue
		}
		want, ok := ibanLength[s[i:i+2]]
		if !ok {
			continue
		}
		var arr [34]byte
		buf, j := arr[:0], i
		for j < len(s) && len(buf) < want {
			c := s[j]
			switch {
			case isWord(c) && c != '_':
				buf = append(buf, c)
				j++
				continue
			case c == ' ' && j > i && s[j-1] != ' ' && j+1 < len(s) && isWord(s[j+1]):
				j++
				continue
			}
			break
		}
		if len(buf) != want || j < len(s) && isWord(s[j]) || !mod97(buf) {
			continue
		}
		out = append(out, span{i, j})
		i = j - 1
	}
	return out
}

// mod97 is the ISO 13616 check: the first four characters moved to the end,
// letters as 10..35, the number modulo 97 must be 1.
func mod97(iban []byte) bool {
	r := 0
	for k := range iban {
		c := iban[(k+4)%len(iban)]
		switch {
		case isDigit(c):
			r = (r*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			r = (r*100 + int(c-'A') + 10) % 97
		case c >= 'a' && c <= 'z':
			r = (r*100 + int(c-'a') + 10) % 97
		default:
			return false
		}
	}
	return r == 1
}

// outsideData calls f on the parts of s that are not the payload of a
// base64 data: URL, and joins the results with the payloads unchanged.
// Payloads are images and fonts (most of a snapshot with inlined
// resources): no value rule can read them, and a match inside one would
// only corrupt it.
func outsideData(s string, f func(string) string) string {
	var b strings.Builder
	last, from := 0, 0
	for {
		k := strings.Index(s[from:], "data:")
		if k < 0 {
			break
		}
		k += from
		from = k + 5
		a, z := base64Payload(s, k)
		if a < 0 {
			continue
		}
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(f(s[last:a]))
		b.WriteString(s[a:z])
		last, from = z, z
	}
	if last == 0 {
		return f(s)
	}
	b.WriteString(f(s[last:]))
	return b.String()
}

// base64Payload returns the payload range of a data: URL ";base64,"
// starting at s[k:], or -1. The media type part is at most 200 bytes of
// URL characters.
func base64Payload(s string, k int) (int, int) {
	head := s[k+5 : min(len(s), k+5+200)]
	m := strings.Index(head, ";base64,")
	if m < 0 || strings.ContainsAny(head[:m], " \t\r\n\"'<>()") {
		return -1, -1
	}
	a := k + 5 + m + len(";base64,")
	z := a
	for z < len(s) && (isWord(s[z]) && s[z] != '_' || s[z] == '+' || s[z] == '/' || s[z] == '=') {
		z++
	}
	if z == a {
		return -1, -1
	}
	return a, z
}
