package load

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/firma"
	"github.com/borgoesempio/albo/generator/frontmatter"
	"github.com/borgoesempio/albo/generator/internal/filestamp"
	"github.com/borgoesempio/albo/generator/internal/safefile"
	"github.com/borgoesempio/albo/generator/internal/selfid"
	"github.com/borgoesempio/albo/generator/internal/wire"
	"github.com/borgoesempio/albo/generator/msg"
)

// Memo remembers, for each act file, what reading it gave the last time: a build in a new
// process then reads and parses again only the files that changed since. An act is
// remembered only when reading it found no problem at all and its attachments are plain
// files of its folder; it is taken from the memo only when the file and each attachment
// have the stamps they had (device, inode, size, modification and change time: no copy
// tool sets a change time, so a file rewritten as it was is another file), the memo was
// made by this same albo program for this same site, and the caller still has the act's
// text (Options.Has). Where the system gives no stamps (Windows), nothing is remembered.
type Memo struct {
	read func()               // reads the last build's memo, once, when first needed
	id   string               // what the remembered acts are valid for: albo, the site, the options
	prev map[string]*memoized // read from the last build, by act file
	mu   sync.Mutex
	next map[string]*memoized // this build's
}

// memoized is one act as the memo keeps it.
type memoized struct {
	Stamp filestamp.Stamp
	Deps  []dep // each attachment, and on a file system that folds case the act's folder
	Act   *act.Act
}

// dep is a file an act was read with, and its stamp then.
type dep struct {
	Path  string
	Stamp filestamp.Stamp
}

// memoMagic begins a memo of acts; a memo of another format is not read.
const memoMagic = "albo memo atti 2\n"

// NewMemo makes a memo from what Encoded wrote for the last build (empty or unreadable:
// nothing remembered).
func NewMemo(last *wire.Reader) *Memo {
	m := &Memo{next: map[string]*memoized{}}
	m.decode(last)
	return m
}

// ReadMemo is NewMemo of what last gives, read and decoded while the site's folders are
// listed; last is closed once read.
func ReadMemo(last func() *wire.Reader) *Memo {
	m := &Memo{next: map[string]*memoized{}}
	done := make(chan struct{})
	go func() {
		r := last()
		m.decode(r)
		r.Close()
		close(done)
	}()
	m.read = func() { <-done }
	return m
}

// decode reads what Encoded wrote into m.
func (m *Memo) decode(r *wire.Reader) {
	if !r.Prefix(memoMagic) {
		return
	}
	id := r.String()
	if !strings.HasPrefix(id, memoAlbo()) {
		return // another albo's (memoID): begin would let go of all of it, once decoded
	}
	n := r.Len()
	prev := make(map[string]*memoized, n)
	// The acts side by side, in the order of their paths (Site.read), in arrays of up to
	// 1,024: a damaged count makes no more of them than the memo holds.
	var acts []act.Act
	seen := map[string]string{} // the values many acts share (readAct)
	for i := range n {
		rel := r.String()
		e := &memoized{Stamp: readStamp(r)}
		for range r.Len() {
			e.Deps = append(e.Deps, dep{r.String(), readStamp(r)})
		}
		if len(acts) == 0 {
			acts = make([]act.Act, min(n-i, 1024))
		}
		e.Act, acts = &acts[0], acts[1:]
		readAct(r, e.Act, seen)
		if e.Act.Path == rel {
			e.Act.Path = rel // one string for both
		}
		prev[rel] = e
	}
	if r.Done() {
		m.id, m.prev = id, prev
	}
}

// Write writes what this build remembered, for the next.
func (m *Memo) Write(out io.Writer) error {
	w := &wire.Writer{B: append(make([]byte, 0, 128<<10), memoMagic...), Out: out}
	w.String(m.id)
	w.Uint(uint64(len(m.next)))
	for _, rel := range slices.Sorted(maps.Keys(m.next)) {
		e := m.next[rel]
		w.String(rel)
		writeStamp(w, e.Stamp)
		w.Uint(uint64(len(e.Deps)))
		for _, d := range e.Deps {
			w.String(d.Path)
			writeStamp(w, d.Stamp)
		}
		if err := writeAct(w, e.Act); err != nil {
			return err
		}
		w.Spill()
	}
	return w.Flush()
}

