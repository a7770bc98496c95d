package generator

import (
	"errors"
	"fmt"
	"github.com/borgoesempio/albo/generator/msg"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/diag"
	"github.com/borgoesempio/albo/generator/internal/overlay"
	"github.com/borgoesempio/albo/generator/internal/wire"
	"github.com/borgoesempio/albo/generator/load"
	"github.com/borgoesempio/albo/generator/register"
	"github.com/borgoesempio/albo/generator/render"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/borgoesempio/albo/generator/state"
	"github.com/borgoesempio/albo/generator/validate"
	"github.com/borgoesempio/albo/generator/write"
	"github.com/borgoesempio/albo/themes"
)

// Session builds a site again and again, as albo watch and serve do (a single build is a
// session of one build): it keeps the site it read, so that a change re-reads only the
// files that changed, and the last good version of every published act, so that a broken
// or missing file never holds the albo back in time.
type Session struct {
	source, dest string
	single       bool // one build only: keep nothing for the next
	sized        func(acts, recalled int)

	site      *load.Site           // every act that could be read, by path order
	problems  map[string]diag.List // load problems by file
	general   diag.List            // problems of albo.yaml, the theme, the register
	cfgOK     bool                 // site.Config is the site's own albo.yaml
	regOK     bool                 // site.Interruzioni come from the site's own register
	renderer  *render.Renderer     // for the current configuration and theme
	theme     *state.Theme         // the site theme the renderer is made of; nil: the last good one
	checker   validate.Checker     // remembers the acts found valid
	scheduler schedule.Scheduler   // remembers the acts' entries of the day
	store     *state.Store         // the last good state beside the destination
	memo      *load.Memo           // what reading the acts gave, read with the whole site, until the next Save
	good      []known              // the last good version of each published act
	last      *Result              // the last result swapped in
	tree      *write.Tree          // the last tree committed
	builds    atomic.Int64         // builds begun (collect)
}

// NewSession prepares builds of the site at o.Source into o.Dest.
func NewSession(o Options) *Session {
	return &Session{source: o.Source, dest: o.Dest, sized: o.Sized}
}

// Wait waits until the last build has finished its work in the background (see
// write.Tree.Commit), and returns what went wrong in it: a process that ends after it
// leaves a staging tree and a state that the next one can trust.
func (s *Session) Wait() error {
	if s.tree != nil {
		return s.tree.Wait()
	}
	return nil
}

// Last returns the last site built, or nil.
func (s *Session) Last() *Result { return s.last }

// Build brings the site up to date at now. changed lists the paths (relative to the site,
// slash form) that changed since the last build; all asks to read everything again. The
// site swapped in is the one right for now from what can be trusted (see trust); the
// error is non-nil when there were errors, or when nothing could be built (no result).
func (s *Session) Build(now time.Time, changed []string, all bool) (*Result, error) {
	return s.build(func(*config.Config) (time.Time, error) { return now, nil }, changed, all)
}

func (s *Session) build(at func(*config.Config) (time.Time, error), changed []string, all bool) (*Result, error) {
	s.builds.Add(1)
	root, err := filepath.Abs(s.source)
	if err != nil {
		return nil, err
	}
	dest, err := destination(root, s.dest)
	if err != nil {
		return nil, err
	}
	lock, err := write.LockDest(dest)
	if err != nil {
		return nil, err
	}
	if s.tree != nil {
		// Done already (it held the lock until then), but said so to the memory model: the
		// state it saved is read below (what went wrong in it, BeginAfter looks at).
		_ = s.tree.Wait()
	}
	if s.store == nil || s.store.Changed() { // first build, or another albo built the destination since
		s.store, s.good = state.Open(dest), nil
	}
	if err := s.store.Begin(); err != nil {
		lock.Release()
		return nil, fmt.Errorf("%s: %w", state.Dir(dest), err)
	}
	res, err := s.publish(root, dest, lock, at, changed, all)
	if res == nil {
		s.store.Abort()
		lock.Release()
	}
	return res, err
}

