// Package generator builds an albo site: it loads the acts, validates them, decides their
// state at a given instant, renders the pages and data, and swaps the new site in.
package generator

import (
	"fmt"
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
	"github.com/borgoesempio/albo/generator/validate"
	"github.com/borgoesempio/albo/generator/write"
)

// Options says what to build, where, and for which instant.
type Options struct {
	Source string    // the site folder
	Dest   string    // the output folder; relative paths are relative to Source
	Now    string    // the --now flag: a date or an RFC 3339 time; "" means Clock
	Clock  time.Time // the current time, given by the caller
}

// Result describes a finished build.
type Result struct {
	Dest string
	Plan *schedule.Plan
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
	s := fmt.Sprintf("albo al %s: %d atti in pubblicazione, %d pubblicazioni di matrimonio, %d in archivio, %d programmati → %s",
		r.Plan.Today.Italian(), atti, matr, arch, prog, r.Dest)
	if !r.Plan.Next.IsZero() {
		s += fmt.Sprintf("\nprossimo aggiornamento necessario: %s", r.Plan.Next.Format("02/01/2006 15:04 MST"))
	}
	return s
}

// Load reads and validates a site, and reports every problem of every file at once.
func Load(source string) (*load.Site, error) {
	site, err := load.Load(source)
	probs := diag.Problems(err)
	if site == nil || (err != nil && probs == nil) {
		return nil, err
	}
	if err := validated(nil, site, probs); err != nil {
		return nil, err
	}
	return site, nil
}

// validated adds the problems of the rules, found by c (nil checks everything), to
// those found reading the site, and returns them all, or nil.
func validated(c *validate.Checker, site *load.Site, probs diag.List) error {
	return append(probs, diag.Problems(c.Site(site))...).Err()
}

// Now resolves the instant of a build: the --now text in the site's time zone, or clock.
func Now(cfg *config.Config, text string, clock time.Time) (time.Time, error) {
	if text == "" {
		return clock, nil
	}
	return civil.ParseNow(text, cfg.Location)
}

// Build builds the site once. On any error the destination is left as it was.
func Build(o Options) (*Result, error) {
	site, err := Load(o.Source)
	if err != nil {
		return nil, err
	}
	now, err := Now(site.Config, o.Now, o.Clock)
	if err != nil {
		return nil, err
	}
	dest, err := destination(site.Root, o.Dest)
	if err != nil {
		return nil, err
	}
	r, err := NewRenderer(site)
	if err != nil {
		return nil, err
	}
	res, tree, err := renderSite(r, nil, site, dest, now, nil)
	if err != nil {
		return nil, err
	}
	if err := tree.Wait(); err != nil {
		return nil, fmt.Errorf("the site is published, but its staging copy (%s) could not be prepared for the next build: %w", write.StageName(dest), err)
	}
	return res, nil
}

// renderSite decides the states of site at now (with sc, which may be nil), renders it
// and swaps it in at dest. prev is the tree of the same session's last build, or nil; the
// new tree is returned for the next one.
func renderSite(r *render.Renderer, sc *schedule.Scheduler, site *load.Site, dest string, now time.Time, prev *write.Tree) (*Result, *write.Tree, error) {
	plan := sc.Schedule(site, now)
	tree, err := write.BeginAfter(dest, prev)
	if err != nil {
		return nil, nil, err
	}
	if err := r.Render(plan, tree); err != nil {
		tree.Abort()
		return nil, nil, err
	}
	if err := tree.Commit(); err != nil {
		return nil, nil, err
	}
	return &Result{Dest: dest, Plan: plan}, tree, nil
}

// NewRenderer parses the site's theme: the default one, with the files of themes/<tema>
// in its place where the site has them.
func NewRenderer(site *load.Site) (*render.Renderer, error) {
	dir := ""
	if site.Config.Tema != "" {
		dir = filepath.Join(site.Root, "themes", site.Config.Tema)
	}
	theme, err := overlay.Theme(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: tema: %w", config.Path, err)
	}
	return render.New(theme)
}

// destination resolves the output folder and refuses one that would replace the site's
// own files: the whole folder is replaced on every build.
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
		return "", fmt.Errorf("destination %s would replace the site's own files: choose a folder of its own, such as public", dest)
	}
	return dest, nil
}
