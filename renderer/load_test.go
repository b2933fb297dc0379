package renderer

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The CSP meta must end up as the first child of <head>, the freeze style
// second, in standards mode
// where the input had a doctype, whatever the document holds: a "<head"
// inside a doctype identifier, an attribute or a raw-text element must not
// move it.
func TestWithCSPIsFirstInHead(t *testing.T) {
	for _, doc := range []string{
		`<!DOCTYPE html><html><head><meta charset="utf-8"><base href="https://x.test/"></head><body><header>h</header></body></html>`,
		`<!DOCTYPE html><html lang="en" title="&lt;head&gt;"><head class="a"><meta charset="utf-8"></head><body></body></html>`,
		"<!DOCTYPE html><html><head\n><title>t</title></head><body></body></html>",
		`<!DOCTYPE html PUBLIC "<head>" "x"><html><head><title>t</title></head><body></body></html>`,
		`<!doctype html><body style="background:#fff"><script>x()</script>`,
		"  \n<!DOCTYPE html><html><body><style>/* <head> */</style></body></html>",
		`<p>no doctype, no head</p>`,
	} {
		out := withCSP([]byte(doc))
		root, err := html.Parse(strings.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		head := findTestElement(root, atom.Head)
		if head == nil || head.FirstChild == nil || head.FirstChild.DataAtom != atom.Meta {
			t.Fatalf("withCSP(%q) = %q: CSP meta is not the head's first child", doc, out)
		}
		var equiv, content string
		for _, a := range head.FirstChild.Attr {
			switch a.Key {
			case "http-equiv":
				equiv = a.Val
			case "content":
				content = a.Val
			}
		}
		if equiv != "Content-Security-Policy" || content != documentCSP {
			t.Fatalf("meta = %q %q", equiv, content)
		}
		if st := head.FirstChild.NextSibling; st == nil || st.DataAtom != atom.Style || st.FirstChild == nil || !strings.Contains(st.FirstChild.Data, "transition:none") {
			t.Fatalf("withCSP(%q) = %q: the freeze style does not follow the CSP meta", doc, out)
		}
		hadDoctype := strings.Contains(strings.ToLower(doc), "<!doctype")
		if hasDoctype := root.FirstChild != nil && root.FirstChild.Type == html.DoctypeNode; hasDoctype != hadDoctype {
			t.Fatalf("withCSP(%q) = %q: doctype kept %v, want %v", doc, out, hasDoctype, hadDoctype)
		}
	}
}

func findTestElement(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findTestElement(c, a); f != nil {
			return f
		}
	}
	return nil
}