// Changed reports whether this build remembered something the last one did not, or
// forgot something: if not, there is nothing to write.
func (m *Memo) Changed() bool {
	if len(m.next) != len(m.prev) {
		return true
	}
	for rel, n := range m.next {
		if m.prev[rel] != n {
			return true
		}
	}
	return false
}

func writeStamp(w *wire.Writer, st filestamp.Stamp) {
	w.Uint(st.Dev)
	w.Uint(st.Ino)
	w.Int(st.Size)
	w.Int(st.MTime)
	w.Int(st.CTime)
}

func readStamp(r *wire.Reader) filestamp.Stamp {
	return filestamp.Stamp{Dev: r.Uint(), Ino: r.Uint(), Size: r.Int(), MTime: r.Int(), CTime: r.Int()}
}

// writeAct writes every field of an act but Dir (the folder of its file, known from the
// file's path). TestMemoCodecKeepsEveryField fails when a field of act.Act is not here.
func writeAct(w *wire.Writer, a *act.Act) error {
	for _, s := range []string{a.Path, a.Tipo, a.Oggetto, a.Numero, a.Ente, a.Ufficio, a.Responsabile, a.Deposito, a.Impronta, a.OggettoArchivio, a.Public,
		a.Richiedente, a.CIG, a.PubblicitaLegale} {
		w.String(s)
	}
	for _, r := range []act.Registro{a.Registro, a.Sostituisce} {
		w.Int(int64(r.Anno))
		w.Int(int64(r.Numero))
	}
	for _, d := range []civil.Date{a.Dal, a.Al, a.Data, a.Consegna} {
		w.Int(int64(d.Number()))
	}
	w.Int(int64(a.Giorni))
	w.Int(int64(a.BodyLine))
	w.Bool(a.ImmediatamenteEseguibile)
	w.Uint(uint64(len(a.Allegati)))
	for _, al := range a.Allegati {
		w.String(al.File)
		w.String(al.Titolo)
		w.String(al.Path)
		w.Int(al.Size)
		w.String(al.SHA256)
		w.Int(int64(al.Line))
		writeFirma(w, al.Firma)
	}
	w.Bool(a.Annullamento != nil)
	if n := a.Annullamento; n != nil {
		w.Int(int64(n.Data.Number()))
		w.String(n.Motivo)
		w.String(n.DispostoDa)
		w.String(n.Provvedimento)
	}
	w.Bool(a.Protocollo != nil)
	if p := a.Protocollo; p != nil {
		w.String(p.Numero)
		w.Int(int64(p.Data.Number()))
	}
	w.Bool(a.Proroga != nil)
	if p := a.Proroga; p != nil {
		w.Int(int64(p.Al.Number()))
		w.String(p.Motivo)
	}
	switch {
	case a.Archivio == nil:
		w.Uint(0)
	case *a.Archivio:
		w.Uint(2)
	default:
		w.Uint(1)
	}
	w.Bytes(a.Keys) // not the body: read again from the file when needed (recall)
	w.Uint(uint64(len(a.Lines)))
	for _, l := range a.Lines {
		w.String(l.Key)
		w.Int(int64(l.Line))
	}
	seal, err := a.Seal.MarshalBinary()
	if err != nil {
		return err
	}
	w.Bytes(seal)
	w.Fixed(a.Text[:])
	w.Fixed(a.Digest[:])
	w.Uint(uint64(len(a.Invalid)))
	for _, k := range slices.Sorted(maps.Keys(a.Invalid)) {
		w.String(k)
		w.Bool(a.Invalid[k])
	}
	return nil
}

