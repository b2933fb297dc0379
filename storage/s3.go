package storage

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	tm "github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	tmtypes "github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

var (
	_ Store        = (*S3)(nil)
	_ BatchDeleter = (*S3)(nil)
	_ FileServer   = (*S3)(nil)
	_ Shredder     = (*S3)(nil)
)

// S3Config configures the S3 backend.
type S3Config struct {
	Bucket string
	// Prefix is prepended to every key ("kiln/" stores "p/x" at
	// "kiln/p/x"); a missing trailing slash is added.
	Prefix string
	// Region; empty uses AWS_REGION / the shared config, else us-east-1.
	Region string
	// Endpoint of an S3-compatible store ("http://127.0.0.1:7070",
	// "https://<account>.r2.cloudflarestorage.com"); empty for AWS.
	Endpoint string
	// PathStyle addresses the bucket in the path, not the host name:
	// needed by most S3-compatible stores (MinIO, versitygw).
	PathStyle bool
	// AccessKeyID and SecretAccessKey, when set, are used instead of the
	// default chain (AWS_* env, shared files, SSO, instance roles).
	AccessKeyID, SecretAccessKey, SessionToken string
	// SSE asks for server-side encryption: "" (the bucket's default),
	// "AES256" or "aws:kms" (with KMSKeyID, or the account's default key).
	SSE      string
	KMSKeyID string
	// PublicURL, when set, makes URL return PublicURL + "/" + the stored
	// key (prefix included) instead of a presigned URL: for a CDN or a
	// public bucket. The ttl is then not enforced by the URL. Not with
	// EncryptionKey: it would serve ciphertext.
	PublicURL string
	// EncryptionKey, when set (32 bytes), is the master key: objects are
	// sealed client-side before they leave (s3_crypt.go), those of a
	// project under its own data key, wrapped by this key in
	// keys/{project} (a reserved prefix then). SSE still applies on top.
	// S3 then holds only ciphertext, so URL returns links to Kiln's API,
	// BaseURL + "/files/" + key, signed with URLSecret, which Handler
	// serves decrypted.
	EncryptionKey []byte
	// BaseURL is where Kiln's API serves Handler, without a trailing slash
	// (used with EncryptionKey).
	BaseURL string
	// URLSecret signs those URLs, at least 16 bytes; nil derives one from
	// EncryptionKey (HKDF), so every process with the master key agrees.
	URLSecret []byte
	// KeyCacheSize and KeyCacheTTL bound the in-memory data keys, as in
	// FolderConfig (0: DefaultKeyCacheSize, DefaultKeyCacheTTL).
	KeyCacheSize int
	KeyCacheTTL  time.Duration
	// PartSize is the multipart part size in bytes (S3's minimum, 5 MiB,
	// up to 5 GiB); MultipartThreshold the size from which uploads go in
	// parts. Smaller objects go in one PutObject from a memory buffer.
	PartSize, MultipartThreshold int64
	// Concurrency is the number of parts of one upload in flight.
	Concurrency int
	// MaxAttempts per call (1 disables retries) and the longest backoff
	// between attempts. Throttling, 5xx and connection errors retry with
	// exponential backoff and jitter (the SDK's standard retryer).
	MaxAttempts int
	MaxBackoff  time.Duration
	// HTTPClient replaces the SDK's HTTP client (tests, proxies).
	HTTPClient aws.HTTPClient
}

// DefaultS3Config: 8 MiB parts from 16 MiB on, 4 parts in flight, 5
// attempts with up to 20 s backoff. Screenshots and replay segments stay
// far below the threshold, so they go in one request; a part buffer costs
// PartSize × (Concurrency+1) of memory per large upload. Sealed URLs point
// at an API on localhost:8080.
func DefaultS3Config() S3Config {
	return S3Config{
		BaseURL:            "http://localhost:8080",
		PartSize:           8 << 20,
		MultipartThreshold: 16 << 20,
		Concurrency:        4,
		MaxAttempts:        5,
		MaxBackoff:         20 * time.Second,
	}
}

