module github.com/kilnrender/kiln/tools/bench

go 1.26.0

require (
	github.com/chromedp/cdproto v0.160.1
	github.com/chromedp/chromedp v0.23.0
	github.com/kilnrender/kiln v0.0.0
)

require (
	github.com/andybalholm/cascadia v1.3.5 // indirect
	github.com/disintegration/imaging v1.6.2 // indirect
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
	golang.org/x/image v0.48.0 // indirect
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)

replace github.com/kilnrender/kiln => ../..
