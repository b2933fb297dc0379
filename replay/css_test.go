package replay

import "testing"

// The background shorthand Chromium writes for a rule that set one value
// of a layered longhand after `background: A, B` gets that value on every
// layer again; other values are left as they are.
func TestRepairBackgrounds(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"longhands after two layers",
			`header.m { padding-top: 10rem; background: linear-gradient(rgba(92, 77, 66, 0.8) 0%, rgba(92, 77, 66, 0.8) 100%) center center / cover no-repeat scroll, url("a.jpg"); }h1{background:red}`,
			`header.m { padding-top: 10rem; background: linear-gradient(rgba(92, 77, 66, 0.8) 0%, rgba(92, 77, 66, 0.8) 100%) center center / cover no-repeat scroll, url("a.jpg") center center / cover no-repeat scroll; }h1{background:red}`},
		{"colour on the last layer, important",
			`a{background: url(a) 0 0 / 10px repeat-x, url(b), url(c) rgb(1, 2, 3) !important}`,
			`a{background: url(a) 0 0 / 10px repeat-x, url(b) 0 0 / 10px repeat-x, url(c) 0 0 / 10px repeat-x rgb(1, 2, 3) !important}`},
		{"every layer has its own", `a{background: url(a) center, url(b) left top}`, ""},
		{"one layer", `a{background: url(a) center / cover}`, ""},
		{"first layer without settings", `a{background: url(a), url(b)}`, ""},
		{"longhand", `a{background-image: url(a), url(b); background-size: cover}`, ""},
		{"not a declaration", `a{content: "background: url(a) center, url(b)"}`, ""},
		{"custom property", `a{--x-background: url(a) center, url(b)}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.want
			if want == "" {
				want = tc.in
			}
			if got := repairBackgrounds(tc.in); got != want {
				t.Errorf("repairBackgrounds:\n got %s\nwant %s", got, want)
			}
		})
	}
}
