package search

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Format of the index, announced in its meta file; the browser refuses another.
const Version = 1

// Tuning of the split: documents per result file, the size past which a group of
// terms is split by one more letter, and how deep the split may go.
const (
	DocsPerFile  = 10
	maxShard     = 12 << 10
	maxKeyLength = 6
)

// Doc is an act as the index knows it: what a result shows and what it is found by.
type Doc struct {
	Registro  string // 123/2026
	Anno, Num int
	Tipo      string // type key
	TipoNome  string
	Oggetto   string
	Dal, Al   string // ISO dates
	URL       string // relative to the site root
	Ufficio   string
	Numero    string
	Annullato bool
	Text      []string        // every text the act is found by: subject, type, office, body (omissis removed), attachment titles, numbers
	Source    func() []string // Text, made when needed (so that all texts are never in memory at once)
	Terms     TermSet         // the terms of the texts, when already known (DocTermSet); nil to analyse them
	Key       string          // digest of what the document's result row is made from; "" for none
}

// DocTerms returns the terms a document is found by.
func DocTerms(d Doc) []string { return appendDocTerms(nil, d) }

// appendDocTerms appends the terms of d to out.
func appendDocTerms(out []string, d Doc) []string {
	for _, t := range d.texts() {
		out = appendTerms(out, t)
	}
	return out
}

// texts are the texts d is found by.
func (d Doc) texts() []string {
	if d.Text == nil && d.Source != nil {
		return d.Source()
	}
	return d.Text
}

// File is one file of the index, relative to the site root.
type File struct {
	Path string
	Data []byte
	Key  string // digest of Data, for the files a Builder may give again unchanged; "" for others
	// Hint is where the writer may note where it kept the file (render's Sink.KeepHinted):
	// a Builder gives an unchanged file again with the same Hint, so that 2,000 files of
	// an index of 10,000 acts are kept without being looked up again. Nil without a Key.
	Hint *any
}

// Meta is the first file the browser reads.
type Meta struct {
	Version int         `json:"v"`
	Docs    int         `json:"n"`
	PerFile int         `json:"c"`
	Tipi    [][2]string `json:"tipi"`   // [key, label], the index of a type in results and filters
	Uffici  []string    `json:"uffici"` // offices, likewise
	Split   []string    `json:"split"`  // term groups split by one more letter
	Stop    []string    `json:"stop"`   // stop words, as the index dropped them
	Short   []string    `json:"brevi"`  // the groups of one- and two-letter keys that exist: no other is asked for
}

// Builder makes indexes again and again (albo watch). When every document has its Terms
// and Key, it remembers the index it made; when the next documents are the same acts in
// the same places, it re-indexes only those whose Key changed and makes again only the
// files they touch. Its zero value is ready.
type Builder struct {
	last *index
}

// index is an index as a Builder keeps it between builds.
type index struct {
	dir      string
	docs     []*Doc // by number, when remembered
	postings map[string][]int32
	roots    map[string]*root // the terms by their first letters

	// What the index says of the documents besides their terms: the index's meta file
	// (without its split groups), the filters and the register lookup, and the results.
	meta       Meta
	filters    []File
	results    []results // the result files, by number
	tipoIdx    map[string]int
	ufficioIdx map[string]int
}

// root holds the terms that begin with the same three letters (or are shorter), and the
// files of their groups: how the terms of one root are grouped and split depends on no
// other root, so a change of postings makes again the files of its root only.
type root struct {
	encoded map[string]string // term → its encoded postings
	split   []string          // the groups split by one more letter, sorted
	files   []File
}

// Build makes the index of docs, given newest first, under dir (e.g. "cerca/").
func Build(dir string, docs []*Doc) ([]File, error) { return new(Builder).Build(dir, docs) }

