package snapshot

import (
	"fmt"
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// Selectors are mask and block selector lists with a bounded cost.
//
// A general CSS matcher (cascadia's MatchAll) tries every way a chain of
// descendant combinators can be satisfied: "nosuch div div div div" over a
// few hundred nested divs held a core for seconds, and longer chains for
// minutes, on a 2 KB request. Kiln splits each selector into compound parts
// joined by combinators (descendant, child, adjacent and general sibling),
// matches each compound with cascadia, and runs the chain as one top-down
// walk of the tree that carries, for every element, which prefixes of the
// chain it completes. That is linear in the elements times the parts,
// whatever the selector. On top of that:
//   - a list has at most maxSelectorChains chains, a chain at most
//     maxSelectorParts compounds, and a selector at most maxMaskSelectorSz
//     bytes;
//   - pseudo-classes whose own cost grows with the document (:has,
//     :haschild, :contains, :containsOwn, :matches, :matchesOwn) are
//     refused, and the arguments of :not, :is and :where must be lists of
//     compounds (no combinators inside);
//   - every compound match costs one unit, plus what the compound scans
//     besides the element (siblings for :nth-* and the like, children for
//     :empty, ancestors for :lang, attribute bytes/64 for substring
//     tests); a document may spend at most maxSelectorWork units, or it is
//     refused as too large (ErrTooLarge).
type Selectors struct {
	chains []selectorChain
}

// Selector bounds and why they have their value.
const (
	// 256 chains: 64 mask entries of up to 4 comma-separated selectors.
	maxSelectorChains = 256
	// 8 compounds: the deepest masking rule seen in practice has 4
	// (".app main form .card"); beyond 8 a selector depends on layout
	// details the snapshot may not reproduce.
	maxSelectorParts = 8
	// 10M units: a 200k-element document (MaxNodes) against 16 compound
	// parts costs 3.2M; a unit is 10-50 ns, so 10M is at most about half a
	// second of one core.
	maxSelectorWork = 10_000_000
)

type selectorChain struct {
	parts []cascadia.Sel
	// combs[i] joins parts[i] and parts[i+1]: ' ', '>', '+' or '~'.
	combs []byte
	// cost[i] says what matching parts[i] scans besides the element.
	cost []partCost
	src  string
}

// partCost marks the pseudo-classes and attribute tests of a compound
// whose cascadia match scans more than the element itself.
type partCost struct {
	siblings  bool // :nth-*, :first-*, :last-*, :only-* count siblings
	children  bool // :empty looks at the children
	ancestors bool // :lang walks up to an ancestor with lang
	attrs     bool // [a*=v], [a~=v] and friends scan attribute values
}

// refusedPseudo are constructs whose matching cost grows with the document
// (subtree searches, text content, regular expressions).
var refusedPseudo = []string{":has(", ":haschild(", ":contains(", ":containsown(", ":matches(", ":matchesown(", "#="}

func costOf(compound string) partCost {
	l := strings.ToLower(compound)
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(l, s) {
				return true
			}
		}
		return false
	}
	return partCost{
		siblings:  has(":nth-", ":first-", ":last-", ":only-"),
		children:  has(":empty"),
		ancestors: has(":lang("),
		attrs:     has("*=", "~=", "|=", "^=", "$="),
	}
}

// CompileSelectors compiles a list of selector strings (each may itself be
// a comma-separated group). Errors wrap ErrInvalid (not a selector, or a
// refused construct) or ErrTooLarge (over a bound) and name the entry by
// index, never quoting it.
func CompileSelectors(field string, sels []string) (*Selectors, error) {
	if len(sels) > maxMaskSelectors {
		return nil, tooLargef("%s: more than %d selectors", field, maxMaskSelectors)
	}
	out := &Selectors{}
	for i, s := range sels {
		if len(s) > maxMaskSelectorSz {
			return nil, tooLargef("%s[%d]: longer than %d bytes", field, i, maxMaskSelectorSz)
		}
		groups, err := splitSelector(s, ',')
		if err != nil {
			return nil, invalidf("%s[%d]: %v", field, i, err)
		}
		for _, g := range groups {
			c, err := compileChain(g)
			if err != nil {
				return nil, fmt.Errorf("%s[%d]: %w", field, i, err)
			}
			if len(out.chains) == maxSelectorChains {
				return nil, tooLargef("%s: more than %d selectors in all", field, maxSelectorChains)
			}
			out.chains = append(out.chains, c)
		}
	}
	return out, nil
}

