package generator

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime/metrics"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/internal/wire"
	"github.com/borgoesempio/albo/generator/load"
	"github.com/borgoesempio/albo/generator/publish"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/borgoesempio/albo/generator/state"
	"github.com/borgoesempio/albo/generator/write"
)

// builtSession is a session over a synthetic site of n acts, built once on 2026-11-23,
// and where: the site, its live folder, the time of the build.
func builtSession(t *testing.T, n int) (site, live string, now time.Time, s *Session) {
	t.Helper()
	site = t.TempDir()
	synthetic(t, site, n)
	rome, _ := time.LoadLocation("Europe/Rome")
	now = time.Date(2026, 11, 23, 10, 0, 0, 0, rome)
	live = filepath.Join(t.TempDir(), "live")
	s = NewSession(Options{Source: site, Dest: live})
	t.Cleanup(func() { s.Wait() })
	if _, err := s.Build(now, nil, true); err != nil {
		t.Fatal(err)
	}
	return site, live, now, s
}

// TestSessionMatchesColdBuild applies random sequences of edits, additions, renames and
// deletions (of acts, bundles and attachments, and a broken file fixed later) to a site,
// rebuilds incrementally after each, and compares with a cold build of the same files.
func TestSessionMatchesColdBuild(t *testing.T) {
	site, live, now, s := builtSession(t, 40)
	r := rand.New(rand.NewSource(3))
	content := filepath.Join(site, "content", "2026")
	acts := func() []string {
		var out []string
		entries, _ := os.ReadDir(content)
		for _, e := range entries {
			out = append(out, e.Name())
		}
		sort.Strings(out)
		return out
	}
	next := 1000
	act := func(n int, extra string) string {
		return fmt.Sprintf("---\ntipo: avviso\noggetto: Avviso numero %d %s\nregistro: 2026/%d\ndal: 2026-11-%02d\n%s---\nTesto %d.\n", n, extra, n, 1+r.Intn(23), "", n)
	}
	for step := 0; step < 60; step++ {
		names := acts()
		pick := names[r.Intn(len(names))]
		dir := filepath.Join(content, pick)
		var changed []string
		rel := func(p string) string { x, _ := filepath.Rel(site, p); return filepath.ToSlash(x) }
		var what string
		switch op := r.Intn(8); op {
		case 0: // edit the text of an act
			p := filepath.Join(dir, "index.md")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, append(b, []byte(fmt.Sprintf("\nAggiunta %d.\n", step))...), 0o644)
			changed, what = []string{rel(p)}, "edit"
		case 1: // a new act as a single file
			next++
			p := filepath.Join(content, fmt.Sprintf("nuovo-%d.md", next))
			os.WriteFile(p, []byte(act(next, "")), 0o644)
			changed, what = []string{rel(p)}, "add file"
		case 2: // a new act as a folder with an attachment
			next++
			d := filepath.Join(content, fmt.Sprintf("cartella-%d", next))
			os.MkdirAll(d, 0o755)
			os.WriteFile(filepath.Join(d, "testo.pdf"), []byte(fmt.Sprintf("%%PDF %d", next)), 0o644)
			os.WriteFile(filepath.Join(d, "index.md"), []byte(act(next, "")+""), 0o644)
			b, _ := os.ReadFile(filepath.Join(d, "index.md"))
			b = bytes.Replace(b, []byte("---\nTesto"), []byte("allegati:\n  - file: testo.pdf\n    titolo: Testo\n---\nTesto"), 1)
			os.WriteFile(filepath.Join(d, "index.md"), b, 0o644)
			changed, what = []string{rel(d), rel(filepath.Join(d, "index.md")), rel(filepath.Join(d, "testo.pdf"))}, "add folder"
		case 3: // rename an act's folder
			to := filepath.Join(content, pick+"-r")
			os.Rename(dir, to)
			changed, what = []string{rel(dir), rel(to)}, "rename"
		case 4: // write a draft, or delete one (a published act is never taken down by deleting its file)
			drafts, _ := filepath.Glob(filepath.Join(content, "bozza-*.md"))
			if len(drafts) > 0 {
				os.Remove(drafts[0])
				changed, what = []string{rel(drafts[0])}, "delete draft"
				break
			}
			next++
			p := filepath.Join(content, fmt.Sprintf("bozza-%d.md", next))
			os.WriteFile(p, []byte(fmt.Sprintf("---\ntipo: avviso\noggetto: Bozza %d\n---\nTesto.\n", next)), 0o644)
			changed, what = []string{rel(p)}, "add draft"
		case 5: // change an attachment, when there is one
			matches, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
			if len(matches) == 0 {
				continue
			}
			os.WriteFile(matches[0], []byte(fmt.Sprintf("%%PDF-1.4 nuovo %d", step)), 0o644)
			changed, what = []string{rel(matches[0])}, "attachment"
		case 6: // break a file, build (fails, site unchanged), then fix it
			p := filepath.Join(dir, "index.md")
			if _, err := os.Stat(p); err != nil {
				continue
			}
			good, _ := os.ReadFile(p)
			os.WriteFile(p, []byte("---\ntipo: [\n---\n"), 0o644)
			before := tree(t, live)
			if _, err := s.Build(now, []string{rel(p)}, false); err == nil {
				t.Fatalf("step %d: a broken file built", step)
			}
			if after := tree(t, live); len(after) != len(before) {
				t.Fatalf("step %d: a failed rebuild changed the site", step)
			}
			os.WriteFile(p, good, 0o644)
			changed, what = []string{rel(p)}, "break and fix"
		case 7: // edit what the lists, the search results and the open data show
			p := dir
			if !strings.HasSuffix(p, ".md") {
				p = filepath.Join(dir, "index.md")
			}
			b, err := os.ReadFile(p)
			if err != nil {
				continue
			}
			b = bytes.Replace(b, []byte("oggetto: Avviso"), []byte(fmt.Sprintf("oggetto: Avviso modificato %d,", step)), 1)
			if !bytes.Contains(b, []byte("ufficio:")) {
				b = bytes.Replace(b, []byte("registro:"), []byte(fmt.Sprintf("ufficio: Ufficio %d\nregistro:", step%3)), 1)
			}
			os.WriteFile(p, b, 0o644)
			changed, what = []string{rel(p)}, "edit subject and office"
		}
		if _, err := s.Build(now, changed, false); err != nil {
			t.Fatalf("step %d (%s %s): %v", step, what, pick, err)
		}
		cold := filepath.Join(t.TempDir(), "cold")
		if _, err := Build(Options{Source: site, Dest: cold, Now: now.Format(time.RFC3339)}); err != nil {
			t.Fatal(err)
		}
		a, b := tree(t, live), tree(t, cold)
		if len(a) != len(b) {
			t.Fatalf("step %d (%s %s): incremental site has %d files, cold build %d", step, what, pick, len(a), len(b))
		}
		for k, v := range b {
			if !bytes.Equal(a[k], v) {
				t.Fatalf("step %d (%s %s): %s differs from a cold build", step, what, pick, k)
			}
		}
	}
}

