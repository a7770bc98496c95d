package render

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"html/template"
	"io"
	"maps"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/borgoesempio/albo/generator/internal/wire"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/borgoesempio/albo/generator/search"
)

// made is what the renderer made of one act. In a session (albo watch and serve) it is
// kept for the next renders, so an act that did not change is not made again. Each field
// but key, readers and the row is filled by one job of a render, the first time it needs
// it, and only in a session (see kept); the row by whichever job needs it first, in any
// render (rows.view).
type made struct {
	key      string      // the page key: the digest of everything the act's page is made from
	page     string      // the act's page, relative to the site root, once known
	pageHint any         // where the Sink found the page when it kept it, for the next render (Sink.KeepHinted)
	files    []attached  // the act's attachments as its page's job stores them, once filed
	filed    bool        // files is worked out
	last     *remembered // what the last process made of the act, or nil
	row      *ActView    // the act in lists, with its row rendered (rows.view, once)
	rowOnce  sync.Once
	rowErr   error
	doc      *search.Doc // the act in the search index, with its terms: kept by a session, made once in a single build (searchEntry)
	docOnce  sync.Once
	docErr   error
	data     *dataLines   // the act in the open data
	archive  *dataLines   // the act in the archive's open data
	headers  *string      // the rules of _headers for the act's attachments
	readers  atomic.Int32 // the jobs of a single build's render yet to read the act's body (read)
}

// read says that a job of the render is done with the body of e, whatever it made of it:
// the last one lets go of it (a single build, Render).
func (m *made) read(e *schedule.Entry) {
	if m.readers.Add(-1) == 0 {
		e.LetGoOfBody()
	}
}

// attached is an attachment of an act as the job of the act's page stores it: where it
// goes and its content key, and the same for its readable copy when it is signed (rel ""
// when not), each with the Sink's hint (Sink.KeepHinted).
type attached struct {
	rel, key, readable, readableKey string
	hint, readableHint              any
}

// acts keeps what the renderer made of each act across the renders of a session (when
// on): order and mades are the entries of the last render, in order, with what was made
// of each.
//
// A session's schedule gives the same entry again for an act that did not change, in
// the same place (schedule.Scheduler): an entry found where the last render had it has
// what was made of it there, with no look-up. The others (a changed act, the acts after
// one added or removed, all of them after a new day) are looked up by key among what the
// last render made of the entries no longer in their place. The jobs of a render find
// what is made of an entry by its place too: in albo watch, finding the 10,000 acts in a
// map by key was 1.1 ms of each rebuild, and by their entries 0.65 s of 300 rebuilds.
type acts struct {
	on     bool // off for a single build: nothing to reuse
	order  []*schedule.Entry
	mades  []*made
	spare  []*schedule.Entry // the space of the next order
	spares []*made
}

// begin finds what was made of the acts of entries, before the jobs of a render read it,
// and returns it in the same order: the entries of the first list, then of the second...
func (r *Renderer) begin(entries ...[]*schedule.Entry) []*made {
	m := &r.memo
	if !m.on {
		n := 0
		for _, list := range entries {
			n += len(list)
		}
		mades := make([]*made, 0, n)
		if r.mem != nil {
			r.mem.next, r.mem.now = make(map[[32]byte]*remembered, n), r.site
		}
		recalled := 0
		for _, list := range entries {
			for _, e := range list {
				a := r.fresh(e)
				a.last = r.mem.recalled(r.site, e.Key)
				if a.last != nil {
					r.mem.next[e.Key] = a.last
					recalled++
				}
				mades = append(mades, a)
			}
		}
		r.mem.recalledAll()
		if r.sized != nil {
			r.sized(recalled)
		}
		return mades
	}
	last, lastMade := m.order, m.mades
	order, mades := m.spare[:0], m.spares[:0]
	var moved []int // places whose entry is not the one the last render had there
	for _, list := range entries {
		for _, e := range list {
			i := len(order)
			order = append(order, e)
			if i < len(last) && last[i] == e {
				mades = append(mades, lastMade[i])
			} else {
				mades = append(mades, nil)
				moved = append(moved, i)
			}
		}
	}
	// What the last render made of the entries that are not in their place can only be
	// in the places that changed (keys are unique): those where another entry is now, and
	// those past the end of this render's entries.
	if len(moved) > 0 {
		pool := make(map[[32]byte]*made, len(moved)+max(len(last)-len(order), 0))
		for _, i := range moved {
			if i < len(last) {
				pool[last[i].Key] = lastMade[i]
			}
		}
		for i := len(order); i < len(last); i++ {
			pool[last[i].Key] = lastMade[i]
		}
		for _, i := range moved {
			e := order[i]
			if mades[i] = pool[e.Key]; mades[i] == nil {
				mades[i] = r.fresh(e)
			}
		}
	}
	clear(last) // spare now: it holds nothing of the last render
	clear(lastMade)
	m.order, m.mades, m.spare, m.spares = order, mades, last, lastMade
	return mades
}

