package generator

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestSessionMatchesColdBuild applies random sequences of edits, additions, renames and
// deletions (of acts, bundles and attachments, and a broken file fixed later) to a site,
// rebuilds incrementally after each, and compares with a cold build of the same files.
func TestSessionMatchesColdBuild(t *testing.T) {
	site := t.TempDir()
	synthetic(t, site, 40)
	rome, _ := time.LoadLocation("Europe/Rome")
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, rome)
	live := filepath.Join(t.TempDir(), "live")
	s := NewSession(Options{Source: site, Dest: live})
	defer s.Wait()
	if _, err := s.Build(now, nil, true); err != nil {
		t.Fatal(err)
	}
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