// Validate reports every problem in c at once.
func (c S3Config) Validate() error {
	var errs []error
	if c.Bucket == "" {
		errs = append(errs, errors.New("s3: Bucket is empty (KILN_S3_BUCKET)"))
	}
	if c.Prefix != "" {
		if err := ValidatePrefix(c.Prefix); err != nil {
			errs = append(errs, fmt.Errorf("s3: Prefix: %w", err))
		}
	}
	if c.Endpoint != "" && !strings.HasPrefix(c.Endpoint, "http://") && !strings.HasPrefix(c.Endpoint, "https://") {
		errs = append(errs, fmt.Errorf("s3: Endpoint %q is not an http(s) URL", c.Endpoint))
	}
	switch c.SSE {
	case "", "AES256":
		if c.KMSKeyID != "" {
			errs = append(errs, errors.New("s3: KMSKeyID needs SSE aws:kms"))
		}
	case "aws:kms":
	default:
		errs = append(errs, fmt.Errorf("s3: SSE %q: want AES256 or aws:kms", c.SSE))
	}
	if (c.AccessKeyID == "") != (c.SecretAccessKey == "") {
		errs = append(errs, errors.New("s3: set both AccessKeyID and SecretAccessKey, or neither"))
	}
	if c.PublicURL != "" && !strings.HasPrefix(c.PublicURL, "http://") && !strings.HasPrefix(c.PublicURL, "https://") {
		errs = append(errs, fmt.Errorf("s3: PublicURL %q is not an http(s) URL", c.PublicURL))
	}
	if c.PartSize < 5<<20 || c.PartSize > 5<<30 {
		errs = append(errs, fmt.Errorf("s3: PartSize %d outside [5 MiB, 5 GiB]", c.PartSize))
	}
	if c.MultipartThreshold < c.PartSize {
		errs = append(errs, fmt.Errorf("s3: MultipartThreshold %d below PartSize %d", c.MultipartThreshold, c.PartSize))
	}
	if c.Concurrency < 1 {
		errs = append(errs, fmt.Errorf("s3: Concurrency %d, want at least 1", c.Concurrency))
	}
	if c.MaxAttempts < 1 {
		errs = append(errs, fmt.Errorf("s3: MaxAttempts %d, want at least 1", c.MaxAttempts))
	}
	if c.MaxBackoff <= 0 {
		errs = append(errs, fmt.Errorf("s3: MaxBackoff %v, want > 0", c.MaxBackoff))
	}
	errs = append(errs, validateEncryption("s3", c.EncryptionKey, c.KeyCacheSize, c.KeyCacheTTL)...)
	if c.EncryptionKey != nil {
		if c.PublicURL != "" {
			errs = append(errs, errors.New("s3: PublicURL (KILN_S3_PUBLIC_URL) would serve ciphertext: not with EncryptionKey (KILN_STORE_KEY)"))
		}
		if !strings.HasPrefix(c.BaseURL, "http://") && !strings.HasPrefix(c.BaseURL, "https://") {
			errs = append(errs, fmt.Errorf("s3: BaseURL %q is not an http(s) URL (KILN_PUBLIC_URL)", c.BaseURL))
		} else if strings.HasSuffix(c.BaseURL, "/") {
			errs = append(errs, fmt.Errorf("s3: BaseURL %q ends with a slash", c.BaseURL))
		}
		if c.URLSecret != nil && len(c.URLSecret) < 16 {
			errs = append(errs, fmt.Errorf("s3: URLSecret has %d bytes, want at least 16", len(c.URLSecret)))
		}
	}
	return errors.Join(errs...)
}

// S3ConfigFromEnv reads KILN_S3_BUCKET, KILN_S3_ENDPOINT, KILN_S3_REGION,
// KILN_S3_PREFIX, KILN_S3_PATH_STYLE (bool), KILN_S3_SSE,
// KILN_S3_KMS_KEY_ID, KILN_S3_PUBLIC_URL, KILN_S3_ACCESS_KEY_ID and
// KILN_S3_SECRET_ACCESS_KEY over DefaultS3Config, and, as the folder
// does, KILN_STORE_KEY (the master key, base64 of 32 bytes),
// KILN_PUBLIC_URL and KILN_URL_SECRET (for the URLs of sealed objects).
// Without the access keys, the SDK's default chain (AWS_ACCESS_KEY_ID,
// AWS_PROFILE, roles...) applies. It does not Validate.
func S3ConfigFromEnv(getenv func(string) string) (S3Config, error) {
	c := DefaultS3Config()
	c.Bucket = getenv("KILN_S3_BUCKET")
	c.Endpoint = strings.TrimSuffix(getenv("KILN_S3_ENDPOINT"), "/")
	c.Region = getenv("KILN_S3_REGION")
	c.Prefix = getenv("KILN_S3_PREFIX")
	c.SSE = getenv("KILN_S3_SSE")
	c.KMSKeyID = getenv("KILN_S3_KMS_KEY_ID")
	c.PublicURL = strings.TrimSuffix(getenv("KILN_S3_PUBLIC_URL"), "/")
	c.AccessKeyID = getenv("KILN_S3_ACCESS_KEY_ID")
	c.SecretAccessKey = getenv("KILN_S3_SECRET_ACCESS_KEY")
	if v := getenv("KILN_S3_PATH_STYLE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("read s3 config: KILN_S3_PATH_STYLE=%q is not a boolean", v)
		}
		c.PathStyle = b
	}
	if v := getenv("KILN_STORE_KEY"); v != "" {
		k, err := parseMasterKey(v)
		if err != nil {
			return c, fmt.Errorf("read s3 config: KILN_STORE_KEY is %w", err)
		}
		c.EncryptionKey = k
	}
	if v := getenv("KILN_PUBLIC_URL"); v != "" {
		c.BaseURL = strings.TrimSuffix(v, "/")
	}
	if v := getenv("KILN_URL_SECRET"); v != "" {
		c.URLSecret = []byte(v)
	}
	return c, nil
}

