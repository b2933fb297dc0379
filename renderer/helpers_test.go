package renderer

import (
	"net"
	"net/http"
	"strings"
)

// startStatic serves dir under prefix on a loopback port for the life of
// the test binary and returns host:port.
func startStatic(dir, prefix string) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	fs := http.StripPrefix(prefix, http.FileServer(http.Dir(dir)))
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, prefix) {
			http.NotFound(w, r)
			return
		}
		fs.ServeHTTP(w, r)
	}))
	return ln.Addr().String()
}
