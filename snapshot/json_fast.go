package snapshot

import "encoding/json"

// The fast way through a JSON snapshot object. A Kiln or Gleap snapshot
// is one object whose few fields hold megabytes of strings (the HTML,
// base64 resources); encoding/json crosses them a byte at a time, three
// times over (validating, splitting into fields, decoding each), which
// cost 40–70 ms of a render's CPU on the corpus. These read the plain
// form the fast scanner reads (rrweb_scan.go), eight bytes at a time; on
// anything else they give up and the caller decodes with encoding/json,
// so both ways give the same values and the same errors.

// objectFields splits b, one JSON object with nothing but white space
// around it, into its fields as json.Unmarshal into a
// map[string]json.RawMessage does (each value's bytes without the space
// around them), the values being slices of b. ok false means: b is not
// valid JSON, not an object, or has a key twice or with an escape or
// beyond ASCII; decode with encoding/json.
func objectFields(b []byte) (map[string]json.RawMessage, bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, false
	}
	end, err := scanValue(b, i, 0)
	if err != nil || skipSpace(b, end) != len(b) {
		return nil, false
	}
	fields := map[string]json.RawMessage{}
	i = skipSpace(b, i+1)
	for i < end && b[i] == '"' {
		kend := skipValue(b, i)
		key := b[i+1 : kend-1]
		for _, c := range key {
			if c == '\\' || c >= 0x80 {
				return nil, false
			}
		}
		i = skipSpace(b, kend)
		i = skipSpace(b, i+1) // the colon
		vend := skipValue(b, i)
		if _, dup := fields[string(key)]; dup {
			return nil, false
		}
		fields[string(key)] = b[i:vend:vend]
		i = skipSpace(b, vend)
		if i < end && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	return fields, true
}

// plainString reads raw, one JSON string, as json.Unmarshal into a string
// does; ok false means: decode with encoding/json (not a string, bytes
// that are not UTF-8).
func plainString(raw []byte) (string, bool) {
	p := fastParser{b: raw}
	s, ok := p.fullString()
	return s, ok && p.end()
}

// plainResources reads raw, the resources array of Kiln snapshot JSON, as
// readResources's decoder does, when every item is plain (resource); ok
// false means: decode with encoding/json.
func plainResources(raw []byte) ([]kilnResource, bool) {
	p := fastParser{b: raw}
	var items []kilnResource
	ok := p.array(func() bool {
		r, ok := p.resource()
		items = append(items, r)
		return ok
	})
	return items, ok && p.end()
}

// plainResource reads raw, one resource object, as a decoder that
// disallows unknown fields does, when it is plain (resource).
func plainResource(raw []byte) (kilnResource, bool) {
	p := fastParser{b: raw}
	r, ok := p.resource()
	return r, ok && p.end()
}

// resource reads a resource object of exactly the fields url,
// contentType and data, each at most once and a string in valid UTF-8
// (fullString).
func (p *fastParser) resource() (kilnResource, bool) {
	var r kilnResource
	var seen [3]bool
	ok := p.object(func(key []byte) bool {
		var dst *string
		var k int
		switch string(key) {
		case "url":
			dst, k = &r.URL, 0
		case "contentType":
			dst, k = &r.ContentType, 1
		case "data":
			dst, k = &r.Data, 2
		default:
			return false
		}
		if seen[k] {
			return false
		}
		seen[k] = true
		s, ok := p.fullString()
		*dst = s
		return ok
	})
	return r, ok
}