// readAct reads what writeAct wrote into a. The values that many acts share (the names of
// the front matter keys, the type, the ente, the office, its officer, where the act is
// deposited, the requester) are made once, in seen, up to sharedValues of them.
func readAct(r *wire.Reader, a *act.Act, seen map[string]string) {
	for _, f := range [...]struct {
		s      *string
		shared bool
	}{{&a.Path, false}, {&a.Tipo, true}, {&a.Oggetto, false}, {&a.Numero, false}, {&a.Ente, true}, {&a.Ufficio, true}, {&a.Responsabile, true},
		{&a.Deposito, true}, {&a.Impronta, false}, {&a.OggettoArchivio, false}, {&a.Public, false}, {&a.Richiedente, true}, {&a.CIG, false}, {&a.PubblicitaLegale, false}} {
		if f.shared {
			*f.s = r.Interned(seen, sharedValues)
		} else {
			*f.s = r.String()
		}
	}
	for _, reg := range []*act.Registro{&a.Registro, &a.Sostituisce} {
		*reg = act.Registro{Anno: int(r.Int()), Numero: int(r.Int())}
	}
	for _, d := range []*civil.Date{&a.Dal, &a.Al, &a.Data, &a.Consegna} {
		*d = civil.FromNumber(r.Int32())
	}
	a.Giorni = int(r.Int())
	a.BodyLine = int(r.Int())
	a.ImmediatamenteEseguibile = r.Bool()
	if n := r.Len(); n > 0 {
		a.Allegati = make([]act.Allegato, n)
		for i := range a.Allegati {
			al := &a.Allegati[i]
			al.File, al.Titolo, al.Path = r.String(), r.String(), r.String()
			al.Size = r.Int()
			al.SHA256 = r.String()
			al.Line = int(r.Int())
			al.Firma = readFirma(r)
		}
	}
	if r.Bool() {
		a.Annullamento = &act.Annullamento{Data: civil.FromNumber(r.Int32()), Motivo: r.String(), DispostoDa: r.String(), Provvedimento: r.String()}
	}
	if r.Bool() {
		a.Protocollo = &act.Protocollo{Numero: r.String(), Data: civil.FromNumber(r.Int32())}
	}
	if r.Bool() {
		a.Proroga = &act.Proroga{Al: civil.FromNumber(r.Int32()), Motivo: r.String()}
	}
	if v := r.Uint(); v > 0 {
		b := v == 2
		a.Archivio = &b
	}
	a.Keys = r.Bytes()
	if n := r.Len(); n > 0 {
		a.Lines = make([]act.KeyLine, n)
		for i := range a.Lines {
			a.Lines[i] = act.KeyLine{Key: r.Interned(seen, sharedValues), Line: int(r.Int())}
		}
	}
	if err := a.Seal.UnmarshalBinary(r.Bytes()); err != nil && r.Err == nil {
		r.Err = err
	}
	r.Fixed(a.Text[:])
	r.Fixed(a.Digest[:])
	if n := r.Len(); n > 0 {
		a.Invalid = make(map[string]bool, n)
		for range n {
			a.Invalid[r.String()] = r.Bool()
		}
	}
}

// sharedValues is how many values readAct makes once at most: more than a site's types,
// offices and officers.
const sharedValues = 4096

// writeFirma writes what an attachment's signatures say (never the signed content).
func writeFirma(w *wire.Writer, f *firma.Result) {
	w.Bool(f != nil)
	if f == nil {
		return
	}
	w.String(f.Format)
	w.String(f.Problem)
	w.Uint(uint64(len(f.Signers)))
	for _, s := range f.Signers {
		w.Bool(s.Intact)
		w.Bool(s.ValidAtSigning)
		w.Int(int64(s.Trust))
		for _, x := range []string{s.Problem, s.Name, s.TaxCode, s.Issuer, s.TrustProblem} {
			w.String(x)
		}
		for _, t := range []time.Time{s.Time, s.NotBefore, s.NotAfter} {
			w.Bool(!t.IsZero())
			if !t.IsZero() {
				w.Int(t.Unix())
				w.Int(int64(t.Nanosecond()))
			}
		}
	}
}

// readFirma reads what writeFirma wrote.
func readFirma(r *wire.Reader) *firma.Result {
	if !r.Bool() {
		return nil
	}
	f := &firma.Result{Format: r.String(), Problem: r.String()}
	if n := r.Len(); n > 0 {
		f.Signers = make([]firma.Signer, n)
		for i := range f.Signers {
			s := &f.Signers[i]
			s.Intact, s.ValidAtSigning, s.Trust = r.Bool(), r.Bool(), firma.Trust(r.Int())
			for _, x := range []*string{&s.Problem, &s.Name, &s.TaxCode, &s.Issuer, &s.TrustProblem} {
				*x = r.String()
			}
			for _, t := range []*time.Time{&s.Time, &s.NotBefore, &s.NotAfter} {
				if r.Bool() {
					*t = time.Unix(r.Int(), r.Int()).UTC()
				}
			}
		}
	}
	return f
}

