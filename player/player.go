package player

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

//go:embed static
var static embed.FS

// FS is the player's files: kiln-player.js, kiln-player.css and vendor/.
func FS() fs.FS {
	sub, _ := fs.Sub(static, "static")
	return sub
}

// MaxAge is how long browsers and proxies may keep a file without asking
// again. Short, because the files change with the binary and carry no
// version in their names; the ETag makes the check after that cheap.
const MaxAge = 10 * time.Minute

type file struct {
	data []byte
	etag string
	ct   string
}

var (
	filesOnce sync.Once
	files     map[string]file
)

func load() map[string]file {
	filesOnce.Do(func() {
		files = map[string]file{}
		_ = fs.WalkDir(FS(), ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(FS(), p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			ct := mime.TypeByExtension(path.Ext(p))
			if ct == "" {
				ct = "text/plain; charset=utf-8"
			}
			files[p] = file{data: b, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, ct: ct}
			return nil
		})
	})
	return files
}

// Handler serves the player's files under prefix (e.g. "/player/"):
// GET and HEAD only, an ETag per file, Cache-Control public for MaxAge,
// 404 for anything else. It serves no page: the page that shows a
// replay is the embedder's (the API's viewer has one).
func Handler(prefix string) http.Handler {
	fsys := load()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		name, ok := strings.CutPrefix(r.URL.Path, prefix)
		f, found := fsys[name]
		if !ok || !found {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", f.ct)
		h.Set("ETag", f.etag)
		h.Set("Cache-Control", "public, max-age="+strconv.Itoa(int(MaxAge/time.Second)))
		h.Set("X-Content-Type-Options", "nosniff")
		// Modules and styles may be loaded by a dashboard on another origin.
		h.Set("Access-Control-Allow-Origin", "*")
		http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.data))
	})
}

// CSP is the Content-Security-Policy for a page that shows a replay with
// the player. files is where the player's files are served from, a URL
// prefix ("https://kiln.example/player/") or "'self'"; bundle are the URL
// prefixes or origins of the bundle's files (manifest, segments, assets:
// a folder store's "https://kiln.example/files/", an S3 endpoint), "'self'"
// when none are given. Scripts come only from files; images, fonts, media,
// styles and connections only from the bundle, so the recorded DOM, whose
// iframe inherits this policy, fetches nothing else, not even from the
// page's own origin. Inline styles are allowed: the recorded DOM is made of
// them, and they run no script. The page may be framed by its own origin
// only.
func CSP(files string, bundle ...string) string {
	src := "'self'"
	if len(bundle) > 0 {
		src = strings.Join(bundle, " ")
	}
	return "default-src 'none'; script-src " + files + "; style-src " + files + " " + src + " 'unsafe-inline'; img-src " + src + " data: blob:; " +
		"font-src " + src + " data:; media-src " + src + " data: blob:; connect-src " + src + "; frame-src 'self'; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
}
