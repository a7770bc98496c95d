package publish

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/borgoesempio/albo/generator/register"
)

var now = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func write(t *testing.T, root, rel, text string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

const bozza = "---\ntipo: avviso\noggetto: Avviso\nufficio: Segreteria\n---\nTesto.\n"

var registroRE = regexp.MustCompile(`(?m)^registro: (\S+)$`)

// TestInterruptedPublication stops albo pubblica after each of its writes, as a kill
// would, and settles it with the next publication: the bozza and the register as they
// were, or the act and the register with it; and a bozza put back after the act was
// written (git checkout) never lets its number be given again.
func TestInterruptedPublication(t *testing.T) {
	for _, c := range []struct {
		step     string
		putBack  bool   // the bozza is put back, as a new file, before the next command
		want     string // the number of the next act published
		wantFile string // what the first file holds in the end
	}{
		{"registro", false, "2026/1", "bozza"}, // stopped before the act was written: undone
		{"atto", false, "2026/2", "2026/1"},    // stopped after: completed
		{"atto", true, "2026/2", "bozza"},      // the bozza put back: the number stays used
		{"registro", true, "2026/2", "bozza"},  // a new file, with the bozza's text: cannot tell, the number stays used
	} {
		root := t.TempDir()
		write(t, root, "content/albo.yaml", "ente: E\nurl: https://x.it/\n")
		write(t, root, "content/a.md", bozza)
		write(t, root, "content/b.md", bozza)
		func() {
			defer func() { recover() }()
			interrupt = func(step string) {
				if step == c.step {
					panic("kill")
				}
			}
			defer func() { interrupt = func(string) {} }()
			if _, err := Pubblica(root, filepath.Join(root, "content/a.md"), Options{}, now); err != nil {
				t.Fatalf("%s: %v", c.step, err)
			}
		}()
		reg, _ := register.Read(root)
		if reg.InCorso == nil {
			t.Fatalf("%s: no publication under way in the register", c.step)
		}
		if c.putBack {
			os.Remove(filepath.Join(root, "content/a.md"))
			write(t, root, "content/a.md", bozza)
		}
		p, err := Pubblica(root, filepath.Join(root, "content/b.md"), Options{}, now)
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		if p.Registro.String() != c.want {
			t.Errorf("%+v: the next act got %s, want %s", c, p.Registro, c.want)
		}
		b, _ := os.ReadFile(filepath.Join(root, "content/a.md"))
		got := "bozza"
		if m := registroRE.FindSubmatch(b); m != nil {
			got = string(m[1])
		}
		if got != c.wantFile {
			t.Errorf("%+v: the interrupted file is %s, want %s", c, got, c.wantFile)
		}
		reg, _ = register.Read(root)
		if reg.InCorso != nil || reg.Ultimo[2026] != 2 && c.want == "2026/2" {
			t.Errorf("%+v: register after: %+v", c, reg)
		}
		for n, seal := range reg.Sigilli {
			if seal.File == "content/a.md" && got != n {
				t.Errorf("%+v: the register keeps a seal of %s for content/a.md, which is %s", c, n, got)
			}
		}
	}
}
