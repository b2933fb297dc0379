package storage

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	tm "github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// Sealed S3 objects (S3Config.EncryptionKey). The body is the sealed
// chunks alone (crypt.go), so its length gives the plaintext size and a
// range maps to whole chunks; S3 sees Content-Type
// application/octet-stream and one user metadata entry, x-amz-meta-kiln-seal:
// base64url (unpadded) of
//
//	version (1 or 2) | [data key id (16), version 2] | salt (32) | sealed properties
//
// where the properties are the JSON of sealedProps, sealed as a folder
// object's header is (the object's key as additional data). They count
// against S3's 2 KB of user metadata: sealed, an object's own metadata can
// be about 1.4 KB (ErrInvalidOptions past that). Objects without the
// entry (written before the key was set) are read as they are.
const sealMeta = "kiln-seal"

type sealedProps struct {
	Size            int64             `json:"size"`
	ContentType     string            `json:"content_type,omitempty"`
	ContentEncoding string            `json:"content_encoding,omitempty"`
	CacheControl    string            `json:"cache_control,omitempty"`
	Metadata        map[string]string `json:"metadata,omitempty"`
}

// reserved refuses the data keys' prefix to objects of a sealed store.
func (s *S3) reserved(key string) error {
	if s.keys != nil && strings.HasPrefix(key, KeysPrefix) {
		return fmt.Errorf("%w: %q: %s holds the data keys of a sealed store", ErrInvalidKey, key, KeysPrefix)
	}
	return nil
}

func (s *S3) reservedPrefix(prefix string) error {
	if s.keys != nil && strings.HasPrefix(prefix, KeysPrefix) {
		return fmt.Errorf("%w: prefix %q: %s holds the data keys of a sealed store", ErrInvalidKey, prefix, KeysPrefix)
	}
	return nil
}

// putSealed seals body (size bytes, or -1) and uploads it. The sealed
// properties go first, in the request's metadata, so a body of unknown
// size is sealed to a temporary file first to learn its size.
func (s *S3) putSealed(ctx context.Context, key string, body io.Reader, size int64, opts PutOptions) error {
	sl, err := s.keys.forWrite(ctx, key)
	if err != nil {
		return fmt.Errorf("put object %s: %w", key, err)
	}
	salt := make([]byte, saltLen)
	rand.Read(salt)
	aead, err := sl.aead(salt)
	if err != nil {
		return fmt.Errorf("put object %s: %w", key, err)
	}
	sealed := io.Reader(newSealReader(body, aead))
	if size < 0 {
		f, n, err := spool(sealed)
		if err != nil {
			return fmt.Errorf("put object %s: %w", key, err)
		}
		defer func() {
			f.Close()
			os.Remove(f.Name())
		}()
		sealed, size = f, n
	}
	pb, err := json.Marshal(sealedProps{Size: size, ContentType: opts.ContentType, ContentEncoding: opts.ContentEncoding,
		CacheControl: opts.CacheControl, Metadata: maps0(opts.Metadata)})
	if err != nil {
		return fmt.Errorf("put object %s: %w", key, err)
	}
	hb, err := sl.sealHeader(key, salt, pb)
	if err != nil {
		return fmt.Errorf("put object %s: %w", key, err)
	}
	v := base64.RawURLEncoding.EncodeToString(append([]byte{sl.version}, hb...))
	if n := len(sealMeta) + len(v); n > maxMetadataBytes {
		return fmt.Errorf("put object %s: %w: the properties take %d bytes of user metadata sealed, more than %d", key, ErrInvalidOptions, n, maxMetadataBytes)
	}
	return s.upload(ctx, key, &tm.UploadObjectInput{
		Bucket:        aws.String(s.cfg.Bucket),
		Key:           s.full(key),
		Body:          sealed,
		ContentLength: aws.Int64(sealedLen(size)),
		ContentType:   aws.String("application/octet-stream"),
		Metadata:      map[string]string{sealMeta: v},
	})
}

// spool copies a sealReader to a temporary file (ciphertext only) and
// returns it rewound, with the plaintext length.
func spool(r io.Reader) (*os.File, int64, error) {
	f, err := os.CreateTemp("", "kiln-seal-*")
	if err != nil {
		return nil, 0, err
	}
	n, err := io.CopyBuffer(onlyWriter{f}, r, make([]byte, encChunk+tagLen))
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, 0, err
	}
	pl, _ := plainLen(n)
	return f, pl, nil
}