// TestSessionBoundaryWithBrokenFile checks that at midnight an expired act leaves the site
// even while a file is broken: the last good content is built again at the new time.
func TestSessionBoundaryWithBrokenFile(t *testing.T) {
	site := t.TempDir()
	writeFiles(t, site, map[string]string{"content/albo.yaml": goodConfig, "content/a.md": goodAct})
	rome, _ := time.LoadLocation("Europe/Rome")
	live := filepath.Join(t.TempDir(), "live")
	s := NewSession(Options{Source: site, Dest: live})
	defer s.Wait()
	if _, err := s.Build(time.Date(2026, 12, 4, 23, 59, 58, 0, rome), nil, true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(live, "atti", "2026", "1.html")); err != nil {
		t.Fatal("the act should be online on its last day")
	}
	writeFiles(t, site, map[string]string{"content/b.md": "---\ntipo: [\nregistro: 2026/2\n---\n"})
	if _, err := s.Build(time.Date(2026, 12, 4, 23, 59, 59, 0, rome), []string{"content/b.md"}, false); err == nil {
		t.Fatal("a broken file built")
	}
	res, err := s.Build(time.Date(2026, 12, 5, 0, 0, 0, 0, rome), nil, false)
	if err == nil || res == nil {
		t.Fatalf("at the boundary: result %v, error %v; want the last good site rebuilt and the error", res, err)
	}
	if _, err := os.Stat(filepath.Join(live, "atti", "2026", "1.html")); !os.IsNotExist(err) {
		t.Error("the expired act is still online after midnight")
	}
}

