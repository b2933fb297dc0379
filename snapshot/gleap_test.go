package snapshot

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// gleapHTML returns the screenshotData.html of a corpus payload.
func gleapHTML(t *testing.T, file string) string {
	t.Helper()
	var p struct {
		ScreenshotData struct {
			HTML string `json:"html"`
		} `json:"screenshotData"`
	}
	if err := json.Unmarshal(fixture(t, file), &p); err != nil {
		t.Fatal(err)
	}
	return p.ScreenshotData.HTML
}

func TestGleapStateApplied(t *testing.T) {
	for _, file := range []string{"gleap-live.json.gz", "gleap-local.json.gz"} {
		t.Run(file, func(t *testing.T) {
			input := gleapHTML(t, file)
			// The SDK sent the typed password in clear text.
			const password = "hunter2-secret"
			if !strings.Contains(input, password) {
				t.Fatal("fixture no longer holds the typed password")
			}
			s := mustParse(t, fixture(t, file), Options{})
			out := string(s.HTML)
			doc := tree(t, s)

			if strings.Contains(out, password) {
				t.Error("password value still in the output")
			}
			if v := attr(byID(doc, "password"), "value"); v != strings.Repeat("*", len(password)) {
				t.Errorf("password value = %q, want one * per character", v)
			}
			if v := attr(byID(doc, "name"), "value"); v != "Jane Doe" {
				t.Errorf("#name value = %q, want bb-data-value written", v)
			}
			if v := attr(byID(doc, "email"), "value"); v != "jane@example.com" {
				t.Errorf("#email value = %q", v)
			}
			if v := textContent(byID(doc, "notes")); v != "line one\nline two" {
				t.Errorf("textarea text = %q", v)
			}
			for _, o := range byTag(byID(doc, "country"), "option") {
				if _, sel := attrOK(o, "selected"); sel != (attr(o, "value") == "at") {
					t.Errorf("option %q selected=%v", attr(o, "value"), sel)
				}
			}
			if _, ok := attrOK(byID(doc, "tos"), "checked"); !ok {
				t.Error("#tos not checked")
			}
			if _, ok := attrOK(byID(doc, "express"), "checked"); !ok {
				t.Error("#express not checked")
			}
			if v, ok := attrOK(byID(doc, "ignored-input"), "value"); ok {
				t.Errorf("rr-ignore input kept value %q", v)
			}
			if strings.Contains(out, "4242") || strings.Contains(out, "SECRET-BLOCKED-CONTENT") {
				t.Error("rr-mask text or rr-block content left")
			}
			if got := textContent(byID(doc, "masked-text")); strings.Trim(got, "* ") != "" || len(got) != len("Masked text via rr-mask: card ending 4242") {
				t.Errorf("rr-mask text = %q, want same-length stars", got)
			}
			// No recorded size: the panel keeps its text's shape, masked
			// and transparent, on the block background.
			if p := byID(doc, "blocked-panel"); p == nil || strings.Trim(textContent(p), "* ") != "" || !strings.Contains(attr(p, "style"), "background") || !strings.Contains(attr(p, "style"), "color:transparent") {
				t.Error("rr-block panel is not a masked box")
			}

			// Shadow root.
			host := byID(doc, "shadow-host")
			tmpl := firstElement(host)
			if tmpl == nil || tmpl.Data != "template" || attr(tmpl, "shadowrootmode") != "open" {
				t.Fatal("shadow host does not start with <template shadowrootmode=open>")
			}
			if len(byTag(tmpl, "style")) != 1 || !strings.Contains(textContent(tmpl), "inside shadow root") {
				t.Error("shadow children not inside the template")
			}

			// Canvas, element scroll, animations, placeholders.
			if v := attr(byID(doc, "chart"), AttrCanvas); !strings.HasPrefix(v, "data:image/png;base64,") {
				t.Errorf("canvas %s = %.30q", AttrCanvas, v)
			}
			if v := attr(byID(doc, "scrollbox"), AttrScrollTop); v != "500" {
				t.Errorf("scrollbox %s = %q, want 500", AttrScrollTop, v)
			}
			if st := attr(byID(doc, "anim-target"), "style"); !strings.Contains(st, "opacity:1 !important") || !strings.Contains(st, "transform:matrix(1, 0, 0, 1, 0, 0) !important") {
				t.Errorf("animation state not applied: %q", st)
			}
			frame := byID(doc, "child-frame")
			if _, ok := attrOK(frame, "src"); ok || !strings.Contains(attr(frame, "style"), "width:304px") {
				t.Errorf("iframe placeholder: %v", frame.Attr)
			}

			// SDK UI gone, bb-* gone, no scripts, no handlers.
			ui := elements(doc, func(n *html.Node) bool { return isGleapUI(n) })
			if len(ui) != 0 {
				t.Errorf("%d Gleap UI elements left", len(ui))
			}
			bb := elements(doc, func(n *html.Node) bool {
				for _, a := range n.Attr {
					if strings.HasPrefix(a.Key, "bb-") {
						return true
					}
				}
				return false
			})
			if len(bb) != 0 {
				t.Errorf("%d elements keep bb-* attributes", len(bb))
			}
			if strings.Contains(strings.ToLower(out), "<script") || strings.Contains(out, "onsubmit") {
				t.Error("script or handler left")
			}
			if !strings.Contains(strings.Join(s.Warnings, "|"), "masked 1 password values") {
				t.Errorf("warnings %q", s.Warnings)
			}
		})
	}
}

func TestGleapLocalPrefersInlinedImages(t *testing.T) {
	s := mustParse(t, fixture(t, "gleap-local.json.gz"), Options{})
	img := byID(tree(t, s), "photo")
	if !strings.HasPrefix(attr(img, "src"), "data:image/") {
		t.Fatalf("photo src = %.40q", attr(img, "src"))
	}
	if _, ok := attrOK(img, "srcset"); ok {
		t.Error("srcset kept next to an inlined data: src")
	}
}

func TestGleapKeepsDrawingLayer(t *testing.T) {
	page := `<!DOCTYPE html><html><head></head><body><p>page</p>` +
		`<div class="bb-capture-editor"><div class="bb-capture-toolbar">tools</div>` +
		`<svg class="bb-capture-svg" width="100" height="100"><path d="M0 0L10 10" stroke="red"></path></svg></div>` +
		`<div class="bb-feedback-button">btn</div><div class="gleap-frame-container"><iframe class="gleap-frame"></iframe></div></body></html>`
	shot, _ := json.Marshal(map[string]any{"html": page, "baseUrl": "https://app.example.com/app", "width": 800, "height": 600, "isMobile": false, "x": 0, "y": 10})
	s := mustParse(t, shot, Options{})
	doc := tree(t, s)
	if s.URL != "https://app.example.com/app/" {
		t.Errorf("URL = %q: baseUrl is a directory", s.URL)
	}
	if s.Viewport.Width != 800 || s.Viewport.DeviceScaleFactor != 1 || s.Scroll.Y != 10 {
		t.Errorf("viewport %+v scroll %+v", s.Viewport, s.Scroll)
	}
	if len(elements(doc, func(n *html.Node) bool { return hasClass(n, "bb-capture-editor") })) != 1 ||
		len(elements(doc, func(n *html.Node) bool { return hasClass(n, "bb-capture-svg") })) != 1 {
		t.Error("drawing layer removed")
	}
	if bytes.Contains(s.HTML, []byte("bb-capture-toolbar")) || bytes.Contains(s.HTML, []byte("bb-feedback-button")) || bytes.Contains(s.HTML, []byte("gleap-frame")) {
		t.Error("SDK UI left")
	}
}