// S3 stores objects in an S3 bucket (or an S3-compatible store).
type S3 struct {
	cfg     S3Config
	prefix  string
	client  *s3.Client
	presign *s3.PresignClient
	up      *tm.Client
	keys    *keyring // nil: objects go as they are
	urls    urlSigner
}

// NewS3 builds the client. It makes no request: a wrong bucket or
// credentials show on first use.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("open s3 store: %w", err)
	}
	opts := []func(*config.LoadOptions) error{
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = cfg.MaxAttempts
				o.MaxBackoff = cfg.MaxBackoff
				// The SDK's retry token bucket is shared by the process:
				// in an outage it drains within seconds and every later
				// call fails at once ("retry quota exceeded"), so jobs used
				// up their own retries for nothing. Attempts and backoff
				// bound the retries per call instead.
				o.RateLimiter = ratelimit.None
			})
		}),
	}
	if cfg.Region != "" {
		opts = append(opts, config.WithRegion(cfg.Region))
	}
	if cfg.AccessKeyID != "" {
		opts = append(opts, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(cfg.AccessKeyID, cfg.SecretAccessKey, cfg.SessionToken)))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("open s3 store: %w", err)
	}
	if awsCfg.Region == "" {
		awsCfg.Region = "us-east-1"
	}
	client := s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
		o.UsePathStyle = cfg.PathStyle
		if cfg.HTTPClient != nil {
			o.HTTPClient = cfg.HTTPClient
		}
		// Checksums only where S3 requires them (DeleteObjects): several
		// S3-compatible stores reject the newer default trailers.
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	up := tm.New(client, func(o *tm.Options) {
		o.PartSizeBytes = cfg.PartSize
		o.MultipartUploadThreshold = cfg.MultipartThreshold
		o.Concurrency = cfg.Concurrency
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
	})
	prefix := cfg.Prefix
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	s := &S3{cfg: cfg, prefix: prefix, client: client, presign: s3.NewPresignClient(client), up: up}
	if cfg.EncryptionKey != nil {
		s.keys = newKeyring(cfg.EncryptionKey, s, cfg.KeyCacheSize, cfg.KeyCacheTTL)
		secret := cfg.URLSecret
		if secret == nil {
			if secret, err = hkdf.Key(sha256.New, cfg.EncryptionKey, nil, "kiln url signing v1", 32); err != nil {
				return nil, fmt.Errorf("open s3 store: %w", err)
			}
		}
		s.urls = urlSigner{base: cfg.BaseURL, secret: secret}
	}
	return s, nil
}

// Bucket is the bucket's name.
func (s *S3) Bucket() string { return s.cfg.Bucket }

func (s *S3) full(key string) *string { return aws.String(s.prefix + key) }

// mapS3Err wraps err with the Store sentinel its S3 status means.
func mapS3Err(op, key string, err error) error {
	var sentinel error
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "NoSuchKey", "NotFound":
			sentinel = ErrNotFound
		case "InvalidRange":
			sentinel = ErrInvalidRange
		case "KeyTooLongError", "InvalidObjectName":
			sentinel = ErrInvalidKey
		}
	}
	// A 404 with another code (NoSuchBucket; versitygw's
	// XAdminUserNotFound for an unknown access key) is not a missing object.
	var re *awshttp.ResponseError
	if sentinel == nil && ae == nil && errors.As(err, &re) {
		switch re.HTTPStatusCode() {
		case http.StatusNotFound:
			sentinel = ErrNotFound
		case http.StatusRequestedRangeNotSatisfiable:
			sentinel = ErrInvalidRange
		}
	}
	if sentinel != nil {
		return fmt.Errorf("%s %s: %w: %w", op, key, sentinel, err)
	}
	return fmt.Errorf("%s %s: %w", op, key, err)
}

