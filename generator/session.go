package generator

import (
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/diag"
	"github.com/borgoesempio/albo/generator/load"
	"github.com/borgoesempio/albo/generator/render"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/borgoesempio/albo/generator/validate"
	"github.com/borgoesempio/albo/generator/write"
)

// Session builds a site again and again, as albo watch and serve do: it keeps the site
// it read, so that a change re-reads only the files that changed, and the last good
// site, so that a publication boundary is honoured even while a file is broken.
type Session struct {
	source, dest string

	site      *load.Site           // every act that could be read, by path order
	problems  map[string]diag.List // load problems by file
	renderer  *render.Renderer     // for the current configuration and theme
	checker   validate.Checker     // remembers the acts found valid
	scheduler schedule.Scheduler   // remembers the acts' entries of the day
	good      *load.Site           // the last site that validated
	last      *Result              // the last result swapped in
	tree      *write.Tree          // the last tree committed
}

// NewSession prepares builds of the site at o.Source into o.Dest.
func NewSession(o Options) *Session {
	return &Session{source: o.Source, dest: o.Dest}
}

// Wait waits until the last build has finished its work in the background (see
// write.Tree.Commit): a process that ends after it leaves a staging tree that the next
// one can trust.
func (s *Session) Wait() {
	if s.tree != nil {
		s.tree.Wait()
	}
}

// Last returns the last site built, or nil.
func (s *Session) Last() *Result { return s.last }

// Build brings the site up to date at now. changed lists the paths (relative to the site,
// slash form) that changed since the last build; all asks to read everything again. On a
// content error the live site is left as it was, and the error is returned; but at a
// boundary (no change) the last good content is built again at now, so that nothing
// stays online past its last day.
func (s *Session) Build(now time.Time, changed []string, all bool) (*Result, error) {
	if s.site == nil || all || touchesSite(changed) {
		if err := s.reload(); err != nil {
			return s.fallback(now, changed, err)
		}
	} else if len(changed) > 0 {
		if err := s.refresh(changed); err != nil {
			return s.fallback(now, changed, err)
		}
	}
	probs := diag.List{}
	for _, p := range s.problems {
		probs = append(probs, p...)
	}
	if err := validated(&s.checker, s.site, probs); err != nil {
		return s.fallback(now, changed, err)
	}
	s.good = &load.Site{Root: s.site.Root, Config: s.site.Config, Acts: slices.Clone(s.site.Acts)}
	return s.render(s.good, now)
}

// fallback handles a build whose content is wrong: at a boundary the last good content
// is built again at now; otherwise the live site stays and the error is returned.
func (s *Session) fallback(now time.Time, changed []string, err error) (*Result, error) {
	if len(changed) == 0 && s.good != nil && s.renderer != nil {
		if res, rerr := s.render(s.good, now); rerr == nil {
			return res, err
		}
	}
	return nil, err
}

func (s *Session) render(site *load.Site, now time.Time) (*Result, error) {
	dest, err := destination(site.Root, s.dest)
	if err != nil {
		return nil, err
	}
	res, tree, err := renderSite(s.renderer, &s.scheduler, site, dest, now, s.tree)
	s.tree = tree // nil after a failure: the next build trusts nothing
	if err != nil {
		return nil, err
	}
	s.last = res
	return res, nil
}

// touchesSite reports whether a change concerns the whole site: the configuration or
// the theme.
func touchesSite(changed []string) bool {
	for _, p := range changed {
		if p == config.Path || p == "content" || p == "themes" || strings.HasPrefix(p, "themes/") {
			return true
		}
	}
	return false
}

// reload reads the whole site again, with a new renderer.
func (s *Session) reload() error {
	site, err := load.Load(s.source)
	if site == nil {
		return err
	}
	s.site = site
	s.problems = map[string]diag.List{}
	for _, p := range diag.Problems(err) {
		s.problems[p.Path] = append(s.problems[p.Path], p)
	}
	r, rerr := NewRenderer(site)
	if rerr != nil {
		return rerr
	}
	r.Remember()
	s.renderer = r
	return nil
}

// refresh re-reads the acts that the changed paths belong to: the act files themselves,
// the act whose folder holds a changed attachment, and every act under a changed folder.
func (s *Session) refresh(changed []string) error {
	root := s.site.Root
	gone := map[string]bool{} // act files to drop before reading again
	var read []string
	under := func(p string) {
		for _, a := range s.site.Acts {
			if a.Path == p || strings.HasPrefix(a.Path, p+"/") {
				gone[a.Path] = true
			}
		}
	}
	for _, p := range changed {
		if path.Base(p) == "index.md" { // a bundle appears, changes or disappears: its folder
			p = path.Dir(p)
		}
		if b := bundleOf(root, p); b != "" { // an attachment, or anything else in a bundle
			gone[b] = true
			read = append(read, b)
			continue
		}
		under(p)
		files, err := load.ActFiles(root, p) // p is a folder (now or before), or a file
		if err != nil {
			return err
		}
		if files == nil && strings.HasSuffix(p, ".md") && exists(root, p) {
			files = []string{p}
		}
		read = append(read, files...)
	}
	for _, f := range read {
		gone[f] = true
	}
	for k := range gone {
		delete(s.problems, k)
	}
	acts := s.site.Acts[:0:0]
	for _, a := range s.site.Acts {
		if !gone[a.Path] {
			acts = append(acts, a)
		}
	}
	fresh, probs := s.site.Read(dedupe(read))
	for _, p := range probs {
		s.problems[p.Path] = append(s.problems[p.Path], p)
	}
	acts = append(acts, fresh...)
	sort.Slice(acts, func(i, j int) bool { return acts[i].Path < acts[j].Path })
	next := *s.site
	next.Acts = acts
	s.site = &next
	return nil
}

// bundleOf returns the act file of the bundle (a folder with index.md) that holds p, or "".
func bundleOf(root, p string) string {
	for dir := path.Dir(p); dir != "content" && dir != "." && dir != "/"; dir = path.Dir(dir) {
		if exists(root, dir+"/index.md") {
			return dir + "/index.md"
		}
	}
	return ""
}

func dedupe(list []string) []string {
	sort.Strings(list)
	return slices.Compact(list)
}

func exists(root, rel string) bool {
	_, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel)))
	return err == nil
}
