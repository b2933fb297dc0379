package scrub_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"

	"github.com/kilnrender/kiln/scrub"
)

// A Gleap-style item: the SDK key in a header is removed there and from
// the URL path where it appears again; ordinary data stays.
func Example() {
	s, err := scrub.New(scrub.DefaultConfig())
	if err != nil {
		panic(err)
	}
	var item any
	_ = json.Unmarshal([]byte(`{
		"formData": {"title": "Pay button broken"},
		"customData": {"plan": "pro", "card": "4111 1111 1111 1111"},
		"networkLogs": [
			{"url": "https://api.example.com/api/config/SDKKEY1234/tooltips",
			 "request": {"headers": {"Api-Token": ["SDKKEY1234"], "Accept": ["*/*"]},
			             "payload": "{\"email\":\"jane@example.com\",\"password\":\"hunter22\"}"}}
		]
	}`), &item)

	out, rep := s.Item(item)

	e := json.NewEncoder(os.Stdout)
	e.SetEscapeHTML(false)
	e.SetIndent("", "  ")
	_ = e.Encode(out)
	fmt.Println(rep)
	// Output:
	// {
	//   "customData": {
	//     "card": "[scrubbed:card]",
	//     "plan": "pro"
	//   },
	//   "formData": {
	//     "title": "Pay button broken"
	//   },
	//   "networkLogs": [
	//     {
	//       "request": {
	//         "headers": {
	//           "Accept": [
	//             "*/*"
	//           ],
	//           "Api-Token": [
	//             "[scrubbed:header]"
	//           ]
	//         },
	//         "payload": "{\"email\":\"jane@example.com\",\"password\":\"[scrubbed:key]\"}"
	//       },
	//       "url": "https://api.example.com/api/config/[scrubbed:known-secret]/tooltips"
	//     }
	//   ]
	// }
	// header=1 key=1 card=1 known-secret=1
}

// Text applies the value rules only: a CSS selector that names a password
// is not a secret, a bearer token is.
func ExampleScrubber_Text() {
	s, _ := scrub.New(scrub.Config{})
	fmt.Println(s.Text(`input[type=password]{border:0}`))
	fmt.Println(s.Text(`retry with Authorization: Bearer eW91LWZvdW5kLW1l`))
	// Output:
	// input[type=password]{border:0}
	// retry with Authorization: Bearer [scrubbed:bearer]
}

func ExampleScrubber_Headers() {
	s, _ := scrub.New(scrub.Config{})
	h := s.Headers(http.Header{
		"Cookie":       {"sid=S3ss10n-42; theme=dark"},
		"Content-Type": {"application/json"},
		"Referer":      {"https://shop.example.test/?from=S3ss10n-42"},
	})
	for _, k := range []string{"Cookie", "Content-Type", "Referer"} {
		fmt.Println(k+":", h.Get(k))
	}
	// Output:
	// Cookie: [scrubbed:header]
	// Content-Type: application/json
	// Referer: https://shop.example.test/?from=[scrubbed:known-secret]
}

// Parts of an item that are decoded later (Gleap's packed replay events)
// are scrubbed with the secrets the rest of the item revealed.
func ExampleScrubber_Learn() {
	s, _ := scrub.New(scrub.Config{})
	var item, event any
	_ = json.Unmarshal([]byte(`{"networkLogs":[{"request":{"headers":{"Api-Token":["SDKKEY1234"]}}}]}`), &item)
	_ = json.Unmarshal([]byte(`{"type":6,"data":{"plugin":"rrweb/network@1","payload":{"url":"/api/config/SDKKEY1234","sessionToken":"t0k"}}}`), &event)

	known := s.Learn(item)
	_ = known.Item(item) // store this
	out, _ := json.Marshal(known.Item(event))

	fmt.Println(string(out))
	fmt.Println(known.Report())
	// Output:
	// {"data":{"payload":{"sessionToken":"[scrubbed:key]","url":"/api/config/[scrubbed:known-secret]"},"plugin":"rrweb/network@1"},"type":6}
	// header=1 key=1 known-secret=1
}