// TestSessionTimeNeverStops is the sequence of cmd/albo's tempo.txtar through one
// session, as albo watch runs it: each change is given as the watcher reports it, and the
// clock moves on between them.
func TestSessionTimeNeverStops(t *testing.T) {
	site := t.TempDir()
	writeFiles(t, site, map[string]string{
		"content/albo.yaml":   "ente: Comune di Prova\nurl: https://albo.prova.it/\narchivio: nessuno\ntema: mio\n",
		"themes/mio/404.html": "{{template \"layout\" .}}\n{{define \"main\"}}<h1>Pagina mancante personalizzata</h1>{{end}}\n",
		"content/a.md":        "---\ntipo: avviso\noggetto: Zqxalfa\nregistro: 2026/1\ndal: 2026-11-20\nal: 2026-12-04\n---\n",
		"content/b/index.md":  "---\ntipo: avviso\noggetto: Zqxbeta\nallegati:\n  - file: b.pdf\n    titolo: T\n---\n",
		"content/b/b.pdf":     "%PDF Zqxbetapdf",
		"content/c.md":        "---\ntipo: avviso\noggetto: Zqxgamma\n---\n",
		"content/d.md":        "---\ntipo: avviso\noggetto: Zqxdelta\nal: 2026-12-31\n---\nTesto originale.\n",
	})
	rome, _ := time.LoadLocation("Europe/Rome")
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 1, 0, rome) }
	for _, p := range []struct {
		file string
		dal  string
	}{{"content/b/index.md", ""}, {"content/c.md", "2026-12-10"}, {"content/d.md", ""}} {
		var dal civil.Date
		if p.dal != "" {
			dal, _ = civil.Parse(p.dal)
		}
		if _, err := publish.Pubblica(site, filepath.Join(site, p.file), publish.Options{Dal: dal}, day(12, 1)); err != nil {
			t.Fatal(err)
		}
	}
	live := filepath.Join(site, "public")
	s := NewSession(Options{Source: site, Dest: live})
	defer s.Wait()
	in := func(word string) bool {
		for _, b := range tree(t, live) {
			if bytes.Contains(bytes.ToLower(b), []byte(word)) {
				return true
			}
		}
		return false
	}
	edit := func(file, old, new string) {
		p := filepath.Join(site, file)
		b, _ := os.ReadFile(p)
		if !bytes.Contains(b, []byte(old)) {
			t.Fatalf("%s has no %q", file, old)
		}
		os.WriteFile(p, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644)
	}
	steps := []struct {
		name    string
		at      time.Time
		change  func() []string
		errors  bool
		names   string   // a file a problem must name
		online  []string // words that must be online
		offline []string // words that must be nowhere
	}{
		{"first build", day(12, 1), nil, false, "", []string{"zqxalfa", "zqxbetapdf", "zqxdelta"}, []string{"zqxgamma"}},
		{"a draft breaks", day(12, 5), func() []string {
			writeFiles(t, site, map[string]string{"content/bozza.md": "---\ntipo: avviso\nogetto: x\n---\n"})
			return []string{"content/bozza.md"}
		}, false, "content/bozza.md", []string{"zqxbetapdf"}, []string{"zqxalfa"}},
		{"a sealed act breaks", day(12, 10), func() []string {
			edit("content/b/index.md", "oggetto: Zqxbeta", "oggetto: [Zqxbeta")
			return []string{"content/b/index.md"}
		}, true, "content/b/index.md", []string{"zqxbetapdf", "zqxgamma"}, nil},
		{"a sealed act changes", day(12, 12), func() []string {
			edit("content/d.md", "Testo originale.", "Testo Zqxcambiato.")
			return []string{"content/d.md"}
		}, true, "content/d.md", []string{"zqxdelta", "zqxbetapdf"}, []string{"zqxcambiato"}},
		{"albo.yaml breaks", day(12, 16), func() []string {
			writeFiles(t, site, map[string]string{"content/albo.yaml": "ente: [\n"})
			return []string{"content/albo.yaml"}
		}, true, "content/albo.yaml", []string{"zqxgamma", "zqxdelta"}, []string{"zqxbeta"}},
		{"the theme breaks", day(12, 25), func() []string {
			writeFiles(t, site, map[string]string{
				"content/albo.yaml":   "ente: Comune di Prova\nurl: https://albo.prova.it/\narchivio: nessuno\ntema: mio\n",
				"themes/mio/404.html": "{{template \"layout\" .}}\n{{define \"main\"}}{{.Manca.Del}</h1>{{end}}\n",
			})
			return []string{"content/albo.yaml", "themes/mio/404.html"}
		}, true, "themes/mio", []string{"zqxdelta", "pagina mancante personalizzata"}, []string{"zqxgamma"}},
		{"everything has ended", day(1, 1).AddDate(1, 0, 0), nil, true, "", nil, []string{"zqxdelta", "zqxbeta"}},
	}
	for _, st := range steps {
		var changed []string
		if st.change != nil {
			changed = st.change()
		}
		res, err := s.Build(st.at, changed, changed == nil && st.name == "first build")
		if res == nil {
			t.Fatalf("%s: nothing built: %v", st.name, err)
		}
		if (err != nil) != st.errors {
			t.Errorf("%s: error %v, want errors %v", st.name, err, st.errors)
		}
		if st.names != "" && len(res.Problems.Of(st.names)) == 0 {
			t.Errorf("%s: no problem names %s: %v", st.name, st.names, res.Problems)
		}
		for _, w := range st.online {
			if !in(w) {
				t.Errorf("%s: %q is not online", st.name, w)
			}
		}
		for _, w := range st.offline {
			if in(w) {
				t.Errorf("%s: %q is still online", st.name, w)
			}
		}
	}
}

