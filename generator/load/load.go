// Package load reads a site folder into typed values: the configuration and every act,
// with its attachments checked and hashed. Each problem names its file and line.
package load

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/diag"
	"github.com/borgoesempio/albo/generator/firma"
	"github.com/borgoesempio/albo/generator/frontmatter"
	"github.com/borgoesempio/albo/generator/impronta"
	"github.com/borgoesempio/albo/generator/internal/bufpool"
	"github.com/borgoesempio/albo/generator/internal/filestamp"
	"github.com/borgoesempio/albo/generator/internal/parallel"
	"github.com/borgoesempio/albo/generator/internal/safefile"
	"github.com/borgoesempio/albo/generator/internal/yamlx"
	"github.com/borgoesempio/albo/generator/markdown"
	"github.com/borgoesempio/albo/generator/msg"
	"github.com/borgoesempio/albo/generator/register"
	"go.yaml.in/yaml/v3"
)

// MaxActSize is the largest act file albo reads.
const MaxActSize = 10 << 20

// Site is a loaded site: its configuration and its acts, sorted by path.
type Site struct {
	Root   string // absolute folder of the site
	Config *config.Config
	Acts   []*act.Act

	// Interruzioni are the interruptions of service recorded in the register, by first day.
	Interruzioni []act.Interruzione
	// Register is the text of the register these were read from (nil: none yet).
	Register []byte

	// Unread are the act files that could not be read into an act at all, by path, and
	// whether each is a draft (its text has no registro): a broken draft never holds the
	// albo back, a broken published act keeps its last good publication.
	Unread map[string]Unread
	// Recalled is how many of the files of the last read (the whole site, or Read's) the
	// memo gave as they were, without reading them.
	Recalled int

	opts     Options
	realRoot string
	// listed are the stamps of the bundles' index.md that listing the site took (an
	// act's folder is known by its index.md, looked at instead of reading the folder):
	// the memo's, taken once.
	listed map[string]filestamp.Stamp
}

// Unread is an act file that could not be read into an act.
type Unread struct {
	Draft bool // the text has no registro: the file is a draft
}

// Options tune how a site is read.
type Options struct {
	// SealAll computes every published act's impronta, sealed or not (albo check and
	// pubblica); otherwise only the sealed acts' impronta is computed, to compare.
	SealAll bool
	// Source, when set, is given the text of every act file read into an act, with the
	// act: the store of the last good state keeps the texts of the published acts.
	// It is called from several goroutines.
	Source func(a *act.Act, src []byte)
	// Hashes, when set, remembers the SHA-256 of the attachments read.
	Hashes Hashes
	// Memo, when set, remembers what reading each file gave, for the next build, and
	// gives what the last build remembered of the files that did not change (see Memo).
	Memo *Memo
	// Has, with Memo, tells whether the caller already has the text of a published act
	// (Source is not called for an act taken from the memo).
	Has func(a *act.Act) bool
}

// Load reads the site rooted at dir. It returns every problem found, not only the first,
// as a diag.List; the site it returns alongside holds every act that could be read at
// all, so that later checks can report their problems too. A nil site means the
// configuration itself could not be read.
func Load(dir string) (*Site, error) { return LoadWith(dir, Options{}) }

// LoadSealed is Load computing every published act's impronta, sealed or not.
func LoadSealed(dir string) (*Site, error) { return LoadWith(dir, Options{SealAll: true}) }

// LoadWith is Load with options.
func LoadWith(dir string, o Options) (*Site, error) {
	cfg, err := config.Load(dir)
	if err != nil {
		return nil, err
	}
	return LoadActs(dir, cfg, o)
}

// LoadActs reads the acts of the site rooted at dir under the configuration cfg (the
// site's own, or the last good one when the site's cannot be read).
func LoadActs(dir string, cfg *config.Config, o Options) (*Site, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	files, misnamed, stamps, err := listFiles(root, "content")
	if err != nil {
		return nil, err
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, err
	}
	s := &Site{Root: root, Config: cfg, opts: o, realRoot: realRoot, listed: stamps}
	if o.Memo != nil {
		o.Memo.begin(memoID(realRoot, o, cfg.AncoreDigest))
	}
	acts, all := s.read(files)
	s.listed = nil
	for _, m := range misnamed {
		all = append(all, diag.Warn("nome", m, 0, "albo legge come atti solo i file che finiscono in .md, in minuscolo (Windows può nascondere un .txt in più)",
			"il file non è letto: rinominalo %s", path.Base(RightName(m))))
	}
	s.Acts = acts
	if p := s.ReadRegister(); p != nil {
		all = append(all, p)
	}
	return s, all.Err()
}

// ReadRegister reads again what the site takes from the register (content/_registro.yaml):
// the interruptions of service. It returns the problem of a register that cannot be read.
func (s *Site) ReadRegister() *diag.Problem {
	reg, src, err := register.ReadSource(s.Root)
	if err == nil {
		s.Interruzioni, err = reg.Periods()
		s.Register = src
	}
	if err != nil {
		p := diag.At(register.Path, 0, "ripristinalo dalla copia di sicurezza o dal controllo di versione: lo scrive solo albo", "%s", msg.Err(err))
		p.Code = "registro"
		return p
	}
	return nil
}

