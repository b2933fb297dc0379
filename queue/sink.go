package queue

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/kilnrender/kiln/replay"
	"github.com/kilnrender/kiln/storage"
)

// storeSink stores a replay bundle's files under the job's keys as the
// builder produces them, so that no file waits in memory for the others.
// Assets are content-addressed and shared by the project's bundles
// (p/{project}/assets/{sha256}): stored once, kept when one item is
// deleted, swept when no item lists them.
type storeSink struct {
	h           *Handlers
	project, id string

	mu      sync.Mutex
	objects []Object
	upload  time.Duration
}

var _ replay.Sink = (*storeSink)(nil)

func (s *storeSink) Put(ctx context.Context, name string, data []byte, contentType, contentEncoding string) error {
	start := time.Now()
	key := ReplayKey(s.project, s.id, name)
	stored := false
	if sum, ok := strings.CutPrefix(name, "assets/"); ok {
		if k, err := storage.AssetKey(s.project, sum); err == nil {
			key = k
			if o, err := s.h.Store.Head(ctx, key); err == nil && o.Size == int64(len(data)) {
				stored = true
			}
		}
	}
	if !stored {
		if err := s.h.put(ctx, key, contentType, contentEncoding, data); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.objects = append(s.objects, Object{Name: name, Key: key, Size: int64(len(data)), ContentType: contentType})
	s.upload += time.Since(start)
	return nil
}