// mergeByPath keeps the acts sorted by path with the acts read again among them.
func TestMergeByPath(t *testing.T) {
	acts := func(paths ...string) []*act.Act {
		var out []*act.Act
		for _, p := range paths {
			out = append(out, &act.Act{Path: p})
		}
		return out
	}
	got := mergeByPath(acts("content/b.md", "content/d.md", "content/f.md"), acts("content/g.md", "content/a.md", "content/c.md"))
	var paths []string
	for _, a := range got {
		paths = append(paths, a.Path)
	}
	if want := "content/a.md content/b.md content/c.md content/d.md content/f.md content/g.md"; strings.Join(paths, " ") != want {
		t.Errorf("merged %v, want %s", paths, want)
	}
}

// TestFindByPath: the acts a session drops before reading a file or folder again, found
// by binary search, are those a pass over every act finds, for paths that sort between a
// folder and what is under it (content/a-b.md, content/a.md, content/a/x.md).
func TestFindByPath(t *testing.T) {
	names := []string{"a", "a-b", "a.md", "a/x.md", "a/b/index.md", "a/b-c/index.md", "a0", "a/index.md", "ab/index.md", "b.md", "b/a/index.md", "à/index.md"}
	r := rand.New(rand.NewSource(1))
	for range 200 {
		var acts []*act.Act
		for _, n := range names {
			if r.Intn(2) == 0 {
				acts = append(acts, &act.Act{Path: "content/" + n})
			}
		}
		sort.Slice(acts, func(i, j int) bool { return acts[i].Path < acts[j].Path })
		paths := func(acts []*act.Act) string {
			var out []string
			for _, a := range acts {
				out = append(out, a.Path)
			}
			return strings.Join(out, " ")
		}
		gone := map[string]bool{}
		for _, n := range []string{"a", "a/b", "a-b", "b", "content", "zz"} {
			p := "content/" + n
			var want []*act.Act // every act, one by one
			for _, a := range acts {
				if a.Path == p || strings.HasPrefix(a.Path, p+"/") {
					want = append(want, a)
				}
			}
			if got := under(acts, p); paths(got) != paths(want) {
				t.Fatalf("under(%s) of [%s] = [%s], want [%s]", p, paths(acts), paths(got), paths(want))
			}
			if r.Intn(2) == 0 {
				gone[p] = true
				for _, a := range want {
					gone[a.Path] = true
				}
			}
		}
		var kept, fresh []*act.Act
		for _, a := range acts {
			if !gone[a.Path] {
				kept = append(kept, a)
			} else {
				fresh = append(fresh, &act.Act{Path: a.Path})
			}
		}
		got := without(acts, gone)
		if paths(got) != paths(kept) {
			t.Fatalf("without %v of [%s] = [%s], want [%s]", gone, paths(acts), paths(got), paths(kept))
		}
		r.Shuffle(len(fresh), func(i, j int) { fresh[i], fresh[j] = fresh[j], fresh[i] })
		if merged := mergeByPath(got, fresh); paths(merged) != paths(acts) {
			t.Fatalf("merged [%s], want [%s]", paths(merged), paths(acts))
		}
	}
}