// Build makes the index of docs, given newest first, under dir (e.g. "cerca/"). Its
// files come in no particular order: the writer does not need one, and sorting 2,000 paths
// cost 1.5 ms of each rebuild of albo watch on 10,000 acts.
func (bl *Builder) Build(dir string, docs []*Doc) ([]File, error) {
	ix, stale, err := bl.terms(dir, docs)
	bl.last = nil // until this build is complete
	if err != nil {
		return nil, err
	}
	if stale == nil {
		err = ix.list(dir, docs)
	}
	for _, c := range stale {
		ix.results[c].file, err = ix.chunk(dir, docs, c)
		if err != nil {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	meta := ix.meta
	meta.Split = []string{}
	files := slices.Clone(ix.filters)
	for _, r := range ix.results {
		files = append(files, r.file)
	}
	meta.Short = []string{}
	for _, r := range ix.roots {
		meta.Split = append(meta.Split, r.split...)
		files = append(files, r.files...)
		for _, f := range r.files {
			if k, ok := strings.CutPrefix(strings.TrimSuffix(f.Path, ".json"), dir+"t/"); ok && utf8.RuneCountInString(k) <= 2 {
				meta.Short = append(meta.Short, k)
			}
		}
	}
	sort.Strings(meta.Split)
	sort.Strings(meta.Short)
	b, err := json.Marshal(meta)
	if err != nil {
		return nil, err
	}
	files = append(files, File{Path: dir + "indice.json", Data: append(b, '\n')})
	if ix.docs != nil {
		bl.last = ix
	}
	return files, nil
}

// list makes what the index says of docs besides their terms: the meta (but its split
// groups), the filters by type, office and date, the register lookup and the results,
// DocsPerFile to a file. A result file is made again only when one of its documents, or
// the numbering of types and offices, changed.
func (ix *index) list(dir string, docs []*Doc) error {
	ix.filters = ix.filters[:0]
	add := func(path string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		ix.filters = append(ix.filters, File{Path: dir + path, Data: append(b, '\n')})
		return nil
	}
	tipoIdx, ufficioIdx := map[string]int{}, map[string]int{}
	meta := Meta{Version: Version, Docs: len(docs), PerFile: DocsPerFile, Tipi: [][2]string{}, Uffici: []string{}, Stop: StopWords}
	var tipi, uffici []string
	names := map[string]string{}
	for _, d := range docs {
		if _, ok := names[d.Tipo]; !ok {
			names[d.Tipo] = d.TipoNome
			tipi = append(tipi, d.Tipo)
		}
		if _, ok := ufficioIdx[d.Ufficio]; !ok && d.Ufficio != "" {
			ufficioIdx[d.Ufficio] = 0
			uffici = append(uffici, d.Ufficio)
		}
	}
	sort.Strings(tipi)
	sort.Strings(uffici)
	for i, t := range tipi {
		tipoIdx[t] = i
		meta.Tipi = append(meta.Tipi, [2]string{t, names[t]})
	}
	for i, u := range uffici {
		ufficioIdx[u] = i
	}
	meta.Uffici = append(meta.Uffici, uffici...)
	ix.meta, ix.tipoIdx, ix.ufficioIdx = meta, tipoIdx, ufficioIdx

	byTipo := map[string][]int{}
	byUfficio := map[string][]int{}
	type day struct {
		date  string
		count int
	}
	var byDate []day
	registers := map[string]map[string]int{} // by year and hundreds: register number → document number
	for i, d := range docs {
		k := strconv.Itoa(tipoIdx[d.Tipo])
		byTipo[k] = append(byTipo[k], i)
		if d.Ufficio != "" {
			k := strconv.Itoa(ufficioIdx[d.Ufficio])
			byUfficio[k] = append(byUfficio[k], i)
		}
		if n := len(byDate); n > 0 && byDate[n-1].date == d.Dal {
			byDate[n-1].count++
		} else {
			byDate = append(byDate, day{d.Dal, 1})
		}
		rk := fmt.Sprintf("%d-%d", d.Anno, d.Num/100)
		if registers[rk] == nil {
			registers[rk] = map[string]int{}
		}
		registers[rk][strconv.Itoa(d.Num)] = i
	}
	n := len(docs)
	filter := func(m map[string][]int) map[string]string {
		out := map[string]string{}
		for k, p := range m {
			out[k] = Encode(p, n)
		}
		return out
	}
	if err := add("tipi.json", filter(byTipo)); err != nil {
		return err
	}
	if err := add("uffici.json", filter(byUfficio)); err != nil {
		return err
	}
	dates := make([][2]any, len(byDate))
	for i, d := range byDate {
		dates[i] = [2]any{d.date, d.count}
	}
	if err := add("date.json", dates); err != nil {
		return err
	}
	for k, r := range registers {
		if err := add("r/"+k+".json", r); err != nil {
			return err
		}
	}

	prev := ix.results
	ix.results = make([]results, 0, (len(docs)+DocsPerFile-1)/DocsPerFile)
	numbering := fmt.Sprintf("%q%q", tipi, uffici)
	for c := 0; c*DocsPerFile < len(docs); c++ {
		chunk := docs[c*DocsPerFile : min(len(docs), (c+1)*DocsPerFile)]
		res := results{numbering: numbering, keys: make([]string, len(chunk))}
		for j, d := range chunk {
			res.keys[j] = d.Key
		}
		if c < len(prev) && prev[c].same(res) {
			res.file = prev[c].file
		} else {
			var err error
			if res.file, err = ix.chunk(dir, docs, c); err != nil {
				return err
			}
		}
		ix.results = append(ix.results, res)
	}
	return nil
}

// chunk makes the file of results number c.
func (ix *index) chunk(dir string, docs []*Doc, c int) (File, error) {
	var rows [][]any
	for _, d := range docs[c*DocsPerFile : min(len(docs), (c+1)*DocsPerFile)] {
		u := -1
		if d.Ufficio != "" {
			u = ix.ufficioIdx[d.Ufficio]
		}
		an := 0
		if d.Annullato {
			an = 1
		}
		rows = append(rows, []any{d.Registro, ix.tipoIdx[d.Tipo], d.Oggetto, d.Dal, d.Al, d.URL, u, d.Numero, an})
	}
	return keyed(dir+"d/"+strconv.Itoa(c)+".json", rows)
}

// results is a file of results and what it was made from: the Keys of its documents
// and the numbering of types and offices.
type results struct {
	numbering string
	keys      []string
	file      File
}

// same reports whether a file of results made from o would be this one: only when every
// document has a Key.
func (r results) same(o results) bool {
	return r.numbering == o.numbering && slices.Equal(r.keys, o.keys) && !slices.Contains(r.keys, "")
}

// keyed is the file at path holding v in JSON, with its digest.
func keyed(path string, v any) (File, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return File{}, err
	}
	b = append(b, '\n')
	sum := sha256.Sum256(b)
	return File{Path: path, Data: b, Key: hex.EncodeToString(sum[:]), Hint: new(any)}, nil
}

// terms returns the postings of docs, grouped into files: patched from the last index
// when docs are the same acts in the same places, made anew otherwise. When patched, it
// returns the numbers of the result files to make again, an empty list when none, and the
// rest of what the index says of docs (see list) is still right; otherwise stale is nil
// and all of that is to be made again. The index is to be remembered (its docs are set)
// when every document has its Terms and Key.
func (bl *Builder) terms(dir string, docs []*Doc) (ix *index, stale []int, err error) {
	known := true
	for _, d := range docs {
		if d.Terms == nil || d.Key == "" {
			known = false
			break
		}
	}
	if last := bl.last; known && last != nil && last.dir == dir && len(last.docs) == len(docs) {
		same := true
		for i, d := range docs {
			if d.URL != last.docs[i].URL {
				same = false
				break
			}
		}
		if same {
			stale, err := last.patch(docs)
			return last, stale, err
		}
	}
	ix = &index{dir: dir, postings: analyse(docs), roots: map[string]*root{}}
	if bl.last != nil && bl.last.dir == dir {
		ix.results = bl.last.results
	}
	for t, p := range ix.postings {
		ix.root(t).encoded[t] = Encode(p, len(docs))
	}
	for _, r := range ix.roots {
		if err := r.layout(dir); err != nil {
			return nil, nil, err
		}
	}
	if known {
		ix.docs = slices.Clone(docs)
	}
	return ix, nil, nil
}

// patch brings the index up to date with docs, the same acts in the same places: the
// postings of the documents whose Key changed, and the files of the roots they touch.
// It returns the numbers of the result files whose documents changed more than their
// terms, or nil when the filters or the register lookup changed too.
func (ix *index) patch(docs []*Doc) (stale []int, err error) {
	stale = []int{}
	words := words()
	changed := map[string]bool{} // terms whose postings changed
	for i, d := range docs {
		old := ix.docs[i]
		if d.Key == old.Key {
			continue
		}
		switch {
		case stale == nil:
		case d.Tipo != old.Tipo || d.TipoNome != old.TipoNome || d.Ufficio != old.Ufficio || d.Dal != old.Dal || d.Anno != old.Anno || d.Num != old.Num:
			stale = nil // what the filters or the register lookup show changed
		case !reflect.DeepEqual(listing(*d), listing(*old)):
			if c := i / DocsPerFile; len(stale) == 0 || stale[len(stale)-1] != c {
				stale = append(stale, c)
			}
		}
		id := int32(i)
		was, is := old.Terms, d.Terms
		for len(was) > 0 || len(is) > 0 { // both sorted: walk them together
			switch {
			case len(is) == 0 || len(was) > 0 && was[0] < is[0]: // a term gone
				t := words[was[0]]
				p := ix.postings[t]
				if j, ok := slices.BinarySearch(p, id); ok {
					ix.postings[t] = slices.Delete(p, j, j+1)
				}
				changed[t] = true
				was = was[1:]
			case len(was) == 0 || is[0] < was[0]: // a new term
				t := words[is[0]]
				p := ix.postings[t]
				if j, ok := slices.BinarySearch(p, id); !ok {
					ix.postings[t] = slices.Insert(p, j, id)
				}
				changed[t] = true
				is = is[1:]
			default:
				was, is = was[1:], is[1:]
			}
		}
		ix.docs[i] = d
	}
	roots := map[string]bool{}
	for t := range changed {
		r := ix.root(t)
		if p := ix.postings[t]; len(p) > 0 {
			r.encoded[t] = Encode(p, len(docs))
		} else {
			delete(ix.postings, t)
			delete(r.encoded, t)
		}
		roots[rootOf(t)] = true
	}
	for k := range roots {
		r := ix.roots[k]
		if len(r.encoded) == 0 {
			delete(ix.roots, k)
			continue
		}
		if err := r.layout(ix.dir); err != nil {
			return nil, err
		}
	}
	return stale, nil
}

// listing is a document without what it is found by: what the index's lists are made of.
func listing(d Doc) Doc {
	d.Text, d.Source, d.Terms, d.Key = nil, nil, nil, ""
	return d
}

// root returns the root of term t, adding it when new.
func (ix *index) root(t string) *root {
	k := rootOf(t)
	r := ix.roots[k]
	if r == nil {
		r = &root{encoded: map[string]string{}}
		ix.roots[k] = r
	}
	return r
}

// rootOf is the first three letters of a term, or the whole term when shorter: the group
// of a term is always its root or begins with it (see Key).
func rootOf(t string) string {
	n := 0
	for i := range t {
		if n == 3 {
			return t[:i]
		}
		n++
	}
	return t
}

// layout groups the terms of a root and makes their files: a group larger than maxShard
// is split by one more letter, down to maxKeyLength letters.
func (r *root) layout(dir string) error {
	split := map[string]bool{}
	groups := group(r.encoded, split)
	for {
		grew := false
		for k, g := range groups {
			if size(g) > maxShard && len([]rune(k)) < maxKeyLength && !strings.HasSuffix(k, "~") {
				split[k] = true
				grew = true
			}
		}
		if !grew {
			break
		}
		groups = group(r.encoded, split)
	}
	r.split = r.split[:0]
	for k := range split {
		r.split = append(r.split, k)
	}
	sort.Strings(r.split)
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	r.files = r.files[:0]
	for _, k := range keys {
		f, err := keyed(dir+"t/"+k+".json", groups[k])
		if err != nil {
			return err
		}
		r.files = append(r.files, f)
	}
	return nil
}

// analyse returns the postings of every term: the sorted numbers of the documents that
// hold it. Each core analyses a share of the documents into postings of its own, which are
// merged at the end; no document's text outlives its analysis.
func analyse(docs []*Doc) map[string][]int32 {
	words := words()
	workers := runtime.GOMAXPROCS(0)
	parts := make([]map[string][]int32, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			part := map[string][]int32{}
			for i := w; i < len(docs); i += workers {
				add := func(t string) {
					if p := part[t]; len(p) == 0 || p[len(p)-1] != int32(i) {
						part[t] = append(p, int32(i))
					}
				}
				if docs[i].Terms == nil {
					for _, t := range DocTerms(*docs[i]) {
						add(t)
					}
				}
				for _, id := range docs[i].Terms {
					add(words[id])
				}
			}
			parts[w] = part
		}()
	}
	wg.Wait()
	out := parts[0]
	for _, part := range parts[1:] {
		for t, p := range part {
			out[t] = append(out[t], p...)
		}
	}
	if len(parts) > 1 {
		for _, p := range out {
			slices.Sort(p)
		}
	}
	return out
}

