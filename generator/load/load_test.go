package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReadAct reads arbitrary text as an act file: it must never panic, and a file it
// accepts must not keep omissis text in its body.
func FuzzReadAct(f *testing.F) {
	f.Add("---\ntipo: avviso\noggetto: A\nregistro: 2026/1\ndal: 2026-11-20\n---\ntesto ||segreto||\n")
	f.Add("---\nallegati:\n  - file: ../x\n    titolo: t\nannullamento: {data: 2026-01-01, motivo: x}\n---\n")
	f.Add("---\n[a, b]\n---\n")
	f.Add("---\nproroga: 3\n---\n")
	dir := f.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src string) {
		p := filepath.Join(dir, "content", "x.md")
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		s := &Site{Root: dir, realRoot: dir, opts: Options{SealAll: true}}
		a, _, probs := s.readAct("content/x.md")
		if a == nil && len(probs) == 0 {
			t.Fatal("no act and no problem")
		}
		for _, p := range probs {
			if !strings.HasPrefix(p.Error(), "content/x.md") {
				t.Fatalf("problem does not name the file: %v", p)
			}
		}
		if a != nil && strings.Contains(src, "||segreto||") && strings.Contains(string(a.Body), "segreto") {
			t.Fatalf("omissis text kept in the body: %q", a.Body)
		}
	})
}
