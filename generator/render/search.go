package render

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"

	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/internal/parallel"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/borgoesempio/albo/generator/search"
)

// SearchDir is where the search page and its index are published.
const SearchDir = "cerca/"

// searchFiles writes the search page and the index of the acts in publication (marriage
// banns are not searchable: they are published for one purpose, in their own section);
// ix and kept are what lastIndex said of the last process's index.
func (r *Renderer) searchFiles(cfg *config.Config, site *SiteView, atti []*schedule.Entry, mades []*made, out Sink, ix indexWrite, kept bool) error {
	if kept { // no act's document to make: each is done with its body
		for i, e := range atti {
			mades[i].read(e)
		}
	} else if err := r.indexActs(atti, mades, out, ix); err != nil {
		return err
	}
	return r.page(out, SearchDir+"index.html", "cerca", &Page{
		Site: site, Title: "Cerca negli atti in pubblicazione", Nav: "cerca", Count: len(atti), Indice: site.Base + SearchDir,
		Crumbs: []Link{{Label: "Albo pretorio", URL: site.Base}, {Label: "Cerca"}},
	})
}

// indexActs makes the document of each act of atti and writes their index (writeIndex).
func (r *Renderer) indexActs(atti []*schedule.Entry, mades []*made, out Sink, ix indexWrite) error {
	docs := slices.Grow(r.docs[:0], len(atti))[:len(atti)]
	defer func() { r.docs = docs[:0] }()
	err := parallel.For(len(atti), func(i int) error {
		d, err := r.searchEntry(atti[i], mades[i], nil)
		docs[i] = d
		return err
	})
	if err != nil {
		return err
	}
	return r.writeIndex(&r.index, SearchDir, docs, out, ix)
}

// searchEntry returns the search entry of e, m what is made of it: kept by a session; in
// a single build, made once by whichever job holds the act's body first, its page's (which
// reads it anyway, and passes it as body) or the index's (body nil: read when needed).
// The body goes when both are done with it, and the page's job is the first to come to
// most acts: a cold build of 100,000 acts held 158 MB of texts until the index reached
// them.
func (r *Renderer) searchEntry(e *schedule.Entry, m *made, body []byte) (*search.Doc, error) {
	if r.memo.on {
		return kept(r, &m.doc, func() (*search.Doc, error) { return r.newDoc(e, m, body) })
	}
	m.docOnce.Do(func() {
		m.doc, m.docErr = r.newDoc(e, m, body)
		if m.doc != nil && m.doc.Terms != nil { // else the index reads the body (Source)
			m.read(e)
		}
	})
	return m.doc, m.docErr
}

// newDoc makes the search entry of e from body (nil: the act's own, read when needed).
func (r *Renderer) newDoc(e *schedule.Entry, m *made, body []byte) (*search.Doc, error) {
	d := &search.Doc{
		Registro: e.Registro.Italian(), Anno: e.Registro.Anno, Num: e.Registro.Numero,
		Tipo: e.Tipo, TipoNome: e.Type.Nome, Oggetto: e.Oggetto, Dal: e.Dal.String(), Al: e.Al.String(),
		URL: ActPage(e), Ufficio: e.Ufficio, Numero: e.Numero, Annullato: e.Annullato != nil, Key: m.key,
	}
	// The body, unless the terms are recalled: the act may not hold it (Markdown).
	var recalled search.TermSet
	if m.last != nil {
		recalled = r.mem.termsOf(m.last)
	}
	if recalled == nil && body == nil {
		var err error
		if body, err = e.Markdown(); err != nil {
			return nil, err
		}
	}
	source := func() []string {
		// What the act's page shows, as Pagefind would find it: also the officer, the
		// requester, the tender's CIG and the reasons of annulment and extension.
		// The body as it is, not copied into a string: an act is never changed once read.
		text := []string{e.Oggetto, e.Type.Nome, e.Ufficio, e.Ente, e.Numero, e.Responsabile, e.Richiedente, e.CIG, borrowed(body)}
		for _, a := range e.Allegati {
			text = append(text, a.Titolo)
		}
		if n := e.Annullato; n != nil {
			text = append(text, n.Motivo, n.DispostoDa, n.Provvedimento)
		}
		if e.Proroga != nil {
			text = append(text, e.Proroga.Motivo)
		}
		for _, i := range e.Interruzioni {
			text = append(text, i.Motivo)
		}
		return text
	}
	// A document with its terms does not keep its source, nor the body it reads
	// (a single build lets go of it: made.read).
	switch {
	case recalled != nil: // the last process analysed the same act
		d.Terms = recalled
	case r.memo.on || r.mem != nil: // a session keeps each act's terms, once each; so does the memo
		d.Terms = search.DocTermSet(search.Doc{Source: source})
		r.mem.remember(e.Key, func(x *remembered) { x.Terms = d.Terms })
	default:
		d.Source = source
	}
	return d, nil
}

// indexWrite is what a single build knows of a search index it is to write: the key of
// what it is made from (indexKey; "" outside a single build), and the files of the last
// process's index that it kept already.
type indexWrite struct {
	key  string
	kept map[string]bool
}

// lastIndex keeps the search index under dir that the last process wrote from the
// documents of the same acts (mades), and reports whether it kept all of it: a single
// build then makes no document and builds nothing (100,000 acts: 0.7 s of CPU, the terms
// of every act put together again in each new process). Else it says what writeIndex is
// to know.
func (r *Renderer) lastIndex(dir string, mades []*made, out Sink) (indexWrite, bool) {
	if r.mem == nil {
		return indexWrite{}, false
	}
	ix := indexWrite{key: indexKey(dir, mades), kept: map[string]bool{}}
	return ix, r.mem.keptIndex(dir, ix.key, out, ix.kept)
}

// writeIndex builds the search index of docs under dir with b and writes its files,
// keeping those that did not change and those ix kept already.
func (r *Renderer) writeIndex(b *search.Builder, dir string, docs []*search.Doc, out Sink, ix indexWrite) error {
	files, err := b.Build(dir, docs)
	if err != nil {
		return err
	}
	written := searchIndex{key: ix.key, files: make([]keyedFile, len(files))}
	for i, f := range files {
		k := f.Key
		if k == "" {
			sum := sha256.Sum256(f.Data)
			k = hex.EncodeToString(sum[:]) // as the Builder keys the others
		}
		written.files[i] = keyedFile{f.Path, k}
		if ix.kept[f.Path] || out.KeepHinted(f.Path, k, f.Hint) {
			continue // kept already, from the last process's index
		}
		if err := out.WriteKeyed(f.Path, k, f.Data); err != nil {
			return err
		}
	}
	if ix.key != "" {
		r.mem.rememberIndex(dir, written)
	}
	return nil
}

// indexKey is the digest of what the search index under dir is made from: the key of each
// of its acts, in order, which says everything their documents are made from (the act,
// its state on the day, the site and albo).
func indexKey(dir string, mades []*made) string {
	h := sha256.New()
	h.Write([]byte(dir))
	for _, m := range mades {
		h.Write([]byte{0})
		h.Write(stringBytes(m.key))
	}
	return hex.EncodeToString(h.Sum(nil))
}
