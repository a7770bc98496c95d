// Package state keeps, beside the output folder, the last good state of a site: what a
// build needs to go on publishing the albo right while some of its files cannot be
// trusted (SPEC §4, "time never stops"). A published act whose file is now missing,
// unreadable, invalid or changed after sealing keeps its last good publication until its
// last day; a broken albo.yaml, theme or register falls back to the last good one.
//
// The state of the destination public/ is the folder .public.albo-state beside it:
//
//	indice     what the state holds (see index): the register number, file, text digest
//	           and attachments of each published act of the last good build, and the
//	           objects of its configuration, theme and register
//	atti-N.pack the texts of those acts, one after the other (appended to as new texts
//	           are read; rewritten as atti-N+1.pack when more than half of it is no longer
//	           referred to)
//	oggetti/   files by the hex SHA-256 of their content: the attachments of the acts
//	           not yet expired (hard links to their published copies where possible),
//	           and the last good albo.yaml, theme files and register
//
// Everything in it was read from the site and found valid by a build; nothing in it is
// ever published as it is: a restored act is read again from its stored text, through
// the same checks, and the output is made from it as from any act. Builds of the same
// destination hold its lock (write.Lock) while they read and write the state.
package state

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/diag"
	"github.com/borgoesempio/albo/generator/internal/atomicfile"
	"github.com/borgoesempio/albo/generator/internal/filestamp"
	"github.com/borgoesempio/albo/generator/internal/wire"
	"github.com/borgoesempio/albo/generator/load"
)

// Dir returns the state folder of the destination dest: hidden, beside it.
func Dir(dest string) string {
	return filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".albo-state")
}

// magic begins the index; a state of another format is not read (the next build starts
// a new one).
const magic = "albo stato 1\n"

// Record is what the state keeps of a published act.
type Record struct {
	Registro act.Registro
	Path     string   // the act's file, relative to the site
	Text     [32]byte // SHA-256 of its text
	Off, Len int64    // where its text is in the pack
	Files    []File   // its attachments
}

// File is an attachment of a kept act.
type File struct {
	Name   string // as in allegati, cleaned
	SHA256 string // hex: also the name of its object
	Size   int64
}

// index is the file indice.
type index struct {
	PackName   string            // the pack file, atti-N.pack
	Pack       int64             // the bytes of the pack that records refer to
	Config     string            // object of content/albo.yaml; "" for none yet
	Theme      string            // the theme's name (tema); "" for the built-in one
	ThemeFiles map[string]string // file of themes/<tema>, slash path → object
	Register   string            // object of content/_registro.yaml; "" when the site had none
	HasConfig  bool              // a build has recorded a configuration (and a theme, a register)
	Acts       []Record
	Hashes     map[string]hashed // the attachments read, by path: their SHA-256 and the file it is of
}

// hashed is the SHA-256 of an attachment and the file it was read from.
type hashed struct {
	filestamp.Stamp
	Sum string
}

// Store is the state of one destination, read at the start of a build, and the texts
// and files that the build adds to it.
type Store struct {
	dir    string
	idx    index
	raw    []byte           // the index file as read, to write it only when it changes
	byText map[[32]byte]int // records by text
	stamp  os.FileInfo      // the index file as read or written, or nil
	used   map[string]bool  // the objects the last Save kept; nil: not known

	mu    sync.Mutex
	pack  *os.File
	w     *bufio.Writer // onto the pack, from Begin to Save
	buf   *bufio.Writer // w's buffer, kept from build to build
	end   int64
	added map[[32]byte][2]int64 // texts appended by this build: offset, length
	err   error                 // the first error appending
	fresh map[string]hashed     // attachments hashed by this build
}

// Open reads the state of dest. A missing or unreadable state is an empty one: the
// build then trusts only what it reads.
func Open(dest string) *Store {
	s := &Store{dir: Dir(dest), byText: map[[32]byte]int{}, added: map[[32]byte][2]int64{}}
	s.stamp, _ = os.Stat(s.indexPath())
	b, err := os.ReadFile(s.indexPath())
	if err != nil || !bytes.HasPrefix(b, []byte(magic)) {
		return s
	}
	idx, err := decode(b[len(magic):])
	if err != nil {
		return s
	}
	s.idx, s.raw = idx, b
	for i, r := range idx.Acts {
		s.byText[r.Text] = i
	}
	return s
}

