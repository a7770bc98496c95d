package render

import (
	"encoding/hex"

	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/borgoesempio/albo/generator/search"
)

// made is what the renderer made of one act. In a session (albo watch and serve) it is
// kept for the next renders, so an act that did not change is not made again. Each field
// but key is filled by one job of a render, the first time it needs it, and only in a
// session (see remember).
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
	on     bool                      // off for a single build: nothing to reuse
	acts   map[[32]byte]*made        // what was made of each act, when on
	cur    map[*schedule.Entry]*made // what is made of each entry of this render
	render uint64                    // the number of this render
}

// begin finds what was made of the acts of entries, before the jobs of a render read it.
func (r *Renderer) begin(entries ...[]*schedule.Entry) {
	m := &r.memo
	n := 0
	for _, list := range entries {
		n += len(list)
	}
	m.cur = make(map[*schedule.Entry]*made, n)
	if m.on && m.acts == nil {
		m.acts = make(map[[32]byte]*made, n)
	}
	for _, list := range entries {
		for _, e := range list {
			a := m.acts[e.Digest]
			if a == nil {
				a = &made{key: r.site + hex.EncodeToString(e.Digest[:16])}
				if m.on {
					m.acts[e.Digest] = a
				}
			}
			a.render = m.render
			m.cur[e] = a
		}
	}
}

// made returns what is made of e in this render, with its page key. Only the entries
// given to begin have one.
func (r *Renderer) made(e *schedule.Entry) *made { return r.memo.cur[e] }

// end ends a render: what it used is what the next one may reuse.
func (m *memo) end() {
	for k, a := range m.acts {
		if a.render != m.render {
			delete(m.acts, k)
		}
	}
	m.cur = nil
	m.render++
}

// remember keeps v in *field when the renderer keeps what it makes. A single build does
// not: what a job made of an act may go as soon as the job is done with it (on 100,000
// acts, the open data alone is 100 MB).
func remember[T any](r *Renderer, field **T, v *T) {
	if r.memo.on {
		*field = v
	}
}
