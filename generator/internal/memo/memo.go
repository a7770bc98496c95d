// Package memo keeps values from one round of a session (albo watch and serve rebuild
// the site again and again) to the next: what a round did not use is dropped at its end,
// so nothing outlives the acts it was made for.
package memo

// Memo maps keys to the values of the last round. Its zero value is ready, and a nil
// *Memo remembers nothing; it is not safe for concurrent use.
//
// Each key has one cell, stamped with the last round that kept it: a round gets and keeps
// values in place, with no map made again (a round of 10,000 acts was 1 ms and 788 KB of
// maps). Cells no round can get any more are swept at the end of a round once they are
// more than a quarter of those kept, so what is dropped is let go soon after.
type Memo[K comparable, V any] struct {
	cells map[K]*cell[V]
	round uint64
	kept  int // cells kept in this round

	// The cell the last Get found (or not) for key: Keep after Get looks nothing up.
	hit *cell[V]
	key K
}

type cell[V any] struct {
	v     V
	round uint64 // the last round that kept it
}

// Get returns the value of k in this round, or else in the last one.
func (m *Memo[K, V]) Get(k K) (V, bool) {
	var zero V
	if m == nil {
		return zero, false
	}
	c := m.cells[k]
	m.hit, m.key = c, k
	if c == nil || c.round+1 < m.round {
		return zero, false
	}
	return c.v, true
}

// Keep keeps v as the value of k for the next round.
func (m *Memo[K, V]) Keep(k K, v V) {
	if m == nil {
		return
	}
	c := m.hit
	if c == nil || m.key != k {
		c = m.cells[k]
	}
	if c == nil {
		if m.cells == nil {
			m.cells = map[K]*cell[V]{}
		}
		c = &cell[V]{round: m.round - 1} // not kept yet in this round
		m.cells[k] = c
	}
	if c.round != m.round {
		m.kept++
	}
	c.v, c.round = v, m.round
	m.hit, m.key = c, k
}

// Next ends a round: what it kept is what the next one may get.
func (m *Memo[K, V]) Next() {
	if m == nil {
		return
	}
	if dead := len(m.cells) - m.kept; dead > m.kept/4+64 {
		for k, c := range m.cells {
			if c.round != m.round {
				delete(m.cells, k)
			}
		}
	}
	m.round++
	m.kept = 0
	m.hit = nil
}

// Reset forgets everything: the values no longer hold (another configuration, another day).
func (m *Memo[K, V]) Reset() {
	m.cells, m.kept, m.hit = nil, 0, nil
}
