package storage

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

var _ Shredder = (*Folder)(nil)

// The folder's data keys are files keys/{project}, beside objects/: no
// object key can reach them, and a copy of objects/ alone never holds a
// key.
func keyPath(project string) string { return "keys/" + project }

func (f *Folder) readKey(ctx context.Context, project string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b, err := f.root.ReadFile(keyPath(project))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	return b, err
}

// createKey writes a project's key once (createOnce).
func (f *Folder) createKey(ctx context.Context, project string, blob []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := f.createOnce(keyPath(project), "keys", blob)
	if errors.Is(err, fs.ErrExist) {
		return errKeyExists
	}
	return err
}

// createOnce writes data to tmp/ and hard-links it to name (in dir, which
// it then syncs): a link, unlike a rename, fails when the name exists, so
// of two writers exactly one wins (the other gets fs.ErrExist), and no
// reader sees a half-written file.
func (f *Folder) createOnce(name, dir string, data []byte) error {
	var nb [12]byte
	rand.Read(nb[:])
	tmpName := "tmp/new-" + hex.EncodeToString(nb[:])
	defer f.root.Remove(tmpName)
	if err := f.writeFile(tmpName, data); err != nil {
		return err
	}
	if err := f.root.Link(tmpName, name); err != nil {
		return err
	}
	f.syncDir(dir)
	return nil
}

// deleteKey overwrites the key file, then removes it. The overwrite is a
// courtesy: a journal, a copy-on-write file system, an SSD's remapping or
// a snapshot may still hold the old blocks (wrapped by the master key).
func (f *Folder) deleteKey(ctx context.Context, project string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p := keyPath(project)
	if fh, err := f.root.OpenFile(p, os.O_WRONLY, 0); err == nil {
		if st, err := fh.Stat(); err == nil {
			fh.Write(make([]byte, st.Size()))
			fh.Sync()
		}
		fh.Close()
	}
	if err := f.root.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	f.syncDir("keys")
	return nil
}

// ShredKey implements Shredder.
func (f *Folder) ShredKey(ctx context.Context, project string) error {
	return shredWith(ctx, f.keys, project)
}

func (f *Folder) writeFile(name string, b []byte) error {
	fh, err := f.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	return writeClose(fh, b, !f.cfg.NoSync)
}

// writeClose writes b to fh, syncs it if asked, closes it, and reports the
// first failure.
func writeClose(fh *os.File, b []byte, sync bool) error {
	_, err := fh.Write(b)
	if err == nil && sync {
		err = fh.Sync()
	}
	if cerr := fh.Close(); err == nil {
		err = cerr
	}
	return err
}

func (f *Folder) syncDir(dir string) {
	if f.cfg.NoSync {
		return
	}
	if d, err := f.root.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// FolderKeyFile is the master key file of a folder store, in its
// directory: Open uses it when KILN_STORE_KEY is unset, and `kiln dev`
// creates it (CreateKeyFile) so its store is encrypted too.
const FolderKeyFile = "store.key"

// CreateKeyFile makes sure path holds a master key: base64 of 32 random
// bytes, mode 0600, created (with its directory, 0700) if missing and
// left as it is otherwise. It reports whether it created the file. A key
// beside the data protects copies of objects/ and makes shredding work,
// not a copy of the whole folder: keep production keys elsewhere.
func CreateKeyFile(path string) (bool, error) {
	if _, err := readKeyFile(path); err == nil {
		return false, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return false, fmt.Errorf("create key file: %w", err)
	}
	k := make([]byte, 32)
	rand.Read(k)
	// Written aside, then hard-linked into place (see Folder.loadSecret):
	// a concurrent reader never sees a partial key.
	var nb [12]byte
	rand.Read(nb[:])
	tmp := path + ".tmp-" + hex.EncodeToString(nb[:])
	fh, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return false, fmt.Errorf("create key file: %w", err)
	}
	defer os.Remove(tmp)
	if err := writeClose(fh, []byte(base64.StdEncoding.EncodeToString(k)+"\n"), true); err != nil {
		return false, fmt.Errorf("create key file: %w", err)
	}
	err = os.Link(tmp, path)
	if errors.Is(err, fs.ErrExist) {
		return false, nil // another process was first
	}
	if err != nil {
		return false, fmt.Errorf("create key file: %w", err)
	}
	return true, nil
}

// readKeyFile reads a master key file; fs.ErrNotExist if there is none.
func readKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	k, err := parseMasterKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return k, nil
}

// parseMasterKey decodes a master key: base64 of 32 bytes.
func parseMasterKey(v string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v))
	if err != nil || len(k) != 32 {
		return nil, errors.New("not the base64 of 32 bytes (openssl rand -base64 32)")
	}
	return k, nil
}