// ignored reports whether a file or folder name is skipped (SPEC §1).
func ignored(name string) bool { return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") }

// ActFiles lists the act files under the folder dir of the site at root (a slash path
// such as "content" or "content/2026"), sorted. A folder with index.md is one act.
func ActFiles(root, dir string) ([]string, error) { return listActs(root, dir) }

// Read reads the act files rels of the site (already loaded as s) and returns them with
// their problems, as Load would; the files that cannot be read into an act are recorded
// in s.Unread, and the others removed from it.
func (s *Site) Read(rels []string) ([]*act.Act, diag.List) { return s.read(rels) }

func (s *Site) read(files []string) ([]*act.Act, diag.List) {
	acts := make([]*act.Act, len(files))
	probs := make([]diag.List, len(files))
	unread := make([]*Unread, len(files))
	// The acts are kept side by side in one array, in the order of their paths: the passes
	// over every act that each rebuild of albo watch makes (trust, schedule, the render's
	// rows) then walk memory in order, instead of looking for 10,000 acts scattered among
	// their texts. On 10,000 acts, 30 saves of one act: p95 22-24 ms before, 13-15 after.
	// An act read again later (Read) is made apart; what its slot held stays until no
	// act of the array is used. The acts the memo gives are side by side in its own array
	// (Memo.decode), in the same order: only the others are read into one made for them
	// (100,000 acts: 58 MB of acts not copied from one array to the other).
	stamps := make([]filestamp.Stamp, len(files))
	memos := make([]bool, len(files)) // what reading the file gives can be remembered
	if s.opts.Memo != nil {
		parallel.For(len(files), func(i int) error {
			acts[i], stamps[i], memos[i] = s.recall(files[i])
			return nil
		})
	}
	var left []int
	for i, a := range acts {
		if a == nil {
			left = append(left, i)
		}
	}
	s.Recalled = len(files) - len(left)
	slab := make([]act.Act, len(left))
	parallel.For(len(left), func(k int) error {
		i := left[k]
		acts[i], unread[i], probs[i] = s.readFile(files[i], &slab[k], stamps[i], memos[i])
		return nil
	})
	if s.Unread == nil {
		s.Unread = map[string]Unread{}
	}
	var all diag.List
	out := acts[:0]
	for i, a := range acts {
		all = append(all, probs[i]...)
		delete(s.Unread, files[i])
		if a != nil {
			out = append(out, a)
		} else if unread[i] != nil {
			s.Unread[files[i]] = *unread[i]
		}
	}
	return out, all
}

func listActs(root, top string) ([]string, error) {
	files, _, _, err := listFiles(root, top)
	return files, err
}

// RightName returns the name an act file named name was meant to have: name itself for an
// act (x.md) or a file that is not an act, x.md for X.MD, x.md.txt (Windows hiding the
// extension) and x.markdown.
func RightName(name string) string {
	low := strings.ToLower(name)
	for _, ext := range []string{".md.txt", ".markdown", ".md"} {
		if strings.HasSuffix(low, ext) {
			return name[:len(name)-len(ext)] + ".md"
		}
	}
	return name
}

// listFiles lists the act files under top as slash paths relative to root, sorted, the
// files that look like acts but are not read (misnamed), and the stamps of the bundles'
// index.md. A folder with index.md is one act: its other files are attachments, never
// acts. Where case counts, a folder is known as an act by its index.md alone, without
// reading it: 1 system call instead of 5, for each of 10,000 acts.
func listFiles(root, top string) (files, misnamed []string, stamps map[string]filestamp.Stamp, err error) {
	type stamped struct {
		file  string
		stamp filestamp.Stamp
	}
	type found struct {
		files, misnamed []string
		stamps          []stamped
	}
	// walk lists what is under dir, in the order of its entries; the folders below are
	// walked on every core (a year's folder holds thousands of acts' folders).
	var walk func(dir, rel string, top bool) (found, error)
	walk = func(dir, rel string, top bool) (found, error) {
		// What a folder with index.md gives. Where case does not count, looking for
		// index.md would find INDEX.MD too: the folder is read.
		bundle := found{files: []string{rel + "/index.md"}}
		if !top && !foldingFS {
			if info, err := os.Lstat(filepath.Join(dir, "index.md")); err == nil && !info.IsDir() {
				if st, ok := filestamp.Of(info); ok && info.Mode().IsRegular() {
					bundle.stamps = []stamped{{bundle.files[0], st}}
				}
				return bundle, nil
			}
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return found{}, err
		}
		if !top && slices.ContainsFunc(entries, func(e os.DirEntry) bool { return e.Name() == "index.md" && !e.IsDir() }) {
			return bundle, nil
		}
		each := make([]found, len(entries))
		var dirs []int
		for i, e := range entries {
			name := e.Name()
			if ignored(name) {
				continue
			}
			switch {
			case e.IsDir():
				dirs = append(dirs, i)
			case strings.HasSuffix(name, ".md"):
				each[i].files = []string{rel + "/" + name}
			case RightName(name) != name:
				each[i].misnamed = []string{rel + "/" + name}
			}
		}
		err = parallel.For(len(dirs), func(k int) (err error) {
			name := entries[dirs[k]].Name()
			each[dirs[k]], err = walk(filepath.Join(dir, name), rel+"/"+name, false)
			return err
		})
		var f found
		for _, x := range each {
			f.files, f.misnamed = append(f.files, x.files...), append(f.misnamed, x.misnamed...)
			f.stamps = append(f.stamps, x.stamps...)
		}
		return f, err
	}
	info, err := os.Stat(filepath.Join(root, filepath.FromSlash(top)))
	if err != nil || !info.IsDir() {
		if top != "content" && (errors.Is(err, os.ErrNotExist) || err == nil) {
			return nil, nil, nil, nil // a folder removed, or a file: no acts below it
		}
		return nil, nil, nil, fmt.Errorf("%s: %w", msg.T("leggendo %s/", top), err)
	}
	f, err := walk(filepath.Join(root, filepath.FromSlash(top)), top, top == "content")
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %w", msg.T("leggendo %s/", top), err)
	}
	sort.Strings(f.files)
	stamps = make(map[string]filestamp.Stamp, len(f.stamps))
	for _, x := range f.stamps {
		stamps[x.file] = x.stamp
	}
	return f.files, f.misnamed, stamps, nil
}