// TestSessionListAfterSubjectEdit: an edit of an act's subject changes its row in the
// lists and nothing of their headers (counts, pages, menu); a session shows the new row
// on every list page that has the act, as a cold build does.
func TestSessionListAfterSubjectEdit(t *testing.T) {
	site, live, now, s := builtSession(t, 60)
	rel := "content/2026/000007/index.md"
	p := filepath.Join(site, filepath.FromSlash(rel))
	for i := range 2 { // the second build keeps the pages through their hints
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(p, bytes.Replace(b, []byte(`oggetto: "`), []byte(fmt.Sprintf(`oggetto: "Zqxnuovo%d `, i)), 1), 0o644)
		if _, err := s.Build(now, []string{rel}, false); err != nil {
			t.Fatal(err)
		}
	}
	cold := filepath.Join(t.TempDir(), "cold")
	if _, err := Build(Options{Source: site, Dest: cold, Now: now.Format(time.RFC3339)}); err != nil {
		t.Fatal(err)
	}
	got, want := tree(t, live), tree(t, cold)
	for rel, w := range want {
		if strings.HasSuffix(rel, "index.html") && !bytes.Equal(got[rel], w) {
			t.Errorf("%s differs from a cold build", rel)
		}
	}
	if !bytes.Contains(got["index.html"], []byte("Zqxnuovo1")) {
		t.Error("the home list does not show the new subject")
	}
}

// TestSessionAfterFailedRead checks that a build that fails before rendering (no
// configuration to read, none kept) leaves the destination free for the next: the
// staging tree it began while reading is given up, and its lock with it.
func TestSessionAfterFailedRead(t *testing.T) {
	site := t.TempDir()
	synthetic(t, site, 3)
	cfg := filepath.Join(site, "content", "albo.yaml")
	good, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(cfg)
	rome, _ := time.LoadLocation("Europe/Rome")
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, rome)
	s := NewSession(Options{Source: site, Dest: filepath.Join(t.TempDir(), "live")})
	defer s.Wait()
	if _, err := s.Build(now, nil, true); err == nil {
		t.Fatal("a site without albo.yaml was built")
	}
	os.WriteFile(cfg, good, 0o644)
	done := make(chan error, 1)
	go func() { _, err := s.Build(now, nil, true); done <- err }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute): // a deadlock, not a slow build: 3 acts
		t.Fatal("the build after a failed one is still waiting for the destination's lock")
	}
}

