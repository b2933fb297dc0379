package scrub

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
)

// A Rule names what removed a value. It appears in the value's marker
// ("[scrubbed:card]") and in Report, and turns the rule off in
// Config.Disable. Rules are short and stable so that they can label
// metrics.
type Rule string

// The rules. The name rules (header, key, form, query) scrub a value because
// of the name it sits under; the value rules scrub it because of what it
// looks like, wherever it is.
const (
	RuleHeader   Rule = "header"       // a secret header's value
	RuleKey      Rule = "key"          // a value under a secret JSON object key (or a {name, value} pair)
	RuleForm     Rule = "form"         // a secret field of an a=b&c=d body
	RuleQuery    Rule = "query"        // a secret URL query (or fragment) parameter
	RuleUserinfo Rule = "userinfo"     // user:pass@ in a URL
	RuleBearer   Rule = "bearer"       // the token of "Bearer <token>"
	RuleJWT      Rule = "jwt"          // a JSON Web Token
	RulePEM      Rule = "pem"          // a PEM private key block
	RuleCard     Rule = "card"         // a payment card number (Luhn-checked)
	RuleIBAN     Rule = "iban"         // an IBAN (length and mod-97 checked)
	RuleToken    Rule = "token"        // a key in a well-known provider format (AWS, GitHub, Slack, Stripe, ...)
	RuleKnown    Rule = "known-secret" // a value that a name rule found elsewhere in the same item
	RuleCustom   Rule = "custom"       // a match of one of Config.ExtraValues
	RuleDepth    Rule = "depth"        // a JSON subtree nested deeper than Config.MaxDepth
)

// Rules lists every rule, in the order Report.String prints them.
func Rules() []Rule {
	return []Rule{
		RuleHeader, RuleKey, RuleForm, RuleQuery, RuleUserinfo, RuleBearer,
		RuleJWT, RulePEM, RuleCard, RuleIBAN, RuleToken, RuleKnown,
		RuleCustom, RuleDepth,
	}
}

// Marker is the text that replaces a value this rule removed, e.g.
// "[scrubbed:card]". It never carries anything of the value: no hash, no
// prefix, no length.
func (r Rule) Marker() string { return "[scrubbed:" + string(r) + "]" }

// Config configures a Scrubber. Zero fields take the value of
// DefaultConfig, so the zero Config scrubs with every rule on: the defaults
// are the built-in rules, and Config only adds to them or turns some off.
type Config struct {
	// Disable turns rules off, e.g. a project that sends test card numbers
	// on purpose. RuleDepth cannot be turned off (it bounds the work).
	Disable []Rule
	// ExtraNames are more RE2 patterns for secret names, matched
	// case-insensitively anywhere in a header name, JSON object key, form
	// field or query parameter name, as the built-in pattern is.
	ExtraNames []string
	// ExtraValues are RE2 patterns for secret values: every match in any
	// string is replaced by RuleCustom's marker. A pattern must not match
	// the empty string.
	ExtraValues []string
	// AllowNames are exact names (compared case-insensitively) that the name
	// rules never treat as secret, though they match a pattern. The default
	// keeps Gleap's metaData.sessionDuration, a number of seconds that the
	// "session" pattern would otherwise remove. Setting AllowNames replaces
	// the default list; an empty, non-nil list allows nothing.
	AllowNames []string
	// MaxDepth bounds JSON nesting, counted from the item's root through
	// JSON bodies inside strings; a deeper container is replaced by
	// RuleDepth's marker. 64 is far deeper than any real payload (Gleap's
	// is 6 levels, its network bodies a few more) and keeps the recursion
	// small.
	MaxDepth int
	// MaxParse is the largest string, in bytes, that is parsed as a JSON or
	// form body or as a relative URL to scrub it by name. Longer strings are
	// still scrubbed by every value rule, in time linear in their length.
	// 1 MiB is PostHog's own cut-off for network bodies.
	MaxParse int
	// MinSecret is the shortest value, in bytes, that becomes an item-wide
	// known secret (RuleKnown) when a name rule removes it. Shorter values
	// ("true", "1", "yes") would erase ordinary text everywhere else.
	MinSecret int
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		AllowNames: []string{"sessionDuration"},
		MaxDepth:   64,
		MaxParse:   1 << 20,
		MinSecret:  8,
	}
}

// Bounds of the limits: the recursion and the per-string work must stay
// small, and a known secret shorter than minSecretFloor would match too much.
const (
	maxDepthLimit  = 1000
	maxParseLimit  = 64 << 20
	minSecretFloor = 6
)

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.AllowNames == nil {
		c.AllowNames = d.AllowNames
	}
	if c.MaxDepth == 0 {
		c.MaxDepth = d.MaxDepth
	}
	if c.MaxParse == 0 {
		c.MaxParse = d.MaxParse
	}
	if c.MinSecret == 0 {
		c.MinSecret = d.MinSecret
	}
	return c
}

// Validate reports every invalid field at once.
func (c Config) Validate() error {
	c = c.withDefaults()
	var errs []error
	all := Rules()
	for _, r := range c.Disable {
		switch {
		case r == RuleDepth:
			errs = append(errs, errors.New("disable: the depth rule cannot be turned off"))
		case !slices.Contains(all, r):
			errs = append(errs, fmt.Errorf("disable: unknown rule %q", r))
		}
	}
	for i, p := range c.ExtraNames {
		if _, err := regexp.Compile(p); err != nil {
			errs = append(errs, fmt.Errorf("extra names[%d]: %w", i, err))
		}
	}
	for i, p := range c.ExtraValues {
		re, err := regexp.Compile(p)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("extra values[%d]: %w", i, err))
		case re.MatchString(""):
			errs = append(errs, fmt.Errorf("extra values[%d]: %q matches the empty string", i, p))
		}
	}
	if c.MaxDepth < 1 || c.MaxDepth > maxDepthLimit {
		errs = append(errs, fmt.Errorf("max depth: %d not in 1..%d", c.MaxDepth, maxDepthLimit))
	}
	if c.MaxParse < 1 || c.MaxParse > maxParseLimit {
		errs = append(errs, fmt.Errorf("max parse: %d not in 1..%d", c.MaxParse, maxParseLimit))
	}
	if c.MinSecret < minSecretFloor {
		errs = append(errs, fmt.Errorf("min secret: %d is below %d", c.MinSecret, minSecretFloor))
	}
	return errors.Join(errs...)
}
