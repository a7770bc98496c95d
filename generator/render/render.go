// Package render turns a schedule into the files of the site: pages from the theme's
// templates, open data, and the attachments of the acts in publication. Only acts in
// publication reach a page; expired ones reach the archive as metadata when allowed.
package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/template/parse"
	"unsafe"

	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/firma"
	"github.com/borgoesempio/albo/generator/internal/parallel"
	"github.com/borgoesempio/albo/generator/internal/selfid"
	"github.com/borgoesempio/albo/generator/internal/tmplexec"
	"github.com/borgoesempio/albo/generator/markdown"
	"github.com/borgoesempio/albo/generator/msg"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/borgoesempio/albo/generator/search"
)

// PerPage is the number of acts in one page of a list.
const PerPage = 50

// Sink receives the files of the site. It must accept calls from several goroutines, and
// keep no reference to the bytes it is given once a call returns (they are a pooled
// buffer's).
type Sink interface {
	// WriteFile stores data at rel, a slash path relative to the site root.
	WriteFile(rel string, data []byte) error
	// WriteKeyed stores at rel the bytes of parts one after the other, made from inputs
	// whose digest is key.
	WriteKeyed(rel, key string, parts ...[]byte) error
	// Keep keeps the current file at rel if it was made from inputs with the same key,
	// and reports whether it did.
	Keep(rel, key string) bool
	// KeepHinted is Keep with a hint that the Sink may fill, for the next render of a
	// session to find the file faster, and read when it filled it before.
	KeepHinted(rel, key string, hint *any) bool
	// CopyFile stores at rel the file at src on disk (an attachment), whose content has
	// the digest key.
	CopyFile(rel, src, key string) error
	// Previous opens the file at rel in the site being replaced (the last build's) for
	// reading, or returns nil when it has none: a file of the open data, whose lines the
	// next one is made of where its acts did not change. The caller checks what it takes
	// of it, and closes it.
	Previous(rel string) io.ReadSeekCloser
	// Stream starts the file at rel, whose bytes are then written to w a piece at a time;
	// end ends it, made from inputs whose digest is key, or, when failed is not nil, gives
	// it up and returns failed.
	Stream(rel string) (w io.Writer, end func(key string, failed error) error, err error)
}

// Renderer holds the parsed theme and the Markdown converter; it can render many plans.
type Renderer struct {
	digest [32]byte           // of albo itself and of the theme: what every page is made by
	today  bool               // the act pages or rows read the day (.Site.Today): their keys include it
	base   *template.Template // layout.html and parti/: the layout and the parts rendered once per build
	pages  map[string]*template.Template
	progs  map[string]*tmplexec.Program // the pages and parts compiled (compile), by name
	// fallbacks counts the pages and parts html/template made after their program met a
	// value it does not take.
	fallbacks atomic.Int64
	static    fs.FS
	md        *markdown.Converter
	memo      acts   // per act, across renders of a session
	site      string // digest of albo, its theme and the configuration, for one render
	index     search.Builder
	// archiveIndex is the search of the archive's metadata (subject as the archive shows
	// it, register number, type, office): nothing else of an expired act.
	archiveIndex search.Builder
	docs         []*search.Doc // the last render's search documents, for their room
	mem          *Memory       // what the last process made, and what this render makes, for the next (Recall)
	sized        func(recalled int)
	// listed is what each list page was made from in the last render of a session, by
	// its path; listedNext is this render's (the lists job's alone).
	listed, listedNext map[string]*listed
}

var pageNames = []string{"home", "tipo", "atto", "matrimoni", "archivio", "dati", "404", "cerca", "note-legali", "scaduto"}

