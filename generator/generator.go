// Package generator builds an albo site: it loads the acts, validates them, decides their
// state at a given instant, renders the pages and data, and swaps the new site in. It
// builds what is right for the instant from everything that can be trusted, whatever
// else is wrong (SPEC §4, "time never stops"): see trust and the state kept beside the
// output (package state).
package generator

import (
	"fmt"
	"github.com/borgoesempio/albo/generator/msg"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/diag"
	"github.com/borgoesempio/albo/generator/internal/overlay"
	"github.com/borgoesempio/albo/generator/load"
	"github.com/borgoesempio/albo/generator/render"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/borgoesempio/albo/generator/state"
	"github.com/borgoesempio/albo/generator/validate"
	"github.com/borgoesempio/albo/generator/write"
)

// Options says what to build, where, and for which instant.
type Options struct {
	Source string    // the site folder
	Dest   string    // the output folder; relative paths are relative to Source
	Now    string    // the --now flag: a date or an RFC 3339 time; "" means Clock
	Clock  time.Time // the current time, given by the caller

	// Sized, when set, is told the number of acts each time the whole site is read, before
	// anything is made of them, with how many the memo of the acts gave as they were
	// (recalled), and again once the render knows how many of them the memo of the pages
	// gives: the command sets the process's memory limit by it, as what a build holds is
	// mostly what it makes again.
	Sized func(acts, recalled int)
}

// Result describes a finished build: the site swapped in, and every problem found.
type Result struct {
	Dest     string
	Plan     *schedule.Plan
	Problems diag.List // errors and warnings, in file and line order
}

// Errors returns the problems that are errors (exit status 1).
func (r *Result) Errors() diag.List {
	var out diag.List
	for _, p := range r.Problems {
		if p.IsError() {
			out = append(out, p)
		}
	}
	return out
}

// Warnings returns the number of problems that are warnings.
func (r *Result) Warnings() int {
	n := 0
	for _, p := range r.Problems {
		if p.Level == diag.Avviso {
			n++
		}
	}
	return n
}

// Count returns the number of acts in each state and section, for the summary line.
func (r *Result) Count() (atti, matrimoni, archivio, programmati int) {
	for _, e := range r.Plan.Entries {
		switch {
		case e.State == schedule.InPubblicazione && e.Type.Marriage():
			matrimoni++
		case e.State == schedule.InPubblicazione:
			atti++
		case e.InArchivio:
			archivio++
		case e.State == schedule.Programmato:
			programmati++
		}
	}
	return
}

// Summary is the line printed after a build.
func (r *Result) Summary() string {
	atti, matr, arch, prog := r.Count()
	s := msg.T("albo al %s: %s, %s, %s in archivio, %s → %s", r.Plan.Today.Italian(),
		msg.N(atti, "%d atto in pubblicazione", "%d atti in pubblicazione"),
		msg.N(matr, "%d pubblicazione di matrimonio", "%d pubblicazioni di matrimonio"),
		msg.N(arch, "%d atto", "%d atti"), msg.N(prog, "%d programmato", "%d programmati"), r.Dest)
	if !r.Plan.Next.IsZero() {
		s += "\n" + msg.T("prossimo aggiornamento necessario: %s", r.Plan.Next.Format("02/01/2006 15:04 MST"))
	}
	return s
}

// Readable reads a site for the reports (albo list, registro, referto): the acts that can
// be read and are valid, and the problems of the others, so that a report is made of the
// acts it can read and names the rest.
func Readable(source string) (*load.Site, diag.List, error) {
	site, err := load.Load(source)
	probs := diag.Problems(err)
	if site == nil || (err != nil && probs == nil) {
		return nil, nil, err
	}
	probs = append(probs, diag.Problems(validate.Site(site))...)
	bad := map[string]bool{}
	for _, p := range probs {
		bad[p.Path] = bad[p.Path] || p.IsError()
	}
	ok := site.Acts[:0:0]
	for _, a := range site.Acts {
		if !bad[a.Path] {
			ok = append(ok, a)
		}
	}
	out := *site
	out.Acts = ok
	probs.Sort()
	return &out, probs, nil
}

