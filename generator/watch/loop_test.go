package watch

import (
	"context"
	"sync"
	"testing"
	"time"
)

// fakeClock moves only when the test says so; After fires when it reaches the instant.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []waiter
}

type waiter struct {
	at time.Time
	c  chan time.Time
}

func (f *fakeClock) Now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now }

func (f *fakeClock) After(t time.Time) <-chan time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := make(chan time.Time, 1)
	if !t.After(f.now) {
		c <- f.now
	} else {
		f.waiters = append(f.waiters, waiter{t, c})
	}
	return c
}

func (f *fakeClock) set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = t
	keep := f.waiters[:0]
	for _, w := range f.waiters {
		if !w.at.After(t) {
			w.c <- t
		} else {
			keep = append(keep, w)
		}
	}
	f.waiters = keep
}

// TestLoopBoundaries drives the loop with a fake clock over a start, an end, the change to
// winter time and a month with nothing due: it rebuilds at each boundary and only then.
func TestLoopBoundaries(t *testing.T) {
	rome, _ := time.LoadLocation("Europe/Rome")
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, rome) }
	// Boundaries of a site: an act from 20/10 to 25/10 (ends at the DST change), another
	// from 01/12 to 10/12; nothing in November.
	boundaries := []time.Time{day(2026, 10, 20), day(2026, 10, 26), day(2026, 12, 1), day(2026, 12, 11)}
	clock := &fakeClock{now: time.Date(2026, 10, 19, 23, 59, 58, 0, rome)}
	builds := make(chan Event, 10)
	build := func(now time.Time, b Batch) (*Outcome, error) {
		for _, x := range boundaries {
			if x.After(now) {
				return &Outcome{Published: 1, Next: x}, nil
			}
		}
		return &Outcome{}, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	changes := make(chan Batch)
	go Loop(ctx, changes, clock, build, func(e Event) { builds <- e })
	expect := func(want time.Time, boundary bool) {
		t.Helper()
		select {
		case e := <-builds:
			if e.Boundary != boundary || !e.At.Equal(want) {
				t.Fatalf("build at %s (boundary %v), want %s (boundary %v)", e.At, e.Boundary, want, boundary)
			}
		case <-time.After(2 * time.Second):
			t.Fatalf("no build, want one at %s", want)
		}
	}
	none := func() {
		t.Helper()
		select {
		case e := <-builds:
			t.Fatalf("unexpected build at %s: %s", e.At, e.Reason)
		case <-time.After(100 * time.Millisecond):
		}
	}
	expect(clock.Now(), false) // the first build
	clock.set(time.Date(2026, 10, 19, 23, 59, 59, 0, rome))
	none()
	clock.set(day(2026, 10, 20)) // a start
	expect(day(2026, 10, 20), true)
	clock.set(time.Date(2026, 10, 25, 23, 0, 0, 0, rome)) // 25/10 has 25 hours
	none()
	clock.set(day(2026, 10, 26)) // an end, just after the change to winter time
	expect(day(2026, 10, 26), true)
	if day(2026, 10, 26).Sub(day(2026, 10, 25)) != 25*time.Hour {
		t.Fatal("the test should cross the DST change")
	}
	clock.set(day(2026, 11, 15)) // November: nothing due
	none()
	changes <- Batch{Paths: []string{"content/a.md"}}
	if e := <-builds; e.Boundary || e.Reason != "modificato content/a.md" {
		t.Fatalf("change: %+v", e)
	}
	clock.set(day(2026, 12, 1))
	expect(day(2026, 12, 1), true)
	clock.set(day(2026, 12, 11))
	expect(day(2026, 12, 11), true)
	clock.set(day(2027, 6, 1)) // nothing will ever change again
	none()
}

func TestEventLine(t *testing.T) {
	rome, _ := time.LoadLocation("Europe/Rome")
	e := Event{At: time.Date(2026, 11, 23, 10, 15, 2, 0, rome), Reason: "modificato content/a.md", Took: 35 * time.Millisecond,
		Outcome: &Outcome{Published: 25, Next: time.Date(2026, 11, 24, 0, 0, 0, 0, rome)}}
	if got := e.Line(); got != "23/11/2026 10:15:02 modificato content/a.md, 35 ms: 25 atti in pubblicazione, prossimo aggiornamento 24/11/2026 00:00" {
		t.Errorf("line %q", got)
	}
}