// frontKeys are the keys an act may have (SPEC §3).
var frontKeys = []string{"tipo", "oggetto", "registro", "dal", "al", "giorni", "numero", "data", "ente", "ufficio",
	"responsabile", "immediatamente_eseguibile", "deposito", "allegati", "impronta", "annullamento", "proroga",
	"archivio", "oggetto_archivio", "sostituisce", "richiedente", "protocollo", "consegna", "cig", "pubblicita_legale"}

// anchors are the trusted certification authorities signatures are verified against.
func (s *Site) anchors() *x509.CertPool {
	if s.Config == nil {
		return nil
	}
	return s.Config.Ancore
}

// readFile reads one act file into the act at into; stamp is the file's stamp before it
// is read, and memo whether what reading it gives can be remembered (recall). It returns
// into, if the file could be read into an act at all, and its problems; a file that could
// not be is described as Unread.
func (s *Site) readFile(rel string, into *act.Act, stamp filestamp.Stamp, memo bool) (*act.Act, *Unread, diag.List) {
	var probs diag.List
	bad := func(line int, hint, format string, args ...any) {
		probs = append(probs, diag.At(rel, line, hint, format, args...))
	}
	abs := filepath.Join(s.Root, filepath.FromSlash(rel))
	src, size, err := safefile.ReadFile(abs, s.realRoot, MaxActSize)
	switch {
	case errors.Is(err, safefile.ErrTooBig):
		bad(0, "metti i testi lunghi in un allegato (allegati)", "il file è di %s, oltre il limite di 10 MB per un atto", megabytes(size))
		return nil, &Unread{Draft: !mentionsRegistro(head(abs))}, probs
	case errors.Is(err, safefile.ErrOutside):
		bad(0, "copia il file nella cartella content/ invece di collegarlo", "%s", err)
		return nil, &Unread{}, probs
	case errors.Is(err, safefile.ErrNotRegular):
		bad(0, "un atto è un file di testo .md: rinomina o sposta ciò che non lo è", "%s", err)
		return nil, &Unread{}, probs
	case err != nil:
		bad(0, "", "non si può leggere: %s", msg.Err(err))
		return nil, &Unread{}, probs
	}
	var deps []dep
	if memo && foldingFS { // a rename of an attachment's case shows in the act's folder
		st, ok := depStamp(filepath.Dir(abs))
		memo = ok
		deps = append(deps, dep{filepath.Dir(abs), st})
	}
	a, probs := parseAct(into, s.realRoot, s.Root, rel, src, s.opts.SealAll, func(a *act.Act, al *act.Allegato) *diag.Problem {
		p := filepath.Join(a.Dir, filepath.FromSlash(al.File))
		st, ok := stampOf(p)
		if problem := attach(s.realRoot, a, al, s.opts.Hashes, s.anchors()); problem != nil {
			return problem
		}
		if memo = memo && ok && al.Path == p; memo { // a link, or a folder reached through one, is read each time
			deps = append(deps, dep{p, st})
		}
		return nil
	})
	if a == nil {
		return nil, &Unread{Draft: !mentionsRegistro(src)}, probs
	}
	if s.opts.Source != nil {
		s.opts.Source(a, src)
	}
	a.BodyFrom = s.bodyFrom(a, abs) // once the act lets go of its body (LetGoOfBody)
	if memo && len(probs) == 0 {
		s.remember(rel, stamp, deps, a)
	}
	return a, nil, probs
}

// head returns the first 64 KB of the file at abs: enough for its front matter.
func head(abs string) []byte {
	f, _, err := safefile.Open(abs, "")
	if err != nil {
		return nil
	}
	defer f.Close()
	b := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, b)
	return b[:n]
}

// megabytes writes a size over the limit so that it never reads as the limit itself.
func megabytes(n int64) string {
	mb := float64(n) / (1 << 20)
	return strings.Replace(fmt.Sprintf("%.1f MB", mb), ".", ",", 1)
}

// mentionsRegistro reports whether the front matter of a text that could not be read
// into an act has a registro line: if so it is a published act, else a draft.
func mentionsRegistro(src []byte) bool {
	lines := bytes.Split(src, []byte("\n"))
	for i, l := range lines {
		l = bytes.TrimSpace(l)
		if i > 0 && string(l) == "---" {
			return false // the end of the front matter
		}
		if v, ok := bytes.CutPrefix(l, []byte("registro:")); ok {
			v, _, _ = bytes.Cut(v, []byte("#"))
			if len(bytes.TrimSpace(v)) > 0 {
				return true
			}
		}
	}
	return false
}

