package render

import (
	"encoding/hex"

	"github.com/borgoesempio/albo/generator/internal/memo"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/borgoesempio/albo/generator/search"
)

// made is what the renderer made of one act. In a session (albo watch and serve) it is
// kept for the next renders, so an act that did not change is not made again. Each field
// but key is filled by one job of a render, the first time it needs it, and only in a
// session (see kept).
type made struct {
	key     string      // the page key: the digest of everything the act's page is made from
	row     *ActView    // the act in lists, with its row rendered
	doc     *search.Doc // the act in the search index, with its terms
	data    *dataLines  // the act in the open data
	archive *dataLines  // the act in the archive's open data
}

// acts keeps what the renderer made of each act, by the act's digest, across the renders
// of a session (when on); cur is what is made of each entry of the current render.
type acts struct {
	on   bool // off for a single build: nothing to reuse
	kept memo.Memo[[32]byte, *made]
	cur  map[*schedule.Entry]*made
}

// begin finds what was made of the acts of entries, before the jobs of a render read it.
func (r *Renderer) begin(entries ...[]*schedule.Entry) {
	m := &r.memo
	n := 0
	for _, list := range entries {
		n += len(list)
	}
	m.cur = make(map[*schedule.Entry]*made, n)
	var known *memo.Memo[[32]byte, *made] // nil remembers nothing
	if m.on {
		known = &m.kept
	}
	for _, list := range entries {
		for _, e := range list {
			a, ok := known.Get(e.Key)
			if !ok {
				a = &made{key: r.site + hex.EncodeToString(e.Key[:16])}
			}
			known.Keep(e.Key, a)
			m.cur[e] = a
		}
	}
}

// made returns what is made of e in this render, with its page key. Only the entries
// given to begin have one.
func (r *Renderer) made(e *schedule.Entry) *made { return r.memo.cur[e] }

// end ends a render: what it used is what the next one may reuse.
func (m *acts) end() {
	m.kept.Next()
	m.cur = nil
}

// kept returns *field, making it first when it was not made yet. Only a session's
// renderer keeps what it made: a single build lets each value go as soon as its job is
// done with it (on 100,000 acts, the open data alone is 100 MB).
func kept[T any](r *Renderer, field **T, make func() (*T, error)) (*T, error) {
	if *field != nil {
		return *field, nil
	}
	v, err := make()
	if err == nil && r.memo.on {
		*field = v
	}
	return v, err
}