// Put implements Store. The body streams through the transfer manager:
// up to MultipartThreshold it is buffered and sent in one PutObject (the
// SDK needs a seekable body to sign over plain http); beyond, it goes in
// PartSize parts, and a failed multipart upload is aborted.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, opts PutOptions) error {
	if err := ValidateKey(key); err != nil {
		return fmt.Errorf("put object: %w", err)
	}
	if err := validateOptions(opts); err != nil {
		return fmt.Errorf("put object %s: %w", key, err)
	}
	if err := s.reserved(key); err != nil {
		return fmt.Errorf("put object: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("put object %s: %w", key, err)
	}
	body := &sizedReader{r: ctxReader{ctx, r}, size: size}
	if s.keys != nil {
		return s.putSealed(ctx, key, body, size, opts)
	}
	in := &tm.UploadObjectInput{
		Bucket:   aws.String(s.cfg.Bucket),
		Key:      s.full(key),
		Body:     body,
		Metadata: opts.Metadata,
	}
	if opts.ContentType != "" {
		in.ContentType = aws.String(opts.ContentType)
	}
	if opts.ContentEncoding != "" {
		in.ContentEncoding = aws.String(opts.ContentEncoding)
	}
	if opts.CacheControl != "" {
		in.CacheControl = aws.String(opts.CacheControl)
	}
	return s.upload(ctx, key, in)
}

// upload sends in, with server-side encryption when configured.
func (s *S3) upload(ctx context.Context, key string, in *tm.UploadObjectInput) error {
	if s.cfg.SSE != "" {
		in.ServerSideEncryption = tmtypes.ServerSideEncryption(s.cfg.SSE)
		if s.cfg.KMSKeyID != "" {
			in.SSEKMSKeyID = aws.String(s.cfg.KMSKeyID)
		}
	}
	if _, err := s.up.UploadObject(ctx, in); err != nil {
		if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
			return fmt.Errorf("put object %s: %w: %w", key, cerr, err)
		}
		return mapS3Err("put object", key, err)
	}
	return nil
}

// Get implements Store.
func (s *S3) Get(ctx context.Context, key string, rng *Range) (io.ReadCloser, Object, error) {
	if err := ValidateKey(key); err != nil {
		return nil, Object{}, fmt.Errorf("get object: %w", err)
	}
	if err := validateRange(rng); err != nil {
		return nil, Object{}, fmt.Errorf("get object %s: %w", key, err)
	}
	if err := s.reserved(key); err != nil {
		return nil, Object{}, fmt.Errorf("get object: %w", err)
	}
	if s.keys != nil {
		return s.getSealed(ctx, key, rng)
	}
	return s.getPlain(ctx, key, rng)
}