func (s *Store) indexPath() string { return filepath.Join(s.dir, "indice") }

func (s *Store) memoPath(name string) string { return filepath.Join(s.dir, "memoria-"+name) }

// Memo reads the memo name as the last build left it (empty for none; close it): what a stage of the
// build remembers of what it made, so that the next process does not make it again (see
// load.Memo, render.Renderer.Recall). Save writes the new one, from Good.Memos.
func (s *Store) Memo(name string) *wire.Reader { return wire.Open(s.memoPath(name)) }

// HasText reports whether the state keeps the text of the act a, as load's Has: an act
// taken from the memo is kept only if its text is here already.
func (s *Store) HasText(a *act.Act) bool {
	_, ok := s.byText[a.Text]
	return ok
}

// Changed reports whether the state on disk is no longer the one this store read or
// wrote: another albo built the destination since.
func (s *Store) Changed() bool {
	info, err := os.Stat(s.indexPath())
	if err != nil || s.stamp == nil {
		return (err == nil) != (s.stamp != nil)
	}
	return !os.SameFile(info, s.stamp) || !info.ModTime().Equal(s.stamp.ModTime()) || info.Size() != s.stamp.Size()
}

// Records returns the published acts of the last good build.
func (s *Store) Records() []Record { return s.idx.Acts }

// Config returns the text of the last good albo.yaml.
func (s *Store) Config() ([]byte, bool) { return s.object(s.idx.Config) }

// Register returns the text of the last good register, nil when the site had none; ok is
// false when the state knows of no register.
func (s *Store) Register() ([]byte, bool) {
	if !s.idx.HasConfig {
		return nil, false
	}
	if s.idx.Register == "" {
		return nil, true
	}
	return s.object(s.idx.Register)
}

// Theme returns the name and the files of the last good site theme (none for the
// built-in one); ok is false when the state knows of none.
func (s *Store) Theme() (name string, files map[string][]byte, ok bool) {
	if !s.idx.HasConfig {
		return "", nil, false
	}
	files = map[string][]byte{}
	for rel, obj := range s.idx.ThemeFiles {
		b, ok := s.object(obj)
		if !ok {
			return "", nil, false
		}
		files[rel] = b
	}
	return s.idx.Theme, files, true
}

func (s *Store) object(sum string) ([]byte, bool) {
	if sum == "" {
		return nil, false
	}
	b, err := os.ReadFile(s.objectPath(sum))
	if err != nil {
		return nil, false
	}
	if h := sha256.Sum256(b); hex.EncodeToString(h[:]) != sum {
		return nil, false // damaged: not to be trusted
	}
	return b, true
}

func (s *Store) objectPath(sum string) string { return filepath.Join(s.dir, "oggetti", sum) }

// Act reads again the act of record r of the site at root, from its stored text, with its
// attachments from the state's objects, their signatures verified against anchors. An
// attachment whose object is gone (the act had expired) has no Path: its act can be
// listed, not published.
func (s *Store) Act(root string, r Record, anchors *x509.CertPool) (*act.Act, diag.List) {
	text, err := s.text(r)
	if err != nil {
		return nil, diag.List{diag.At(r.Path, 0, "", "l'ultima versione valida dell'atto %s non si può leggere: %v", r.Registro.Italian(), err)}
	}
	files := map[string]File{}
	for _, f := range r.Files {
		files[f.Name] = f
	}
	return load.ParseActWith(root, r.Path, text, func(a *act.Act, al *act.Allegato) *diag.Problem {
		f, ok := files[filepath.ToSlash(filepath.Clean(al.File))]
		if !ok {
			return diag.At(r.Path, al.Line, "", "l'allegato %q non è nell'ultima versione valida", al.File)
		}
		al.File, al.Size, al.SHA256 = f.Name, f.Size, f.SHA256
		if info, err := os.Stat(s.objectPath(f.SHA256)); err == nil && info.Size() == f.Size {
			al.Path = s.objectPath(f.SHA256)
			load.Verify(al, anchors)
		}
		return nil
	})
}

