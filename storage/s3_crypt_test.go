package storage_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/storage"
	"github.com/kilnrender/kiln/storage/storagetest"
)

// newSealedS3 is an S3 store sealing under master, its URLs served by an
// httptest server on its Handler (as the API mounts it at /files/).
func newSealedS3(t testing.TB, srv testenv.S3Server, master []byte, edit func(*storage.S3Config)) *storage.S3 {
	t.Helper()
	var s *storage.S3
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	cfg := s3Config(srv)
	cfg.EncryptionKey, cfg.BaseURL = master, hs.URL
	if edit != nil {
		edit(&cfg)
	}
	var err error
	if s, err = storage.NewS3(t.Context(), cfg); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestS3SealedConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) storage.Store { return newSealedS3(t, testenv.S3(t), randKey(), nil) })
}
