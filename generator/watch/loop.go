package watch

import (
	"context"
	"github.com/borgoesempio/albo/generator/msg"
	"time"
)

// Clock is the source of time of a watch: real time, possibly started at another instant
// (--now), and timers on it. Tests give a fake one.
type Clock interface {
	Now() time.Time
	// After returns a channel that receives when the clock reaches t.
	After(t time.Time) <-chan time.Time
}

// RealClock runs in real time from start, in start's time zone: at the first call Now
// returns start.
func RealClock(start time.Time) Clock {
	return &realClock{offset: time.Until(start), loc: start.Location()}
}

type realClock struct {
	offset time.Duration
	loc    *time.Location
}

func (c *realClock) Now() time.Time { return time.Now().Add(c.offset).In(c.loc) }

func (c *realClock) After(t time.Time) <-chan time.Time {
	return time.After(time.Until(t.Add(-c.offset)))
}

// Outcome is what a build tells the loop.
type Outcome struct {
	Published int       // acts in publication (all sections)
	Next      time.Time // the next boundary; zero for none
	Errors    int       // errors among the problems the build reports with the site it built
}

// Build builds the site at now after the changes of b (an empty batch at a boundary, and
// for the first build Rescan set). A build that found problems still gives an outcome
// (the site built from what can be trusted) with its problems as the error.
type Build func(now time.Time, b Batch) (*Outcome, error)

// Event is one build, as the loop reports it.
type Event struct {
	At       time.Time
	Reason   string
	Took     time.Duration
	Outcome  *Outcome // nil when the build failed without a site
	Err      error
	Boundary bool
}

// Line is the one log line of a build: when, why, how long, acts in publication, next boundary.
func (e Event) Line() string {
	s := msg.T("%s %s, %d ms", e.At.Format("02/01/2006 15:04:05"), e.Reason, e.Took.Milliseconds())
	if e.Outcome != nil {
		s += ": " + msg.N(e.Outcome.Published, "%d atto in pubblicazione", "%d atti in pubblicazione")
		if e.Outcome.Next.IsZero() {
			s += msg.T(", nessuna scadenza in vista")
		} else {
			s += msg.T(", prossimo aggiornamento %s", e.Outcome.Next.Format("02/01/2006 15:04"))
		}
	}
	switch {
	case e.Err == nil:
	case e.Outcome == nil:
		s += "\n" + e.Err.Error() + "\n" + msg.T("albo: il sito pubblicato resta quello dell'ultima costruzione riuscita")
	case e.Outcome.Errors > 0:
		s += "\n" + e.Err.Error() + "\n" + msg.T("albo: il sito è aggiornato con gli atti validi; gli altri atti pubblicati restano com'erano nell'ultima costruzione riuscita")
	default:
		s += "\n" + e.Err.Error()
	}
	return s
}

// Loop builds the site once, then again after each batch of changes from changes and at
// each boundary the last build announced, until ctx ends. report receives every build.
func Loop(ctx context.Context, changes <-chan Batch, clock Clock, build Build, report func(Event)) {
	next := time.Time{}
	run := func(reason string, b Batch, boundary bool) {
		at := clock.Now()
		start := time.Now()
		out, err := build(at, b)
		ev := Event{At: at, Reason: reason, Took: time.Since(start), Outcome: out, Err: err, Boundary: boundary}
		if out != nil {
			next = out.Next
		}
		report(ev)
	}
	run(msg.T("avvio"), Batch{Rescan: true}, false)
	for {
		var timer <-chan time.Time
		if !next.IsZero() {
			timer = clock.After(next)
		}
		select {
		case <-ctx.Done():
			return
		case b, ok := <-changes:
			if !ok {
				return
			}
			reason := msg.N(len(b.Paths), "%d file modificato", "%d file modificati")
			if len(b.Paths) == 1 {
				reason = msg.T("modificato %s", b.Paths[0])
			}
			if b.Rescan {
				reason = msg.T("rilettura completa")
			}
			run(reason, b, false)
		case <-timer:
			run(msg.T("inizio o fine di una pubblicazione alle %s", next.Format("15:04 del 02/01/2006")), Batch{}, true)
		}
	}
}
