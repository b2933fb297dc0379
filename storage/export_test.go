package storage

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
)

// UnwrapDataKey opens a wrapped data key (keys/{project}) with master: its
// id and key.
func UnwrapDataKey(master []byte, project string, blob []byte) (id, key []byte, err error) {
	dk, err := newKeyring(master, nil, 0, 0).unwrap(project, blob)
	return dk.id, dk.key, err
}

// OpenWithMaster tries to open the sealed header of an object stored under
// key with the master key alone, as the old format and as the new one
// (taking the master for the data key). file is a folder object file, or
// with s3 set the value of an S3 object's kiln-seal metadata. nil means it
// opened.
func OpenWithMaster(master []byte, key string, file []byte, s3 bool) error {
	var version byte
	var hb []byte
	if s3 {
		raw, err := base64.RawURLEncoding.DecodeString(string(file))
		if err != nil || len(raw) < 1 {
			return errCorrupt
		}
		version, hb = raw[0], raw[1:]
	} else {
		if len(file) < footerLen {
			return errCorrupt
		}
		foot := file[len(file)-footerLen:]
		hlen := int(binary.BigEndian.Uint32(foot[0:4]))
		version, hb = foot[4], file[len(file)-footerLen-hlen:len(file)-footerLen]
	}
	kid, salt, sealed, err := splitHeader(version, hb)
	if err != nil {
		return err
	}
	var errs []error
	for _, s := range []seal{{version: sealV1, secret: master}, {version: sealV2, kid: kid, secret: master}} {
		if _, err := s.openHeader(key, salt, sealed); err != nil {
			errs = append(errs, err)
			continue
		}
		return nil
	}
	return errors.Join(errs...)
}

// CachedKeys is how many data keys s holds in memory.
func CachedKeys(s Store) int {
	switch s := s.(type) {
	case *Folder:
		return s.keys.cachedKeys()
	case *S3:
		return s.keys.cachedKeys()
	}
	return -1
}
