package snapshot

import (
	"net/url"
	"testing"
)

func TestClimbedURL(t *testing.T) {
	base, _ := url.Parse("https://app.example:8443/index.html?x=1#top")
	for _, tc := range []struct{ in, want string }{
		{"https://img/bg.png", "https://app.example:8443/img/bg.png"},
		{"https:/bg.png", "https://app.example:8443/bg.png"},
		{"https://y.png", "https://app.example:8443/y.png"},
		{"https://img/a.png?v=2", "https://app.example:8443/img/a.png?v=2"},
		{"https://app.example:8443/a.png", ""}, // base's own host
		{"http://img/bg.png", ""},              // another scheme
		{"https://img:81/bg.png", ""},          // a port: a real host
		{"https://u@img/bg.png", ""},           // credentials
	} {
		u, err := url.Parse(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := ClimbedURL(u, base); got != tc.want {
			t.Errorf("ClimbedURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