// TestSessionCollectsWhenSettled: once a rebuild of a session has settled, the garbage
// collector runs (forced, in the time albo watch waits for the next change); a single
// build leaves it to the runtime, as the process ends.
func TestSessionCollectsWhenSettled(t *testing.T) {
	forced := func() uint64 {
		s := []metrics.Sample{{Name: "/gc/cycles/forced:gc-cycles"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	site := t.TempDir()
	synthetic(t, site, 3)
	time.Sleep(100 * time.Millisecond) // the collections of earlier tests' sessions end
	before := forced()
	if _, err := Build(Options{Source: site, Dest: filepath.Join(t.TempDir(), "live"), Now: sampleNow}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // time for a collection started after it, if one were
	if n := forced(); n != before {
		t.Errorf("a single build forced %d collections", n-before)
	}
	_, _, now, s := builtSession(t, 3)
	s.Wait()
	before = forced()
	if _, err := s.Build(now, nil, true); err != nil {
		t.Fatal(err)
	}
	s.Wait()
	for deadline := time.Now().Add(10 * time.Second); forced() == before; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) { // not slow: lost
			t.Fatal("no collection after a rebuild settled")
		}
	}
	if n := s.builds.Load(); n != 2 {
		t.Fatalf("the session counted %d builds begun, not 2", n)
	}
	before = forced()
	s.collect(s.tree, 1) // the first build's tree, the second build begun
	if n := forced(); n != before {
		t.Errorf("a collection ran beside the next build (%d)", n-before)
	}
}

// TestFirstBuildStaging: a single build into a new destination leaves the staging tree to
// the next build (its process ends: write.Tree.Once); a session, which builds again, makes
// it after the swap.
func TestFirstBuildStaging(t *testing.T) {
	site := t.TempDir()
	synthetic(t, site, 3)
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Build(Options{Source: site, Dest: dest, Now: sampleNow}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(write.StageName(dest)); !os.IsNotExist(err) {
		t.Errorf("a single build into a new destination made the staging tree (%v)", err)
	}
	_, live, _, s := builtSession(t, 3)
	s.Wait()
	if _, err := os.Lstat(write.StageName(live)); err != nil {
		t.Errorf("a session's first build left no staging tree: %v", err)
	}
}

// TestMemoIsWhatWasRead: the acts' memo a build of the sample albo leaves beside its
// output is, byte for byte, the one that reading the site alone makes. The memo keeps the
// site's own acts, not copies of them (load's remember): a stage that changed an act
// after reading it (the schedule, the render, the state) would show here, and the next
// process would recall the act as that stage left it.
func TestMemoIsWhatWasRead(t *testing.T) {
	dest := build(t, "..", sampleNow)
	got, _ := os.ReadFile(filepath.Join(state.Dir(dest), "memoria-atti"))
	if len(got) == 0 {
		t.Fatal("the build left no memo of the acts")
	}
	cfg, err := config.Load("..")
	if err != nil {
		t.Fatal(err)
	}
	memo := load.NewMemo(&wire.Reader{})
	if site, _ := load.LoadActs("..", cfg, load.Options{Memo: memo}); site == nil {
		t.Fatal("the sample albo could not be read")
	}
	var want bytes.Buffer
	if err := memo.Write(&want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		n := 0
		for n < min(len(got), len(want.Bytes())) && got[n] == want.Bytes()[n] {
			n++
		}
		t.Errorf("the memo the build wrote (%d bytes) is not what reading the site gives (%d bytes): they differ from byte %d, %q",
			len(got), want.Len(), n, got[n:min(n+80, len(got))])
	}
}

// TestSingleBuildLetsGoOfBodies: a single build's render lets go of the body of each act
// it made a page of, once its page and search entry are made, and the body can still be
// read again from the file; a session (albo watch) keeps them for its next builds.
func TestSingleBuildLetsGoOfBodies(t *testing.T) {
	for _, e := range inPublication(t, filepath.Join(t.TempDir(), "public")) {
		if e.Body != nil {
			t.Errorf("%s: the body is held after the render", e.Path)
		}
		if body, err := e.Markdown(); err != nil || len(body) == 0 {
			t.Errorf("%s: the body read again: %q, %v", e.Path, body, err)
		}
	}
	s := NewSession(Options{Source: "..", Dest: filepath.Join(t.TempDir(), "public")})
	rome, _ := time.LoadLocation("Europe/Rome")
	res, err := s.Build(time.Date(2026, 11, 23, 12, 0, 0, 0, rome), nil, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Plan.Entries {
		if e.State == schedule.InPubblicazione && e.Body == nil {
			t.Errorf("%s: a session let go of the body", e.Path)
		}
	}
	s.Wait()
}