// New parses the theme's templates.
func New(theme fs.FS) (*Renderer, error) {
	// The parts first, then layout.html: a site theme's layout.html that defines a part
	// itself (as every layout.html did before the parts had files of their own) wins.
	base, err := template.New("").ParseFS(theme, "parti/*.html", "layout.html")
	if err != nil {
		return nil, fmt.Errorf("%s", msg.T("«%v»", err))
	}
	for _, part := range []string{"testata", "piede", "riga"} {
		if base.Lookup(part) == nil {
			return nil, fmt.Errorf("%s", msg.T("il tema non definisce %q: va in parti/ o in layout.html", part))
		}
	}
	r := &Renderer{base: base, pages: map[string]*template.Template{}, md: markdown.NewConverter()}
	for _, name := range pageNames {
		t, err := template.Must(base.Clone()).ParseFS(theme, name+".html")
		if err != nil {
			return nil, fmt.Errorf("%s", msg.T("«%v»", err))
		}
		r.pages[name] = t.Lookup(name + ".html")
	}
	r.static, err = fs.Sub(theme, "static")
	if err != nil {
		return nil, fmt.Errorf("%s", msg.T("«%v»", err))
	}
	if r.digest, err = digest(theme); err != nil {
		return nil, fmt.Errorf("%s", msg.T("«%v»", err))
	}
	r.today = reads(r.pages["atto"], "Today", "testata", "piede") || reads(base.Lookup("riga"), "Today")
	r.compile()
	return r, nil
}

// compile compiles the pages and the parts that make a page (tmplexec): the templates it
// cannot take, and the pages where it meets a value it cannot, are executed by
// html/template as before. html/template escapes a template when it first executes it;
// executed here without data, a page stops at its first field, escaped.
func (r *Renderer) compile() {
	r.progs = map[string]*tmplexec.Program{}
	for name, t := range r.pages {
		if err := t.Execute(io.Discard, nil); !escaped(err) {
			continue // the theme's escaping failed: the page reports it when it is made
		}
		if p := tmplexec.Compile(t); p != nil {
			r.progs[name] = p
		}
	}
	for _, part := range []string{"testata", "piede", "riga"} {
		if err := r.base.ExecuteTemplate(io.Discard, part, nil); !escaped(err) {
			continue
		}
		if p := tmplexec.Compile(r.base.Lookup(part)); p != nil {
			r.progs[part] = p
		}
	}
}

// compiled executes the program of the page or part name into buf, and reports whether
// it could.
func (r *Renderer) compiled(buf *bytes.Buffer, name string, data any) bool {
	p := r.progs[name]
	if p == nil {
		return false
	}
	if !p.Execute(buf, data) {
		r.fallbacks.Add(1)
		return false
	}
	return true
}

// escaped reports whether a template that gave err when executed was escaped: err is
// not html/template's error of escaping it.
func escaped(err error) bool {
	var e *template.Error
	return !errors.As(err, &e)
}

// reads reports whether a template, or one it may call (other than those skipped, which
// are rendered apart), uses a field named field.
func reads(t *template.Template, field string, skip ...string) bool {
	for _, x := range t.Templates() {
		if x.Tree == nil || slices.Contains(skip, x.Name()) {
			continue
		}
		found := false
		var walk func(n parse.Node)
		walk = func(n parse.Node) {
			if n == nil || found || reflect.ValueOf(n).IsNil() {
				return
			}
			switch n := n.(type) {
			case *parse.FieldNode:
				found = slices.Contains(n.Ident, field)
			case *parse.ChainNode:
				found = slices.Contains(n.Field, field)
				walk(n.Node)
			case *parse.VariableNode:
				found = slices.Contains(n.Ident, field)
			case *parse.ListNode:
				for _, c := range n.Nodes {
					walk(c)
				}
			case *parse.ActionNode:
				walk(n.Pipe)
			case *parse.PipeNode:
				for _, c := range n.Cmds {
					walk(c)
				}
			case *parse.CommandNode:
				for _, c := range n.Args {
					walk(c)
				}
			case *parse.IfNode:
				walk(n.Pipe)
				walk(n.List)
				walk(n.ElseList)
			case *parse.RangeNode:
				walk(n.Pipe)
				walk(n.List)
				walk(n.ElseList)
			case *parse.WithNode:
				walk(n.Pipe)
				walk(n.List)
				walk(n.ElseList)
			case *parse.TemplateNode:
				walk(n.Pipe)
			}
		}
		walk(x.Tree.Root)
		if found {
			return true
		}
	}
	return false
}

// digest identifies the running program (its path, size and modification time: a new
// build of albo is another file) and hashes every file of the theme: a page made by another
// albo or another theme is never taken for the same.
func digest(theme fs.FS) ([32]byte, error) {
	h := sha256.New()
	fmt.Fprintln(h, selfid.ID())
	err := fs.WalkDir(theme, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(theme, p)
		fmt.Fprintf(h, "%s %d\n", p, len(b))
		h.Write(b)
		return err
	})
	var sum [32]byte
	h.Sum(sum[:0])
	return sum, err
}