// Key returns the group of a term: its first three letters, one more for each split
// group it falls in, and "~" after a split group's own name when the term is that name.
// The browser computes the same.
func Key(term string, split map[string]bool) string {
	k := rootOf(term)
	r := []rune(term)
	for n := utf8.RuneCountInString(k); split[k]; n++ {
		if n == len(r) {
			return k + "~"
		}
		k = string(r[:n+1])
	}
	return k
}

func group(encoded map[string]string, split map[string]bool) map[string]map[string]string {
	groups := map[string]map[string]string{}
	for t, e := range encoded {
		k := Key(t, split)
		if groups[k] == nil {
			groups[k] = map[string]string{}
		}
		groups[k][t] = e
	}
	return groups
}

func size(g map[string]string) int {
	n := 2
	for t, e := range g {
		n += len(t) + len(e) + 6
	}
	return n
}

// Encode writes a sorted list of document numbers as compactly as it can: "d" and the
// gaps between numbers in base 36, separated by ".", or "b" and a bitset of n bits in
// base64 when that is shorter.
func Encode[T int | int32](ids []T, n int) string {
	var b strings.Builder
	b.WriteByte('d')
	var prev T
	for i, id := range ids {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strconv.FormatInt(int64(id-prev), 36))
		prev = id
	}
	bitsLen := 1 + (n+7)/8*4/3 + 4
	if b.Len() <= bitsLen {
		return b.String()
	}
	bits := make([]byte, (n+7)/8)
	for _, id := range ids {
		bits[id/8] |= 1 << (uint(id) % 8)
	}
	return "b" + base64.StdEncoding.EncodeToString(bits)
}

// Decode reads what Encode wrote.
func Decode(s string) ([]int, error) {
	if s == "" {
		return nil, fmt.Errorf("empty postings")
	}
	var out []int
	switch s[0] {
	case 'd':
		prev := 0
		for _, part := range strings.Split(s[1:], ".") {
			v, err := strconv.ParseInt(part, 36, 64)
			if err != nil {
				return nil, err
			}
			prev += int(v)
			out = append(out, prev)
		}
	case 'b':
		bits, err := base64.StdEncoding.DecodeString(s[1:])
		if err != nil {
			return nil, err
		}
		for i, by := range bits {
			for j := 0; j < 8; j++ {
				if by&(1<<j) != 0 {
					out = append(out, i*8+j)
				}
			}
		}
	default:
		return nil, fmt.Errorf("unknown postings %q", s[:1])
	}
	return out, nil
}