// Len is the number of compiled chains.
func (s *Selectors) Len() int {
	if s == nil {
		return 0
	}
	return len(s.chains)
}

func compileChain(src string) (selectorChain, error) {
	c := selectorChain{src: src}
	lower := strings.ToLower(src)
	for _, p := range refusedPseudo {
		if strings.Contains(lower, p) {
			return c, invalidf("%s is not allowed in a mask selector (its cost grows with the page)", strings.TrimSuffix(p, "("))
		}
	}
	parts, combs, err := splitChain(src)
	if err != nil {
		return c, invalidf("%v", err)
	}
	if len(parts) > maxSelectorParts {
		return c, tooLargef("more than %d compound selectors joined by combinators", maxSelectorParts)
	}
	for _, p := range parts {
		if err := checkPseudoArgs(p); err != nil {
			return c, invalidf("%v", err)
		}
		sel, err := cascadia.Parse(p)
		if err != nil {
			return c, invalidf("not a CSS selector")
		}
		c.parts = append(c.parts, sel)
		c.cost = append(c.cost, costOf(p))
	}
	c.combs = combs
	return c, nil
}

// checkPseudoArgs refuses combinators inside the arguments of :not, :is
// and :where (an argument must be a list of compounds): a nested chain
// would be matched by cascadia's general matcher.
func checkPseudoArgs(compound string) error {
	depth, start := 0, -1
	return scanSelector(compound, func(i int, c byte) error {
		switch c {
		case '(':
			if depth == 0 {
				start = i + 1
			}
			depth++
		case ')':
			depth--
			if depth != 0 || start < 0 {
				return nil
			}
			name := strings.ToLower(compound[:start])
			if !strings.HasSuffix(name, ":not(") && !strings.HasSuffix(name, ":is(") && !strings.HasSuffix(name, ":where(") {
				return nil
			}
			groups, err := splitSelector(compound[start:i], ',')
			if err != nil {
				return err
			}
			for _, g := range groups {
				if parts, _, err := splitChain(g); err != nil || len(parts) != 1 {
					return fmt.Errorf("combinators inside a pseudo-class argument are not allowed")
				}
			}
		}
		return nil
	})
}

// scanSelector calls f for each byte of s outside quoted strings and
// escapes (which it skips whole).
func scanSelector(s string, f func(i int, c byte) error) error {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			i++
		case '"', '\'':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return fmt.Errorf("unterminated string")
			}
			i += j + 1
		default:
			if err := f(i, c); err != nil {
				return err
			}
		}
	}
	return nil
}

