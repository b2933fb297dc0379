package netguard

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
)

// Errors of CheckURL, Fetcher, Dialer and Client; match them with errors.Is.
var (
	ErrBlocked     = errors.New("request blocked")    // the network policy refused the URL or address
	ErrTooLarge    = errors.New("response too large") // the body exceeded Config.MaxBytes
	ErrFetchFailed = errors.New("fetch failed")       // network, DNS, TLS, timeout, redirects
)

// Block reasons, as returned by AllowedIP and BlockReason. They are short and
// stable so that they can label metrics and appear in render reports.
const (
	ReasonScheme      = "scheme"      // not http or https
	ReasonUserinfo    = "userinfo"    // user:pass@ in the URL
	ReasonHost        = "host"        // missing or malformed host
	ReasonPort        = "port"        // port outside the allowed set
	ReasonMalformed   = "malformed"   // the URL does not parse
	ReasonLoopback    = "loopback"    // 127.0.0.0/8, ::1, localhost
	ReasonPrivate     = "private"     // RFC 1918, fc00::/7, fec0::/10, 64:ff9b:1::/48
	ReasonLinkLocal   = "link-local"  // 169.254.0.0/16, fe80::/10
	ReasonCGNAT       = "cgnat"       // 100.64.0.0/10 (shared address space)
	ReasonMetadata    = "metadata"    // cloud instance metadata services
	ReasonUnspecified = "unspecified" // 0.0.0.0/8, ::
	ReasonMulticast   = "multicast"   // 224.0.0.0/4, ff00::/8
	ReasonBroadcast   = "broadcast"   // 255.255.255.255
	ReasonReserved    = "reserved"    // IETF special-purpose ranges, Teredo, non-global IPv6
	ReasonDenied      = "denied"      // listed in the operator's Policy.Deny
	ReasonTooLarge    = "too-large"   // response body over Config.MaxBytes
	ReasonTimeout     = "timeout"     // Config.Timeout passed
	ReasonCanceled    = "canceled"    // the caller's context was canceled
	ReasonRedirects   = "redirects"   // too many redirects, or a bad Location
	ReasonDNS         = "dns"         // the host name did not resolve
	ReasonTLS         = "tls"         // certificate verification or handshake failed
	ReasonEncoding    = "encoding"    // a Content-Encoding the fetcher does not decode
	ReasonNetwork     = "network"     // connection refused, reset, ...
)

// reasonError carries a machine-friendly reason alongside an error that
// already wraps one of the package's sentinels.
type reasonError struct {
	reason string
	err    error
}

func (e *reasonError) Error() string { return e.err.Error() }
func (e *reasonError) Unwrap() error { return e.err }

// blocked returns an ErrBlocked error such as
// "blocked: loopback address 127.0.0.1: request blocked".
func blocked(reason, format string, args ...any) error {
	return &reasonError{reason: reason, err: fmt.Errorf("blocked: %s: %w", fmt.Sprintf(format, args...), ErrBlocked)}
}

// failed returns an ErrFetchFailed error with the given reason; cause,
// when not nil, stays reachable with errors.Is and errors.As.
func failed(reason string, cause error, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if cause != nil {
		return &reasonError{reason: reason, err: fmt.Errorf("%s: %w: %w", msg, cause, ErrFetchFailed)}
	}
	return &reasonError{reason: reason, err: fmt.Errorf("%s: %w", msg, ErrFetchFailed)}
}

// contextErr describes why ctx ended.
func contextErr(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return failed(ReasonTimeout, context.DeadlineExceeded, "timed out")
	}
	return failed(ReasonCanceled, ctx.Err(), "canceled")
}

// classify turns a RoundTrip error into one of the package's errors.
func classify(ctx context.Context, err error) error {
	var re *reasonError
	if errors.As(err, &re) {
		return re
	}
	if ctx.Err() != nil {
		return contextErr(ctx)
	}
	var (
		certErr  *tls.CertificateVerificationError
		authErr  x509.UnknownAuthorityError
		hostErr  x509.HostnameError
		invErr   x509.CertificateInvalidError
		alertErr tls.AlertError
		recErr   tls.RecordHeaderError
	)
	if errors.As(err, &certErr) || errors.As(err, &authErr) || errors.As(err, &hostErr) ||
		errors.As(err, &invErr) || errors.As(err, &alertErr) || errors.As(err, &recErr) {
		return failed(ReasonTLS, err, "tls")
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return failed(ReasonTimeout, err, "timed out")
	}
	return failed(ReasonNetwork, err, "request")
}

// BlockReason returns a short, stable reason for an error of this package
// (one of the Reason constants, e.g. "loopback", "scheme", "too-large",
// "timeout"), "" for nil, and "error" for an error it does not know.
func BlockReason(err error) string {
	if err == nil {
		return ""
	}
	var re *reasonError
	if errors.As(err, &re) {
		return re.reason
	}
	switch {
	case errors.Is(err, ErrTooLarge):
		return ReasonTooLarge
	case errors.Is(err, context.DeadlineExceeded):
		return ReasonTimeout
	case errors.Is(err, context.Canceled):
		return ReasonCanceled
	}
	return "error"
}

// shortURL bounds a URL for error messages.
func shortURL(s string) string { return shortString(s, 200) }

func shortString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