// publish reads what changed, decides what to trust, renders and swaps it in, holding
// the destination's lock (given to the tree that swaps the site).
func (s *Session) publish(root, dest string, lock *write.Lock, at func(*config.Config) (time.Time, error), changed []string, all bool) (*Result, error) {
	// The staging tree is made ready while the sources are read and judged (it creates a
	// file and looks at a few: up to 2 ms on disk, in a rebuild of albo watch).
	var tree *write.Tree
	var treeErr error
	ready := make(chan struct{})
	go func() {
		defer close(ready)
		tree, treeErr = s.begin(dest, s.tree, lock)
	}()
	rendering := false
	defer func() {
		if !rendering { // failed before: the tree is not wanted, once BeginAfter is done with it
			<-ready
			if treeErr == nil {
				tree.Abort()
			}
		}
	}()
	switch {
	case s.site == nil || all || touchesSite(changed):
		if err := s.reload(); err != nil {
			return nil, err
		}
	case len(changed) > 0:
		if slices.Contains(changed, register.Path) {
			s.readRegister()
		}
		if err := s.refresh(changed); err != nil {
			return nil, err
		}
	}
	now, err := at(s.site.Config)
	if err != nil {
		return nil, err
	}
	if s.good == nil {
		s.good = s.fromStore(root)
	}
	probs := slices.Clone(s.general)
	for _, p := range s.problems {
		probs = append(probs, p...)
	}
	site, probs := trust(s.site, probs, &s.checker, s.good, schedule.Today(s.site.Config, now))
	plan := s.scheduler.Schedule(site, now)
	probs = append(probs, unpublishable(plan)...)
	<-ready
	if rendering = true; treeErr != nil {
		return nil, treeErr
	}
	if err := s.renderer.Render(plan, tree); err != nil {
		tree.Abort() // releases the lock
		if s.theme == nil {
			return nil, err // the last good theme itself failed
		}
		if tree, err = s.retry(dest, plan, err, &probs); err != nil {
			return nil, err
		}
	}
	good, prev := s.keep(site), s.good
	// What needs a pass over every act is done after the swap, while the site is served
	// (the next build waits for the tree): on 10,000 acts, 1-4 ms of each rebuild of albo
	// watch.
	err = tree.Commit(func() error {
		published(&good, plan, dest)
		if !s.single {
			s.good = knownOf(site, prev)
		}
		return s.store.Save(good)
	})
	if err != nil {
		s.tree = nil // the next build trusts nothing of it
		return nil, err
	}
	s.tree = tree
	if !s.single {
		go s.collect(tree, s.builds.Load())
	}
	probs.Sort()
	s.last = &Result{Dest: dest, Plan: plan, Problems: probs}
	return s.last, s.last.Errors().Err()
}

// collect runs the garbage collector once tree, made by the build-th build, has settled,
// while albo watch or serve waits for the next change: a rebuild then starts with the
// whole heap goal ahead of it, instead of meeting the collection that its own few megabytes
// happened to trigger. 10,000 acts: one save in about fifteen met one, 58 ms of marking
// beside a 12-22 ms rebuild. When the next build has begun already (a save while the last
// one settled: it waited for the same tree), the collection is left to the runtime, so as
// not to run beside it.
func (s *Session) collect(tree *write.Tree, build int64) {
	_ = tree.Wait()
	if s.builds.Load() == build {
		runtime.GC()
	}
}

// begin begins the staging tree of a build of the session after prev (write.BeginAfter);
// a single build's process ends after it (write.Tree.Once).
func (s *Session) begin(dest string, prev *write.Tree, lock *write.Lock) (*write.Tree, error) {
	tree, err := write.BeginAfter(dest, prev, lock)
	if err == nil && s.single {
		tree.Once()
	}
	return tree, err
}

// retry renders plan again with the last good theme, after the site's own failed with
// cause, and returns the tree to commit.
func (s *Session) retry(dest string, plan *schedule.Plan, cause error, probs *diag.List) (*write.Tree, error) {
	r, err := s.lastTheme()
	if err != nil {
		return nil, cause
	}
	lock, err := write.LockDest(dest)
	if err != nil {
		return nil, err
	}
	tree, err := s.begin(dest, nil, lock)
	if err != nil {
		return nil, err
	}
	if err := r.Render(plan, tree); err != nil {
		tree.Abort()
		return nil, cause
	}
	s.renderer, s.theme = r, nil
	*probs = append(*probs, themeProblem(s.site.Config, cause))
	return tree, nil
}

