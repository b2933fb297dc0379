package renderer

import (
	"net"
	"net/http"
	"strings"
)

// startStatic serves dir under prefix on a loopback port for the life of
// the test binary and returns host:port.
func startStatic(dir, prefix string) string {
	fs := http.StripPrefix(prefix, http.FileServer(http.Dir(dir)))
	return startHTTP(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, prefix) {
			http.NotFound(w, r)
			return
		}
		fs.ServeHTTP(w, r)
	})
}

// startHTTP serves h on a loopback port for the life of the test binary
// and returns host:port.
func startHTTP(h http.HandlerFunc) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go http.Serve(ln, h)
	return ln.Addr().String()
}