// Config returns the configuration of the site at source, or, when it cannot be read, the
// last good one kept beside the destination dest with the problems of the site's own; a
// nil configuration means neither can be had.
func Config(source, dest string) (*config.Config, diag.List, error) {
	cfg, err := config.Load(source)
	if err == nil {
		return cfg, nil, nil
	}
	probs := diag.Problems(err)
	root, aerr := filepath.Abs(source)
	if aerr != nil || probs == nil {
		return nil, probs, err
	}
	d, derr := destination(root, dest)
	if derr != nil {
		return nil, probs, err
	}
	src, ok := state.Open(d).Config()
	if !ok {
		return nil, probs, err
	}
	last, perr := config.Parse(src)
	if perr != nil {
		return nil, probs, err
	}
	return last, append(probs, diag.Warn(CodeLastGood, config.Path, 0, "correggilo: finché non è valido l'albo è costruito con quello precedente",
		"si usa l'ultima configurazione valida, quella dell'ultima costruzione riuscita")), nil
}

// Now resolves the instant of a build: the --now text in the site's time zone, or clock.
func Now(cfg *config.Config, text string, clock time.Time) (time.Time, error) {
	if text == "" {
		return clock, nil
	}
	return civil.ParseNow(text, cfg.Location)
}

// Build builds the site once. The result is the site swapped in, right for now from what
// can be trusted, with every problem; the error is non-nil when there were errors (the
// result is then still the site built, if any) or nothing could be built (no result).
func Build(o Options) (*Result, error) {
	s := NewSession(o)
	s.single = true
	res, err := s.build(func(cfg *config.Config) (time.Time, error) { return Now(cfg, o.Now, o.Clock) }, nil, true)
	if werr := s.Wait(); werr != nil && res != nil {
		return res, fmt.Errorf(msg.T("il sito è pubblicato, ma ciò che albo tiene accanto (%s, %s) non si è potuto aggiornare per la prossima costruzione")+": %w",
			write.StageName(res.Dest), state.Dir(res.Dest), werr)
	}
	return res, err
}

// Sites returns the sites in the folder dir when it is a folder of sites (one for each
// comune of an Unione, a province or a service provider): its subfolders that hold
// content/albo.yaml, by name; nil when dir is itself a site, or holds none.
func Sites(dir string) []string {
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(config.Path))); err == nil {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") || strings.HasPrefix(e.Name(), "_") {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, e.Name(), filepath.FromSlash(config.Path))); err == nil {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out
}

// NewRenderer parses a theme: the built-in one tema chooses, with the files of a site
// theme (as overlay.Read returns them) in place of its own.
func NewRenderer(tema string, files map[string][]byte) (*render.Renderer, error) {
	return render.New(overlay.FS(tema, files))
}

// destination resolves the output folder (a symbolic link to the folder it points to) and
// refuses one that would replace the site's own files, a file, or a folder albo did not
// write: the whole folder is replaced on every build (write.Resolve).
func destination(root, dest string) (string, error) {
	if dest == "" {
		dest = "public"
	}
	if !filepath.IsAbs(dest) {
		dest = filepath.Join(root, dest)
	}
	dest = filepath.Clean(dest)
	within := func(p, dir string) bool {
		rel, err := filepath.Rel(dir, p)
		return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
	}
	if within(root, dest) || within(dest, filepath.Join(root, "content")) || within(dest, filepath.Join(root, "themes")) {
		return "", fmt.Errorf("%s", msg.T("la destinazione %s sostituirebbe i file del sito stesso: scegli una cartella a parte, per esempio public", dest))
	}
	return write.Resolve(dest)
}
