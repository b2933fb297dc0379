// Package renderer turns a snapshot.Snapshot into an image in headless
// Chromium, safely and fast.
//
// # Lifecycle
//
// A Pool owns Config.Browsers Chromium processes (chromedp, the system's
// Chromium found on PATH or at KILN_CHROME_PATH), each in its own process
// group with a temporary profile and a fontconfig file Kiln owns, each with
// Config.TabsPerBrowser warm tabs. A tab lives in a browser context of its
// own and renders one job at a time. A browser is replaced after
// Config.RecycleAfter jobs or when it crashes; a tab that failed is replaced
// in place. Close kills every process group and removes the profiles.
//
// # Isolation and safety
//
// Chromium never reaches the network: its proxy is a sink inside Kiln
// (loopback included). The document is written into the tab with
// Page.setDocumentContent (half the Chromium CPU of a navigation, see
// docs/benchmarks.md), with a CSP meta ahead of everything that forbids
// scripts, plugins, workers and connections; its own <base href> resolves
// relative URLs. Every request the page then makes is paused by CDP Fetch
// interception and answered by Kiln:
//   - the snapshot's resources, from memory;
//   - other http(s) URLs through a netguard.Fetcher, which resolves the host,
//     refuses loopback, private, link-local and metadata addresses, dials
//     exactly the address it checked and re-checks every redirect, within
//     size, time and concurrency limits;
//   - any other navigation with 204 No Content (the page stays put), and
//     everything else fails.
//
// Every response carries Cache-Control: no-store and no cookies, and page
// scripts never run, so nothing one job loads can be seen by the next one
// in the same tab (TestRenderIsolation proves it with two jobs that serve
// different bytes at the same URL).
//
// # Pipeline
//
// A render is a list of timed steps, each reported in Result.Steps: queue
// (Pool.Render waiting for a tab, preferring one already at the job's
// viewport), then the tab's pipeline (pipeline.go), one file a step:
// load (viewport emulation, document, load event; load.go), settle (the
// script prepare.js defines custom elements, applies :target, freezes
// time-driven animations (scroll-driven ones follow the scroll), paints
// canvas pixels, seeks videos, applies element and window scroll and the
// text selection, waits for web fonts and images, then moves the mouse
// for :hover; settle.go), capture (Chromium encodes WebP, JPEG or PNG itself, at the
// device pixel ratio; capture.go) and thumb (a JPEG thumbnail, also used
// to detect blank renders; thumb.go). A failed step ends the render with
// its own error. Requests the page makes meanwhile are answered in
// intercept.go; a tab's lifecycle is in tab.go.
//
// # Errors
//
// Render wraps ErrBadInput for options or snapshots that can never render
// (do not retry), and ErrTimeout, ErrBrowser or ErrClosed for faults a
// retry can cure. Every render needs a context with a deadline.
package renderer