// openProps opens the kiln-seal entry of key: its properties, seal and
// salt.
func (s *S3) openProps(ctx context.Context, key, v string) (sealedProps, seal, []byte, error) {
	raw, err := base64.RawURLEncoding.DecodeString(v)
	if err != nil || len(raw) < 1 {
		return sealedProps{}, seal{}, nil, errCorrupt
	}
	kid, salt, sealed, err := splitHeader(raw[0], raw[1:])
	if err != nil {
		return sealedProps{}, seal{}, nil, err
	}
	sl, err := s.keys.forRead(ctx, key, raw[0], kid)
	if err != nil {
		return sealedProps{}, seal{}, nil, err
	}
	hb, err := sl.openHeader(key, salt, sealed)
	if err != nil {
		return sealedProps{}, seal{}, nil, err
	}
	var p sealedProps
	if err := json.Unmarshal(hb, &p); err != nil {
		return sealedProps{}, seal{}, nil, errCorrupt
	}
	return p, sl, salt, nil
}

// sealedObject describes a sealed object from its kiln-seal entry and its
// sealed length.
func (s *S3) sealedObject(ctx context.Context, key, v string, sealedSize int64, mod *time.Time, etag *string) (Object, error) {
	p, _, _, err := s.openProps(ctx, key, v)
	if err != nil {
		return Object{}, fmt.Errorf("head object %s: %w", key, err)
	}
	if pl, ok := plainLen(sealedSize); !ok || pl != p.Size {
		return Object{}, fmt.Errorf("head object %s: %w: %d sealed bytes for %d", key, errCorrupt, sealedSize, p.Size)
	}
	return p.object(key, mod, etag), nil
}

func (p sealedProps) object(key string, mod *time.Time, etag *string) Object {
	return Object{Key: key, Size: p.Size, ContentType: p.ContentType, ContentEncoding: p.ContentEncoding,
		CacheControl: p.CacheControl, Metadata: maps0(p.Metadata), ModTime: aws.ToTime(mod), ETag: aws.ToString(etag)}
}

// getSealed reads the chunks rng covers (all without rng) in one request
// and decrypts them as they stream.
func (s *S3) getSealed(ctx context.Context, key string, rng *Range) (io.ReadCloser, Object, error) {
	in := &s3.GetObjectInput{Bucket: aws.String(s.cfg.Bucket), Key: s.full(key)}
	if rng != nil {
		start := rng.Start / encChunk * (encChunk + tagLen)
		if rng.End >= 0 {
			in.Range = aws.String(fmt.Sprintf("bytes=%d-%d", start, (rng.End/encChunk+1)*(encChunk+tagLen)-1))
		} else {
			in.Range = aws.String(fmt.Sprintf("bytes=%d-", start))
		}
	}
	out, err := s.client.GetObject(ctx, in)
	if err != nil {
		err = mapS3Err("get object", key, err)
		if rng != nil && errors.Is(err, ErrInvalidRange) {
			// Past the sealed length; a plain object counts its own bytes.
			if h, herr := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: in.Bucket, Key: in.Key}); herr == nil {
				if _, ok := h.Metadata[sealMeta]; !ok {
					return s.getPlain(ctx, key, rng)
				}
			}
		}
		return nil, Object{}, err
	}
	v, ok := out.Metadata[sealMeta]
	if !ok {
		if rng == nil {
			return out.Body, plainObject(key, out), nil
		}
		out.Body.Close()
		return s.getPlain(ctx, key, rng)
	}
	fail := func(err error) (io.ReadCloser, Object, error) {
		out.Body.Close()
		return nil, Object{}, fmt.Errorf("get object %s: %w", key, err)
	}
	served, total := int64(0), aws.ToInt64(out.ContentLength)
	if start, t, ok := parseContentRange(aws.ToString(out.ContentRange)); ok {
		served, total = start, t
	}
	p, sl, salt, err := s.openProps(ctx, key, v)
	if err != nil {
		return fail(err)
	}
	if pl, ok := plainLen(total); !ok || pl != p.Size || served%(encChunk+tagLen) != 0 {
		return fail(fmt.Errorf("%w: %d sealed bytes for %d", errCorrupt, total, p.Size))
	}
	off, n, err := clampRange(rng, p.Size)
	if err != nil {
		return fail(err)
	}
	aead, err := sl.aead(salt)
	if err != nil {
		return fail(err)
	}
	first := served / (encChunk + tagLen)
	r := newOpenReader(out.Body, aead, uint64(first), total-served)
	if skip := off - first*encChunk; skip > 0 {
		if _, err := io.CopyN(io.Discard, r, skip); err != nil {
			return fail(err)
		}
	}
	return readCloser{io.LimitReader(r, n), out.Body}, p.object(key, out.LastModified, out.ETag), nil
}

