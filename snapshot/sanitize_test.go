package snapshot

import (
	"strings"
	"testing"
)

func TestSanitizerBypasses(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		opts   Options
		absent []string // must not appear in the output (lower-cased)
		kept   []string // must appear (lower-cased)
	}{
		{"upper-case script", `<SCRIPT>alert(1)</SCRIPT><p>ok</p>`, Options{}, []string{"<script", "alert"}, []string{"<p>ok</p>"}},
		{"svg script", `<svg><script>alert(1)</script><circle r="1"/></svg>`, Options{}, []string{"<script", "alert"}, []string{"<circle"}},
		{"svg script with xlink", `<svg><script xlink:href="data:,alert(1)"></script></svg>`, Options{}, []string{"<script"}, nil},
		{"onerror", `<img src="x.png" onerror="alert(1)" OnLoad="alert(2)">`, Options{}, []string{"onerror", "onload", "alert"}, []string{`src="x.png"`}},
		{"javascript href with tabs and newlines", "<a href=\" \tJaVa\nScRiPt\r:alert(1)\">x</a><a href=\"https://ok.example/\">y</a>", Options{}, []string{"alert"}, []string{"https://ok.example/"}},
		{"javascript with control chars", "<a href=\"\x01\x02javascript:alert(1)\">x</a>", Options{}, []string{"alert"}, nil},
		{"entity-encoded javascript", `<a href="&#106;avascript:alert(1)">x</a>`, Options{}, []string{"alert"}, nil},
		{"vbscript", `<a href="vbscript:msgbox(1)">x</a>`, Options{}, []string{"msgbox"}, nil},
		// A link stays a link (its href neutral): a:not([href]) styles differ.
		{"script link stays a link", `<a href="javascript:void(0)">x</a><area href="javascript:x()"><svg><a xlink:href="javascript:y()"><text>t</text></a></svg>`, Options{}, []string{"void", "x()", "y()"}, []string{`<a href="about:invalid">x</a>`, `<area href="about:invalid"`, `xlink:href="about:invalid"`}},
		{"form action", `<form action="javascript:alert(1)"><button formaction="JAVASCRIPT:alert(2)">b</button></form>`, Options{}, []string{"alert"}, []string{"<button"}},
		{"svg xlink href", `<svg><a xlink:href="javascript:alert(1)"><text>t</text></a></svg>`, Options{}, []string{"alert"}, []string{"<text>"}},
		{"svg animate href", `<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>t</text></a></svg>`, Options{}, []string{"alert", "<animate"}, nil},
		{"meta refresh", `<head><meta http-equiv="Refresh" content="0;url=https://evil.example/"></head>`, Options{}, []string{"refresh", "evil"}, nil},
		{"iframe file src", `<iframe src="file:///etc/passwd" width="300" height="80"></iframe>`, Options{}, []string{"passwd", " src="}, []string{`width="300"`}},
		{"iframe srcdoc sanitized", `<iframe srcdoc="<p>in</p><script>alert(1)</script><img src=x onerror=alert(2)>"></iframe>`, Options{}, []string{"alert", "&lt;script"}, []string{"&lt;p&gt;in&lt;/p&gt;"}},
		{"object", `<object data="https://evil.example/x.swf" width="200" height="100"><param name="a" value="b"></object>`, Options{}, []string{"<object", "evil", "<param"}, []string{"width:200px", "height:100px"}},
		{"embed without size", `<embed src="https://evil.example/x">`, Options{}, []string{"<embed", "evil"}, nil},
		{"applet", `<applet code="X.class" width="10" height="10"></applet>`, Options{}, []string{"<applet"}, []string{"width:10px"}},
		{"link preconnect", `<link rel="preconnect" href="https://evil.example"><link rel="DNS-Prefetch" href="//evil2.example"><link rel="stylesheet" href="https://cdn.example/a.css">`, Options{}, []string{"evil"}, []string{"cdn.example/a.css"}},
		{"link modulepreload and manifest", `<link rel="modulepreload" href="m.js"><link rel=manifest href=m.json>`, Options{}, []string{"m.js", "m.json"}, nil},
		{"base javascript", `<head><base href="javascript:alert(1)//"></head>`, Options{}, []string{"alert"}, []string{`<base href="https://snapshot.invalid/"/>`}},
		{"base relative resolved", `<head><base href="/app/"></head>`, Options{Override: Override{}}, nil, []string{`<base href="https://snapshot.invalid/app/"/>`}},
		{"noscript", `<noscript><img src="https://track.example/p.gif"></noscript><p>ok</p>`, Options{}, []string{"noscript", "track"}, []string{"ok"}},
		{"comment", `<!-- secret note --><p>x</p>`, Options{}, []string{"secret"}, nil},
		{"autofocus", `<input autofocus value="v">`, Options{}, []string{"autofocus"}, []string{`value="v"`}},
		{"password value", `<input type="PASSWORD" value="hunter2">`, Options{}, []string{"hunter2"}, []string{`value="*******"`}},
		{"autocomplete secret", `<input autocomplete="cc-number" value="4242424242424242">`, Options{}, []string{"4242"}, nil},
		{"rr-mask subtree", `<div class="rr-mask"><span>Jane Doe</span><input value="x y"></div>`, Options{}, []string{"jane"}, []string{"**** ***", `value="* *"`}},
		{"option mask selector", `<p id="a">visible</p><p class="pii">Jane</p>`, Options{Mask: []string{".pii"}}, []string{"jane"}, []string{"visible", "****"}},
		{"gleap-ignore value", `<div gleap-ignore="value">Notes <input value="leave at door"><textarea>private</textarea></div>`, Options{}, []string{"leave", "private"}, []string{"notes"}},
		{"rr-block img", `<img class="rr-block" src="https://a.example/face.jpg" alt="Jane" width="40" height="30">`, Options{}, []string{"face.jpg", "jane", "<img"}, []string{"width:40px", "height:30px", "#e0e0e0"}},
		{"rr-ignore input", `<input class="rr-ignore" value="x1">`, Options{}, []string{"x1"}, nil},
		{"style breakout stays text", `<style>p{}</style><p>a</p>`, Options{}, nil, []string{"<style>p{}</style>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustParse(t, []byte(tt.in), withName(tt.opts))
			out := strings.ToLower(string(s.HTML))
			for _, a := range tt.absent {
				if strings.Contains(out, strings.ToLower(a)) {
					t.Errorf("%q left in %s", a, s.HTML)
				}
			}
			for _, k := range tt.kept {
				if !strings.Contains(out, strings.ToLower(k)) {
					t.Errorf("%q missing in %s", k, s.HTML)
				}
			}
			if !verify(tree(t, s), nil, 0) {
				t.Errorf("output fails verification: %s", s.HTML)
			}
		})
	}
}

