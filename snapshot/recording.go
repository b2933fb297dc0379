package snapshot

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"maps"
	"math"
	"net/url"
	"slices"
	"strings"
)

// Kiln replay JSON (docs/replay.md, docs/replay.schema.json) is an object
// {"version": 1, "viewport": {...}, "resources": [...], "events": [...]}:
// rrweb events with the subresources they reference (the same resource
// objects and limits as Kiln snapshot JSON) and the density the page was
// shown at. The EventDecoder reads it one event at a time like any other
// recording; the fields other than events must come before "events",
// since the events are read in one pass and a resource must be known
// before the first event that references it.

// ReplayFormatVersion is the version of Kiln replay JSON this package
// reads (field "version"; absent means 1).
const ReplayFormatVersion = 1

// replayFields are the fields of Kiln replay JSON besides "events" that
// the decoder reads; the schema test keeps docs/replay.schema.json in
// step with them.
var replayFields = map[string]bool{"version": true, "events": true, "resources": true, "viewport": true}

var replayViewportFields = map[string]bool{"width": true, "height": true, "deviceScaleFactor": true, "mobile": true}

// ResourceTable holds the subresources a recording carries: the
// "resources" of Kiln replay JSON and the payloads of rrweb asset events
// (type 7, rrweb's captureAssets), by absolute URL. It is bounded by
// Limits.MaxResources and MaxResourceBytes: listed resources over them
// fail the recording (as in snapshot JSON); asset events over them are
// not kept (Dropped counts them), since an event stream is read on past
// its bad parts.
type ResourceTable struct {
	lim     Limits
	byURL   map[string]Resource
	seen    map[string]bool // listed URLs, for duplicate checks
	bytes   int64
	dropped int
}

func newResourceTable(lim Limits) *ResourceTable {
	return &ResourceTable{lim: lim, byURL: map[string]Resource{}, seen: map[string]bool{}}
}

// Lookup returns the resource given for an absolute http(s) URL (the
// fragment is ignored); ok is false when none was.
func (t *ResourceTable) Lookup(u string) (r Resource, ok bool) {
	if t == nil || len(t.byURL) == 0 {
		return Resource{}, false
	}
	r, ok = t.byURL[resourceKey(u)]
	return r, ok
}

// Len is the number of resources held.
func (t *ResourceTable) Len() int {
	if t == nil {
		return 0
	}
	return len(t.byURL)
}

// Bytes is the decoded size of the resources held.
func (t *ResourceTable) Bytes() int64 {
	if t == nil {
		return 0
	}
	return t.bytes
}

// Dropped is the number of asset events whose payload was not kept: over
// the limits, a URL given twice, or not a payload Kiln reads.
func (t *ResourceTable) Dropped() int {
	if t == nil {
		return 0
	}
	return t.dropped
}

// All returns the resources held, in URL order.
func (t *ResourceTable) All() []Resource {
	if t == nil {
		return nil
	}
	out := make([]Resource, 0, len(t.byURL))
	for _, k := range slices.Sorted(maps.Keys(t.byURL)) {
		out = append(out, t.byURL[k])
	}
	return out
}

// resourceKey is a URL as the table keys it: its normal form (checkURL's)
// without fragment.
func resourceKey(u string) string {
	p, err := url.Parse(strings.TrimSpace(u))
	if err != nil {
		return u
	}
	p.Fragment, p.RawFragment = "", ""
	p.Host = strings.ToLower(p.Host)
	return p.String()
}

// add keeps r (already checked) if the limits allow.
func (t *ResourceTable) add(r Resource) bool {
	k := resourceKey(r.URL)
	if _, dup := t.byURL[k]; dup || len(t.byURL) >= t.lim.MaxResources || t.bytes+int64(len(r.Data)) > t.lim.MaxResourceBytes {
		return false
	}
	t.byURL[k] = r
	t.bytes += int64(len(r.Data))
	return true
}

func (d *EventDecoder) readKilnField(key string) error {
	switch key {
	case "version":
		return d.readVersion()
	case "resources":
		return d.readResources()
	}
	return d.readViewport()
}