// splitSelector splits s at sep outside strings, brackets and parentheses.
func splitSelector(s string, sep byte) ([]string, error) {
	var out []string
	depth, last := 0, 0
	err := scanSelector(s, func(i int, c byte) error {
		switch c {
		case '(', '[':
			depth++
		case ')', ']':
			if depth--; depth < 0 {
				return fmt.Errorf("unbalanced brackets")
			}
		case sep:
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[last:i]))
				last = i + 1
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if depth != 0 {
		return nil, fmt.Errorf("unbalanced brackets")
	}
	out = append(out, strings.TrimSpace(s[last:]))
	for _, g := range out {
		if g == "" {
			return nil, fmt.Errorf("empty selector")
		}
	}
	return out, nil
}

// splitChain splits one selector into compounds and the combinators
// between them.
func splitChain(s string) (parts []string, combs []byte, err error) {
	s = strings.TrimSpace(s)
	depth, start := 0, 0
	var pending byte // combinator seen since the last compound
	flush := func(end int) error {
		if p := strings.TrimSpace(s[start:end]); p != "" {
			if len(parts) > 0 {
				if pending == 0 {
					pending = ' '
				}
				combs = append(combs, pending)
			} else if pending != 0 {
				return fmt.Errorf("selector starts with a combinator")
			}
			parts = append(parts, p)
			pending = 0
		}
		return nil
	}
	err = scanSelector(s, func(i int, c byte) error {
		switch c {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case ' ', '\t', '\n', '\r', '\f', '>', '+', '~':
			if depth > 0 {
				return nil
			}
			if err := flush(i); err != nil {
				return err
			}
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
				if pending != 0 && pending != ' ' {
					return fmt.Errorf("two combinators in a row")
				}
				pending = c
			}
			start = i + 1
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if err := flush(len(s)); err != nil {
		return nil, nil, err
	}
	if pending != 0 && pending != ' ' {
		return nil, nil, fmt.Errorf("selector ends with a combinator")
	}
	if len(parts) == 0 {
		return nil, nil, fmt.Errorf("empty selector")
	}
	return parts, combs, nil
}

// selectorBudget is the work a document's selector matching may spend.
type selectorBudget struct{ left int64 }

func newSelectorBudget() *selectorBudget { return &selectorBudget{left: maxSelectorWork} }

// MatchAll calls f for every element under root that a chain matches
// (possibly more than once for an element several chains match). It
// returns ErrTooLarge when matching would cost more than the budget.
func (s *Selectors) MatchAll(root *html.Node, f func(*html.Node)) error {
	return s.matchAll(root, newSelectorBudget(), f)
}

func (s *Selectors) matchAll(root *html.Node, b *selectorBudget, f func(*html.Node)) error {
	if s == nil {
		return nil
	}
	for i := range s.chains {
		w := chainWalk{c: &s.chains[i], b: b, f: f}
		if err := w.children(root, 0, 0, 0); err != nil {
			return err
		}
	}
	return nil
}

// chainWalk runs one chain over a tree. A mask bit i means "parts[0..i]
// match, with parts[i] at this element".
type chainWalk struct {
	c *selectorChain
	b *selectorBudget
	f func(*html.Node)
}

// children walks the element children of n: anc holds the bits completed
// at any ancestor of them, parent those completed at n.
func (w *chainWalk) children(n *html.Node, anc, parent uint16, depth int64) error {
	siblings := int64(0)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			siblings++
		}
	}
	var prevAdj, prevAny uint16
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		got, err := w.reach(c, anc, parent, prevAdj, prevAny, siblings, depth)
		if err != nil {
			return err
		}
		if got&(1<<(len(w.c.parts)-1)) != 0 {
			w.f(c)
		}
		if err := w.children(c, anc|got, got, depth+1); err != nil {
			return err
		}
		prevAdj = got
		prevAny |= got
	}
	return nil
}

// reach computes the bits element n completes.
func (w *chainWalk) reach(n *html.Node, anc, parent, prevAdj, prevAny uint16, siblings, depth int64) (uint16, error) {
	var got uint16
	for i, part := range w.c.parts {
		if i > 0 {
			var from uint16
			switch w.c.combs[i-1] {
			case ' ':
				from = anc
			case '>':
				from = parent
			case '+':
				from = prevAdj
			case '~':
				from = prevAny
			}
			if from&(1<<(i-1)) == 0 {
				continue
			}
		}
		cost := int64(1)
		pc := w.c.cost[i]
		if pc.siblings {
			cost += siblings
		}
		if pc.ancestors {
			cost += depth
		}
		if pc.children {
			for k := n.FirstChild; k != nil; k = k.NextSibling {
				cost++
			}
		}
		if pc.attrs {
			for _, a := range n.Attr {
				cost += int64(len(a.Val)) / 64
			}
		}
		if w.b.left -= cost; w.b.left < 0 {
			return 0, tooLargef("mask: matching the selectors on this document costs more than %d steps", maxSelectorWork)
		}
		if part.Match(n) {
			got |= 1 << i
		}
	}
	return got, nil
}