// keyed writes rel from make unless the current site has it made from the same key. make
// may return its own bytes or write them into buf, a buffer of the pool (see buffered).
func keyed(out Sink, rel, key string, make func(buf *bytes.Buffer) ([]byte, error)) error {
	return keyedHinted(out, rel, key, nil, make)
}

// keyedHinted is keyed with a hint for the Sink (see Sink.KeepHinted).
func keyedHinted(out Sink, rel, key string, hint *any, make func(buf *bytes.Buffer) ([]byte, error)) error {
	if out.KeepHinted(rel, key, hint) {
		return nil
	}
	return buffered(func(buf *bytes.Buffer) error {
		b, err := make(buf)
		if err != nil {
			return err
		}
		return out.WriteKeyed(rel, key, b)
	})
}

// buffered calls f with a buffer of the pool, which goes back to it when f returns: the
// pages of a site are written into a few buffers instead of one grown for each (a Sink
// keeps no reference to the bytes it is given). On 10,000 acts, the act pages alone
// allocated 180 MB of buffers in a cold build, for the collector to sweep.
func buffered(f func(buf *bytes.Buffer) error) error {
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 1<<20 { // a buffer grown past a megabyte (a long feed) goes
			buf.Reset()
			pageBuffers.Put(buf)
		}
	}()
	return f(buf)
}

var pageBuffers = sync.Pool{New: func() any { b := new(bytes.Buffer); b.Grow(32 << 10); return b }}