// control returns the line and the character of the first control character of src, a
// valid UTF-8 text (other than tab and the line endings), or 0. It looks at bytes: C0
// controls and DEL are single bytes, C1 controls are 0xC2 0x80-0x9F.
func control(src []byte) (int, rune) {
	for i, c := range src {
		var r rune
		switch {
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r', c == 0x7f:
			r = rune(c)
		case c == 0xc2 && i+1 < len(src) && src[i+1] >= 0x80 && src[i+1] <= 0x9f:
			r = rune(src[i+1])
		default:
			continue
		}
		return bytes.Count(src[:i], []byte("\n")) + 1, r
	}
	return 0, 0
}

// controlValue returns the first value under n that holds a control character (YAML's
// escapes, "\e", can write one), with the character, or nil.
func controlValue(n *yaml.Node) (*yaml.Node, rune) {
	if n.Kind == yaml.ScalarNode {
		for _, r := range n.Value {
			if diag.IsControl(r) {
				return n, r
			}
		}
	}
	for _, c := range n.Content {
		if v, r := controlValue(c); v != nil {
			return v, r
		}
	}
	return nil, 0
}

// omissis returns the first value under n that holds omissis markup ("||"), or nil.
func omissis(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "||") {
		return n
	}
	for i, c := range n.Content {
		if n.Kind == yaml.MappingNode && i%2 == 0 {
			continue // a key, not a value
		}
		if o := omissis(c); o != nil {
			return o
		}
	}
	return nil
}

// Resolver finds an attachment on disk, and records its path, size and SHA-256, or
// returns the problem.
type Resolver func(a *act.Act, al *act.Allegato) *diag.Problem

// ParseAct reads src as the content of the act file rel of the site at dir (its
// attachments are looked for on disk, their signatures verified against anchors), with its
// impronta computed: albo pubblica uses it to check and seal an act before writing it.
func ParseAct(dir, rel string, src []byte, anchors *x509.CertPool) (*act.Act, diag.List) {
	root, realRoot, err := roots(dir)
	if err != nil {
		return nil, diag.List{diag.At(rel, 0, "", "%v", err)}
	}
	return parseAct(new(act.Act), realRoot, root, rel, src, true, func(a *act.Act, al *act.Allegato) *diag.Problem { return attach(realRoot, a, al, nil, anchors) })
}

// roots returns the absolute folder of the site at dir, and the same after following links.
func roots(dir string) (string, string, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return "", "", err
	}
	realRoot, err := filepath.EvalSymlinks(root)
	return root, realRoot, err
}

// Verify reads the signatures of the attachment al, whose file is at al.Path, against
// anchors: what attach does of a file it reads; the last good state calls it for the
// attachments it restores.
func Verify(al *act.Allegato, anchors *x509.CertPool) {
	al.Firma = nil
	if !signable(al.File) {
		return
	}
	if b, err := os.ReadFile(al.Path); err == nil {
		al.Firma = verified(al.File, b, anchors)
	}
}

// verified is what the signatures of the file name say, without its content.
func verified(name string, data []byte, anchors *x509.CertPool) *firma.Result {
	f := firma.Verify(name, data, anchors)
	if f != nil {
		f.Content = nil
	}
	return f
}

// ParseActWith is ParseAct finding the attachments with resolve (nil: in the act's
// folder): the last good state restores an act from its stored text and attachments.
func ParseActWith(dir, rel string, src []byte, resolve Resolver) (*act.Act, diag.List) {
	root, realRoot, err := roots(dir)
	if err != nil {
		return nil, diag.List{diag.At(rel, 0, "", "%v", err)}
	}
	return parseAct(new(act.Act), realRoot, root, rel, src, true, resolve)
}

// readers read the front matters of the acts read side by side (yamlx.Reader).
var readers = sync.Pool{New: func() any { return new(yamlx.Reader) }}

