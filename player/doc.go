// Package player holds kiln-player, the JavaScript module that plays a
// replay bundle (docs/replay.md) in a browser, and serves it.
//
// The files are static and embedded in the binary: kiln-player.js (an ES
// module that defines the <kiln-player> element), kiln-player.css and
// rrweb's Replayer (vendor/rrweb, the npm package's build, with its
// licence). Nothing is built at install time. Handler serves them with
// an ETag and a cache lifetime; CSP is the Content-Security-Policy a page
// that embeds the player should send, so that the recorded DOM, which
// inherits the page's policy, loads nothing from outside the bundle.
//
// docs/player.md shows how to embed it.
package player
