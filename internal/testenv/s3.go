package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// S3Server is an S3-compatible endpoint with a bucket for one test.
type S3Server struct {
	Endpoint  string // http://127.0.0.1:port
	Region    string
	AccessKey string
	SecretKey string
	Bucket    string
	// Prefix is unique to this call ("t-<hex>/"). A fresh versitygw bucket
	// is empty anyway; with a shared KILN_TEST_S3_BUCKET, keep to it.
	Prefix string
}

var s3srv struct {
	once sync.Once
	srv  S3Server
	cmd  *exec.Cmd
	done chan struct{}
	dir  string
	err  error
	skip string
}

// S3 returns an S3 endpoint and a fresh bucket. With KILN_TEST_S3_ENDPOINT
// set it uses that server (KILN_TEST_S3_ACCESS_KEY, KILN_TEST_S3_SECRET_KEY,
// KILN_TEST_S3_REGION, KILN_TEST_S3_BUCKET: an existing bucket, or one is
// created). Otherwise it starts versitygw (posix backend on a temp dir, on
// a free loopback port) once per test binary; the package's TestMain must
// call StopS3 after m.Run. A missing versitygw calls Missing.
func S3(t testing.TB) S3Server {
	t.Helper()
	s3srv.once.Do(startS3)
	if s3srv.skip != "" {
		Missing(t, s3srv.skip)
	}
	if s3srv.err != nil {
		t.Fatalf("start S3 server: %v", s3srv.err)
	}
	srv := s3srv.srv
	var b [6]byte
	rand.Read(b[:])
	srv.Prefix = "t-" + hex.EncodeToString(b[:]) + "/"
	if srv.Bucket != "" {
		return srv
	}
	srv.Bucket = "kiln-" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := S3Client(srv).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &srv.Bucket}); err != nil {
		t.Fatalf("create bucket %s: %v", srv.Bucket, err)
	}
	return srv
}

// S3Client is a plain SDK client for srv, for tests that look behind the
// store's back.
func S3Client(srv S3Server) *s3.Client {
	return s3.New(s3.Options{
		Region:       srv.Region,
		BaseEndpoint: aws.String(srv.Endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(srv.AccessKey, srv.SecretKey, ""),
	})
}

func startS3() {
	if ep := os.Getenv("KILN_TEST_S3_ENDPOINT"); ep != "" {
		s3srv.srv = S3Server{
			Endpoint:  ep,
			Region:    envOr("KILN_TEST_S3_REGION", "us-east-1"),
			AccessKey: os.Getenv("KILN_TEST_S3_ACCESS_KEY"),
			SecretKey: os.Getenv("KILN_TEST_S3_SECRET_KEY"),
			Bucket:    os.Getenv("KILN_TEST_S3_BUCKET"),
		}
		return
	}
	bin := FindPath("versitygw", "KILN_VERSITYGW")
	if bin == "" {
		s3srv.skip = "versitygw"
		return
	}
	dir, err := os.MkdirTemp("", "kiln-versitygw-")
	if err != nil {
		s3srv.err = err
		return
	}
	s3srv.dir = dir
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		s3srv.err = err
		return
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s3srv.err = err
		return
	}
	addr := l.Addr().String()
	l.Close()
	var kb [12]byte
	rand.Read(kb[:])
	srv := S3Server{
		Endpoint:  "http://" + addr,
		Region:    "us-east-1",
		AccessKey: "kiln-test",
		SecretKey: hex.EncodeToString(kb[:]),
	}
	log, err := os.Create(filepath.Join(dir, "versitygw.log"))
	if err != nil {
		s3srv.err = err
		return
	}
	cmd := exec.Command(bin, "--access", srv.AccessKey, "--secret", srv.SecretKey,
		"--region", srv.Region, "--port", addr, "--quiet", "posix", data)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY_ID=", "ROOT_SECRET_ACCESS_KEY=")
	if err := cmd.Start(); err != nil {
		log.Close()
		s3srv.err = err
		return
	}
	log.Close()
	s3srv.cmd = cmd
	exited := make(chan struct{})
	s3srv.done = exited
	go func() { cmd.Wait(); close(exited) }()
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-exited:
			out, _ := os.ReadFile(filepath.Join(dir, "versitygw.log"))
			s3srv.err = fmt.Errorf("versitygw exited: %s", out)
			return
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s3srv.err = fmt.Errorf("versitygw did not listen on %s within 15 s", addr)
			return
		}
	}
	s3srv.srv = srv
}

// StopS3 stops the versitygw that S3 started, by its PID, and removes its
// data. Call it from TestMain after m.Run; it does nothing if none runs.
func StopS3() {
	if c := s3srv.cmd; c != nil && c.Process != nil {
		c.Process.Kill()
		select {
		case <-s3srv.done:
		case <-time.After(5 * time.Second):
		}
	}
	if s3srv.dir != "" {
		os.RemoveAll(s3srv.dir)
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