// parseAct reads src as the act file rel into the act at into, and returns it (nil when
// src is no act at all: into then holds what was read of it, or nothing) with its problems.
func parseAct(into *act.Act, realRoot, root, rel string, src []byte, seal bool, resolve Resolver) (*act.Act, diag.List) {
	if resolve == nil {
		resolve = func(a *act.Act, al *act.Allegato) *diag.Problem { return attach(realRoot, a, al, nil, nil) }
	}
	var probs diag.List
	bad := func(line int, hint, format string, args ...any) {
		probs = append(probs, diag.At(rel, line, hint, format, args...))
	}
	abs := filepath.Join(root, filepath.FromSlash(rel))
	if len(bytes.TrimSpace(src)) == 0 {
		bad(0, "scrivi l'intestazione e il testo dell'atto, oppure cancella il file", "il file è vuoto")
		return nil, probs
	}
	if !utf8.Valid(src) {
		n := 0
		for len(src) > 0 {
			r, size := utf8.DecodeRune(src)
			if r == utf8.RuneError && size <= 1 {
				break
			}
			if r == '\n' {
				n++
			}
			src = src[size:]
		}
		bad(n+1, "salva il file con la codifica UTF-8 (in quasi tutti gli editor: Salva con nome → Codifica: UTF-8)", "il testo non è in UTF-8")
		return nil, probs
	}
	if line, r := control(src); line > 0 {
		bad(line, "toglilo: nei testi dell'albo non servono caratteri di controllo (spesso arrivano copiando da un terminale o da un altro programma)",
			"il testo contiene un carattere di controllo (%U)", r)
		return nil, probs
	}
	front, body, bodyLine, err := frontmatter.Split(src)
	if err != nil {
		bad(1, "", "%v", err)
		return nil, probs
	}
	a := into
	*a = act.Act{Path: rel, Dir: filepath.Dir(abs), BodyLine: bodyLine}
	yr := readers.Get().(*yamlx.Reader)
	defer readers.Put(yr) // once nothing of the tree is needed: what is kept of it is copied out
	node, line, err := yr.Parse(front)
	var shape *yamlx.KeyError
	switch {
	case errors.As(err, &shape):
		bad(line+1, shape.Hint, "intestazione: %s", shape.Msg)
		return nil, probs
	case err != nil:
		bad(line+1, "controlla il rientro delle righe, e metti tra virgolette i valori che contengono ': ' o '#'", "intestazione: %v", err)
		return nil, probs
	}
	pairs, kerr := yamlx.Pairs(node)
	if kerr != nil {
		bad(kerr.Line+1, kerr.Hint, "%s", kerr.Msg)
	}
	a.Lines = slices.Grow(a.Lines, len(pairs)) // nil for none, as before
	for _, p := range pairs {
		p.Line++ // the front matter starts on line 2
		a.Lines = append(a.Lines, act.KeyLine{Key: p.Key, Line: p.Line})
		if n, r := controlValue(p.Value); n != nil {
			a.MarkInvalid(p.Key)
			bad(n.Line+1, "toglilo: nei testi dell'albo non servono caratteri di controllo", "%s: il valore contiene un carattere di controllo (%U)", p.Key, r)
			continue
		}
		if n := omissis(p.Value); n != nil {
			a.MarkInvalid(p.Key)
			bad(n.Line+1, "l'omissis vale solo nel testo dell'atto, dopo il secondo '---': i campi dell'intestazione sono pubblicati per intero; togli il dato riservato da qui",
				"%s: il valore contiene ||…||", p.Key)
			continue
		}
		if p.Value.Kind == yaml.ScalarNode && p.Value.Tag == "!!null" && slices.Contains(frontKeys, p.Key) {
			continue // a key left empty, as albo new writes them: not filled in yet
		}
		if err := setField(a, p); err != nil {
			a.MarkInvalid(p.Key)
			if s := yamlx.Closest(p.Key, frontKeys); s != "" {
				a.MarkInvalid(s)
			}
			var ke *yamlx.KeyError
			if errors.As(err, &ke) {
				bad(ke.Line, ke.Hint, "%s", ke.Msg)
			} else {
				bad(p.Line, "", "%s: %v", p.Key, err)
			}
		}
	}
	red, err := published(body)
	if err != nil {
		var re *markdown.RedactError
		if errors.As(err, &re) {
			bad(bodyLine+re.Line-1, "", "%s", re.Msg)
		} else {
			bad(bodyLine, "", "%v", err)
		}
	}
	a.Body = red
	a.Text = sha256.Sum256(src)
	h := sha256.New()
	h.Write([]byte(a.Path + "\x00"))
	h.Write(a.Text[:])
	seen := map[string]int{} // attachment → its line
	for i := range a.Allegati {
		al := &a.Allegati[i]
		if err := resolve(a, al); err != nil {
			probs = append(probs, err)
			a.MarkInvalid("allegati") // unread: its seal cannot be compared
		} else if line, dup := seen[al.File]; dup {
			probs = append(probs, attachmentProblem(a, al, "togli uno dei due", "l'allegato %q è già elencato alla riga %d", al.File, line))
			a.MarkInvalid("allegati")
		} else {
			seen[al.File] = al.Line
		}
		h.Write([]byte(al.SHA256))
	}
	h.Sum(a.Digest[:0])
	if a.Draft() && !seal && a.Impronta == "" {
		return a, probs // a draft is neither sealed nor published
	}
	parts := a.Parts()
	keys, lines := impronta.Keys(node)
	a.Keys = lines
	a.Public = impronta.Public(a.Keys, a.Body, parts)
	if seal || a.Impronta != "" {
		a.Seal = impronta.Compute(keys, body, parts)
	}
	return a, probs
}

// published is the body of an act as it is published: with LF line endings, as the seal
// reads it, and without its omissis text.
func published(body []byte) ([]byte, error) { return markdown.Redact(impronta.LF(body)) }