// keep is what this build found good, for the state to keep, but its acts (published).
func (s *Session) keep(site *load.Site) state.Good {
	g := state.Good{Theme: s.theme, RegisterRead: s.regOK, Register: site.Register}
	if s.memo != nil { // saved once, with the whole site read: later rebuilds read few files
		g.Memos = map[string]state.Memo{"atti": s.memo}
		if m := s.renderer.Memo(); m != nil {
			g.Memos["pagine"] = m
		}
		s.memo = nil
	}
	if s.cfgOK {
		g.Config = site.Config.Source
	}
	return g
}

// published adds to g the published acts of plan, whose attachments are under dest.
func published(g *state.Good, plan *schedule.Plan, dest string) {
	var entries []*schedule.Entry
	for _, e := range plan.Entries {
		if !e.Draft() {
			entries = append(entries, e)
			g.Acts = append(g.Acts, e.Act)
		}
	}
	g.Live = func(i int) []string {
		e := entries[i]
		switch e.State {
		case schedule.InPubblicazione:
			live := make([]string, len(e.Allegati))
			for k, al := range e.Allegati {
				live[k] = filepath.Join(dest, filepath.FromSlash(render.AttachmentPath(e, al.File)))
			}
			return live
		case schedule.Programmato:
			return make([]string, len(e.Allegati))
		}
		return nil // expired or withdrawn: its attachments are no longer needed
	}
}

// knownOf is the last good version of each published act of site, for the next build, in
// the space of reuse (the last build's: 1 MB for 10,000 acts at each rebuild of albo watch).
func knownOf(site *load.Site, reuse []known) []known {
	clear(reuse) // the last build's, no longer read: its space, without what it held
	out := slices.Grow(reuse[:0], len(site.Acts))
	for _, a := range site.Acts {
		if !a.Draft() {
			out = append(out, known{Registro: a.Registro, Path: a.Path, Text: a.Text, act: a})
		}
	}
	return out
}

// fromStore is the last good version of each published act, as the state keeps it.
func (s *Session) fromStore(root string) []known {
	recs := s.store.Records()
	out := make([]known, len(recs))
	for i := range recs {
		r := &recs[i]
		out[i] = known{Registro: r.Registro, Path: r.Path, Text: r.Text, rec: r, store: s.store, root: root}
	}
	return out
}