// getPlain reads an object stored as it is.
func (s *S3) getPlain(ctx context.Context, key string, rng *Range) (io.ReadCloser, Object, error) {
	in := &s3.GetObjectInput{Bucket: aws.String(s.cfg.Bucket), Key: s.full(key)}
	if rng != nil {
		if rng.End >= 0 {
			in.Range = aws.String(fmt.Sprintf("bytes=%d-%d", rng.Start, rng.End))
		} else {
			in.Range = aws.String(fmt.Sprintf("bytes=%d-", rng.Start))
		}
	}
	out, err := s.client.GetObject(ctx, in)
	if err != nil {
		return nil, Object{}, mapS3Err("get object", key, err)
	}
	if _, ok := out.Metadata[sealMeta]; ok && s.keys == nil {
		out.Body.Close()
		return nil, Object{}, fmt.Errorf("get object %s: %w: object is sealed and no key is configured (KILN_STORE_KEY)", key, ErrCrypto)
	}
	obj := Object{
		Key: key, Size: aws.ToInt64(out.ContentLength), ContentType: aws.ToString(out.ContentType),
		ContentEncoding: aws.ToString(out.ContentEncoding), CacheControl: aws.ToString(out.CacheControl),
		Metadata: maps0(out.Metadata), ModTime: aws.ToTime(out.LastModified), ETag: aws.ToString(out.ETag),
	}
	if rng != nil {
		total, ok := totalFromContentRange(aws.ToString(out.ContentRange))
		if !ok {
			// The server ignored the range and sent the whole object.
			obj.Size = aws.ToInt64(out.ContentLength)
			off, n, err := clampRange(rng, obj.Size)
			if err != nil {
				out.Body.Close()
				return nil, Object{}, fmt.Errorf("get object %s: %w", key, err)
			}
			if _, err := io.CopyN(io.Discard, out.Body, off); err != nil {
				out.Body.Close()
				return nil, Object{}, mapS3Err("get object", key, err)
			}
			return readCloser{io.LimitReader(out.Body, n), out.Body}, obj, nil
		}
		obj.Size = total
	}
	return out.Body, obj, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// totalFromContentRange parses the total of "bytes 0-9/1234".
func totalFromContentRange(cr string) (int64, bool) {
	i := strings.LastIndexByte(cr, '/')
	if i < 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(cr[i+1:], 10, 64)
	return n, err == nil
}

// Head implements Store.
func (s *S3) Head(ctx context.Context, key string) (Object, error) {
	if err := ValidateKey(key); err != nil {
		return Object{}, fmt.Errorf("head object: %w", err)
	}
	if err := s.reserved(key); err != nil {
		return Object{}, fmt.Errorf("head object: %w", err)
	}
	out, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.cfg.Bucket), Key: s.full(key)})
	if err != nil {
		return Object{}, mapS3Err("head object", key, err)
	}
	if v, ok := out.Metadata[sealMeta]; ok {
		if s.keys == nil {
			return Object{}, fmt.Errorf("head object %s: %w: object is sealed and no key is configured (KILN_STORE_KEY)", key, ErrCrypto)
		}
		return s.sealedObject(ctx, key, v, aws.ToInt64(out.ContentLength), out.LastModified, out.ETag)
	}
	return Object{
		Key: key, Size: aws.ToInt64(out.ContentLength), ContentType: aws.ToString(out.ContentType),
		ContentEncoding: aws.ToString(out.ContentEncoding), CacheControl: aws.ToString(out.CacheControl),
		Metadata: maps0(out.Metadata), ModTime: aws.ToTime(out.LastModified), ETag: aws.ToString(out.ETag),
	}, nil
}

// Delete implements Store.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := ValidateKey(key); err != nil {
		return fmt.Errorf("delete object: %w", err)
	}
	if err := s.reserved(key); err != nil {
		return fmt.Errorf("delete object: %w", err)
	}
	_, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.cfg.Bucket), Key: s.full(key)})
	if err != nil {
		err = mapS3Err("delete object", key, err)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		return err
	}
	return nil
}

// DeleteKeys implements BatchDeleter with DeleteObjects, 1000 keys a call.
func (s *S3) DeleteKeys(ctx context.Context, keys []string) error {
	for _, k := range keys {
		if err := ValidateKey(k); err != nil {
			return fmt.Errorf("delete objects: %w", err)
		}
		if err := s.reserved(k); err != nil {
			return fmt.Errorf("delete objects: %w", err)
		}
	}
	for len(keys) > 0 {
		batch := keys[:min(len(keys), 1000)]
		keys = keys[len(batch):]
		ids := make([]types.ObjectIdentifier, len(batch))
		for i, k := range batch {
			ids[i] = types.ObjectIdentifier{Key: s.full(k)}
		}
		out, err := s.client.DeleteObjects(ctx, &s3.DeleteObjectsInput{
			Bucket: aws.String(s.cfg.Bucket),
			Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)},
		})
		if err != nil {
			return mapS3Err("delete objects", batch[0], err)
		}
		for _, e := range out.Errors {
			if aws.ToString(e.Code) == "NoSuchKey" {
				continue
			}
			return fmt.Errorf("delete objects: %s: %s: %s (and %d more failures)",
				strings.TrimPrefix(aws.ToString(e.Key), s.prefix), aws.ToString(e.Code), aws.ToString(e.Message), len(out.Errors)-1)
		}
	}
	return nil
}

// DeletePrefix implements Store: pages of 1000 listed and removed with
// DeleteObjects until none is left, then incomplete multipart uploads under
// the prefix are aborted (they are invisible to List but billed). An empty
// prefix is refused (ErrInvalidKey).
func (s *S3) DeletePrefix(ctx context.Context, prefix string) (int, error) {
	if err := s.reservedPrefix(prefix); err != nil {
		return 0, fmt.Errorf("delete prefix: %w", err)
	}
	n, err := deletePrefix(ctx, s, prefix)
	if err != nil {
		return n, err
	}
	if err := s.abortUploads(ctx, prefix); err != nil {
		return n, fmt.Errorf("delete prefix %s: %w", prefix, err)
	}
	return n, nil
}

