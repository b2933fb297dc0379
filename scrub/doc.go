// Package scrub removes secrets from user-feedback items before Kiln writes
// anything (store, Redis, logs, webhooks). An item is what an SDK posts:
// form data, metadata, custom data, a console log, a network log with
// request and response headers and bodies, custom events. scrub keeps all
// of it, with every secret replaced by a marker that names the rule that
// removed it. It imports nothing of Kiln's.
//
// # Use
//
//	s, err := scrub.New(scrub.DefaultConfig()) // once; safe for concurrent use
//	out, rep := s.Item(item)                   // item: what encoding/json decoded into an any
//
// Item returns a scrubbed copy (the input is not modified) and a Report
// that counts what each rule removed, for a warning on the item or a
// metric. Headers, URL, Body and Text scrub one value of those kinds.
//
// # What it works on, and what not
//
// scrub works on item data: JSON values, header maps, URLs, bodies and
// free text. It does not parse HTML or CSS. A string of markup (Gleap's
// screenshotData.html, an rrweb _cssText) is text to it: only the value
// rules apply, so a selector such as input[type=password] survives, and a
// card number typed into the page's text does not. Name rules apply to
// names (keys, header names, form fields, query parameters), never to
// words: Sentry's replay scrubbing wiped whole style sheets because a
// selector said "password" (DESIGN.md §8). Masking form values in the
// DOM (input[type=password], rr-mask) is the snapshot package's job.
// Gleap's packed replay events are zlib data in strings: Item cannot see
// inside them; whoever decodes them scrubs the events with the item's
// Known (see Scrubber.Learn).
//
// # Rules and markers
//
// A removed value becomes "[scrubbed:<rule>]", never a hash, a prefix or a
// length of the value. Rules on by default, each of which
// Config.Disable can turn off:
//
//	header        the value of a secret header name
//	key           a value under a secret JSON object key, or the value of a
//	              {"name": <secret name>, "value": ...} pair (HAR headers, form fields)
//	form          a secret field of an a=b&c=d body
//	query         a secret URL query or fragment parameter (#access_token=...)
//	userinfo      user:pass@ (or user@) in a URL, and //user:pass@ without a scheme
//	bearer        the token of "Bearer <token>" (8 characters at least)
//	jwt           three to five base64url parts whose first decodes to a JSON header with "alg"
//	pem           a -----BEGIN ... PRIVATE KEY----- block (to its END line, or the base64 after it)
//	card          12-19 digits, optionally grouped by spaces or dashes, with a card
//	              network prefix (2221-2720, 30 and 34-39, 4, 5, 6) and a valid Luhn digit
//	iban          country, 2 check digits and the country's length of alphanumerics,
//	              optionally grouped by spaces, with a valid mod-97 check
//	token         AWS, GitHub, GitLab, Slack, Stripe, Google, OpenAI/Anthropic, npm,
//	              Hugging Face and SendGrid keys, by their published formats
//	known-secret  a copy of a value that a name rule removed elsewhere in the item
//	custom        a match of Config.ExtraValues
//	depth         a container nested deeper than Config.MaxDepth (cannot be turned off)
//
// A name is secret when it is one of the header names authorization,
// proxy-authorization, cookie, set-cookie, x-api-key, api-token,
// x-csrf-token, x-xsrf-token, x-csrftoken, gleap-id, gleap-hash,
// x-forwarded-for, x-real-ip, remote-addr, forwarded (wherever such a name
// appears), or matches
//
//	(?i)(password|passwd|pwd|secret|token|api[_-]?key|auth|credential|session|sessid|csrf|xsrf|private[_-]?key|signature)
//
// or one of Config.ExtraNames, and is not in Config.AllowNames. That is
// Sentry Relay's password rule and PostHog's header denylist together,
// with more. Under a secret name every string and number is replaced
// (containers keep their shape; booleans and nulls stay). A map under a
// "headers" key (also requestHeaders, responseHeaders) is a header map:
// its values get the header marker.
//
// # Strings inside the item
//
// Item looks at what a string is before it scrubs it. A JSON object or
// array (a network body) is parsed and scrubbed by key as part of the item,
// and re-encoded (compact, keys sorted) only when something was removed;
// an a=b&c=d string is scrubbed by field; a relative URL with a query by
// its parameters; anything else is text. In text the URLs are found by
// their "scheme://" and scrubbed by syntax (userinfo, secret-named
// parameters); everything else gets the value rules. The payloads of
// base64 data: URLs (inlined images and fonts) are skipped: no rule can
// read them and a match inside one would only corrupt it.
//
// # Known secrets
//
// Name rules alone miss copies: Gleap sends the SDK key in the Api-Token
// header and again in URL paths (/api/config/<key>/...). So Item makes two
// passes. The first collects the values that name rules remove (and the
// parts that may travel alone: a cookie's values, the token after
// "Bearer", a URL's password, a bearer token in text), with their
// URL-escaped spellings. The second replaces every copy of them, anywhere
// in the item, keys included, by the known-secret marker. A value becomes
// known only if it is at least Config.MinSecret bytes long (8: "true" or
// "1" must not become a secret) and looks like a secret rather than a
// word: it has a digit or a symbol, or 16 bytes at least. Otherwise
// {"authMethod": "password"} would erase "password" from every style
// sheet in the item. Scrubber.Learn exposes the first pass, so that parts
// of the item decoded later are scrubbed with the same secrets.
//
// # Cost
//
// Every pattern is compiled once, in New. Each string costs time linear in
// its length: the regexps are RE2 (no backtracking blow-up); the card,
// IBAN, URL and data: URL scanners are hand-written single passes (a run
// of digits costs at most a few hundred operations per digit group); the
// rules with a literal start find it with a substring search first; a JWT
// candidate's header is decoded only up to 8 KiB. Known secrets are
// replaced with one strings.Replacer (a trie), at most a few rounds. A
// string longer than Config.MaxParse (1 MiB) is not parsed as a body or
// URL, only scanned by the value rules. Nesting is bounded by
// Config.MaxDepth (64) in the result; the first pass looks deeper (up to
// 10000 levels, encoding/json's own limit) so that a secret buried too
// deep is still removed from everywhere else. Item walks the item twice.
// BenchmarkItem measures it on the real Gleap payloads.
//
// # Not covered
//
// Personal data that is not a secret (e-mail addresses, IP addresses in
// text, names) is kept: it is what a feedback item is about. A
// lower-case IBAN, a US SSN, a password typed into plain text ("my
// password is hunter2") and secrets inside multipart bodies' structure
// are not recognized; multipart and other bodies get the value rules.
package scrub
