package snapshot

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// Kiln's chain matcher finds exactly the elements cascadia's general
// matcher finds, on real pages, for every combinator and the common
// pseudo-classes.
func TestSelectorsMatchLikeCascadia(t *testing.T) {
	sels := []string{
		"div", "div p", "ul > li", "h1 + p", "h2 ~ p", "div div div", "body > * > *",
		"form input:not([type=hidden])", "li:nth-child(2n+1)", "li:first-child + li", "p:last-of-type",
		"[class*=btn]", "a[href^=http]", ".container .row > div", "nav a", ":not(div) > span",
		"input[type=password]", "section ~ footer", "*", "html body", "td:empty", "label + input, select",
	}
	for _, rel := range []string{"bootstrap-pricing/snapshot.kiln.json.gz", "purple-admin-dashboard/snapshot.kiln.json.gz", "gleap-live/feedback.json.gz"} {
		s := mustParse(t, corpusInput(t, rel), Options{})
		root, err := html.Parse(strings.NewReader(string(s.HTML)))
		if err != nil {
			t.Fatal(err)
		}
		for _, sel := range sels {
			want := map[*html.Node]bool{}
			for _, n := range cascadia.MustCompile(sel).MatchAll(root) {
				want[n] = true
			}
			c, err := CompileSelectors("mask", []string{sel})
			if err != nil {
				t.Fatalf("%q: %v", sel, err)
			}
			got := map[*html.Node]bool{}
			if err := c.MatchAll(root, func(n *html.Node) { got[n] = true }); err != nil {
				t.Fatalf("%q: %v", sel, err)
			}
			if len(got) != len(want) {
				t.Errorf("%s %q: %d elements, cascadia %d", rel, sel, len(got), len(want))
				continue
			}
			for n := range want {
				if !got[n] {
					t.Errorf("%s %q: missed <%s>", rel, sel, n.Data)
					break
				}
			}
		}
	}
}

// deepDivs is n nested divs with a paragraph at the bottom.
func deepDivs(n int) string {
	return "<!doctype html><body>" + strings.Repeat("<div>", n) + "<p>x</p>" + strings.Repeat("</div>", n)
}

// adversarialMasks are the worst cases for mask selectors: each input
// within the documented limits must be matched (cheaply) or refused with
// the right error, never run for seconds.
var adversarialMasks = []struct {
	name string
	doc  string
	mask []string
	err  error // nil: accepted
}{
	{"the reported case: 4 descendants over 300 nested divs", deepDivs(300), []string{"nosuch div div div div"}, nil},
	{"deep tree, failing descendant chain", deepDivs(500), []string{"nosuch div div div div div div div"}, nil},
	{"deep tree, matching descendant chain", deepDivs(500), []string{"div div div div div div div p"}, nil},
	{"deep tree, 64 chains", deepDivs(500), func() []string {
		var s []string
		for i := 0; i < 64; i++ {
			s = append(s, fmt.Sprintf("nosuch%d div div div div div div div", i))
		}
		return s
	}(), nil},
	{"deep tree, 4-way groups", deepDivs(500), func() []string {
		var s []string
		for i := 0; i < 64; i++ {
			s = append(s, "x div div div div, y div div div div, z div div div, w div div")
		}
		return s
	}(), nil},
	{"too many compounds", deepDivs(10), []string{"a b c d e f g h i"}, ErrTooLarge},
	{"too many chains", deepDivs(10), func() []string {
		var s []string
		for i := 0; i < 64; i++ {
			s = append(s, "a, b, c, d, e")
		}
		return s
	}(), ErrTooLarge},
	{"subtree search", deepDivs(500), []string{"div:has(div div div p)"}, ErrInvalid},
	{"text search", deepDivs(500), []string{"div:contains('x')"}, ErrInvalid},
	{"regular expression", deepDivs(10), []string{"div[class#=(a+)+$]"}, ErrInvalid},
	{"combinator inside :not", deepDivs(500), []string{"div:not(div div div)"}, ErrInvalid},
	{"wide parent, positional", "<!doctype html><body><ul>" + strings.Repeat("<li>i</li>", 100_000) + "</ul>", []string{"li:nth-child(2n+1) + li:nth-last-child(3n)"}, ErrTooLarge},
	{"wide parent, plain", "<!doctype html><body><ul>" + strings.Repeat("<li>i</li>", 100_000) + "</ul>", []string{"ul > li + li ~ li"}, nil},
	{"huge attributes, substring tests", "<!doctype html><body>" + strings.Repeat(`<p class="`+strings.Repeat("a", 60_000)+`">x</p>`, 150), []string{"[class*=b] [class*=c]"}, nil},
	{"unbalanced", deepDivs(10), []string{"div[a=b"}, ErrInvalid},
	{"leading combinator", deepDivs(10), []string{"> div"}, ErrInvalid},
}

func TestAdversarialMasks(t *testing.T) {
	for _, tc := range adversarialMasks {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.doc), Options{Name: "x.html", Mask: tc.mask})
			switch {
			case tc.err == nil && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.err != nil && !errors.Is(err, tc.err):
				t.Fatalf("err %v, want %v", err, tc.err)
			case err != nil && !strings.Contains(err.Error(), "mask"):
				t.Fatalf("error %q does not name the mask field", err)
			}
		})
	}
}

// The selectors Kiln masks by do mask: a chain through the deep tree
// reaches the paragraph.
func TestDeepChainMasks(t *testing.T) {
	s, err := Parse([]byte(deepDivs(300)), Options{Name: "x.html", Mask: []string{"div div > div div p"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(s.HTML), "<p>x</p>") {
		t.Fatalf("paragraph not masked")
	}
}

// BenchmarkAdversarialMasks parses each worst case of adversarialMasks;
// every case must stay well under a second of CPU (the bound the API and
// the worker rely on), or the benchmark fails.
//
//	go test ./snapshot -run '^$' -bench AdversarialMasks
func BenchmarkAdversarialMasks(b *testing.B) {
	for _, tc := range adversarialMasks {
		b.Run(strings.ReplaceAll(tc.name, " ", "_"), func(b *testing.B) {
			for range b.N {
				Parse([]byte(tc.doc), Options{Name: "x.html", Mask: tc.mask})
			}
			if per := b.Elapsed().Seconds() / float64(b.N); per > 0.5 {
				b.Errorf("%.2f s per parse, over the 0.5 s budget", per)
			}
		})
	}
}

// Project block selectors empty the elements they match, like rr-block.
func TestBlockSelectors(t *testing.T) {
	s, err := Parse([]byte(`<!doctype html><body><div class="card"><p>4242 4242 4242 4242</p></div><p>kept</p>`),
		Options{Name: "x.html", Block: []string{"body > .card"}})
	if err != nil {
		t.Fatal(err)
	}
	if h := string(s.HTML); strings.Contains(h, "4242") || !strings.Contains(h, "kept") || !strings.Contains(h, blockBackground) {
		t.Fatalf("blocked element kept its content: %s", h)
	}
	if _, err := Parse([]byte(`<p>x</p>`), Options{Name: "x.html", Block: []string{"p:has(a)"}}); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "block") {
		t.Fatalf("refused block selector: %v", err)
	}
}
