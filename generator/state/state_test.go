package state

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/load"
)

// site writes a site with n published acts, the first with an attachment, and reads it
// with the store's hook; it returns the acts read.
func site(t *testing.T, root string, s *Store, n int, extra string) []*act.Act {
	t.Helper()
	os.MkdirAll(filepath.Join(root, "content", "a"), 0o755)
	os.WriteFile(filepath.Join(root, "content", "albo.yaml"), []byte("ente: E\nurl: https://x.it/\n"), 0o644)
	os.WriteFile(filepath.Join(root, "content", "a", "testo.pdf"), []byte("%PDF allegato"), 0o644)
	os.WriteFile(filepath.Join(root, "content", "a", "index.md"), []byte("---\ntipo: avviso\noggetto: Con allegato\nregistro: 2026/1\ndal: 2026-11-20\nallegati:\n  - file: testo.pdf\n    titolo: T\n---\n"), 0o644)
	for i := 2; i <= n; i++ {
		os.WriteFile(filepath.Join(root, "content", fmt.Sprintf("b%d.md", i)), []byte(fmt.Sprintf("---\ntipo: avviso\noggetto: Atto %d %s\nregistro: 2026/%d\ndal: 2026-11-20\n---\n%s\n", i, extra, i, strings.Repeat("testo ", 200))), 0o644)
	}
	os.WriteFile(filepath.Join(root, "content", "bozza.md"), []byte("---\ntipo: avviso\noggetto: Bozza\n---\n"), 0o644)
	if err := s.Begin(); err != nil {
		t.Fatal(err)
	}
	ls, err := load.LoadWith(root, load.Options{Source: s.Keep})
	if err != nil {
		t.Fatal(err)
	}
	return ls.Acts
}

func published(acts []*act.Act) []*act.Act {
	var out []*act.Act
	for _, a := range acts {
		if !a.Draft() {
			out = append(out, a)
		}
	}
	return out
}

func TestSaveAndRestore(t *testing.T) {
	root, dest := t.TempDir(), filepath.Join(t.TempDir(), "public")
	s := Open(dest)
	acts := published(site(t, root, s, 3, ""))
	live := filepath.Join(t.TempDir(), "testo.pdf") // the published copy of the attachment
	os.WriteFile(live, []byte("%PDF allegato"), 0o644)
	err := s.Save(Good{Config: []byte("ente: E\nurl: https://x.it/\n"), Theme: &Theme{Name: "mio", Files: map[string][]byte{"404.html": []byte("x")}}, RegisterRead: true,
		Acts: acts, Live: func(i int) []string { return make([]string, len(acts[i].Allegati)) }})
	if err != nil {
		t.Fatal(err)
	}
	s2 := Open(dest)
	if len(s2.Records()) != 3 {
		t.Fatalf("%d records, want 3 (drafts are not kept)", len(s2.Records()))
	}
	os.RemoveAll(filepath.Join(root, "content")) // every file of the site is gone
	for i, r := range s2.Records() {
		a, probs := s2.Act(root, r, nil)
		if a == nil || len(probs) > 0 {
			t.Fatalf("restore %s: %v", r.Registro, probs)
		}
		if a.Digest != acts[i].Digest || a.Oggetto != acts[i].Oggetto || string(a.Body) != string(acts[i].Body) {
			t.Errorf("restored %s differs from the act read", r.Registro)
		}
		for _, al := range a.Allegati {
			b, err := os.ReadFile(al.Path)
			if err != nil || string(b) != "%PDF allegato" {
				t.Errorf("attachment of %s: %q, %v", r.Registro, b, err)
			}
		}
	}
	if c, ok := s2.Config(); !ok || !bytes.Contains(c, []byte("ente: E")) {
		t.Error("the configuration was not kept")
	}
	if name, files, ok := s2.Theme(); !ok || name != "mio" || string(files["404.html"]) != "x" {
		t.Error("the theme was not kept")
	}
	if reg, ok := s2.Register(); !ok || reg != nil {
		t.Error("a site without register: the state must say so")
	}
	if s.Changed() || Open(dest).Changed() {
		t.Error("a store that wrote the state, or just read it, sees it as changed")
	}
}