func withName(o Options) Options {
	o.Name = "page.html"
	return o
}

func TestScriptURL(t *testing.T) {
	for in, want := range map[string]bool{
		"javascript:x": true, " JAVASCRIPT:x": true, "java\tscript:x": true, "java\nscript:x": true,
		"\x00javascript:x": true, "vbscript:x": true, "https://a/javascript:": false,
		"javascriptx:": false, "#javascript:x": false, "": false, "java script:x": false,
	} {
		if got := scriptURL(in); got != want {
			t.Errorf("scriptURL(%q) = %v", in, got)
		}
	}
}

// FuzzRewriteCSSShortcut checks rewriteCSS's shortcut: CSS without "("
// or "@" is what the full scan leaves alone, without asking for a URL.
func FuzzRewriteCSSShortcut(f *testing.F) {
	for _, s := range []string{`a{color:red}`, `a{b:\75 rl\28 x\29}`, `a{b:"x"}`, `\40 import "x";`, `/* url */ a{b:c}`, "a{b:'\\\n'}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, css string) {
		if strings.ContainsAny(css, "(@") {
			return
		}
		asked := false
		out := scanCSS(css, func(kind URLKind, ref string) string { asked = true; return "x" })
		if out != css || asked {
			t.Fatalf("%q: the full scan gives %q (asked for a URL: %v)", css, out, asked)
		}
	})
}
