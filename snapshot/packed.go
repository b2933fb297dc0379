package snapshot

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"io"
)

// UnpackEvent decodes one packed event of a Gleap webReplay: raw is the
// JSON string (quotes included) whose characters are the bytes of a zlib
// stream (one character per byte, all at most U+00FF), holding the
// event's JSON. The inflated JSON is bounded by maxBytes, so a zlib bomb
// costs at most that much memory. Errors wrap ErrInvalid (not a packed
// event, corrupt zlib) or ErrTooLarge (over maxBytes).
func UnpackEvent(raw []byte, maxBytes int) ([]byte, error) {
	var u unpacker
	out, err := u.unpack(raw, maxBytes)
	if err != nil {
		return nil, err
	}
	return bytes.Clone(out), nil
}

// unpacker inflates packed events, reusing its buffers and zlib state
// from one event to the next.
type unpacker struct {
	z   []byte // the zlib stream
	zr  io.ReadCloser
	out bytes.Buffer
}

// unpack is UnpackEvent; the result is valid until the next call.
func (u *unpacker) unpack(raw []byte, maxBytes int) ([]byte, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, eventErrorf(ErrInvalid, "unpack event: not a JSON string")
	}
	u.z = u.z[:0]
	for _, r := range s {
		if r > 0xff {
			return nil, eventErrorf(ErrInvalid, "unpack event: character above U+00FF")
		}
		u.z = append(u.z, byte(r))
	}
	var err error
	if u.zr == nil {
		u.zr, err = zlib.NewReader(bytes.NewReader(u.z))
	} else {
		err = u.zr.(zlib.Resetter).Reset(bytes.NewReader(u.z), nil)
	}
	if err != nil {
		u.zr = nil
		return nil, eventErrorf(ErrInvalid, "unpack event: bad zlib header")
	}
	u.out.Reset()
	n, err := io.Copy(&u.out, io.LimitReader(u.zr, int64(maxBytes)+1))
	if err != nil {
		return nil, eventErrorf(ErrInvalid, "unpack event: corrupt zlib stream")
	}
	if n > int64(maxBytes) {
		return nil, eventErrorf(ErrTooLarge, "unpack event: more than %d bytes inflated", maxBytes)
	}
	return u.out.Bytes(), nil
}