// unpublishable removes from the plan the acts in publication that cannot be published:
// acts restored from their last good version whose attachments are no longer kept (the
// act had expired when they were dropped, and the clock was set back).
func unpublishable(plan *schedule.Plan) diag.List {
	var probs diag.List
	kept := plan.Entries[:0]
	for _, e := range plan.Entries {
		missing := ""
		for _, al := range e.Allegati {
			if al.Path == "" {
				missing = al.File
			}
		}
		if e.State == schedule.InPubblicazione && missing != "" {
			probs = append(probs, diag.At(e.Path, 0, "ripristina il file dell'atto e i suoi allegati",
				"l'atto %s non si può pubblicare: della sua ultima versione valida non resta l'allegato %q", e.Registro.Italian(), missing))
			continue
		}
		kept = append(kept, e)
	}
	plan.Entries = kept
	return probs
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

// reload reads the whole site again: the configuration (or the last good one), the acts,
// the register and the theme (or the last good one), with a new renderer.
func (s *Session) reload() error {
	s.general, s.cfgOK = nil, true
	cfg, err := config.Load(s.source)
	if err != nil {
		probs := diag.Problems(err)
		src, ok := s.store.Config()
		if probs == nil || !ok {
			return err
		}
		if cfg, err = config.Parse(src); err != nil {
			return errors.Join(probs, err)
		}
		s.cfgOK = false
		s.general = append(probs, diag.Warn(CodeLastGood, config.Path, 0, "correggilo: finché non è valido l'albo è costruito con quello precedente",
			"si usa l'ultima configurazione valida, quella dell'ultima costruzione riuscita"))
	}
	// The memos of the last build are read while the site is.
	pages := make(chan *render.Memory, 1)
	if s.single {
		go func() {
			r := s.store.Memo("pagine")
			defer r.Close()
			pages <- render.ReadMemory(r)
		}()
	}
	memo := load.ReadMemo(func() *wire.Reader { return s.store.Memo("atti") })
	site, err := load.LoadActs(s.source, cfg, load.Options{Source: s.store.Keep, Hashes: s.store, Memo: memo, Has: s.store.HasText})
	if site == nil {
		return err
	}
	s.site, s.memo = site, memo
	if s.sized != nil {
		s.sized(len(site.Acts), site.Recalled)
	}
	s.problems = map[string]diag.List{}
	for _, p := range diag.Problems(err) {
		if p.Path != register.Path {
			s.problems[p.Path] = append(s.problems[p.Path], p)
		}
	}
	s.registerFallback(diag.Problems(err).Of(register.Path))
	r, theme, err := s.siteTheme(cfg)
	if err != nil {
		last, lerr := s.lastTheme()
		if lerr != nil {
			return themeProblem(cfg, err) // no last good theme to fall back on
		}
		s.general = append(s.general, themeProblem(cfg, err))
		r = last
	}
	if s.single {
		r.Recall(<-pages, func(recalled int) {
			if s.sized != nil {
				s.sized(len(site.Acts), recalled)
			}
		})
	} else {
		r.Remember()
	}
	s.renderer, s.theme = r, theme
	return nil
}

// readRegister reads the register again, after albo interruzione changed it.
func (s *Session) readRegister() {
	kept := s.general[:0]
	for _, p := range s.general {
		if p.Path != register.Path {
			kept = append(kept, p)
		}
	}
	s.general = kept
	var probs diag.List
	if p := s.site.ReadRegister(); p != nil {
		probs = diag.List{p}
	}
	s.registerFallback(probs)
}

// registerFallback takes the interruptions of service from the last good register when
// the site's own could not be read (probs).
func (s *Session) registerFallback(probs diag.List) {
	s.regOK = len(probs) == 0
	if s.regOK {
		return
	}
	s.general = append(s.general, probs...)
	src, ok := s.store.Register()
	if !ok {
		return
	}
	reg, err := register.Parse(src)
	if err != nil {
		return
	}
	if periods, err := reg.Periods(); err == nil {
		s.site.Interruzioni = periods
		s.general = append(s.general, diag.Warn(CodeLastGood, register.Path, 0, "", "si usano le interruzioni del servizio dell'ultimo registro valido"))
	}
}

// siteTheme makes the renderer of the site's theme (the built-in one, with the files of
// themes/<tema> in place of its own). The folder is needed unless tema names a built-in
// theme, which a site may still change file by file with a folder of that name.
func (s *Session) siteTheme(cfg *config.Config) (*render.Renderer, *state.Theme, error) {
	var files map[string][]byte
	if cfg.Tema != "" {
		dir := filepath.Join(s.site.Root, "themes", cfg.Tema)
		_, builtin := themes.Builtin(cfg.Tema)
		if _, err := os.Stat(dir); err == nil || !builtin {
			if files, err = overlay.Read(dir); err != nil {
				return nil, nil, err
			}
		}
	}
	r, err := NewRenderer(cfg.Tema, files)
	if err != nil {
		return nil, nil, err
	}
	return r, &state.Theme{Name: cfg.Tema, Files: files}, nil
}

// lastTheme makes the renderer of the last good theme.
func (s *Session) lastTheme() (*render.Renderer, error) {
	name, files, ok := s.store.Theme()
	if !ok {
		return nil, errors.New(msg.T("non c'è un ultimo tema valido"))
	}
	r, err := NewRenderer(name, files)
	if err == nil && !s.single {
		r.Remember()
	}
	return r, err
}

// themeProblem is the problem of a site theme that cannot be used.
func themeProblem(cfg *config.Config, err error) *diag.Problem {
	where := config.Path
	if cfg.Tema != "" {
		where = "themes/" + cfg.Tema
	}
	return diag.At(where, 0, "correggi il tema: finché non funziona l'albo è costruito con l'ultimo tema valido", "il tema non si può usare: %v", err)
}

// refresh re-reads the acts that the changed paths belong to: the act files themselves,
// the act whose folder holds a changed attachment, and every act under a changed folder.
func (s *Session) refresh(changed []string) error {
	root := s.site.Root
	gone := map[string]bool{} // act files to drop before reading again
	var read []string
	drop := func(p string) { // the acts and unread files that are p or under the folder p
		for _, a := range under(s.site.Acts, p) {
			gone[a.Path] = true
		}
		dir := p + "/"
		for u := range s.site.Unread {
			if u == p || strings.HasPrefix(u, dir) {
				gone[u] = true
				delete(s.site.Unread, u)
			}
		}
	}
	for _, p := range changed {
		if p == register.Path {
			continue
		}
		delete(s.problems, p)           // what was said of the file itself is said again below
		if path.Base(p) == "index.md" { // a bundle appears, changes or disappears: its folder
			p = path.Dir(p)
		}
		if b := bundleOf(root, p); b != "" { // an attachment, or anything else in a bundle
			gone[b] = true
			read = append(read, b)
			continue
		}
		drop(p)
		files, err := load.ActFiles(root, p) // p is a folder (now or before), or a file
		if err != nil {
			return err
		}
		if files == nil && strings.HasSuffix(p, ".md") && exists(root, p) {
			files = []string{p}
		}
		if name := path.Base(p); files == nil && load.RightName(name) != name && exists(root, p) {
			s.problems[p] = diag.List{diag.Warn("nome", p, 0, "albo legge come atti solo i file che finiscono in .md, in minuscolo (Windows può nascondere un .txt in più)",
				"il file non è letto: rinominalo %s", load.RightName(name))}
		}
		read = append(read, files...)
	}
	for _, f := range read {
		gone[f] = true
	}
	for k := range gone {
		delete(s.problems, k)
	}
	acts := without(s.site.Acts, gone)
	fresh, probs := s.site.Read(dedupe(read))
	for _, p := range probs {
		s.problems[p.Path] = append(s.problems[p.Path], p)
	}
	next := *s.site
	next.Acts = mergeByPath(acts, fresh)
	s.site = &next
	return nil
}

// find returns the place of the act with path p in acts, sorted by path as a site's are,
// or the place it would have. A session finds acts by their path with it, not by reading
// each act's: in albo watch, a save changes one act or a few. (On a virtual machine where
// a page of memory left alone for a second costs microseconds at its next touch, the pass
// over 10,000 paths was 40-110 ms of a rebuild; the rebuild got 6-9% faster without it, as
// the next pass over the acts then pays for most of that first touch.)
func find(acts []*act.Act, p string) (int, bool) {
	return slices.BinarySearchFunc(acts, p, func(a *act.Act, p string) int { return strings.Compare(a.Path, p) })
}

// under returns the acts whose file is p or is under the folder p: in path order, the
// act p, then (not always right after it: content/x-y.md comes between) those under p/,
// one after the other.
func under(acts []*act.Act, p string) []*act.Act {
	var out []*act.Act
	if i, ok := find(acts, p); ok {
		out = append(out, acts[i])
	}
	dir := p + "/"
	i, _ := find(acts, dir)
	j := i
	for j < len(acts) && strings.HasPrefix(acts[j].Path, dir) {
		j++
	}
	return append(out, acts[i:j]...)
}

// without returns acts but those whose path is in gone.
func without(acts []*act.Act, gone map[string]bool) []*act.Act {
	var drop []int
	for p := range gone {
		if i, ok := find(acts, p); ok {
			drop = append(drop, i)
		}
	}
	slices.Sort(drop)
	out := make([]*act.Act, 0, len(acts)-len(drop))
	from := 0
	for _, i := range drop {
		out = append(out, acts[from:i]...)
		from = i + 1
	}
	return append(out, acts[from:]...)
}

// mergeByPath merges fresh into acts, sorted by path (a rebuild of albo watch reads one act
// or a few: each put in its place, not sorted again with the 10,000 others). No path is in
// both: refresh drops the acts it reads again.
func mergeByPath(acts, fresh []*act.Act) []*act.Act {
	slices.SortFunc(fresh, func(a, b *act.Act) int { return strings.Compare(a.Path, b.Path) })
	out := make([]*act.Act, 0, len(acts)+len(fresh))
	for _, f := range fresh {
		i, _ := find(acts, f.Path)
		out = append(append(out, acts[:i]...), f)
		acts = acts[i:]
	}
	return append(out, acts...)
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
	_, err := os.Lstat(filepath.Join(root, filepath.FromSlash(rel)))
	return err == nil
}
