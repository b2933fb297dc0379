package netguard

import (
	"context"
	"net"
)

// SystemDial exposes the Fetcher's last dialer (the system's, unless
// Config.DialContext replaced it), to show that it refuses a disallowed
// address by itself.
func SystemDial(f *Fetcher) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return f.dialer.dial
}
