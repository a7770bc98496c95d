package render

import (
	"encoding/hex"
	"sync"

	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/borgoesempio/albo/generator/search"
)

// made is what the renderer made of one act. In a session (albo watch and serve) it is
// kept for the next renders, so an act that did not change is not made again. Each field
// but key is filled by one job of a render, the first time it needs it.
type made struct {
	key     string      // the page key: the digest of everything the act's page is made from
	row     *ActView    // the act in lists, with its row rendered
	doc     *search.Doc // the act in the search index, with its terms
	data    *dataLines  // the act in the open data
	archive *dataLines  // the act in the archive's open data
	render  uint64      // the last render that used it
}

// memo keeps what the renderer made of each act, by the act's digest, for the next render
// of the same site. After each render it keeps only what that render used.
type memo struct {
	on     bool // off for a single build: nothing to reuse
	mu     sync.Mutex
	acts   map[[32]byte]*made
	render uint64
}

// made returns what was made of e, with its page key.
func (r *Renderer) made(e *schedule.Entry) *made {
	m := &r.memo
	if !m.on {
		return &made{key: r.site + hex.EncodeToString(e.Digest[:16])}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.acts == nil {
		m.acts = map[[32]byte]*made{}
	}
	a := m.acts[e.Digest]
	if a == nil {
		a = &made{key: r.site + hex.EncodeToString(e.Digest[:16])}
		m.acts[e.Digest] = a
	}
	a.render = m.render
	return a
}

// rotate ends a render: what it used is what the next one may reuse.
func (m *memo) rotate() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, a := range m.acts {
		if a.render != m.render {
			delete(m.acts, k)
		}
	}
	m.render++
}