// setField decodes one front matter key into the act.
func setField(a *act.Act, p yamlx.Pair) error {
	var err error
	str := func() string {
		var s string
		s, err = yamlx.String(p.Value)
		return strings.TrimSpace(s)
	}
	date := func(n *yaml.Node) civil.Date {
		s, e := yamlx.String(n)
		if e != nil {
			err = e
			return civil.Date{}
		}
		d, e := civil.Parse(s)
		if e != nil {
			err = e
		}
		return d
	}
	switch p.Key {
	case "tipo":
		a.Tipo = str()
	case "oggetto":
		a.Oggetto = str()
	case "registro":
		if s := str(); err == nil {
			a.Registro, err = act.ParseRegistro(s)
			if err != nil {
				err = fmt.Errorf("%w: %s", err, msg.T("scrivilo anno/progressivo, per esempio 2026/123"))
			}
		}
	case "dal":
		a.Dal = date(p.Value)
	case "al":
		a.Al = date(p.Value)
	case "giorni":
		a.Giorni, err = yamlx.Int(p.Value)
		if err == nil && (a.Giorni < 1 || a.Giorni > 3650) {
			err = fmt.Errorf("%s", msg.T("%d non è un numero di giorni tra 1 e 3650", a.Giorni))
		}
	case "numero":
		a.Numero = str()
	case "data":
		a.Data = date(p.Value)
	case "ente":
		a.Ente = str()
	case "ufficio":
		a.Ufficio = str()
	case "responsabile":
		a.Responsabile = str()
	case "immediatamente_eseguibile":
		a.ImmediatamenteEseguibile, err = yamlx.Bool(p.Value)
	case "deposito":
		a.Deposito = str()
	case "impronta":
		a.Impronta = str()
	case "oggetto_archivio":
		a.OggettoArchivio = str()
	case "archivio":
		var b bool
		b, err = yamlx.Bool(p.Value)
		a.Archivio = &b
	case "annullamento":
		n := &act.Annullamento{}
		a.Annullamento = n
		return subMapping(p, []string{"data", "motivo"}, []string{"disposto_da", "provvedimento"}, func(q yamlx.Pair) {
			switch q.Key {
			case "data":
				n.Data = date(q.Value)
			case "motivo":
				n.Motivo, err = text(q.Value)
			case "disposto_da":
				n.DispostoDa, err = text(q.Value)
			default:
				n.Provvedimento, err = text(q.Value)
			}
		}, &err)
	case "proroga":
		a.Proroga = &act.Proroga{}
		return subMapping(p, []string{"al", "motivo"}, nil, func(q yamlx.Pair) {
			if q.Key == "al" {
				a.Proroga.Al = date(q.Value)
			} else {
				a.Proroga.Motivo, err = yamlx.String(q.Value)
			}
		}, &err)
	case "sostituisce":
		if s := str(); err == nil {
			a.Sostituisce, err = act.ParseRegistro(s)
			if err != nil {
				err = fmt.Errorf("%w: %s", err, msg.T("scrivi il numero di registro dell'atto che questo corregge, per esempio 2026/26"))
			}
		}
	case "richiedente":
		a.Richiedente = str()
	case "protocollo":
		a.Protocollo = &act.Protocollo{}
		return subMapping(p, []string{"numero", "data"}, nil, func(q yamlx.Pair) {
			if q.Key == "data" {
				a.Protocollo.Data = date(q.Value)
			} else {
				a.Protocollo.Numero, err = text(q.Value)
			}
		}, &err)
	case "consegna":
		a.Consegna = date(p.Value)
	case "cig":
		if a.CIG = str(); err == nil && !act.ValidCIG(a.CIG) {
			err = fmt.Errorf("%s", msg.T("%q non è un CIG: il codice identificativo di gara dell'ANAC ha 10 caratteri, cifre e lettere maiuscole", a.CIG))
		}
	case "pubblicita_legale":
		if a.PubblicitaLegale = str(); err == nil {
			if u, e := url.Parse(a.PubblicitaLegale); e != nil || u.Scheme != "https" || u.Host == "" {
				err = fmt.Errorf("%s", msg.T("%q non è un indirizzo https: scrivi l'indirizzo della scheda nella Banca dati nazionale dei contratti pubblici o su inPA", a.PubblicitaLegale))
			}
		}
	case "allegati":
		return allegati(a, p)
	default:
		return yamlx.Unknown(p, "atti", frontKeys)
	}
	return err
}

// text reads a scalar's text, trimmed.
func text(n *yaml.Node) (string, error) {
	s, err := yamlx.String(n)
	return strings.TrimSpace(s), err
}

// subMapping decodes a nested mapping such as annullamento: {data, motivo}: keys (two)
// are required, optional may be there.
func subMapping(p yamlx.Pair, keys, optional []string, set func(yamlx.Pair), err *error) error {
	pairs, kerr := yamlx.Mapping(p.Value)
	if kerr != nil {
		return &yamlx.KeyError{Line: kerr.Line + 1, Msg: p.Key + ": " + kerr.Msg, Hint: msg.T("scrivi %s: {%s: ..., %s: ...}", p.Key, keys[0], keys[1])}
	}
	seen := map[string]bool{}
	all := append(slices.Clip(keys), optional...)
	for _, q := range pairs {
		q.Line++
		if !slices.Contains(all, q.Key) {
			ke := yamlx.Unknown(q, "atti", all)
			ke.Msg = p.Key + ": " + ke.Msg
			return ke
		}
		seen[q.Key] = true
		set(q)
		if *err != nil {
			return &yamlx.KeyError{Line: q.Line, Msg: fmt.Sprintf("%s.%s: %v", p.Key, q.Key, *err)}
		}
	}
	for _, k := range keys {
		if !seen[k] {
			return &yamlx.KeyError{Line: p.Line, Msg: msg.T("%s: manca %s", p.Key, k), Hint: msg.T("scrivi %s: {%s: ..., %s: ...}", p.Key, keys[0], keys[1])}
		}
	}
	return nil
}

