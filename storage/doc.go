// Package storage keeps Kiln's objects: rendered images, replay bundles,
// the inputs they were made from, and a small record per item.
//
// # The contract
//
// Store is the interface; S3 and Folder implement it, and
// storage/storagetest is the conformance suite both pass (run it against
// any new backend). The rules every backend keeps:
//
//   - Keys are relative slash-separated paths of at most MaxKeyLen (1024)
//     bytes of UTF-8: no leading slash, no empty, "." or ".." segment, no
//     control character. 1024 is S3's limit; the segment rules make a key a
//     safe path on a file system and in a URL. Anything else is
//     ErrInvalidKey, from every method, before any I/O.
//   - Put replaces atomically: a reader sees the old object or the new one.
//     With size >= 0 a body of another length fails and stores nothing; -1
//     streams a body of unknown length. A Put whose context ends stores
//     nothing.
//   - Metadata names are [a-z0-9-] and values printable ASCII, at most 2 KB
//     in all (S3 lower-cases names and limits user metadata to 2 KB; HTTP
//     headers carry them): ErrInvalidOptions otherwise, so an object reads
//     back the same on every backend.
//   - Get returns a reader and the whole object's properties. A Range is
//     inclusive; an End past the object is clamped (as HTTP does); a Start
//     at or past the end, a negative Start or End < Start is
//     ErrInvalidRange (an empty object has no valid range).
//   - A missing key is ErrNotFound from Get and Head; Delete of a missing
//     key succeeds.
//   - List returns at most limit (capped at MaxListLimit, 1000: S3's page)
//     objects in byte order of keys; the token is the last key returned, so
//     a listing can resume after a restart and is not disturbed by
//     deletions behind it. Listed objects carry at least Key, Size, ModTime
//     and ETag.
//   - DeletePrefix removes in batches (1000 keys per DeleteObjects on S3)
//     by listing the first page until none is left: interrupted, calling it
//     again finishes. An empty prefix is refused (ErrInvalidKey): wiping a
//     whole store is not done by accident.
//   - URL gives a GET URL for 0 < ttl <= MaxURLTTL (7 days, the SigV4
//     limit), rounded up to whole seconds; the key need not exist yet.
//     Outside that range: ErrInvalidOptions.
//   - Every call honours its context, including the reading of a body.
//
// # Backends
//
// S3 (NewS3, S3Config, S3ConfigFromEnv) talks to AWS S3 or an
// S3-compatible store (custom endpoint, path-style). Uploads go through
// the transfer manager: bodies below MultipartThreshold (16 MiB) are
// buffered and sent in one PutObject (over plain http the SDK must seek a
// body to sign it, so a bare io.Reader fails without this); larger ones
// go in PartSize parts, and a failed multipart upload is aborted. URLs are
// presigned GETs, or PublicURL + key for a CDN. Server-side encryption
// (AES256, aws:kms + key id) is requested per Put. Throttling, 5xx and
// network errors retry with jittered exponential backoff (MaxAttempts,
// MaxBackoff). Checksums are sent only where S3 requires them, because
// several S3-compatible stores reject the SDK's newer default trailers.
//
// Folder (NewFolder, FolderConfig) is the embedded default: files under a
// directory, reached only through an os.Root, so a key or a planted
// symlink cannot leave it. A Put writes tmp/ and renames into objects/,
// fsyncing file and directory unless NoSync. Each file holds the body
// followed by a small header with the properties and a fixed footer, so
// one rename publishes bytes and properties together and no sidecar can
// be orphaned; List never sees properties. URLs point at Kiln's API
// (FolderConfig.BaseURL + "/files/" + key) and carry an expiry and an
// HMAC-SHA256 over key and expiry; Handler serves them, with ranges.
// Optional encryption at rest: see Encryption. A folder key cannot be
// both an object and a prefix of others ("a/b" and "a/b/c"): ErrInvalidKey.
//
// Open picks a backend from a URI: "file:///path", a bare path, or
// "s3://bucket/prefix".
//
// # Encryption
//
// Given a master key (FolderConfig.EncryptionKey, S3Config.EncryptionKey;
// KILN_STORE_KEY for Open), both backends seal objects before they are
// stored: AES-256-GCM in 64 KiB chunks under a per-object key derived by
// HKDF from a random salt, the properties sealed too and bound to the
// object's key, so objects stream in and out and a range decrypts only
// its chunks (16 bytes of overhead per chunk). It is envelope encryption:
// the objects of a project are sealed under a random data key of the
// project's own, created on its first write and stored wrapped by the
// master key in keys/{project} (KeysPrefix); objects outside projects
// under the master key itself. Data keys are cached in memory, at most
// KeyCacheSize of them, each for at most KeyCacheTTL. Anything that does
// not decrypt is ErrCrypto. Plain objects written before a key was
// configured stay readable, and so do objects of the older master-key-only
// folder format.
//
// Shredder.ShredKey destroys a project's data key; DeleteProject does it
// before deleting any object (and ShredProject refuses a store that
// cannot), so every copy of the project's objects, a backup or an old S3
// version, becomes unreadable. Sealed S3 objects cannot be served by S3
// itself: their URLs point at Kiln's API, whose Handler decrypts.
//
// # Layout
//
// Objects of a project live under "p/{project}/", so a project is one
// prefix to export or delete. Keys are deterministic in project, kind and
// item id (ItemKeys), so a retried job (delivery is at least once)
// overwrites its earlier attempt instead of leaving another copy:
//
//	p/{project}/shots/{id}/full.webp        (or .jpeg, .png)
//	p/{project}/shots/{id}/thumb.jpg
//	p/{project}/shots/{id}/render.json
//	p/{project}/replays/{id}/manifest.json
//	p/{project}/replays/{id}/segments/{n}.json.gz
//	p/{project}/assets/{sha256}             shared, content-addressed
//	p/{project}/inputs/{id}
//	p/{project}/items/{kind}-{id}.json      the Item record
//
// Projects and ids match [a-z0-9][a-z0-9_-]{0,62} (ValidateName): safe in
// keys, URLs, file names and CSV cells, and short enough that a full key
// stays far below every limit.
//
// # Items, export and deletion
//
// PutItem, GetItem and ListItems keep the Item record (kind, status,
// bytes, object keys, warnings). Export writes a project's items as CSV.
// DeleteItem removes an item's outputs and input, then its record;
// DeleteProject removes everything under the project's prefix, records
// last, in batches, reporting progress, after shredding the project's key
// on a store that seals; both can be repeated after an interruption. Shared assets outlive DeleteItem; SweepAssets removes the
// ones no record lists after a grace period.
package storage
