package storage

import (
	"context"
	"io"
	"net/http"
	"time"
)

// URL implements Store: BaseURL + "/files/" + key + "?exp=...&sig=...",
// served by Handler (urlSigner has the scheme). The key need not exist
// yet.
func (f *Folder) URL(ctx context.Context, key string, ttl time.Duration) (string, error) {
	return f.urls.url(ctx, key, ttl)
}

// Handler implements FileServer: GET and HEAD /files/{key...}?exp=..&sig=..
// for URLs made by URL, decrypted when sealed, with ranges. Mount it on the
// API's mux at "/files/".
func (f *Folder) Handler() http.Handler {
	return f.urls.handler(func(r *http.Request, key string) (Object, io.ReadSeeker, io.Closer, error) {
		fh, h, body, err := f.openObject(r.Context(), key)
		if err != nil {
			return Object{}, nil, nil, err
		}
		return h.object(key), body, fh, nil
	})
}
