package search

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
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
	Terms     []string        // the terms of the texts, when already known (DocTerms); nil to analyse them
	Key       string          // digest of what the document's result row is made from; "" for none
}

// DocTerms returns the terms a document is found by.
func DocTerms(d Doc) []string {
	text := d.Text
	if text == nil && d.Source != nil {
		text = d.Source()
	}
	var out []string
	for _, t := range text {
		out = append(out, Terms(t)...)
	}
	return out
}

// File is one file of the index, relative to the site root.
type File struct {
	Path string
	Data []byte
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
}

// Builder makes indexes again and again (albo watch), reusing the result files whose
// documents did not change. Its zero value is ready.
type Builder struct {
	chunks, prev map[string][]byte // key of the documents of a result file → its bytes
}

// Build makes the index of docs, given newest first, under dir (e.g. "cerca/").
func Build(dir string, docs []Doc) ([]File, error) { return new(Builder).Build(dir, docs) }

// Build makes the index of docs, given newest first, under dir (e.g. "cerca/"). Docs with
// a Key are cached by it.
func (bl *Builder) Build(dir string, docs []Doc) ([]File, error) {
	bl.prev, bl.chunks = bl.chunks, map[string][]byte{}
	var files []File
	add := func(path string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		files = append(files, File{dir + path, append(b, '\n')})
		return nil
	}
	tipoIdx, ufficioIdx := map[string]int{}, map[string]int{}
	meta := Meta{Version: Version, Docs: len(docs), PerFile: DocsPerFile, Tipi: [][2]string{}, Uffici: []string{}, Split: []string{}, Stop: StopWords}
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

	byTipo := map[string][]int{}
	byUfficio := map[string][]int{}
	byDate := [][2]any{}
	registers := map[string]map[string]int{}
	postings := analyse(docs)
	for i, d := range docs {
		k := strconv.Itoa(tipoIdx[d.Tipo])
		byTipo[k] = append(byTipo[k], i)
		if d.Ufficio != "" {
			k := strconv.Itoa(ufficioIdx[d.Ufficio])
			byUfficio[k] = append(byUfficio[k], i)
		}
		if n := len(byDate); n > 0 && byDate[n-1][0] == d.Dal {
			byDate[n-1][1] = byDate[n-1][1].(int) + 1
		} else {
			byDate = append(byDate, [2]any{d.Dal, 1})
		}
		rk := fmt.Sprintf("%d-%d", d.Anno, d.Num/100)
		if registers[rk] == nil {
			registers[rk] = map[string]int{}
		}
		registers[rk][strconv.Itoa(d.Num)] = i
	}

	// Terms, grouped by their first letters; a group too large is split by one more.
	n := len(docs)
	encoded := make(map[string]string, len(postings))
	for t, p := range postings {
		encoded[t] = Encode(p, n)
	}
	split := map[string]bool{}
	groups := group(encoded, split)
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
		groups = group(encoded, split)
	}
	for k := range split {
		meta.Split = append(meta.Split, k)
	}
	sort.Strings(meta.Split)
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := add("t/"+k+".json", groups[k]); err != nil {
			return nil, err
		}
	}
	filter := func(m map[string][]int) map[string]string {
		out := map[string]string{}
		for k, p := range m {
			out[k] = Encode(p, n)
		}
		return out
	}
	if err := add("tipi.json", filter(byTipo)); err != nil {
		return nil, err
	}
	if err := add("uffici.json", filter(byUfficio)); err != nil {
		return nil, err
	}
	if err := add("date.json", byDate); err != nil {
		return nil, err
	}
	rkeys := make([]string, 0, len(registers))
	for k := range registers {
		rkeys = append(rkeys, k)
	}
	sort.Strings(rkeys)
	for _, k := range rkeys {
		if err := add("r/"+k+".json", registers[k]); err != nil {
			return nil, err
		}
	}
	for c := 0; c*DocsPerFile < len(docs); c++ {
		chunk := docs[c*DocsPerFile : min(len(docs), (c+1)*DocsPerFile)]
		key := ""
		for _, d := range chunk {
			if d.Key == "" {
				key = ""
				break
			}
			key += d.Key
		}
		if b, ok := bl.prev[key]; ok && key != "" {
			bl.chunks[key] = b
			files = append(files, File{dir + "d/" + strconv.Itoa(c) + ".json", b})
			continue
		}
		var rows [][]any
		for _, d := range chunk {
			u := -1
			if d.Ufficio != "" {
				u = ufficioIdx[d.Ufficio]
			}
			an := 0
			if d.Annullato {
				an = 1
			}
			rows = append(rows, []any{d.Registro, tipoIdx[d.Tipo], d.Oggetto, d.Dal, d.Al, d.URL, u, d.Numero, an})
		}
		if err := add("d/"+strconv.Itoa(c)+".json", rows); err != nil {
			return nil, err
		}
		if key != "" {
			bl.chunks[key] = files[len(files)-1].Data
		}
	}
	if err := add("indice.json", meta); err != nil {
		return nil, err
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
}

// analyse returns the postings of every term: the sorted numbers of the documents that
// hold it. Each core analyses a share of the documents into postings of its own, which are
// merged at the end; no document's text outlives its analysis.
func analyse(docs []Doc) map[string][]int32 {
	workers := runtime.GOMAXPROCS(0)
	parts := make([]map[string][]int32, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			part := map[string][]int32{}
			for i := w; i < len(docs); i += workers {
				terms := docs[i].Terms
				if terms == nil {
					terms = DocTerms(docs[i])
				}
				for _, t := range terms {
					if p := part[t]; len(p) == 0 || p[len(p)-1] != int32(i) {
						part[t] = append(p, int32(i))
					}
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
	r := []rune(term)
	n := min(3, len(r))
	k := string(r[:n])
	for split[k] {
		if n == len(r) {
			return k + "~"
		}
		n++
		k = string(r[:n])
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
