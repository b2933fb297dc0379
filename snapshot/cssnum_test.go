package snapshot

import (
	"strings"
	"testing"
)

func TestRestoreNumbers(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// Chromium's serialization of Bootstrap 4's grid, and back.
		{".col-lg-7 { flex: 0 0 58.3333%; max-width: 58.3333%; }", ".col-lg-7 { flex: 0 0 58.33333333%; max-width: 58.33333333%; }"},
		{".col-1 { max-width: 8.33333%; } .offset-1 { margin-left: -16.6667%; }", ".col-1 { max-width: 8.333333333%; } .offset-1 { margin-left: -16.66666667%; }"},
		{"p { line-height: 1.42857; width: 0.666667em; }", "p { line-height: 1.428571429; width: 0.6666666667em; }"},
		{"@keyframes k { 33.3333% { opacity: 0.5; } }", "@keyframes k { 33.33333333% { opacity: 0.5; } }"},
		// Left alone: exact numbers, fewer or more digits, no fraction
		// of a small denominator, identifiers, hashes, strings, url(),
		// unicode ranges, exponents, escapes.
		{"a { width: 10000.2px; height: 1.23457em; }", ""},
		{"a { width: 12.5%; top: 33.333%; left: 33.33333%; x: 123456px; y: 58.3334%; }", ""},
		{".w-58\\.3333 { color: #583333; } .x58.3333 {}", ""},
		{`a::before { content: "58.3333%"; background: url(img/58.3333.png) }`, ""},
		{`a { background: url( "x/16.6667.png" ) }`, ""},
		{"@font-face { unicode-range: U+583333, u+0025-00FF; }", ""},
		{"a { width: 8.33333e1%; } /* 58.3333% */", ""},
		{"", ""},
		{"58.3333", "58.33333333"},
		{"a{top:+41.6667px;left:.583333em}", "a{top:+41.66666667px;left:0.5833333333em}"},
	} {
		want := tc.want
		if want == "" {
			want = tc.in
		}
		if got := RestoreNumbers(tc.in); got != want {
			t.Errorf("RestoreNumbers(%q)\n got %q\nwant %q", tc.in, got, want)
		}
	}
}

func FuzzRestoreNumbers(f *testing.F) {
	f.Add(".col-lg-7 { flex: 0 0 58.3333%; }")
	f.Add(`"\`)
	f.Add("url(")
	f.Add("u+")
	f.Fuzz(func(t *testing.T, s string) {
		out := RestoreNumbers(s)
		if out == s {
			return
		}
		if again := RestoreNumbers(out); again != out {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, out, again)
		}
	})
}

// Large sheets come from the process's memory the second time, the same.
func TestRestoreNumbersRemembers(t *testing.T) {
	ForgetRestoredSheets()
	css := strings.Repeat(".c7 { flex: 0 0 58.3333%; } ", 100)
	want := strings.Repeat(".c7 { flex: 0 0 58.33333333%; } ", 100)
	plain := strings.Repeat(".a { width: 50%; } ", 100)
	for i := 0; i < 2; i++ {
		if got := RestoreNumbers(css); got != want {
			t.Fatalf("call %d: %.60q…", i, got)
		}
		if got := RestoreNumbers(plain); got != plain {
			t.Fatalf("call %d changed a sheet without shortened numbers", i)
		}
	}
	if n := len(restoredSheets.m); n != 2 {
		t.Errorf("%d sheets remembered, want 2", n)
	}
}