func (s *S3) abortUploads(ctx context.Context, prefix string) error {
	p := s3.NewListMultipartUploadsPaginator(s.client, &s3.ListMultipartUploadsInput{
		Bucket: aws.String(s.cfg.Bucket), Prefix: aws.String(s.prefix + prefix),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			var ae smithy.APIError
			if errors.As(err, &ae) && ae.ErrorCode() == "NotImplemented" {
				return nil
			}
			return err
		}
		for _, u := range page.Uploads {
			_, err := s.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{
				Bucket: aws.String(s.cfg.Bucket), Key: u.Key, UploadId: u.UploadId,
			})
			if err != nil && !errors.Is(mapS3Err("", "", err), ErrNotFound) {
				return err
			}
		}
	}
	return nil
}

// List implements Store with ListObjectsV2; the token is the last key of
// the previous page (StartAfter), so it survives restarts and deletions.
// Objects carry Key, Size, ModTime and ETag only: S3 lists no more. When
// sealed, the data keys under keys/ are left out, and Size is computed
// from the sealed length (so a plain object written before the key was
// set lists with a wrong size; Head and Get have it right).
func (s *S3) List(ctx context.Context, prefix, token string, limit int) ([]Object, string, error) {
	if err := ValidatePrefix(prefix); err != nil {
		return nil, "", fmt.Errorf("list objects: %w", err)
	}
	if err := s.reservedPrefix(prefix); err != nil {
		return nil, "", fmt.Errorf("list objects: %w", err)
	}
	if limit <= 0 || limit > MaxListLimit {
		limit = MaxListLimit
	}
	var objs []Object
	after := token
	for {
		in := &s3.ListObjectsV2Input{
			Bucket:  aws.String(s.cfg.Bucket),
			Prefix:  aws.String(s.prefix + prefix),
			MaxKeys: aws.Int32(int32(limit - len(objs))),
		}
		if after != "" {
			in.StartAfter = aws.String(s.prefix + after)
		}
		out, err := s.client.ListObjectsV2(ctx, in)
		if err != nil {
			return nil, "", mapS3Err("list objects", prefix, err)
		}
		last := ""
		for _, o := range out.Contents {
			k := strings.TrimPrefix(aws.ToString(o.Key), s.prefix)
			last = k
			if s.keys != nil && strings.HasPrefix(k, KeysPrefix) {
				continue
			}
			size := aws.ToInt64(o.Size)
			if pl, ok := plainLen(size); ok && s.keys != nil {
				size = pl
			}
			objs = append(objs, Object{Key: k, Size: size, ModTime: aws.ToTime(o.LastModified), ETag: aws.ToString(o.ETag)})
		}
		if !aws.ToBool(out.IsTruncated) || last == "" {
			return objs, "", nil
		}
		if len(objs) >= limit {
			return objs, last, nil
		}
		// Some were data keys: fill the page from past them. Project names
		// sort below "~", so "keys/~" is after every data key.
		after = last
		if strings.HasPrefix(last, KeysPrefix) {
			after = KeysPrefix + "~"
		}
	}
}

// URL implements Store: a presigned GET valid for ttl (rounded up to whole
// seconds), or PublicURL + "/" + key when configured. When sealed, S3
// holds ciphertext a browser cannot use: the URL is then Kiln's API's,
// BaseURL + "/files/" + key, signed as the folder's are, and Handler
// serves it decrypted.
func (s *S3) URL(ctx context.Context, key string, ttl time.Duration) (string, error) {
	if err := checkURL(ctx, key, ttl); err != nil {
		return "", err
	}
	if s.keys != nil {
		if err := s.reserved(key); err != nil {
			return "", fmt.Errorf("sign URL: %w", err)
		}
		return s.urls.url(ctx, key, ttl)
	}
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL + "/" + escapeKey(s.prefix+key), nil
	}
	ttl = (ttl + time.Second - 1).Truncate(time.Second)
	// The response's Cache-Control is part of the signature: private and
	// no longer than the link lives, whatever the object was stored with.
	req, err := s.presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.cfg.Bucket), Key: s.full(key),
		ResponseCacheControl: aws.String(signedCacheControl("", ttl))},
		s3.WithPresignExpires(ttl))
	if err != nil {
		return "", fmt.Errorf("sign URL %s: %w", key, err)
	}
	return req.URL, nil
}