func plainObject(key string, out *s3.GetObjectOutput) Object {
	return Object{
		Key: key, Size: aws.ToInt64(out.ContentLength), ContentType: aws.ToString(out.ContentType),
		ContentEncoding: aws.ToString(out.ContentEncoding), CacheControl: aws.ToString(out.CacheControl),
		Metadata: maps0(out.Metadata), ModTime: aws.ToTime(out.LastModified), ETag: aws.ToString(out.ETag),
	}
}

// parseContentRange parses "bytes 0-9/1234" into its start and total.
func parseContentRange(cr string) (start, total int64, ok bool) {
	spec, ok := strings.CutPrefix(cr, "bytes ")
	if !ok {
		return 0, 0, false
	}
	rs, ts, ok := strings.Cut(spec, "/")
	a, _, ok2 := strings.Cut(rs, "-")
	if !ok || !ok2 {
		return 0, 0, false
	}
	start, err1 := strconv.ParseInt(a, 10, 64)
	total, err2 := strconv.ParseInt(ts, 10, 64)
	return start, total, err1 == nil && err2 == nil
}

// Handler implements FileServer. A sealed store's URLs point at Kiln's API
// (S3 holds only ciphertext): mount this at "/files/" and it serves them
// decrypted, with ranges, as the folder's Handler does. Without a master
// key the URLs are S3's own and Handler is nil.
func (s *S3) Handler() http.Handler {
	if s.keys == nil {
		return nil
	}
	return s.urls.handler(func(r *http.Request, key string) (Object, io.ReadSeeker, io.Closer, error) {
		ctx := r.Context()
		rs := &s3Seeker{ctx: ctx, s: s, key: key}
		h := r.Header
		if r.Method == http.MethodGet && h.Get("Range") == "" && h.Get("If-None-Match") == "" && h.Get("If-Modified-Since") == "" {
			// The whole object will be sent: one request.
			rc, obj, err := s.Get(ctx, key, nil)
			if err != nil {
				return Object{}, nil, nil, err
			}
			rs.rc, rs.size = rc, obj.Size
			return obj, rs, rs, nil
		}
		obj, err := s.Head(ctx, key)
		if err != nil {
			return Object{}, nil, nil, err
		}
		rs.size = obj.Size
		return obj, rs, rs, nil
	})
}

// s3Seeker is a sealed object as an io.ReadSeeker for http.ServeContent:
// a read after a seek opens a ranged Get from there.
type s3Seeker struct {
	ctx       context.Context
	s         *S3
	key       string
	size, off int64
	rc        io.ReadCloser
}

func (r *s3Seeker) Read(p []byte) (int, error) {
	if r.off >= r.size {
		return 0, io.EOF
	}
	if r.rc == nil {
		rc, _, err := r.s.Get(r.ctx, r.key, &Range{Start: r.off, End: -1})
		if err != nil {
			return 0, err
		}
		r.rc = rc
	}
	n, err := r.rc.Read(p)
	r.off += int64(n)
	return n, err
}

func (r *s3Seeker) Seek(offset int64, whence int) (int64, error) {
	abs := offset
	switch whence {
	case io.SeekCurrent:
		abs += r.off
	case io.SeekEnd:
		abs += r.size
	}
	if abs < 0 {
		return 0, fmt.Errorf("seek to %d: negative offset", abs)
	}
	if abs != r.off && r.rc != nil {
		r.rc.Close()
		r.rc = nil
	}
	r.off = abs
	return abs, nil
}

