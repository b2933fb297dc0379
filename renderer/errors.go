package renderer

import "errors"

// Errors. Render wraps one of these so that callers can classify failures:
// ErrBadInput means the input can never render (do not retry); the others
// are faults of this process or machine (retry).
var (
	ErrBadInput  = errors.New("bad input")               // options or snapshot the renderer cannot honour
	ErrBrowser   = errors.New("browser failure")         // Chromium crashed or stopped answering
	ErrTimeout   = errors.New("render timed out")        // the job's deadline passed
	ErrClosed    = errors.New("renderer closed")         // Render after Close
	ErrNoChrome  = errors.New("chromium not found")      // no Chromium binary
	ErrNoContext = errors.New("context has no deadline") // browser work needs a deadline
)
