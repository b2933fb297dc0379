package queue

import (
	"context"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Jobs' ends are announced on one Redis channel (the job's id as the
// message) so that a long-poll (Client.Wait) answers as soon as a job is
// done or failed instead of at its next poll. The announcement is a
// hint: Wait still reads the job's status from asynq, and polls on its
// own when no announcement comes (a lost message, Redis reconnecting).
const jobEndChannel = "kiln:job-end"

// announceEnd tells every waiting Client that job id reached a final
// state; asynq records that state once the handler returns, so a waiter
// looks again shortly after the announcement.
func announceEnd(ctx context.Context, rdb redis.UniversalClient, id string) error {
	return rdb.Publish(ctx, jobEndChannel, id).Err()
}

// jobEnds fans a Client's one subscription to jobEndChannel out to the
// Waits in progress: one Redis connection per API process, whatever the
// number of long-polls.
type jobEnds struct {
	rdb     redis.UniversalClient
	once    sync.Once
	mu      sync.Mutex
	sub     *redis.PubSub
	waiting map[string][]chan struct{}
}

// watch returns a channel told when job id's end is announced, and the
// function that stops watching.
func (e *jobEnds) watch(id string) (<-chan struct{}, func()) {
	e.once.Do(e.start)
	ch := make(chan struct{}, 1)
	e.mu.Lock()
	e.waiting[id] = append(e.waiting[id], ch)
	e.mu.Unlock()
	return ch, func() {
		e.mu.Lock()
		defer e.mu.Unlock()
		list := e.waiting[id]
		for i, c := range list {
			if c == ch {
				list = append(list[:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(e.waiting, id)
		} else {
			e.waiting[id] = list
		}
	}
}

func (e *jobEnds) start() {
	e.waiting = map[string][]chan struct{}{}
	e.sub = e.rdb.Subscribe(context.Background(), jobEndChannel)
	msgs := e.sub.Channel() // go-redis resubscribes after a reconnect
	go func() {
		for m := range msgs {
			e.mu.Lock()
			for _, ch := range e.waiting[m.Payload] {
				select {
				case ch <- struct{}{}:
				default:
				}
			}
			e.mu.Unlock()
		}
	}()
}

// close ends the subscription, if one was made.
func (e *jobEnds) close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.sub == nil {
		return nil
	}
	err := e.sub.Close()
	e.sub = nil
	return err
}

// Poll intervals of Wait: without an announcement it backs off to
// waitPollMax; after one it looks again within waitAfterEnd, doubling,
// until asynq shows the final state.
const (
	waitPollFirst = 50 * time.Millisecond
	waitPollMax   = 250 * time.Millisecond
	waitAfterEnd  = 2 * time.Millisecond
)
