package renderer

import (
	"testing"
	"time"

	"github.com/kilnrender/kiln/snapshot"
)

var (
	desktop = snapshot.Viewport{Width: 1280, Height: 800, DeviceScaleFactor: 1}
	mobile  = snapshot.Viewport{Width: 390, Height: 844, DeviceScaleFactor: 3, Mobile: true}
)

func TestIdleTabsPrefersMatchingViewport(t *testing.T) {
	var q idleTabs
	d, m := &tab{vp: desktop}, &tab{vp: mobile}
	q.put(d)
	q.put(m)
	if got, _ := q.get(desktop); got != d {
		t.Fatalf("get(desktop) = %v, want the desktop tab", got.vp)
	}
	// Only the mobile tab is left: a desktop job takes it rather than wait.
	if got, _ := q.get(desktop); got != m {
		t.Fatalf("get(desktop) with only a mobile tab free = %v, want it", got)
	}
	if n := q.len(); n != 0 {
		t.Fatalf("len = %d, want 0", n)
	}
}

func TestIdleTabsHandsFreedTabToMatchingWaiter(t *testing.T) {
	var q idleTabs
	_, wd := q.get(desktop) // oldest waiter
	_, wm := q.get(mobile)
	m := &tab{vp: mobile}
	q.put(m)
	select {
	case got := <-wm.ch:
		if got != m {
			t.Fatal("mobile waiter got another tab")
		}
	default:
		t.Fatal("the mobile tab did not go to the mobile waiter")
	}
	d := &tab{vp: mobile}
	q.put(d) // no mobile waiter left: the oldest (desktop) takes it
	if got := <-wd.ch; got != d {
		t.Fatal("desktop waiter did not get the next tab")
	}
}

func TestIdleTabsBypassIsBounded(t *testing.T) {
	var q idleTabs
	_, old := q.get(desktop)
	old.since = time.Now().Add(-2 * maxBypass)
	_, young := q.get(mobile)
	q.put(&tab{vp: mobile})
	select {
	case <-old.ch:
	default:
		t.Fatal("a waiter older than maxBypass was passed over")
	}
	if got := q.cancel(young); got != nil {
		t.Fatal("cancel of a waiter that got nothing returned a tab")
	}
}

func TestIdleTabsCancelReturnsHandedTab(t *testing.T) {
	var q idleTabs
	_, w := q.get(desktop)
	tb := &tab{vp: desktop}
	q.put(tb)
	if got := q.cancel(w); got != tb {
		t.Fatal("cancel after hand-off must return the tab to put back")
	}
}
