package snapshot

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"mime"
	"strings"
)

// kilnFields are the fields of Kiln snapshot JSON (docs/snapshot.md); the
// schema test keeps docs/snapshot.schema.json in step with them.
var kilnFields = map[string]bool{
	"version": true, "url": true, "html": true, "rrweb": true,
	"viewport": true, "scroll": true, "resources": true, "mask": true,
}

type kilnViewport struct {
	Width             int     `json:"width"`
	Height            int     `json:"height"`
	DeviceScaleFactor float64 `json:"deviceScaleFactor"`
	Mobile            bool    `json:"mobile"`
}

var kilnViewportFields = map[string]bool{"width": true, "height": true, "deviceScaleFactor": true, "mobile": true}
var kilnScrollFields = map[string]bool{"x": true, "y": true}
var kilnResourceFields = map[string]bool{"url": true, "contentType": true, "data": true}

type kilnResource struct {
	URL         string `json:"url"`
	ContentType string `json:"contentType"`
	Data        string `json:"data"`
}

// readKiln reads Kiln snapshot JSON.
func readKiln(f map[string]json.RawMessage, lim Limits) (*document, error) {
	for k := range f {
		if !kilnFields[k] {
			return nil, invalidf("unknown top-level field")
		}
	}
	doc := &document{source: SourceKiln}
	if raw, ok := f["version"]; ok {
		var v float64
		if err := json.Unmarshal(raw, &v); err != nil || v != math.Trunc(v) || v < 1 {
			return nil, invalidf("version: must be a positive integer")
		}
		if v != FormatVersion {
			return nil, unsupportedf("version: only version %d is supported", FormatVersion)
		}
	}
	if raw, ok := f["url"]; ok {
		if err := json.Unmarshal(raw, &doc.url); err != nil {
			return nil, invalidf("url: must be a string")
		}
		if doc.url == "" {
			return nil, invalidf("url: must be an absolute http(s) URL")
		}
	}
	if raw, ok := f["viewport"]; ok && !isNull(raw) {
		if err := strictObject(raw, kilnViewportFields, "viewport"); err != nil {
			return nil, err
		}
		var v kilnViewport
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, invalidf("viewport: %s", jsonProblem(err))
		}
		if v.Width < 0 || v.Height < 0 || v.DeviceScaleFactor < 0 {
			return nil, invalidf("viewport: must not be negative")
		}
		doc.viewport = Viewport(v)
	}
	if raw, ok := f["scroll"]; ok && !isNull(raw) {
		if err := strictObject(raw, kilnScrollFields, "scroll"); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(raw, &doc.scroll); err != nil {
			return nil, invalidf("scroll: %s", jsonProblem(err))
		}
	}
	if raw, ok := f["mask"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &doc.mask); err != nil {
			return nil, invalidf("mask: must be an array of strings")
		}
	}
	if raw, ok := f["resources"]; ok && !isNull(raw) {
		res, err := readResources(raw, lim)
		if err != nil {
			return nil, err
		}
		doc.resources = res
	}

	htmlRaw, hasHTML := f["html"]
	rrRaw, hasRR := f["rrweb"]
	hasHTML = hasHTML && !isNull(htmlRaw)
	hasRR = hasRR && !isNull(rrRaw)
	switch {
	case hasHTML && hasRR:
		return nil, invalidf("html, rrweb: give one, not both")
	case hasHTML:
		s, ok := plainString(htmlRaw)
		if !ok {
			if err := json.Unmarshal(htmlRaw, &s); err != nil {
				return nil, invalidf("html: must be a string")
			}
		}
		root, err := parseHTML([]byte(s), lim, "html")
		if err != nil {
			return nil, err
		}
		doc.root = root
	case hasRR:
		b, err := rrwebNodeHTML(rrRaw, lim, "rrweb")
		if err != nil {
			return nil, err
		}
		root, err := parseHTML(b, lim, "rrweb")
		if err != nil {
			return nil, err
		}
		doc.root = root
	default:
		return nil, invalidf("html: required (or rrweb)")
	}
	return doc, nil
}