// allegati decodes the list of attachments.
func allegati(a *act.Act, p yamlx.Pair) error {
	if p.Value.Kind != yaml.SequenceNode {
		return &yamlx.KeyError{Line: p.Line, Msg: msg.T("allegati: serve un elenco"), Hint: msg.T("scrivi ogni allegato come '- file: nome.pdf' con 'titolo: ...' sotto")}
	}
	for _, item := range p.Value.Content {
		pairs, kerr := yamlx.Mapping(item)
		if kerr != nil {
			return &yamlx.KeyError{Line: kerr.Line + 1, Msg: "allegati: " + kerr.Msg, Hint: msg.T("scrivi '- file: nome.pdf' e 'titolo: ...'")}
		}
		al := act.Allegato{Line: item.Line + 1}
		for _, q := range pairs {
			q.Line++
			var err error
			switch q.Key {
			case "file":
				al.File, err = yamlx.String(q.Value)
			case "titolo":
				al.Titolo, err = yamlx.String(q.Value)
			default:
				ke := yamlx.Unknown(q, "atti", []string{"file", "titolo"})
				ke.Msg = "allegati: " + ke.Msg
				return ke
			}
			if err != nil {
				return &yamlx.KeyError{Line: q.Line, Msg: fmt.Sprintf("allegati.%s: %v", q.Key, err)}
			}
		}
		if al.File == "" {
			return &yamlx.KeyError{Line: al.Line, Msg: msg.T("allegati: manca file"), Hint: msg.T("scrivi il nome del file, nella cartella dell'atto")}
		}
		if strings.TrimSpace(al.Titolo) == "" {
			return &yamlx.KeyError{Line: al.Line, Msg: msg.T("allegati: manca titolo"), Hint: msg.T("descrivi l'allegato per i cittadini, per esempio 'Testo della deliberazione'")}
		}
		a.Allegati = append(a.Allegati, al)
	}
	return nil
}

// Active are the extensions of files a browser runs or renders as a page (HTML, SVG,
// JavaScript and their kin): an attachment of these types could act on the albo's own
// address, so it is refused.
var Active = []string{".html", ".htm", ".xhtml", ".xht", ".shtml", ".svg", ".svgz", ".js", ".mjs", ".mht", ".mhtml", ".hta", ".swf", ".xsl", ".xslt"}

// attachmentProblem is a problem with an attachment, coded for albo check.
func attachmentProblem(a *act.Act, al *act.Allegato, hint, format string, args ...any) *diag.Problem {
	p := diag.At(a.Path, al.Line, hint, format, args...)
	p.Code = "allegato"
	return p
}