func (r *s3Seeker) Close() error {
	if r.rc != nil {
		return r.rc.Close()
	}
	return nil
}

// The S3 keyring keeps data keys as objects {prefix}keys/{project}.
func (s *S3) keyObject(project string) *string { return aws.String(s.prefix + KeysPrefix + project) }

func (s *S3) readKey(ctx context.Context, project string) ([]byte, error) {
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.cfg.Bucket), Key: s.keyObject(project)})
	if err != nil {
		return nil, mapS3Err("read key", KeysPrefix+project, err)
	}
	defer out.Body.Close()
	return io.ReadAll(io.LimitReader(out.Body, 4096))
}

// createKey writes the key with If-None-Match: *, so that of two writers
// only one wins (S3 answers the other 412). The store must honour
// conditional writes: AWS S3 does, as do versitygw, MinIO and R2.
func (s *S3) createKey(ctx context.Context, project string, blob []byte) error {
	in := &s3.PutObjectInput{
		Bucket: aws.String(s.cfg.Bucket), Key: s.keyObject(project), Body: bytes.NewReader(blob),
		ContentType: aws.String("application/octet-stream"), IfNoneMatch: aws.String("*"),
	}
	if s.cfg.SSE != "" {
		in.ServerSideEncryption = types.ServerSideEncryption(s.cfg.SSE)
		if s.cfg.KMSKeyID != "" {
			in.SSEKMSKeyId = aws.String(s.cfg.KMSKeyID)
		}
	}
	_, err := s.client.PutObject(ctx, in)
	if err == nil {
		return nil
	}
	var ae smithy.APIError
	if errors.As(err, &ae) && (ae.ErrorCode() == "PreconditionFailed" || ae.ErrorCode() == "ConditionalRequestConflict") {
		return errKeyExists
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) && (re.HTTPStatusCode() == http.StatusPreconditionFailed || re.HTTPStatusCode() == http.StatusConflict) {
		return errKeyExists
	}
	return mapS3Err("create key", KeysPrefix+project, err)
}

// deleteKey deletes every version of the key object (a versioned bucket
// keeps the old ones, and any of them would open the project's objects),
// then checks that none is left.
func (s *S3) deleteKey(ctx context.Context, project string) error {
	full := s.keyObject(project)
	bucket := aws.String(s.cfg.Bucket)
	in := &s3.ListObjectVersionsInput{Bucket: bucket, Prefix: full}
	for {
		out, err := s.client.ListObjectVersions(ctx, in)
		if err != nil {
			var ae smithy.APIError
			if errors.As(err, &ae) && ae.ErrorCode() == "NotImplemented" {
				break
			}
			return mapS3Err("list key versions", KeysPrefix+project, err)
		}
		var ids []*string
		for _, v := range out.Versions {
			if aws.ToString(v.Key) == *full {
				ids = append(ids, v.VersionId)
			}
		}
		for _, m := range out.DeleteMarkers {
			if aws.ToString(m.Key) == *full {
				ids = append(ids, m.VersionId)
			}
		}
		for _, id := range ids {
			if _, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: bucket, Key: full, VersionId: id}); err != nil {
				if err := mapS3Err("delete key", KeysPrefix+project, err); !errors.Is(err, ErrNotFound) {
					return err
				}
			}
		}
		if !aws.ToBool(out.IsTruncated) {
			break
		}
		in.KeyMarker, in.VersionIdMarker = out.NextKeyMarker, out.NextVersionIdMarker
	}
	// A store that lists no versions: delete the object plainly.
	for range 2 {
		if _, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: bucket, Key: full}); err != nil {
			if err := mapS3Err("head key", KeysPrefix+project, err); !errors.Is(err, ErrNotFound) {
				return err
			}
			return nil
		}
		if _, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: bucket, Key: full}); err != nil {
			return mapS3Err("delete key", KeysPrefix+project, err)
		}
	}
	return fmt.Errorf("delete key %s%s: it survives deletion", KeysPrefix, project)
}

// ShredKey implements Shredder.
func (s *S3) ShredKey(ctx context.Context, project string) error {
	return shredWith(ctx, s.keys, project)
}