// readResources reads the "resources" array of Kiln replay JSON one
// element at a time into the table, with the decoding and checks of
// snapshot JSON's resources (kilnResource.decode, checkResource).
func (d *EventDecoder) readResources() error {
	tok, err := d.dec.Token()
	if err != nil {
		return d.streamErr(err)
	}
	if tok == nil {
		return nil
	}
	if tok != json.Delim('[') {
		return invalidf("resources: must be an array of objects")
	}
	t := d.res
	var total int64
	for i := 0; d.dec.More(); i++ {
		if i >= d.lim.MaxResources {
			return tooLargef("resources: more than %d", d.lim.MaxResources)
		}
		var raw json.RawMessage
		if err := d.dec.Decode(&raw); err != nil {
			return d.streamErr(err)
		}
		kr, ok := plainResource(raw)
		if !ok {
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			kr = kilnResource{}
			if err := dec.Decode(&kr); err != nil {
				if strings.HasPrefix(err.Error(), "json: unknown field") {
					return invalidf("resources[%d]: unknown field", i)
				}
				return invalidf("resources[%d]: %s", i, jsonProblem(err))
			}
		}
		r, err := kr.decode(i, &total, d.lim)
		if err != nil {
			return err
		}
		if err := checkResource(&r, i, t.seen); err != nil {
			return err
		}
		if t.bytes+int64(len(r.Data)) > d.lim.MaxResourceBytes {
			return tooLargef("resources: more than %d bytes", d.lim.MaxResourceBytes)
		}
		if !t.add(r) {
			return invalidf("resources[%d].url: duplicate", i)
		}
	}
	if _, err := d.dec.Token(); err != nil { // the closing ]
		return d.streamErr(err)
	}
	return nil
}