func (s *Store) packPath() string {
	if s.idx.PackName == "" {
		return filepath.Join(s.dir, "atti-1.pack")
	}
	return filepath.Join(s.dir, s.idx.PackName)
}

func (s *Store) text(r Record) ([]byte, error) {
	f, err := os.Open(s.packPath())
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, r.Len)
	if _, err := f.ReadAt(b, r.Off); err != nil {
		return nil, err
	}
	if sha256.Sum256(b) != r.Text {
		return nil, errors.New("il testo conservato è danneggiato")
	}
	return b, nil
}

// Begin prepares the store to record the texts this build reads (Keep).
func (s *Store) Begin() error {
	if err := os.MkdirAll(filepath.Join(s.dir, "oggetti"), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(s.packPath(), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	// What a build killed before writing its index appended is not referred to: drop it.
	if err := f.Truncate(s.idx.Pack); err != nil {
		f.Close()
		return err
	}
	s.pack, s.end = f, s.idx.Pack
	if s.buf == nil { // one for the session: albo watch begins a build at each save
		s.buf = bufio.NewWriterSize(nil, 1<<20)
	}
	s.buf.Reset(io.NewOffsetWriter(f, s.end))
	s.w = s.buf
	return nil
}

// Keep records the text of an act read by the build, unless the state has it already: it
// is load's Source hook, called from several goroutines. Drafts are not kept.
func (s *Store) Keep(a *act.Act, src []byte) {
	if a.Draft() || s.pack == nil {
		return
	}
	if _, ok := s.byText[a.Text]; ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.added[a.Text]; ok || s.err != nil {
		return
	}
	if _, err := s.w.Write(src); err != nil {
		s.err = err
		return
	}
	s.added[a.Text] = [2]int64{s.end, int64(len(src))}
	s.end += int64(len(src))
}

// Hash returns the SHA-256 of the attachment at path if the state has it for the same
// file: load's Hashes.
func (s *Store) Hash(path string, info os.FileInfo) (string, bool) {
	st, ok := filestamp.Of(info)
	if !ok {
		return "", false
	}
	h, ok := s.idx.Hashes[path]
	if !ok || h.Stamp != st {
		s.mu.Lock()
		h, ok = s.fresh[path]
		s.mu.Unlock()
	}
	return h.Sum, ok && h.Stamp == st
}

// Hashed records the SHA-256 of the attachment at path: load's Hashes.
func (s *Store) Hashed(path string, info os.FileInfo, sum string) {
	if st, ok := filestamp.Of(info); ok {
		s.mu.Lock()
		if s.fresh == nil {
			s.fresh = map[string]hashed{}
		}
		s.fresh[path] = hashed{st, sum}
		s.mu.Unlock()
	}
}

// Good is what a build found good, for the state to keep.
type Good struct {
	Config       []byte             // the text of albo.yaml; nil: keep the last good one
	Theme        *Theme             // the site theme that built; nil: keep the last good one
	Register     []byte             // the register's text (nil: none); ignored unless RegisterRead
	RegisterRead bool               // the register was read
	Acts         []*act.Act         // the published acts built, read or restored
	Live         func(int) []string // for Acts[i]: the published copies of its attachments, in order ("" for none); nil: the act has expired, keep no attachments
	Memos        map[string]Memo    // the memos of this build, by name; those not given stay as they were
}

// Memo is a memo for Save to write.
type Memo interface {
	// Changed reports whether the memo is not the one the build was given.
	Changed() bool
	// Write writes it.
	Write(w io.Writer) error
}

// Theme is a site theme as a build read it.
type Theme struct {
	Name  string
	Files map[string][]byte
}

// Save makes the state that of the build that found g good.
func (s *Store) Save(g Good) error {
	defer s.close()
	if s.pack == nil {
		return errors.New("state: Save without Begin")
	}
	if err := s.w.Flush(); err != nil {
		return err
	}
	if s.err != nil {
		return s.err
	}
	memos := s.writeMemos(g.Memos)
	defer memos() // not left half written by a process that ends after a failed Save
	next := index{PackName: filepath.Base(s.packPath()), Pack: s.end, Config: s.idx.Config, Theme: s.idx.Theme, ThemeFiles: s.idx.ThemeFiles, Register: s.idx.Register, HasConfig: true}
	var err error
	if g.Config != nil {
		if next.Config, err = s.put(g.Config); err != nil {
			return err
		}
	}
	if g.Theme != nil {
		next.Theme, next.ThemeFiles = g.Theme.Name, map[string]string{}
		for rel, b := range g.Theme.Files {
			if next.ThemeFiles[rel], err = s.put(b); err != nil {
				return err
			}
		}
	}
	if g.RegisterRead {
		next.Register = ""
		if g.Register != nil {
			if next.Register, err = s.put(g.Register); err != nil {
				return err
			}
		}
	}
	next.Hashes = map[string]hashed{}
	for _, a := range g.Acts { // the hashes of the attachments of the acts kept, no others
		for _, al := range a.Allegati {
			if h, ok := s.fresh[al.Path]; ok && h.Sum == al.SHA256 {
				next.Hashes[al.Path] = h
			} else if h, ok := s.idx.Hashes[al.Path]; ok && h.Sum == al.SHA256 {
				next.Hashes[al.Path] = h
			}
		}
	}
	used := map[string]bool{next.Config: true, next.Register: true}
	for _, o := range next.ThemeFiles {
		used[o] = true
	}
	next.Acts = make([]Record, 0, len(g.Acts)) // at its size: Save runs after every rebuild of albo watch
	for i, a := range g.Acts {
		r := Record{Registro: a.Registro, Path: a.Path, Text: a.Text}
		if ref, ok := s.added[a.Text]; ok {
			r.Off, r.Len = ref[0], ref[1]
		} else if j, ok := s.byText[a.Text]; ok {
			r.Off, r.Len = s.idx.Acts[j].Off, s.idx.Acts[j].Len
		} else {
			continue // its text was not read by this build (it changed while read): keep none
		}
		var live []string
		if g.Live != nil && len(a.Allegati) > 0 {
			live = g.Live(i)
		}
		for k, al := range a.Allegati {
			r.Files = append(r.Files, File{Name: al.File, SHA256: al.SHA256, Size: al.Size})
			if live == nil {
				continue // expired: its attachments are no longer needed
			}
			if !s.used[al.SHA256] { // kept by the last Save of this store: there still
				if err := s.attach(al, live[k]); err != nil {
					return err
				}
			}
			used[al.SHA256] = true
		}
		next.Acts = append(next.Acts, r)
	}
	slices.SortFunc(next.Acts, func(a, b Record) int { return a.Registro.Compare(b.Registro) })
	oldPack, err := s.compact(&next)
	if err != nil {
		return err
	}
	if !maps.Equal(used, s.used) { // an act expired, or another configuration or theme
		if err := s.collect(used); err != nil {
			return err
		}
		s.used = used
	}
	if err := memos(); err != nil { // before the index that goes with them
		return err
	}
	b := next.encode(append(make([]byte, 0, len(s.raw)+256), magic...))
	if bytes.Equal(b, s.raw) {
		return nil
	}
	if err := atomicfile.Write(s.indexPath(), b, 0o644); err != nil {
		return err
	}
	s.stamp, _ = os.Stat(s.indexPath())
	if oldPack != "" {
		os.Remove(oldPack)
	}
	s.idx, s.raw = next, b
	s.byText = map[[32]byte]int{}
	for i, r := range next.Acts {
		s.byText[r.Text] = i
	}
	return nil
}

// writeMemos writes the memos that changed, each on a core of its own while Save works
// out the rest, and returns the function that waits for them and says what went wrong
// (the same each time it is called). A cold build of 10,000 acts ended with 60 ms of them
// one after the other, the other core idle: the acts' memo 40 ms, the pages' 20 ms.
func (s *Store) writeMemos(memos map[string]Memo) func() error {
	errs := make(chan error, len(memos))
	for name, memo := range memos {
		go func() {
			if !memo.Changed() {
				errs <- nil
				return
			}
			errs <- atomicfile.WriteWith(s.memoPath(name), 0o644, memo.Write)
		}()
	}
	return sync.OnceValue(func() error {
		var all []error
		for range memos {
			all = append(all, <-errs)
		}
		return errors.Join(all...)
	})
}

// Abort ends a build that recorded texts but found nothing to keep.
func (s *Store) Abort() { s.close() }

func (s *Store) close() {
	if s.pack != nil {
		s.pack.Close()
		s.pack, s.w = nil, nil
	}
	s.added = map[[32]byte][2]int64{}
	s.fresh = nil
}

// put stores data as an object and returns its name.
func (s *Store) put(data []byte) (string, error) {
	sum := sha256.Sum256(data)
	name := hex.EncodeToString(sum[:])
	p := s.objectPath(name)
	if _, err := os.Lstat(p); err == nil {
		return name, nil
	}
	return name, atomicfile.Write(p, data, 0o644)
}

// attach keeps the object of an attachment: a hard link to its published copy live (which
// albo never changes in place) when there is one, else a copy of the file it was read from.
// An object is made when the last Save did not keep it, so mostly where there is none: the
// link is tried first, one system call where looking, removing and linking took four (a
// cold build of 10,000 acts with an attachment each made 40,000 of them).
func (s *Store) attach(al act.Allegato, live string) error {
	p := s.objectPath(al.SHA256)
	if live != "" && os.Link(live, p) == nil {
		return nil // the usual case: no object yet
	}
	if info, err := os.Lstat(p); err == nil && info.Size() == al.Size {
		return nil
	}
	os.Remove(p)
	if live != "" && os.Link(live, p) == nil {
		return nil
	}
	if al.Path == "" {
		return nil // restored without its object: nothing to keep it from
	}
	in, err := os.Open(al.Path)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := p + ".tmp"
	out, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(tmp)
		return err
	}
	if err := out.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, p)
}

