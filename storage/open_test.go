package storage_test

import (
	"encoding/base64"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kilnrender/kiln/internal/testenv"
	"github.com/kilnrender/kiln/storage"
)

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	key := base64.StdEncoding.EncodeToString(randKey())
	env := map[string]string{"KILN_PUBLIC_URL": "https://kiln.example.com/", "KILN_STORE_KEY": key}
	getenv := func(k string) string { return env[k] }
	ctx := t.Context()
	for _, uri := range []string{"file://" + dir + "/a", dir + "/b"} {
		s, err := storage.Open(ctx, uri, getenv)
		if err != nil {
			t.Fatalf("Open(%q): %v", uri, err)
		}
		f, ok := s.(*storage.Folder)
		if !ok {
			t.Fatalf("Open(%q) = %T, want *storage.Folder", uri, s)
		}
		if err := f.Put(ctx, "k", strings.NewReader("secret"), 6, storage.PutOptions{}); err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(filepath.Join(f.Dir(), "objects", "k"))
		if err != nil || strings.Contains(string(raw), "secret") {
			t.Errorf("Open(%q) with KILN_STORE_KEY: object not encrypted (%v)", uri, err)
		}
		u, _ := f.URL(ctx, "k", 60e9)
		if !strings.HasPrefix(u, "https://kiln.example.com/files/k?exp=") {
			t.Errorf("URL %q does not use KILN_PUBLIC_URL", u)
		}
		f.Close()
	}
	env["KILN_STORE_KEY"] = "c2hvcnQ="
	if _, err := storage.Open(ctx, dir+"/c", getenv); err == nil {
		t.Error("a 5-byte KILN_STORE_KEY accepted")
	}
	if _, err := storage.Open(ctx, "gs://bucket/x", getenv); !errors.Is(err, storage.ErrUnsupportedURI) {
		t.Errorf("gs://: %v, want ErrUnsupportedURI", err)
	}
	if _, err := storage.Open(ctx, "s3:///x", getenv); err == nil {
		t.Error("s3:// without a bucket accepted")
	}
}

func TestOpenS3(t *testing.T) {
	srv := testenv.S3(t)
	env := map[string]string{
		"KILN_S3_ENDPOINT": srv.Endpoint, "KILN_S3_REGION": srv.Region, "KILN_S3_PATH_STYLE": "true",
		"KILN_S3_ACCESS_KEY_ID": srv.AccessKey, "KILN_S3_SECRET_ACCESS_KEY": srv.SecretKey, "KILN_S3_BUCKET": "ignored",
	}
	ctx := t.Context()
	s, err := storage.Open(ctx, "s3://"+srv.Bucket+"/kiln/"+srv.Prefix, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "p/a/k", strings.NewReader("v"), 1, storage.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	out, err := testenv.S3Client(srv).GetObject(ctx, s3Get(srv.Bucket, "kiln/"+srv.Prefix+"p/a/k"))
	if err != nil {
		t.Fatalf("object not at bucket/prefix/key: %v", err)
	}
	b, _ := io.ReadAll(out.Body)
	out.Body.Close()
	if string(b) != "v" {
		t.Errorf("got %q", b)
	}
}
