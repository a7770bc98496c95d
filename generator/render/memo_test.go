package render

import (
	"testing"

	"github.com/borgoesempio/albo/generator/schedule"
)

// TestBeginReuses checks that a session's render finds what the last one made of each
// act, whether its entry is in its place, has moved (an act added or removed before it,
// two acts swapped), or is a new entry of the same act (a new day), and that it forgets
// the acts that were left out.
func TestBeginReuses(t *testing.T) {
	r := &Renderer{site: "s"}
	r.Remember()
	entry := func(k byte) *schedule.Entry { return &schedule.Entry{Key: [32]byte{k}} }
	e := []*schedule.Entry{entry(0), entry(1), entry(2), entry(3), entry(4)}
	n := entry(9)
	last := map[byte]*made{} // what the last round made of each act, by its key's first byte
	round := func(name string, lists ...[]*schedule.Entry) {
		t.Helper()
		mades := r.begin(lists...)
		count := 0
		seen := map[byte]*made{}
		for _, l := range lists {
			for _, x := range l {
				if count >= len(mades) {
					t.Fatalf("%s: %d made, more entries in the render", name, len(mades))
				}
				m := mades[count]
				count++
				if m == nil {
					t.Fatalf("%s: nothing made of act %d", name, x.Key[0])
				}
				if was, ok := last[x.Key[0]]; ok && was != m {
					t.Errorf("%s: act %d made again", name, x.Key[0])
				}
				if m.key != r.fresh(x).key {
					t.Errorf("%s: act %d given what was made of another", name, x.Key[0])
				}
				seen[x.Key[0]] = m
			}
		}
		last = seen // an act left out of a render is made again when it comes back
		if len(mades) != count {
			t.Errorf("%s: %d made, %d entries in the render", name, len(mades), count)
		}
	}
	round("first", e[:3], e[3:])
	round("same", e[:3], e[3:])
	round("added before, removed at the end", []*schedule.Entry{n}, e[:4])
	round("removed before", e[1:4])
	e1 := entry(1) // the same act, a new entry (another day)
	round("new entry", []*schedule.Entry{e1, e[3], e[2]})
	round("back", []*schedule.Entry{e1}, e[2:])
	round("after one left out", e) // act 0 came back
	r.memo.forget()
	clear(last)
	round("after forget", e)
}

// TestBeginLetsGoOfLastProcess: a single build's render takes from the last process's
// memo what it recalls, and lets go of the rest (the acts gone since; everything when the
// site key changed), which would otherwise stay in the heap through the render; whether
// the memo is to be written again is still known.
func TestBeginLetsGoOfLastProcess(t *testing.T) {
	kept, gone := [32]byte{1}, [32]byte{2}
	for _, c := range []struct {
		name, site string
		acts       []*schedule.Entry
		recalled   bool
		changed    bool
	}{
		{"same site, an act gone", "s", []*schedule.Entry{{Key: kept}}, true, true},
		{"same site, same acts", "s", []*schedule.Entry{{Key: kept}, {Key: gone}}, true, false},
		{"another albo, theme or configuration", "t", []*schedule.Entry{{Key: kept}}, false, true},
	} {
		last := &remembered{Riga: "riga"}
		mem := &Memory{site: "s", now: "s", last: map[[32]byte]*remembered{kept: last, gone: {}}, lastN: 2}
		r := &Renderer{site: c.site, mem: mem}
		mades := r.begin(c.acts)
		if got := mades[0].last == last; got != c.recalled {
			t.Errorf("%s: recalled %v, want %v", c.name, got, c.recalled)
		}
		if mem.last != nil {
			t.Errorf("%s: the last process's memo is still held after begin (%d acts)", c.name, len(mem.last))
		}
		if mem.Changed() != c.changed {
			t.Errorf("%s: memo to write again %v, want %v", c.name, mem.Changed(), c.changed)
		}
	}
}