// collect removes the objects no longer used: the attachments of acts that expired, the
// files of an older configuration or theme.
func (s *Store) collect(used map[string]bool) error {
	entries, err := os.ReadDir(filepath.Join(s.dir, "oggetti"))
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !used[e.Name()] {
			if err := os.Remove(filepath.Join(s.dir, "oggetti", e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}

// compact rewrites the pack with the texts next refers to only, when more than half of
// it (and more than 4 MB) is no longer referred to. The new pack has the next number: the
// old one stays, with the index that refers to it, until the new index is written.
func (s *Store) compact(next *index) (old string, err error) {
	var live int64
	for _, r := range next.Acts {
		live += r.Len
	}
	if next.Pack-live <= live || next.Pack-live < 4<<20 {
		return "", nil
	}
	var n int
	fmt.Sscanf(next.PackName, "atti-%d.pack", &n)
	name := fmt.Sprintf("atti-%d.pack", n+1)
	out, err := os.Create(filepath.Join(s.dir, name))
	if err != nil {
		return "", err
	}
	w := bufio.NewWriterSize(out, 1<<20)
	var off int64
	for i := range next.Acts {
		r := &next.Acts[i]
		if _, err := io.Copy(w, io.NewSectionReader(s.pack, r.Off, r.Len)); err != nil {
			out.Close()
			return "", err
		}
		r.Off = off
		off += r.Len
	}
	if err := w.Flush(); err != nil {
		out.Close()
		return "", err
	}
	if err := out.Close(); err != nil {
		return "", err
	}
	old, next.PackName, next.Pack = next.PackName, name, off
	return filepath.Join(s.dir, old), nil
}

// String describes the state for messages.
func (s *Store) String() string { return fmt.Sprintf("%s (%d atti)", s.dir, len(s.idx.Acts)) }