// memoID is what an act read by this albo from this site with these options depends on,
// beside its files: the trusted authorities its signatures were verified against.
func memoID(realRoot string, o Options, anchors [32]byte) string {
	return memoAlbo() + realRoot + "\x00" + map[bool]string{true: "sigilla", false: ""}[o.SealAll] + "\x00" + hex.EncodeToString(anchors[:])
}

// memoAlbo begins the memoID of every memo this albo writes.
func memoAlbo() string { return selfid.ID() + "\x00" }

// stampOf is the stamp of the file at p, if it is a regular file (not a link) and the
// system gives one.
func stampOf(p string) (filestamp.Stamp, bool) {
	info, err := os.Lstat(p)
	if err != nil || !info.Mode().IsRegular() {
		return filestamp.Stamp{}, false
	}
	return filestamp.Of(info)
}

// begin readies the memo for a read of the site: what it remembers is valid only if made
// by this albo, for this site, with these options. It is called before the files are read.
func (m *Memo) begin(id string) {
	if m.read != nil {
		m.read()
	}
	if m.id != id {
		m.prev = nil
	}
	m.id = id
}

// recall returns the act remembered for the file rel, if it is still the file and the
// attachments it was read with, and marks it remembered for the next build; else the
// stamp of the file as it is, to remember what reading it gives.
func (s *Site) recall(rel string) (*act.Act, filestamp.Stamp, bool) {
	m := s.opts.Memo
	abs := filepath.Join(s.Root, filepath.FromSlash(rel))
	st, ok := s.listed[rel]
	if !ok {
		st, ok = stampOf(abs)
	}
	e := m.prev[rel]
	if !ok || e == nil || st != e.Stamp {
		return nil, st, ok
	}
	for _, d := range e.Deps {
		if dst, ok := depStamp(d.Path); !ok || dst != d.Stamp {
			return nil, st, true
		}
	}
	if s.opts.Has != nil && !e.Act.Draft() && !s.opts.Has(e.Act) {
		return nil, st, true // the caller needs the text, and only the file has it
	}
	m.mu.Lock()
	m.next[rel] = e
	m.mu.Unlock()
	// The memo's act is the site's (no stage changes an act once it is read: remember),
	// with what the memo does not keep.
	a := e.Act
	a.Dir = filepath.Dir(abs)
	a.Body, a.BodyFrom = nil, s.bodyFrom(a, abs)
	return a, st, true
}

// bodyFrom is the BodyFrom of a, read from its file at abs.
func (s *Site) bodyFrom(a *act.Act, abs string) func() ([]byte, error) {
	return func() ([]byte, error) { return s.body(a, abs) }
}

// body reads again the body of a, an act that does not hold it (recalled from the memo, or
// let go of), from its file at abs: the file's text must still be the one a was read from.
func (s *Site) body(a *act.Act, abs string) ([]byte, error) {
	src, _, err := safefile.ReadFile(abs, s.realRoot, MaxActSize)
	if err == nil && sha256.Sum256(src) != a.Text {
		err = errors.New(msg.T("il file è cambiato mentre l'albo era costruito: costruiscilo di nuovo"))
	}
	var body []byte
	if err == nil {
		_, body, _, err = frontmatter.Split(src)
	}
	if err == nil {
		body, err = published(body) // as parseAct makes it
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", a.Path, err)
	}
	return body, nil
}

// depStamp is the stamp of a file or folder an act was read with.
func depStamp(p string) (filestamp.Stamp, bool) {
	info, err := os.Lstat(p)
	if err != nil || info.Mode()&os.ModeSymlink != 0 {
		return filestamp.Stamp{}, false
	}
	return filestamp.Of(info)
}

// remember records for the next build the act that reading the file rel gave, with no
// problem: st is the file's stamp and deps those of its attachments (and folder), all
// taken before they were read, so that a change while they were read shows next time.
// The act is the site's own, not a copy (10,000 acts: 9 MB less for the collector to go
// through at every cycle of a cold build): no stage changes an act once it is read but to
// let go of its body (act.LetGoOfBody), and Write leaves out the fields that are not the
// file's (Dir) or that the file gives again (Body, BodyFrom).
func (s *Site) remember(rel string, st filestamp.Stamp, deps []dep, a *act.Act) {
	e := &memoized{Stamp: st, Deps: deps, Act: a}
	m := s.opts.Memo
	m.mu.Lock()
	m.next[rel] = e
	m.mu.Unlock()
}