// attach checks that an attachment is a regular file inside the act's folder (after
// following links, inside the site), then records its size and SHA-256, and what its
// signatures say against anchors (nil: no trusted authorities configured).
func attach(realRoot string, a *act.Act, al *act.Allegato, hashes Hashes, anchors *x509.CertPool) *diag.Problem {
	name := al.File
	clean := path.Clean(name)
	if path.IsAbs(name) || filepath.IsAbs(name) || clean == ".." || strings.HasPrefix(clean, "../") || strings.Contains(name, `\`) {
		return attachmentProblem(a, al, "metti il file nella cartella dell'atto e scrivi il suo nome da lì", "l'allegato %q esce dalla cartella dell'atto", name)
	}
	if ignored(path.Base(clean)) || path.Base(clean) == "index.md" {
		return attachmentProblem(a, al, "rinomina il file", "l'allegato %q ha un nome che albo ignora (comincia con '.' o '_', o è index.md)", name)
	}
	if ext := strings.ToLower(path.Ext(clean)); slices.Contains(Active, ext) {
		return attachmentProblem(a, al, "pubblicalo in PDF (o, se serve il file com'è, dentro un archivio ZIP)",
			"l'allegato %q è di un tipo che il browser esegue (%s): aperto dall'albo, agirebbe con il suo indirizzo", name, ext)
	}
	f, info, real, problem := openAttachment(realRoot, a, al, filepath.Join(a.Dir, filepath.FromSlash(clean)))
	if problem != nil {
		return problem
	}
	defer f.Close()
	if info.Size() > MaxAttachment {
		return attachmentProblem(a, al, "pubblica i documenti molto grandi divisi in più file, o indica dove si consultano (deposito)",
			"l'allegato %q è di %s, oltre il limite di %d MB", name, megabytes(info.Size()), MaxAttachment>>20)
	}
	if hashes == nil {
		hashes = noHashes{}
	}
	if signable(clean) { // read whole, to verify its signatures
		buf := attachBufs.Get(int(info.Size()) + 1)
		b, err := readAll(f, info.Size(), (*buf)[:0])
		*buf = b
		defer attachBufs.Put(buf)
		if err != nil {
			return attachmentProblem(a, al, "", "l'allegato %q non si può leggere: %s", name, msg.Err(err))
		}
		sum := sha256.Sum256(b)
		al.File, al.Path, al.Size, al.SHA256 = clean, real, int64(len(b)), hex.EncodeToString(sum[:])
		al.Firma = verified(clean, b, anchors)
		if al.Size == info.Size() {
			hashes.Hashed(real, info, al.SHA256)
		}
		return nil
	}
	if sum, ok := hashes.Hash(real, info); ok {
		al.File, al.Path, al.Size, al.SHA256 = clean, real, info.Size(), sum
		return nil
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return attachmentProblem(a, al, "", "l'allegato %q non si può leggere: %s", name, msg.Err(err))
	}
	al.File, al.Path, al.Size, al.SHA256 = clean, real, n, hex.EncodeToString(h.Sum(nil))
	if n == info.Size() {
		hashes.Hashed(real, info, al.SHA256)
	}
	return nil
}

// openAttachment opens the attachment al of a at p, following links: it must be a regular
// file inside the site, named with its case (see attach). It returns the file, what it is
// and where it is once the links are followed, or the problem.
func openAttachment(realRoot string, a *act.Act, al *act.Allegato, p string) (*os.File, os.FileInfo, string, *diag.Problem) {
	// A file reached through no link (the site's folder included, so it is inside the
	// site), where case counts, is the file named: opened at once. Any other is resolved
	// and checked.
	if !foldingFS {
		if f, info, ok := safefile.OpenDirect(p); ok {
			return f, info, p, nil
		}
	}
	name, clean := al.File, path.Clean(al.File)
	real, err := filepath.EvalSymlinks(p)
	// Where the file system ignores case (Windows, macOS), "testo.pdf" opens Testo.PDF: the
	// act is refused all the same, as it is where case counts (Linux, the web server), so
	// that what builds on the clerk's PC builds everywhere.
	other := ""
	if err != nil || foldingFS {
		other = sameButCase(filepath.Dir(p), path.Base(clean))
	}
	if other != "" {
		return nil, nil, "", attachmentProblem(a, al, msg.T("nella cartella c'è %q: scrivi file: %s (maiuscole e minuscole contano, come sul server web)", other, path.Join(path.Dir(clean), other)),
			"l'allegato %q non c'è", name)
	}
	if err != nil {
		return nil, nil, "", attachmentProblem(a, al, "controlla il nome, o copia il file nella cartella dell'atto", "l'allegato %q non c'è", name)
	}
	if !safefile.Inside(real, realRoot) {
		return nil, nil, "", attachmentProblem(a, al, "copia il file nella cartella dell'atto invece di collegarlo", "l'allegato %q è un collegamento a un file fuori dal sito", name)
	}
	f, info, err := safefile.Open(real, "")
	if errors.Is(err, safefile.ErrNotRegular) {
		return nil, nil, "", attachmentProblem(a, al, "un allegato è un file: rinomina o sposta ciò che non lo è", "l'allegato %q %s", name, err)
	}
	if err != nil {
		return nil, nil, "", attachmentProblem(a, al, "", "l'allegato %q non si può leggere: %s", name, msg.Err(err))
	}
	return f, info, real, nil
}

// attachBufs are the buffers attachments are read into, to be hashed and their signatures
// verified: nothing read is kept (verified drops the signed content), so each buffer
// serves the next attachment (10,000 acts: 57 MB of the 544 MB a cold build allocated).
var attachBufs = bufpool.New(8 << 20)

// readAll reads f to its end into buf, grown to the size its file had if need be
// (io.ReadAll grows one from 512 bytes: 125 MB allocated to read the 51 MB of PDFs of
// 10,000 acts).
func readAll(f io.Reader, size int64, buf []byte) ([]byte, error) {
	if int64(cap(buf)) <= size {
		buf = make([]byte, 0, size+1)
	}
	b := buf[:size]
	n, err := io.ReadFull(f, b)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF): // the file shrank: what is there
		return b[:n], nil
	case err != nil:
		return nil, err
	}
	more, err := io.ReadAll(f) // it grew
	return append(b, more...), err
}

// signable reports whether a file of this name may carry digital signatures albo reads:
// a CAdES envelope or a PDF.
func signable(name string) bool {
	return firma.IsEnvelope(name) || strings.EqualFold(path.Ext(name), ".pdf")
}

// noHashes remembers nothing.
type noHashes struct{}

func (noHashes) Hash(string, os.FileInfo) (string, bool) { return "", false }
func (noHashes) Hashed(string, os.FileInfo, string)      {}

// sameButCase returns the name of a file of dir that is name but for upper and lower case,
// or "" if there is none or dir holds name itself.
func sameButCase(dir, name string) string {
	entries, _ := os.ReadDir(dir)
	other := ""
	for _, e := range entries {
		switch {
		case e.Name() == name:
			return ""
		case strings.EqualFold(e.Name(), name):
			other = e.Name()
		}
	}
	return other
}

// MaxAttachment is the largest attachment albo publishes.
const MaxAttachment = 250 << 20

// Hashes remembers the SHA-256 of attachments already read, so that an unchanged file is
// not read again: it must tell a file that did not change from one that did, whatever
// its modification time says (cp -p sets it). A nil Hashes remembers nothing.
type Hashes interface {
	// Hash returns the SHA-256 recorded for the file at path, if it is the same file as
	// when it was hashed.
	Hash(path string, info os.FileInfo) (string, bool)
	// Hashed records the SHA-256 of the file at path; called from several goroutines.
	Hashed(path string, info os.FileInfo, sum string)
}