// inputsKey is the digest of albo, its theme and the configuration, of the fields given,
// and of the acts of entries (their digests): the key of a file made from them.
func (r *Renderer) inputsKey(fields string, entries []*schedule.Entry) string {
	h := sha256.New()
	h.Write([]byte(r.site))
	h.Write([]byte(fields))
	for _, e := range entries {
		h.Write(e.Key[:16])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Remember makes the renderer keep what it made of each act for its next renders: for
// sessions (albo watch and serve), where most acts do not change between renders.
func (r *Renderer) Remember() { r.memo.on = true }

// Render writes the whole site for plan into out.
func (r *Renderer) Render(p *schedule.Plan, out Sink) error {
	cfg := p.Config
	site := newSiteView(cfg, p.Today.Italian())
	var atti, matrimoni, archivio []*schedule.Entry
	for _, e := range p.Entries {
		switch {
		case e.State == schedule.InPubblicazione && e.Type.Marriage():
			matrimoni = append(matrimoni, e)
		case e.State == schedule.InPubblicazione:
			atti = append(atti, e)
		case e.InArchivio:
			archivio = append(archivio, e)
		}
	}
	if err := r.chrome(site); err != nil {
		return err
	}
	// What every page is made from besides its own data: albo and its theme, the
	// configuration, the header and footer as rendered for this build (a theme may show
	// the day in them), and the day itself when the act pages read it.
	h := sha256.New()
	h.Write(r.digest[:])
	h.Write(cfg.Digest[:])
	for _, nav := range navs {
		h.Write([]byte(site.Testata[nav]))
	}
	h.Write([]byte(site.Piede))
	if r.today {
		h.Write([]byte(site.Today))
	}
	if s := hex.EncodeToString(h.Sum(nil)[:16]); s != r.site {
		r.site = s
		r.memo.forget() // another configuration: nothing made is valid
	}
	all := r.begin(atti, matrimoni, archivio)
	// shown are the acts with a page: in publication and marriage banns; mades, what is
	// made of each (the first of all).
	shown := slices.Concat(atti, matrimoni)
	mades, archived := all[:len(shown)], all[len(shown):]
	if !r.memo.on {
		// A single build: the body of an act in publication goes once its page and its
		// search entry are made; a marriage's, once its page is; that of an act with no
		// page (expired, scheduled, withdrawn, a draft) now: nothing reads it (most of a
		// real albo's acts are expired; the build held their bodies to its end).
		for i := range shown {
			readers := int32(1)
			if i < len(atti) {
				readers++
			}
			mades[i].readers.Store(readers)
		}
		for _, e := range p.Entries {
			if e.State != schedule.InPubblicazione {
				e.LetGoOfBody()
			}
		}
	}
	ix, indexKept := r.lastIndex(SearchDir, mades[:len(atti)], out)
	list := &rows{r: r, cfg: cfg, atti: atti, mades: mades, entries: !r.memo.on && !indexKept}
	jobs := []func() error{
		func() error {
			return r.actPages(cfg, site, shown, mades, list, out)
		},
		func() error { return r.lists(cfg, site, list, out) },
		func() error { return r.marriages(cfg, site, matrimoni, out) },
		func() error { return r.archive(cfg, site, archivio, archived, out) },
		func() error { return r.data(p, site, atti, archivio, mades[:len(atti)], archived, out) },
		func() error { return r.feedFiles(p, atti, out) },
		func() error { return r.searchFiles(cfg, site, atti, mades[:len(atti)], out, ix, indexKept) },
		func() error { return r.fixed(site, out) },
		func() error { return r.gone(cfg, site, p, out) },
		func() error {
			return out.WriteFile(HeadersPath, r.headersFile(cfg.BasePath(), shown, mades))
		},
	}
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = job() }()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// part executes one of the parts (parti/*.html, or layout.html where it defines them).
func (r *Renderer) part(name string, data any) (html template.HTML, err error) {
	err = buffered(func(b *bytes.Buffer) error { // a pooled buffer: a row grew a new one 4 times
		if !r.compiled(b, name, data) {
			if err := r.base.ExecuteTemplate(b, name, data); err != nil {
				return fmt.Errorf("%s", msg.T("«%v»", err))
			}
		}
		html = template.HTML(b.String()) // output of html/template, or of its compiled form: escaped
		return nil
	})
	return html, err
}

// navs are the menu items a page may be under (Page.Nav): the header is rendered once for each.
var navs = []string{"", "home", "matrimoni", "archivio", "dati", "cerca"}

// chrome renders the header (once per menu item) and the footer shared by every page.
func (r *Renderer) chrome(site *SiteView) error {
	site.Testata = map[string]template.HTML{}
	for _, nav := range navs {
		h, err := r.part("testata", &Page{Site: site, Nav: nav})
		if err != nil {
			return err
		}
		site.Testata[nav] = h
	}
	var err error
	site.Piede, err = r.part("piede", &Page{Site: site})
	return err
}

// row renders an act as a row of the lists it appears in.
func (r *Renderer) row(v *ActView) (err error) {
	v.Riga, err = r.part("riga", v)
	return err
}

// listPage executes a list template into rel, for the acts of list at the places acts,
// unless the current site has the page made from the same rows, counts, pager and day.
// types is typesKey(data.Types). The rows are made only for a page made again.
func (r *Renderer) listPage(out Sink, rel, name, types string, data *Page, list *rows, acts []int) error {
	in := make([]byte, 0, 256+len(types))
	in = fmt.Appendf(in, "%s\x00%s\x00%s\x00%s\x00%s\x00%d\x00%s\x00%d/%d\x00%s\x00", r.site, rel, name, data.Title, data.Site.Today, data.Count, data.FeedURL, data.Pager.Current, data.Pager.Total, types)
	last := r.listed[rel] // none in a single build: it has no next render
	if last == nil || last.head != string(in) || !slices.EqualFunc(last.mades, acts, func(m *made, i int) bool { return m == list.mades[i] }) {
		last = &listed{}
		if r.memo.on {
			last.head, last.mades = string(in), make([]*made, len(acts))
			for j, i := range acts {
				last.mades[j] = list.mades[i]
			}
		}
		h := sha256.New() // the acts' keys hashed as they are: a warm build of 100,000 acts copied them into 36 MB of buffers
		h.Write(in)
		for _, i := range acts {
			h.Write(stringBytes(list.mades[i].key))
		}
		last.key = hex.EncodeToString(h.Sum(nil))
	}
	if r.memo.on {
		r.listedNext[rel] = last
	}
	return keyedHinted(out, rel, last.key, &last.hint, func(buf *bytes.Buffer) ([]byte, error) {
		data.Acts = make([]*ActView, len(acts))
		for j, i := range acts {
			v, err := list.view(i)
			if err != nil {
				return nil, err
			}
			data.Acts[j] = v
		}
		return r.execute(buf, name, data)
	})
}

// listed is what a list page was made from in the last render of a session, with its key
// and the Sink's hint: the same header and the same acts (what is made of each: the same
// key, the same row) make the same page, without hashing its rows again.
type listed struct {
	head  string
	mades []*made
	key   string
	hint  any
}

// rows are the acts in publication as the lists show them (list.atti), each made when a
// job first needs it: for its page or a list page made again. A build that keeps them all
// (a warm one in which nothing changed) makes none: on 100,000 acts, they were 74 MB of
// views made before the render's jobs and never shown.
type rows struct {
	r     *Renderer
	cfg   *config.Config
	atti  []*schedule.Entry
	mades []*made // of each of atti
	// entries says that the job of an act's page, when it makes the page, makes the act's
	// search entry too (searchEntry): a single build that makes the index again.
	entries bool
}

// view returns the row of atti[i], made once for what is made of it (a session keeps it).
func (l *rows) view(i int) (*ActView, error) {
	e, m := l.atti[i], l.mades[i]
	m.rowOnce.Do(func() {
		v := newActView(l.cfg, e, true)
		v.Key = m.key
		if m.last != nil && m.last.Riga != "" {
			v.Riga = m.last.Riga
		} else {
			m.rowErr = l.r.row(v)
			l.r.mem.remember(e.Key, func(x *remembered) { x.Riga = v.Riga })
		}
		m.row = v
	})
	return m.row, m.rowErr
}

// typesKey is what a list page shows of the menu of types, for its key.
func typesKey(types []Link) string {
	var b strings.Builder
	for _, t := range types {
		fmt.Fprintf(&b, "%s\x00%s\x00%d\x00%t\x00", t.Label, t.URL, t.Count, t.Current)
	}
	return b.String()
}

// page executes a page template into the file rel.
func (r *Renderer) page(out Sink, rel, name string, data *Page) error {
	return buffered(func(buf *bytes.Buffer) error {
		b, err := r.execute(buf, name, data)
		if err != nil {
			return err
		}
		return out.WriteFile(rel, b)
	})
}

// execute executes a page template into buf and returns its bytes.
func (r *Renderer) execute(buf *bytes.Buffer, name string, data *Page) ([]byte, error) {
	if r.compiled(buf, name, data) {
		return buf.Bytes(), nil
	}
	if err := r.pages[name].Execute(buf, data); err != nil {
		return nil, fmt.Errorf("%s", msg.T("%s.html: «%v»", name, err))
	}
	return buf.Bytes(), nil
}

// actPages renders one page per act in publication, with its attachments, in parallel.
// mades[i] is what is made of entries[i]; the first ones are the acts in the lists, whose
// rows are in list.
func (r *Renderer) actPages(cfg *config.Config, site *SiteView, entries []*schedule.Entry, mades []*made, list *rows, out Sink) error {
	return parallel.For(len(entries), func(i int) error {
		return r.actPage(cfg, site, entries[i], mades[i], list, i, out)
	})
}

// actPage renders the page of e, the i-th act of a render, from its row in list when it
// is in the lists (i < len(list.atti); not a marriage).
func (r *Renderer) actPage(cfg *config.Config, site *SiteView, e *schedule.Entry, m *made, list *rows, i int, out Sink) error {
	defer m.read(e)
	// Where each attachment goes, worked out once for the session (what is made of an act
	// is made of the same file and attachments): at each rebuild of albo watch, the act
	// of one without attachments is then not looked at (10,000 acts: 1.5 ms a rebuild).
	if !m.filed {
		m.files, m.filed = make([]attached, len(e.Allegati)), true
		for i, a := range e.Allegati {
			f := &m.files[i]
			f.rel, f.key = AttachmentPath(e, a.File), "sha256:"+a.SHA256
			if name := ReadableCopy(e, a); name != "" {
				f.readable, f.readableKey = AttachmentPath(e, name), "contenuto:"+a.SHA256
			}
		}
	}
	for i := range m.files {
		f, a := &m.files[i], &e.Allegati[i]
		if !out.KeepHinted(f.rel, f.key, &f.hint) {
			if err := out.CopyFile(f.rel, a.Path, f.key); err != nil {
				return err
			}
		}
		if f.readable != "" {
			// The signed content, read again from the envelope: the same bytes the signer
			// signed, made again only when the envelope changes.
			err := keyedHinted(out, f.readable, f.readableKey, &f.readableHint, func(*bytes.Buffer) ([]byte, error) {
				b, err := os.ReadFile(a.Path)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", e.Path, err)
				}
				return firma.Content(b)
			})
			if err != nil {
				return fmt.Errorf("%s: %s: %w", e.Path, a.File, err)
			}
		}
	}
	if m.page == "" {
		m.page = ActPage(e)
	}
	return keyedHinted(out, m.page, m.key, &m.pageHint, func(buf *bytes.Buffer) ([]byte, error) {
		var v *ActView
		if i < len(list.atti) { // the lists show it too: the page adds to a copy, without what only the lists show
			row, err := list.view(i)
			if err != nil {
				return nil, err
			}
			c := *row
			c.Key, c.Riga = "", ""
			v = &c
		} else {
			v = newActView(cfg, e, true)
		}
		addAttachments(cfg, v, e)
		nav, section := "home", Link{Label: e.Type.Nome, URL: site.Base + "tipi/" + e.Type.Key + "/"}
		if e.Type.Marriage() {
			nav, section = "matrimoni", Link{Label: "Pubblicazioni di matrimonio", URL: site.Base + "matrimoni/"}
		}
		crumbs := []Link{{Label: "Albo pretorio", URL: site.Base}, section, {Label: "Registro " + v.Registro}}
		var page []byte
		err := buffered(func(texts *bytes.Buffer) error {
			// The body's HTML and the public form are written into texts and shown from
			// there, not copied out into strings of their own (10,000 acts: 36 MB): the
			// view lasts no longer than this page.
			body, err := e.Markdown()
			if err != nil {
				return err
			}
			if list.entries && i < len(list.atti) {
				if _, err := r.searchEntry(e, m, body); err != nil {
					return err
				}
			}
			if err := r.md.Write(texts, body); err != nil {
				return fmt.Errorf("%s: %w", e.Path, err)
			}
			n := texts.Len()
			if e.Public != "" {
				e.WritePublicForm(texts, body)
			}
			v.Testo = template.HTML(borrowed(texts.Bytes()[:n])) // goldmark output without raw HTML: every text escaped
			v.Forma = borrowed(texts.Bytes()[n:])
			page, err = r.execute(buf, "atto", &Page{
				Site: site, Title: e.Oggetto, Nav: nav, Crumbs: crumbs, Act: v,
				Description: fmt.Sprintf("%s, registro %s, in pubblicazione dal %s al %s", e.Type.Nome, v.Registro, v.Dal, v.Al),
			})
			return err
		})
		return page, err
	})
}

// borrowed is b as a string, without a copy: for bytes that do not change while the string
// is read (a buffer not written again meanwhile, an act's body).
func borrowed(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// stringBytes is s as bytes, without a copy, for a reader that keeps and changes none of
// them: a hash of the acts' keys (one copy an act, []byte(key), given to an interface).
func stringBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// lists renders the home and one page per type, paginated.
func (r *Renderer) lists(cfg *config.Config, site *SiteView, list *rows, out Sink) error {
	r.listedNext = map[string]*listed{}
	defer func() { r.listed, r.listedNext = r.listedNext, nil }()
	all := make([]int, len(list.atti)) // the acts by their place in list
	byType := map[*config.Type][]int{} // by the entry's own pointer: no name to read and hash for each act
	for i, e := range list.atti {
		all[i] = i
		byType[e.Type] = append(byType[e.Type], i)
	}
	var types []Link
	for _, k := range cfg.TypeKeys() {
		t := cfg.Tipi[k]
		if t.Marriage() {
			continue
		}
		types = append(types, Link{Label: t.Nome, URL: site.Base + "tipi/" + k + "/", Count: len(byType[t])})
	}
	// "Tutti i tipi" first: the way back from a type to every act.
	shown := []Link{{Label: "Tutti i tipi", URL: site.Base, Count: len(all), Current: true}}
	for _, l := range types {
		if l.Count > 0 {
			shown = append(shown, l)
		}
	}
	shownKey := typesKey(shown)
	err := paginate(all, site.Base, "", func(rel string, acts []int, pg *Pager) error {
		return r.listPage(out, rel, "home", shownKey, &Page{Site: site, Title: pg.title("Atti in pubblicazione"), Nav: "home", Count: len(all), Types: shown, Pager: pg}, list, acts)
	})
	if err != nil {
		return err
	}
	for _, k := range cfg.TypeKeys() {
		t := cfg.Tipi[k]
		if t.Marriage() {
			continue
		}
		acts := byType[t]
		cur := make([]Link, len(shown))
		copy(cur, shown)
		for i := range cur {
			cur[i].Current = cur[i].URL == site.Base+"tipi/"+k+"/"
		}
		curKey := typesKey(cur)
		feed := ""
		if t.Feed {
			feed = site.Base + "tipi/" + k + "/feed.xml"
		}
		err := paginate(acts, site.Base, "tipi/"+k+"/", func(rel string, page []int, pg *Pager) error {
			return r.listPage(out, rel, "tipo", curKey, &Page{
				Site: site, Title: pg.title(t.Nome), Nav: "home", Count: len(acts), Types: cur, Pager: pg, FeedURL: feed,
				Crumbs: []Link{{Label: "Albo pretorio", URL: site.Base}, {Label: t.Nome}},
			}, list, page)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// title is the title of a list's page: the list's own, with the page number after the first.
func (pg *Pager) title(list string) string {
	if pg.Current > 1 {
		return fmt.Sprintf("%s, pagina %d", list, pg.Current)
	}
	return list
}

// paginate calls emit for each page of items in dir (relative to the site root, "" or
// ending in /), with the output file relative to the site root. An empty list still has
// one page.
func paginate[T any](items []T, base, dir string, emit func(rel string, page []T, pg *Pager) error) error {
	total := max(1, (len(items)+PerPage-1)/PerPage)
	for n := 1; n <= total; n++ {
		pg := &Pager{Current: n, Total: total, base: base, dir: dir}
		lo, hi := (n-1)*PerPage, min(n*PerPage, len(items))
		if err := emit(pg.rel(n)+"index.html", items[lo:hi], pg); err != nil {
			return err
		}
	}
	return nil
}

// rel is the folder of page n, relative to the site root.
func (pg *Pager) rel(n int) string {
	if n == 1 {
		return pg.dir
	}
	return pg.dir + "pagina/" + strconv.Itoa(n) + "/"
}

// Prev is the address of the page before, or "".
func (pg *Pager) Prev() string {
	if pg.Current == 1 {
		return ""
	}
	return pg.base + pg.rel(pg.Current-1)
}

// Next is the address of the page after, or "".
func (pg *Pager) Next() string {
	if pg.Current == pg.Total {
		return ""
	}
	return pg.base + pg.rel(pg.Current+1)
}

// Pages links the first and last page and the two around the current one on each side;
// a Link with no URL and not Current stands for the pages between.
func (pg *Pager) Pages() []Link {
	var out []Link
	gap := false
	for i := 1; i <= pg.Total; i++ {
		if i == 1 || i == pg.Total || (i >= pg.Current-2 && i <= pg.Current+2) {
			out = append(out, Link{Label: strconv.Itoa(i), URL: pg.base + pg.rel(i), Current: i == pg.Current})
			gap = false
		} else if !gap {
			out = append(out, Link{})
			gap = true
		}
	}
	return out
}

// marriages renders the marriage section (art. 21): its own list, never elsewhere.
func (r *Renderer) marriages(cfg *config.Config, site *SiteView, entries []*schedule.Entry, out Sink) error {
	views := make([]*ActView, len(entries))
	for i, e := range entries {
		views[i] = newActView(cfg, e, true)
	}
	return r.page(out, "matrimoni/index.html", "matrimoni", &Page{
		Site: site, Title: "Pubblicazioni di matrimonio", Nav: "matrimoni", Acts: views, Count: len(views),
		Crumbs: []Link{{Label: "Albo pretorio", URL: site.Base}, {Label: "Pubblicazioni di matrimonio"}},
	})
}

// archive renders the metadata of expired acts, when the site keeps an archive.
func (r *Renderer) archive(cfg *config.Config, site *SiteView, entries []*schedule.Entry, mades []*made, out Sink) error {
	if !site.Archivio {
		return nil
	}
	ix, kept := r.lastIndex(ArchiveSearchDir, mades, out)
	views := make([]*ActView, len(entries))
	docs := make([]*search.Doc, len(entries))
	years := map[int]bool{}
	for i, e := range entries {
		v := archiveView(cfg, e)
		views[i] = v
		years[e.Dal.Year()] = true
		if kept {
			continue // no document to make
		}
		docs[i] = &search.Doc{
			Registro: e.Registro.Italian(), Anno: e.Registro.Anno, Num: e.Registro.Numero,
			Tipo: e.Tipo, TipoNome: e.Type.Nome, Oggetto: v.Oggetto, Dal: e.Dal.String(), Al: e.Al.String(),
			Ufficio: e.Ufficio, Numero: e.Numero, Annullato: e.Annullato != nil, Key: mades[i].key,
		}
		docs[i].Source = func() []string { return []string{v.Oggetto, e.Type.Nome, e.Ufficio, e.Numero} }
	}
	if !kept {
		if err := r.writeIndex(&r.archiveIndex, ArchiveSearchDir, docs, out, ix); err != nil {
			return err
		}
	}
	anni := slices.Sorted(maps.Keys(years))
	slices.Reverse(anni)
	err := r.page(out, ArchiveSearchDir+"index.html", "cerca", &Page{
		Site: site, Title: "Cerca nell'archivio", Nav: "archivio", Count: len(entries), Indice: site.Base + ArchiveSearchDir, NelArchivio: true, Anni: anni,
		Crumbs: []Link{{Label: "Albo pretorio", URL: site.Base}, {Label: "Archivio", URL: site.Base + "archivio/"}, {Label: "Cerca"}},
	})
	if err != nil {
		return err
	}
	return paginate(views, site.Base, "archivio/", func(rel string, page []*ActView, pg *Pager) error {
		return r.page(out, rel, "archivio", &Page{
			Site: site, Title: pg.title("Archivio degli atti scaduti"), Nav: "archivio", Archived: page, Pager: pg, Count: len(views),
			Crumbs: []Link{{Label: "Albo pretorio", URL: site.Base}, {Label: "Archivio"}},
		})
	})
}

// ArchiveSearchDir is where the search of the archive and its index are published.
const ArchiveSearchDir = "archivio/cerca/"

// fixed renders the pages that do not depend on acts, and copies the theme's static files.
func (r *Renderer) fixed(site *SiteView, out Sink) error {
	if err := r.page(out, "404.html", "404", &Page{Site: site, Title: "Pagina non trovata"}); err != nil {
		return err
	}
	if err := r.page(out, LegalNotesPath+"index.html", "note-legali", &Page{Site: site, Title: "Note legali",
		Crumbs: []Link{{Label: "Albo pretorio", URL: site.Base}, {Label: "Note legali"}}}); err != nil {
		return err
	}
	if site.stemmaFile != "" {
		if err := out.WriteFile(site.stemmaFile, site.stemmaContents); err != nil {
			return err
		}
	}
	files := []Link{{Label: "Atti in pubblicazione, JSON (dati/atti.json)", URL: site.Base + "dati/atti.json"},
		{Label: "Atti in pubblicazione, CSV (dati/atti.csv)", URL: site.Base + "dati/atti.csv"}}
	if site.Archivio {
		files = append(files, Link{Label: "Archivio degli atti scaduti, CSV (dati/archivio.csv)", URL: site.Base + "dati/archivio.csv"})
	}
	files = append(files, Link{Label: "Descrizione dei dati: pacchetto Frictionless (dati/datapackage.json)", URL: site.Base + "dati/datapackage.json"},
		Link{Label: "Catalogo DCAT-AP_IT, Turtle (dati/catalogo.ttl)", URL: site.Base + "dati/catalogo.ttl"},
		Link{Label: "Licenza (dati/LICENZA.txt)", URL: site.Base + "dati/LICENZA.txt"})
	if err := r.page(out, "dati/index.html", "dati", &Page{Site: site, Title: "Dati aperti", Nav: "dati", Files: files, Columns: Columns(), Licence: LicenceURL,
		Crumbs: []Link{{Label: "Albo pretorio", URL: site.Base}, {Label: "Dati aperti"}}}); err != nil {
		return err
	}
	// robots.txt blocks nothing: a blocked page's noindex would never be read.
	if err := out.WriteFile("robots.txt", []byte("# Le pagine dell'albo portano noindex, noarchive: non vanno bloccate qui.\nUser-agent: *\nDisallow:\n")); err != nil {
		return err
	}
	return fs.WalkDir(r.static, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(r.static, p)
		if err != nil {
			return err
		}
		return out.WriteFile("static/"+p, data)
	})
}
