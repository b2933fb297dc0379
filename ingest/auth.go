package ingest

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/kilnrender/kiln/storage"
)

// Keys maps API keys to projects. Only SHA-256 hashes of keys are held.
type Keys struct {
	entries []keyEntry
}

type keyEntry struct {
	project string
	hash    [32]byte
}

// ErrKeys is wrapped by key-list parse errors.
var ErrKeys = errors.New("invalid API key list")

// ValidProject reports whether s can name a project (it becomes a
// storage key segment: storage.ValidateName).
func ValidProject(s string) bool { return storage.ValidateName(s) == nil }

// ParseKeys reads "project:key,project2:key2" (KILN_API_KEYS). Keys are
// hashed at once.
func ParseKeys(spec string) (*Keys, error) {
	k := &Keys{}
	var errs []error
	for i, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		project, key, ok := strings.Cut(part, ":")
		if !ok || !ValidProject(project) || len(key) < 16 {
			errs = append(errs, fmt.Errorf("parse keys: entry %d: want project:key with a key of at least 16 characters: %w", i+1, ErrKeys))
			continue
		}
		k.entries = append(k.entries, keyEntry{project, sha256.Sum256([]byte(key))})
	}
	return k, errors.Join(errs...)
}

// ParseKeyFile reads lines of "project:sha256hex" (KILN_API_KEYS_FILE);
// blank lines and lines starting with # are skipped.
func ParseKeyFile(content string) (*Keys, error) {
	k := &Keys{}
	var errs []error
	s := bufio.NewScanner(strings.NewReader(content))
	for n := 1; s.Scan(); n++ {
		line := strings.TrimSpace(s.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		project, hx, ok := strings.Cut(line, ":")
		b, err := hex.DecodeString(hx)
		if !ok || !ValidProject(project) || err != nil || len(b) != 32 {
			errs = append(errs, fmt.Errorf("parse key file: line %d: want project:sha256hex: %w", n, ErrKeys))
			continue
		}
		var h [32]byte
		copy(h[:], b)
		k.entries = append(k.entries, keyEntry{project, h})
	}
	return k, errors.Join(errs...)
}

// Merge adds o's keys to k.
func (k *Keys) Merge(o *Keys) {
	if o != nil {
		k.entries = append(k.entries, o.entries...)
	}
}

// Len is the number of keys.
func (k *Keys) Len() int { return len(k.entries) }

// HashKey is the hex SHA-256 of key, as a key file holds it.
func HashKey(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}

// Project returns the project of key. Every entry is compared in constant
// time, so timing tells nothing about which key nearly matched.
func (k *Keys) Project(key string) (string, bool) {
	if key == "" {
		return "", false
	}
	h := sha256.Sum256([]byte(key))
	project, found := "", false
	for _, e := range k.entries {
		if subtle.ConstantTimeCompare(h[:], e.hash[:]) == 1 && !found {
			project, found = e.project, true
		}
	}
	return project, found
}