func readResources(raw json.RawMessage, lim Limits) ([]Resource, error) {
	// One decoding pass: resources carry most of a snapshot's bytes (base64
	// fonts and images), and every extra pass over them (RawMessage
	// splitting, per-item strictness checks) cost ~40 ms per 3 MB. The
	// plain form is read the fast way (json_fast.go).
	items, ok := plainResources(raw)
	if !ok {
		var err error
		if items, err = decodeResources(raw); err != nil {
			return nil, err
		}
	}
	if len(items) > lim.MaxResources {
		return nil, tooLargef("resources: more than %d", lim.MaxResources)
	}
	out := make([]Resource, 0, len(items))
	var total int64
	for i, r := range items {
		res, err := r.decode(i, &total, lim)
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}

// decodeResources reads the resources array with encoding/json, which
// rejects unknown fields and gives the errors readResources reports.
func decodeResources(raw json.RawMessage) ([]kilnResource, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var items []kilnResource
	if err := dec.Decode(&items); err != nil {
		var te *json.UnmarshalTypeError
		switch {
		case asType(err, &te) && te.Field != "":
			return nil, invalidf("resources[]: %s", jsonProblem(err))
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			return nil, invalidf("resources[]: unknown field")
		}
		return nil, invalidf("resources: must be an array of objects")
	}
	return items, nil
}

// decode decodes the i-th resource's data; total sums the decoded bytes
// of the resources so far against lim.MaxResourceBytes.
func (r kilnResource) decode(i int, total *int64, lim Limits) (Resource, error) {
	*total += int64(base64.StdEncoding.DecodedLen(len(r.Data)))
	if *total > lim.MaxResourceBytes+3 {
		return Resource{}, tooLargef("resources: more than %d bytes", lim.MaxResourceBytes)
	}
	data, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil {
		return Resource{}, invalidf("resources[%d].data: not base64", i)
	}
	return Resource{URL: r.URL, ContentType: r.ContentType, Data: data}, nil
}

// checkResources validates resources from any source against lim.
func checkResources(res []Resource, lim Limits) error {
	if len(res) > lim.MaxResources {
		return tooLargef("resources: more than %d", lim.MaxResources)
	}
	seen := make(map[string]bool, len(res))
	var total int64
	for i := range res {
		if err := checkResource(&res[i], i, seen); err != nil {
			return err
		}
		total += int64(len(res[i].Data))
		if total > lim.MaxResourceBytes {
			return tooLargef("resources: more than %d bytes", lim.MaxResourceBytes)
		}
	}
	return nil
}

// checkResource validates the i-th resource's URL (put in normal form)
// and content type; seen holds the URLs before it.
func checkResource(r *Resource, i int, seen map[string]bool) error {
	field := "resources[" + itoa(i) + "]"
	u, err := checkURL(field+".url", r.URL)
	if err != nil {
		return err
	}
	r.URL = u
	if seen[u] {
		return invalidf("%s.url: duplicate", field)
	}
	seen[u] = true
	ct := r.ContentType
	if len(ct) > 255 || strings.ContainsAny(ct, "\r\n") {
		return invalidf("%s.contentType: not a media type", field)
	}
	if mt, _, err := mime.ParseMediaType(ct); err != nil || !strings.Contains(mt, "/") {
		return invalidf("%s.contentType: not a media type", field)
	}
	return nil
}

// strictObject rejects fields outside known.
func strictObject(raw json.RawMessage, known map[string]bool, field string) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return invalidf("%s: must be an object", field)
	}
	for k := range m {
		if !known[k] {
			return invalidf("%s: unknown field", field)
		}
	}
	return nil
}

// fieldName quotes a JSON key only if it looks like a field name: keys are
// input, and messages never echo arbitrary input.
func fieldName(k string) string {
	if len(k) == 0 || len(k) > 40 {
		return "(field)"
	}
	for _, r := range k {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return "(field)"
		}
	}
	return k
}

// jsonProblem describes a decoding error without quoting input.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if asType(err, &te) && te.Field != "" {
		return fieldName(lastField(te.Field)) + ": wrong type"
	}
	return "wrong shape"
}

func lastField(f string) string {
	if i := strings.LastIndexByte(f, '.'); i >= 0 {
		return f[i+1:]
	}
	return f
}

func isNull(raw json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}
