// Package memo keeps values from one round of a session (albo watch and serve rebuild
// the site again and again) to the next: what a round did not use is dropped at its end,
// so nothing outlives the acts it was made for.
package memo

// Memo maps keys to the values of the last round. Its zero value is ready, and a nil
// *Memo remembers nothing; it is not safe for concurrent use.
type Memo[K comparable, V any] struct {
	last, cur map[K]V
}

// Get returns the value of k in this round, or else in the last one.
func (m *Memo[K, V]) Get(k K) (V, bool) {
	if m == nil {
		var zero V
		return zero, false
	}
	if v, ok := m.cur[k]; ok {
		return v, true
	}
	v, ok := m.last[k]
	return v, ok
}

// Keep keeps v as the value of k for the next round.
func (m *Memo[K, V]) Keep(k K, v V) {
	if m == nil {
		return
	}
	if m.cur == nil {
		m.cur = make(map[K]V, len(m.last))
	}
	m.cur[k] = v
}

// Next ends a round: what it kept is what the next one may get.
func (m *Memo[K, V]) Next() {
	if m != nil {
		m.last, m.cur = m.cur, nil
	}
}

// Reset forgets everything: the values no longer hold (another configuration, another day).
func (m *Memo[K, V]) Reset() { m.last, m.cur = nil, nil }
