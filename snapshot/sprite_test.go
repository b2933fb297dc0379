package snapshot

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

// A sprite copied into a picture keeps its symbols and what they
// reference by id, under ids of its own, and loads nothing: no script,
// no event handler, no foreign content, no reference out of the file.
func TestSpriteNodeKeepsOnlyItsOwnReferences(t *testing.T) {
	svg := `<?xml version="1.0"?><!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>
<symbol id="star" viewBox="0 0 10 10"><path d="M0 0L10 10" fill="url(#g)"/><use xlink:href="#dot"/></symbol>
<symbol id="dot"><circle r="1" onclick="x()"/></symbol>
<script>alert(1)</script>
<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">html</div></foreignObject>
<image href="http://169.254.169.254/latest" x="0"/>
<rect style="fill:URL(http://evil.example/x)" width="1"/>
<style>.a{fill:red}</style><style>@import "http://evil.example/a.css";</style>
</svg>`
	budget := 100
	root := SpriteNode([]byte(svg), "p-", &budget)
	if root == nil {
		t.Fatal("no sprite read")
	}
	var b strings.Builder
	ids := map[string]bool{}
	root.Walk(func(n *Node) bool {
		if n.Type == NodeElement {
			b.WriteString("<" + n.TagName)
			for _, k := range sortedKeys(n.Attributes) {
				b.WriteString(" " + k + "=" + n.Attributes[k].(string))
			}
			b.WriteString(">")
			if id, _ := n.Attributes["id"].(string); id != "" {
				ids[id] = true
			}
		} else {
			b.WriteString(n.TextContent)
		}
		return true
	})
	got := b.String()
	for _, want := range []string{"fill=url(#p-g)", "xlink:href=#p-dot", ".a{fill:red}", "<symbol id=p-star"} {
		if !strings.Contains(got, want) {
			t.Errorf("copy lacks %q:\n%s", want, got)
		}
	}
	if !ids["p-star"] || !ids["p-dot"] || !ids["p-g"] || ids["star"] {
		t.Errorf("ids %v", ids)
	}
	for _, bad := range []string{"script", "alert", "foreignObject", "html", "169.254", "evil", "onclick=x()"} {
		if strings.Contains(got, bad) {
			t.Errorf("copy keeps %q:\n%s", bad, got)
		}
	}
	if budget >= 100 || budget < 0 {
		t.Errorf("budget %d after the copy", budget)
	}
	// Over its element budget, or not an SVG file: nothing.
	small := 2
	if SpriteNode([]byte(svg), "p-", &small) != nil {
		t.Error("a sprite over its element budget was copied")
	}
	one := 10
	if SpriteNode([]byte(`<html><svg/></html>`), "p-", &one) != nil {
		t.Error("a file whose root is not <svg> was copied")
	}
}

// A snapshot whose <use> references a sprite file among its resources
// gets the sprite inline (the renderer's document has no origin to load
// it from): the symbol under a prefixed id, the <use> pointing at it, the
// copy judged by the same rules as the page.
func TestParseInlinesSprites(t *testing.T) {
	sprite := `<svg xmlns="http://www.w3.org/2000/svg"><symbol id="star" viewBox="0 0 10 10"><path d="M0 0h10v10z"/><script>x()</script></symbol></svg>`
	in, _ := json.Marshal(map[string]any{
		"version": 1, "url": "https://shop.example/app/", "viewport": map[string]int{"width": 400, "height": 300},
		"html":      `<!doctype html><body><svg><use href="../icons/s.svg#star"></use></svg><svg><use href="https://shop.example/icons/s.svg#star"></use><use href="#local"></use><use href="https://shop.example/icons/missing.svg#x"></use></svg>`,
		"resources": []map[string]string{{"url": "https://shop.example/icons/s.svg", "contentType": "image/svg+xml", "data": base64.StdEncoding.EncodeToString([]byte(sprite))}},
	})
	s, err := Parse(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := string(s.HTML)
	if n := strings.Count(h, `<symbol id="kiln-sprite-0-star"`); n != 1 {
		t.Errorf("%d inlined copies of the symbol:\n%s", n, h)
	}
	if n := strings.Count(h, `href="#kiln-sprite-0-star"`); n != 2 {
		t.Errorf("%d <use>s point at the copy:\n%s", n, h)
	}
	if !strings.Contains(h, `href="#local"`) || !strings.Contains(h, "missing.svg#x") {
		t.Errorf("a local reference or one to a file not given was changed:\n%s", h)
	}
	if strings.Contains(h, "x()") || strings.Contains(h, "<script") {
		t.Errorf("the copy keeps a script:\n%s", h)
	}
}

// InlineSprites (the renderer's, with its fetcher) inlines the files a
// normalized snapshot still references by URL, under other ids than the
// ones normalization gave, through the same rules (no script, masks);
// a snapshot without such a reference is not parsed or changed.
func TestInlineSpritesLater(t *testing.T) {
	given := `<svg xmlns="http://www.w3.org/2000/svg"><symbol id="star" viewBox="0 0 10 10"><path d="M0 0h10v10z"/></symbol></svg>`
	fetched := `<svg xmlns="http://www.w3.org/2000/svg"><symbol id="star" viewBox="0 0 10 10" onload="x()"><text class="rr-mask">Ada</text><script>x()</script></symbol></svg>`
	in, _ := json.Marshal(map[string]any{
		"version": 1, "url": "https://shop.example/app/", "viewport": map[string]int{"width": 400, "height": 300},
		"html":      `<!doctype html><body><svg><use href="/given.svg#star"></use><use href="/late.svg#star"></use><use href="#local"></use></svg>`,
		"resources": []map[string]string{{"url": "https://shop.example/given.svg", "contentType": "image/svg+xml", "data": base64.StdEncoding.EncodeToString([]byte(given))}},
	})
	s, err := Parse(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var asked []string
	get := func(u string) (Resource, bool) {
		asked = append(asked, u)
		return Resource{URL: u, ContentType: "image/svg+xml", Data: []byte(fetched)}, true
	}
	n, err := InlineSprites(s, get, Limits{})
	if err != nil || n != 1 {
		t.Fatalf("inlined %d, %v; want 1", n, err)
	}
	h := string(s.HTML)
	if len(asked) != 1 || asked[0] != "https://shop.example/late.svg" {
		t.Errorf("asked for %q, want the one file not given", asked)
	}
	for _, want := range []string{`href="#kiln-sprite-0-star"`, `href="#kiln-sprite-f0-star"`, `<symbol id="kiln-sprite-0-star"`, `<symbol id="kiln-sprite-f0-star"`, `href="#local"`, `***`} {
		if !strings.Contains(h, want) {
			t.Errorf("no %s in\n%s", want, h)
		}
	}
	for _, bad := range []string{"x()", "<script", "Ada", "late.svg"} {
		if strings.Contains(h, bad) {
			t.Errorf("%s in\n%s", bad, h)
		}
	}
	// Nothing left to inline: no call, no change.
	was := string(s.HTML)
	asked = nil
	if n, err := InlineSprites(s, get, Limits{}); n != 0 || err != nil || len(asked) != 0 || string(s.HTML) != was {
		t.Errorf("again: inlined %d, %v, asked %q, changed %v", n, err, asked, string(s.HTML) != was)
	}
}
