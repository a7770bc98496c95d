package render

import "sync"

// memo keeps what the renderer made from each act, by the digest of its inputs, for the
// next render of the same site (albo watch and serve): an act that did not change is not
// made again. After each render it keeps only what that render used.
type memo struct {
	on        bool // off for a single build: nothing to reuse
	mu        sync.Mutex
	prev, cur map[string]any
}

// get returns the value made for key, making it if this render or the last did not.
func (m *memo) get(key string, make func() (any, error)) (any, error) {
	if !m.on {
		return make()
	}
	m.mu.Lock()
	if m.cur == nil {
		m.cur = map[string]any{}
	}
	v, ok := m.cur[key]
	if !ok {
		v, ok = m.prev[key]
	}
	m.mu.Unlock()
	if !ok {
		var err error
		if v, err = make(); err != nil {
			return nil, err
		}
	}
	m.mu.Lock()
	m.cur[key] = v
	m.mu.Unlock()
	return v, nil
}

// rotate ends a render: what it used is what the next one may reuse.
func (m *memo) rotate() {
	m.mu.Lock()
	m.prev, m.cur = m.cur, nil
	m.mu.Unlock()
}