// fresh is what is made of e before anything is: its page key, from the site's key and
// the entry's.
func (r *Renderer) fresh(e *schedule.Entry) *made {
	return &made{key: r.site + hex.EncodeToString(e.Key[:16])}
}

// forget drops everything made: another configuration or theme, nothing of it holds.
func (m *acts) forget() {
	m.order, m.mades = nil, nil
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

// remembered is what a render made of one act that the next process can use again: the
// row of the lists, the search terms, and where the files of the open data hold its
// lines (Data in dati/atti.json and .csv, Archive in dati/archivio.csv). The act's page is
// kept on disk already (its key). The rest of what the row and the search entry hold is
// made again, cheaply, from the act.
type remembered struct {
	Riga          template.HTML
	Terms         search.TermSet // made in this process; else, as the memo has them:
	terms         []byte         // the numbers of the terms in the memo's vocabulary, ascending, each as the gap from the one before (termsOf)
	Data, Archive *lineAt
}

// Memory is the render memo between processes: what the last one made (last, by entry
// key, for the site key site: albo, its theme, the configuration, the header and footer),
// and what this render made (next); and the search indexes each wrote.
type Memory struct {
	ids       []uint32 // the memo's term numbers in this process's vocabulary
	same      bool     // ids are the numbers themselves
	site      string   // of last
	now       string   // the site key of this render
	last      map[[32]byte]*remembered
	lastN     int                    // the number of acts in last, once it is let go (recalledAll)
	lastIndex map[string]searchIndex // by folder
	mu        sync.Mutex
	next      map[[32]byte]*remembered
	nextIndex map[string]searchIndex
	changed   bool
}

// searchIndex is a search index as a render wrote it: the key of what it was made from
// (indexKey), and its files, each with its key.
type searchIndex struct {
	key   string
	files []keyedFile
}

// keyedFile is a file written with a key.
type keyedFile struct{ rel, key string }

// memoMagic begins a render memo; one of another format is not read.
const memoMagic = "albo memo pagine 3\n"

// Recall gives the renderer what the last process's render made, for a single build: a
// render then makes again only the rows, search terms and data lines of the acts whose
// key is new, and Memo gives what to keep for the next. sized, when not nil, is told how
// many acts each render finds in m, before it makes anything.
func (r *Renderer) Recall(m *Memory, sized func(recalled int)) { r.mem, r.sized = m, sized }

// ReadMemory reads what Memo returned in the last process (empty or unreadable: nothing
// remembered). It may run while the site is read.
func ReadMemory(in *wire.Reader) *Memory {
	mem := &Memory{}
	if !in.Prefix(memoMagic) {
		return mem
	}
	site := in.String()
	vocab := make([]string, in.Len())
	for i := range vocab {
		vocab[i] = in.String()
	}
	mem.ids = search.Numbers(vocab) // the memo's term numbers in this process's vocabulary
	mem.same = true
	for i, id := range mem.ids {
		mem.same = mem.same && id == uint32(i)
	}
	n := in.Len()
	acts := make(map[[32]byte]*remembered, n)
	for range n {
		var k [32]byte
		in.Fixed(k[:])
		e := &remembered{Riga: template.HTML(in.String())}
		if t := in.Bytes(); len(t) > 0 {
			e.terms = t // read when the act's search entry is made (termsOf)
		}
		e.Data, e.Archive = readLineAt(in), readLineAt(in)
		acts[k] = e
	}
	indexes := map[string]searchIndex{}
	for range in.Len() {
		dir, x := in.String(), searchIndex{key: in.String()}
		x.files = make([]keyedFile, in.Len())
		for i := range x.files {
			x.files[i] = keyedFile{in.String(), in.String()}
		}
		indexes[dir] = x
	}
	if in.Done() {
		mem.site, mem.last, mem.lastN, mem.lastIndex = site, acts, len(acts), indexes
	}
	return mem
}

// Memo returns what the last render made, to give ReadMemory in the next process; nil in
// a session.
func (r *Renderer) Memo() *Memory { return r.mem }

// Changed reports whether the memo is not the one Recall gave (nothing to write).
func (m *Memory) Changed() bool {
	return m != nil && (m.changed || len(m.next) != m.lastN || m.site != m.now || !maps.EqualFunc(m.lastIndex, m.nextIndex, func(a, b searchIndex) bool { return a.key == b.key }))
}

// Write writes the memo, for ReadMemory.
func (m *Memory) Write(out io.Writer) error {
	vocab := search.Vocabulary()
	w := &wire.Writer{B: append(make([]byte, 0, 128<<10), memoMagic...), Out: out}
	w.String(m.now)
	w.Uint(uint64(len(vocab)))
	for _, t := range vocab {
		w.String(t)
	}
	keys := slices.SortedFunc(maps.Keys(m.next), func(a, b [32]byte) int { return bytes.Compare(a[:], b[:]) })
	var terms []byte
	w.Uint(uint64(len(keys)))
	for _, k := range keys {
		e := m.next[k]
		w.Fixed(k[:])
		w.String(string(e.Riga))
		switch {
		case e.Terms == nil && m.same: // as the memo had them: the same numbers here
			w.Bytes(e.terms)
		default:
			terms = terms[:0]
			last := uint32(0)
			for _, id := range m.termsOf(e) { // sorted, each once
				terms = binary.AppendUvarint(terms, uint64(id-last))
				last = id
			}
			w.Bytes(terms)
		}
		writeLineAt(w, e.Data)
		writeLineAt(w, e.Archive)
		w.Spill()
	}
	w.Uint(uint64(len(m.nextIndex)))
	for _, dir := range slices.Sorted(maps.Keys(m.nextIndex)) {
		x := m.nextIndex[dir]
		w.String(dir)
		w.String(x.key)
		w.Uint(uint64(len(x.files)))
		for _, f := range x.files {
			w.String(f.rel)
			w.String(f.key)
			w.Spill()
		}
	}
	return w.Flush()
}

// writeLineAt writes where a file of the open data holds an act's lines, if it does.
func writeLineAt(w *wire.Writer, at *lineAt) {
	if w.Bool(at != nil); at != nil {
		w.Fixed(at.sum[:])
		for _, v := range [...]int64{at.json.off, at.json.n, at.csv.off, at.csv.n} {
			w.Uint(uint64(v))
		}
	}
}

// readLineAt reads what writeLineAt wrote: nil for nothing, or for what no file holds.
func readLineAt(in *wire.Reader) *lineAt {
	if !in.Bool() {
		return nil
	}
	at := &lineAt{}
	in.Fixed(at.sum[:])
	var v [4]int64
	for i := range v {
		u := in.Uint()
		if u > 1<<48 { // a damaged memo: no file of the open data is that large
			in.Err = wire.ErrShort
		}
		v[i] = int64(u & (1<<48 - 1))
	}
	at.json, at.csv = span{v[0], v[1]}, span{v[2], v[3]}
	return at
}

// keptIndex keeps the search index under dir that the last process wrote, when it was
// made from what key says, and reports whether it kept all of it; the files it kept are
// in kept. The next process is told the same index.
func (m *Memory) keptIndex(dir, key string, out Sink, kept map[string]bool) bool {
	if m == nil {
		return false
	}
	x, ok := m.lastIndex[dir]
	if !ok || x.key != key {
		return false
	}
	for _, f := range x.files {
		if !out.Keep(f.rel, f.key) {
			return false
		}
		kept[f.rel] = true
	}
	m.rememberIndex(dir, x)
	return true
}

// rememberIndex records, for the next process, the search index written under dir.
func (m *Memory) rememberIndex(dir string, x searchIndex) {
	if m == nil {
		return
	}
	m.mu.Lock()
	if m.nextIndex == nil {
		m.nextIndex = map[string]searchIndex{}
	}
	m.nextIndex[dir] = x
	m.mu.Unlock()
}

// termsOf returns the search terms of x: made in this process, or read from the memo's
// numbers, which a search entry made again needs and a build that keeps the index does
// not (100,000 acts: 36 MB as numbers of this process, 11 MB as the memo has them). Numbers
// the memo's vocabulary does not have give none: the entry is made from the act.
func (m *Memory) termsOf(x *remembered) search.TermSet {
	if x.Terms != nil || x.terms == nil {
		return x.Terms
	}
	set := make(search.TermSet, 0, len(x.terms))
	id := uint64(0)
	for b := x.terms; len(b) > 0; {
		gap, n := binary.Uvarint(b)
		if n <= 0 {
			return nil
		}
		if id += gap; id >= uint64(len(m.ids)) {
			return nil
		}
		set = append(set, m.ids[id])
		b = b[n:]
	}
	if !m.same {
		slices.Sort(set)
	}
	return set
}

// recalled returns what the last process made of the act with key k, or nil.
func (m *Memory) recalled(site string, k [32]byte) *remembered {
	if m == nil || m.site != site {
		return nil
	}
	return m.last[k]
}

// recalledAll lets go of what the last process made, once the render has taken what it
// recalls: the acts gone since, and everything when the site key changed (another albo,
// theme or configuration: 25 MB for 10,000 acts, which the collector would otherwise
// carry through the render).
func (m *Memory) recalledAll() {
	if m != nil {
		m.last = nil
	}
}

// remember records, for the next process, what this render made of the act with key k;
// set fills one part. It may be called from several jobs at once; with no memory (a
// session, which keeps what it made in memory) it does nothing.
func (m *Memory) remember(k [32]byte, set func(*remembered)) {
	if m == nil {
		return
	}
	m.mu.Lock()
	e := m.next[k]
	if e == nil {
		e = &remembered{}
		m.next[k] = e
	}
	set(e)
	m.changed = true
	m.mu.Unlock()
}