// TestKilledBuild: what a build appended and never referred to (it was killed before
// saving) is dropped by the next one, which still restores every act.
func TestKilledBuild(t *testing.T) {
	root, dest := t.TempDir(), filepath.Join(t.TempDir(), "public")
	s := Open(dest)
	acts := published(site(t, root, s, 3, ""))
	if err := s.Save(Good{Acts: acts}); err != nil {
		t.Fatal(err)
	}
	s = Open(dest)
	site(t, root, s, 3, "cambiato") // new texts appended, then the build is killed: no Save
	s.w.Flush()
	s = Open(dest)
	for _, r := range s.Records() {
		if a, probs := s.Act(root, r, nil); a == nil || len(probs) > 0 || strings.Contains(a.Oggetto, "cambiato") {
			t.Fatalf("restore after a killed build: %v %v", a, probs)
		}
	}
	if err := s.Begin(); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(s.packPath())
	if info.Size() != s.idx.Pack {
		t.Errorf("the pack keeps %d bytes of a killed build", info.Size()-s.idx.Pack)
	}
	s.Abort()
}

// TestCompaction: a pack mostly made of texts no longer referred to is rewritten, and the
// acts still restore from the new one.
func TestCompaction(t *testing.T) {
	root, dest := t.TempDir(), filepath.Join(t.TempDir(), "public")
	for round := range 8 {
		s := Open(dest)
		acts := published(site(t, root, s, 600, fmt.Sprint("giro ", round)))
		if err := s.Save(Good{Acts: acts}); err != nil {
			t.Fatal(err)
		}
	}
	s := Open(dest)
	if s.idx.PackName == "atti-1.pack" {
		t.Error("the pack was never compacted")
	}
	packs, _ := filepath.Glob(filepath.Join(Dir(dest), "atti-*.pack"))
	if len(packs) != 1 {
		t.Errorf("packs left: %v", packs)
	}
	for _, r := range s.Records() {
		if a, probs := s.Act(root, r, nil); a == nil || len(probs) > 0 || !strings.Contains(a.Oggetto, "giro 7") && r.Registro.Numero > 1 {
			t.Fatalf("restore %s after compaction: %v", r.Registro, probs)
		}
	}
}

// memo is a Memo for TestSaveMemos: its text, whether it changed, and an error to give.
type memo struct {
	text    string
	changed bool
	err     error
}

func (m memo) Changed() bool { return m.changed }

func (m memo) Write(w io.Writer) error {
	if m.err != nil {
		return m.err
	}
	_, err := io.WriteString(w, m.text)
	return err
}

// TestSaveMemos: Save writes the memos that changed, all of them, before the index that
// goes with them; one it cannot write fails the Save, and the state stays the last one.
func TestSaveMemos(t *testing.T) {
	root, dest := t.TempDir(), filepath.Join(t.TempDir(), "public")
	s := Open(dest)
	acts := published(site(t, root, s, 2, ""))
	none := func(i int) []string { return make([]string, len(acts[i].Allegati)) }
	memos := map[string]Memo{"atti": memo{text: "atti 1", changed: true}, "pagine": memo{text: "pagine 1", changed: true}}
	if err := s.Save(Good{Acts: acts, Live: none, Memos: memos}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"atti": "atti 1", "pagine": "pagine 1"} {
		if got := string(readMemo(s, name)); got != want {
			t.Errorf("memo %s = %q, want %q", name, got, want)
		}
	}
	index, _ := os.ReadFile(s.indexPath())

	site(t, root, s, 3, "")
	memos = map[string]Memo{"atti": memo{text: "atti 2", changed: false}, "pagine": memo{changed: true, err: errors.New("disco pieno")}}
	if err := s.Save(Good{Acts: acts, Live: none, Memos: memos}); err == nil || !strings.Contains(err.Error(), "disco pieno") {
		t.Fatalf("Save with a memo it cannot write: %v, want the memo's error", err)
	}
	if got := string(readMemo(s, "atti")); got != "atti 1" {
		t.Errorf("memo atti = %q, want the last one (it did not change)", got)
	}
	if got := string(readMemo(s, "pagine")); got != "pagine 1" {
		t.Errorf("memo pagine = %q, want the last one, whole", got)
	}
	if after, _ := os.ReadFile(s.indexPath()); !bytes.Equal(after, index) {
		t.Error("a Save that failed changed the index")
	}
	if left, _ := filepath.Glob(filepath.Join(Dir(dest), "*.albo-tmp")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// readMemo is the memo name as Save left it, whole.
func readMemo(s *Store, name string) []byte {
	b, _ := os.ReadFile(s.memoPath(name))
	return b
}