// readViewport reads the "viewport" of Kiln replay JSON.
func (d *EventDecoder) readViewport() error {
	raw, err := d.value()
	if raw == nil {
		return err
	}
	if err := strictObject(raw, replayViewportFields, "viewport"); err != nil {
		return err
	}
	var v struct {
		Width             *float64 `json:"width"`
		Height            *float64 `json:"height"`
		DeviceScaleFactor *float64 `json:"deviceScaleFactor"`
		Mobile            bool     `json:"mobile"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return invalidf("viewport: %s", jsonProblem(err))
	}
	if (v.Width == nil) != (v.Height == nil) {
		return invalidf("viewport: width and height come together")
	}
	if v.Width != nil {
		if err := d.setScreen("viewport", *v.Width, *v.Height); err != nil {
			return err
		}
	}
	if v.DeviceScaleFactor != nil {
		if err := d.setDPR("viewport.deviceScaleFactor", *v.DeviceScaleFactor); err != nil {
			return err
		}
	}
	d.viewport.Mobile = v.Mobile
	return nil
}

// value reads the next JSON value: nil for null (or an error).
func (d *EventDecoder) value() (json.RawMessage, error) {
	var raw json.RawMessage
	if err := d.dec.Decode(&raw); err != nil {
		return nil, d.streamErr(err)
	}
	if isNull(raw) {
		return nil, nil
	}
	return raw, nil
}

// setScreen sets the device's size in CSS pixels (the screen of a
// phone), which may be smaller than the window rrweb records: on a phone,
// its Meta width is innerWidth, the width of a page wider than the screen.
func (d *EventDecoder) setScreen(field string, w, h float64) error {
	if !(w >= 1 && w <= float64(d.lim.MaxViewportWidth) && w == math.Trunc(w)) || !(h >= 1 && h <= float64(d.lim.MaxViewportHeight) && h == math.Trunc(h)) {
		return invalidf("%s: width and height must be whole numbers in 1..%d and 1..%d", field, d.lim.MaxViewportWidth, d.lim.MaxViewportHeight)
	}
	d.viewport.Width, d.viewport.Height = int(w), int(h)
	return nil
}

func (d *EventDecoder) setDPR(field string, dpr float64) error {
	if !(dpr >= 0.25 && dpr <= d.lim.MaxDPR) { // also rejects NaN
		return invalidf("%s: must be 0.25..%g", field, d.lim.MaxDPR)
	}
	d.viewport.DeviceScaleFactor = dpr
	return nil
}

// readVersion reads the "version" of Kiln replay JSON.
func (d *EventDecoder) readVersion() error {
	var v any
	if err := d.dec.Decode(&v); err != nil {
		return d.streamErr(err)
	}
	n, ok := v.(json.Number) // the decoder uses numbers
	f, err := n.Float64()
	if !ok || err != nil || f != math.Trunc(f) || f < 1 {
		return invalidf("version: must be a positive integer")
	}
	if f != ReplayFormatVersion {
		return unsupportedf("version: only version %d is supported", ReplayFormatVersion)
	}
	return nil
}

// readGleapMeta reads the density of a Gleap feedback body's metaData
// (devicePixelRatio, mobile), which the SDK sends before webReplay.
func (d *EventDecoder) readGleapMeta() error {
	raw, err := d.value()
	if raw == nil {
		return err
	}
	var meta gleapMeta
	if err := json.Unmarshal(raw, &meta); err != nil {
		return invalidf("gleap: metaData: %s", jsonProblem(err))
	}
	if meta.DevicePixelRatio != nil {
		if err := d.setDPR("gleap: metaData.devicePixelRatio", *meta.DevicePixelRatio); err != nil {
			return err
		}
	}
	if meta.Mobile != nil && *meta.Mobile {
		d.viewport.Mobile = true
		// A phone's window is its screen: its size, when the page was
		// wider than the screen, is not innerWidth.
		if meta.ScreenWidth != nil && meta.ScreenHeight != nil {
			_ = d.setScreen("gleap: metaData.screenWidth/screenHeight", *meta.ScreenWidth, *meta.ScreenHeight) // not used when out of range
		}
	}
	return nil
}

// afterEvents reads what follows the events array up to the end of the
// input: the rest of each object it sits in. A field of Kiln replay JSON
// there came too late to be used and fails the recording.
func (d *EventDecoder) afterEvents() error {
	for ; d.depth > 0; d.depth-- {
		for d.dec.More() {
			tok, err := d.dec.Token()
			if err != nil {
				return d.streamErr(err)
			}
			if key, _ := tok.(string); d.format != SourceGleap && d.depth == 1 && replayFields[key] && key != "events" {
				return invalidf("%s: must come before events (a recording is read in one pass)", key)
			}
			var skip json.RawMessage
			if err := d.dec.Decode(&skip); err != nil {
				return d.streamErr(err)
			}
		}
		if _, err := d.dec.Token(); err != nil { // the closing }
			return d.streamErr(err)
		}
	}
	return nil
}

// assetResource is an rrweb asset event's resource: data {url, payload:
// {rr_type: "Blob", type, data: [{rr_type: "ArrayBuffer", base64}]}} as
// rrweb 2.x serializes a fetched Blob; ok is false for anything else
// (a failed capture, another payload).
func assetResource(data json.RawMessage) (r Resource, ok bool) {
	var a struct {
		URL     string `json:"url"`
		Payload *struct {
			RRType string `json:"rr_type"`
			Type   string `json:"type"`
			Data   []struct {
				RRType string `json:"rr_type"`
				Base64 string `json:"base64"`
			} `json:"data"`
		} `json:"payload"`
	}
	if json.Unmarshal(data, &a) != nil || a.Payload == nil || a.Payload.RRType != "Blob" {
		return Resource{}, false
	}
	var body []byte
	for _, part := range a.Payload.Data {
		if part.RRType != "ArrayBuffer" {
			return Resource{}, false
		}
		b, err := base64.StdEncoding.DecodeString(part.Base64)
		if err != nil {
			return Resource{}, false
		}
		body = append(body, b...)
	}
	ct := a.Payload.Type
	if ct == "" {
		ct = "application/octet-stream"
	}
	r = Resource{URL: a.URL, ContentType: ct, Data: body}
	if checkResource(&r, 0, map[string]bool{}) != nil {
		return Resource{}, false
	}
	return r, true
}

// keepAsset adds an asset event's payload to the table.
func (d *EventDecoder) keepAsset(data json.RawMessage) {
	if r, ok := assetResource(data); ok && d.res.add(r) {
		return
	}
	d.res.dropped++
}
