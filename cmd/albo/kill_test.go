package main

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/borgoesempio/albo/generator/register"
)

// albo returns a command that runs this test binary as albo.
func albo(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "ALBO_COME_COMANDO=1", "ALBO_NOW=2026-11-23T09:00:00+01:00")
	return cmd
}

var registroRE = regexp.MustCompile(`(?m)^registro: (\d+/\d+)$`)

// numbers returns the register number of every act file of the site: number → file.
func numbers(t *testing.T, site string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	files, _ := filepath.Glob(filepath.Join(site, "content", "*.md"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if m := registroRE.FindSubmatch(b); m != nil {
			out[string(m[1])] = append(out[string(m[1])], filepath.Base(f))
		}
	}
	return out
}

// TestPubblicaUnderKill publishes drafts and kills albo pubblica at random instants, and
// now and then puts the draft back as git checkout would, after its publication: at every
// instant a file is the draft or the published act, and no number is ever given to two
// acts (SPEC §4), once the next command has settled what the kill left.
func TestPubblicaUnderKill(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no kill -9 here")
	}
	site := t.TempDir()
	write(t, site, map[string]string{"content/albo.yaml": goodConfig})
	// The register of an albo a few years old: its writes take long enough that kills
	// land between them too.
	old := &register.Register{Ultimo: map[int]int{2025: 1000}, Sigilli: map[string]register.Seal{}}
	for n := 1; n <= 1000; n++ {
		old.Sigilli[fmt.Sprintf("2025/%d", n)] = register.Seal{File: fmt.Sprintf("content/2025/%d.md", n), Pubblicato: "2025-01-01",
			Impronta: "sha256:" + strings.Repeat("0", 64), Parti: map[string]string{"testo": strings.Repeat("1", 64), "chiave oggetto": strings.Repeat("2", 64)}}
	}
	if err := old.Write(site); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewSource(1))
	// How long a publication takes here: kills are spread over it.
	write(t, site, map[string]string{"content/prova.md": "---\ntipo: avviso\noggetto: Prova\nufficio: Segreteria\n---\n"})
	start := time.Now()
	if out, err := albo("pubblica", "-s", site, filepath.Join(site, "content", "prova.md")).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	span := time.Since(start) * 6 / 5
	seen := map[string]string{} // number → the first file seen with it
	phases := map[string]int{}
	draft := func(i int) string {
		return fmt.Sprintf("---\ntipo: avviso\noggetto: Avviso numero %d\nufficio: Segreteria\n---\nTesto %d.\n", i, i)
	}
	const kills = 100
	for i := range kills {
		name := fmt.Sprintf("content/d%03d.md", i)
		write(t, site, map[string]string{name: draft(i)})
		cmd := albo("pubblica", "-s", site, filepath.Join(site, name))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(r.Int63n(int64(span))))
		cmd.Process.Kill()
		cmd.Wait()
		reg, err := register.Read(site)
		if err != nil {
			t.Fatalf("kill %d: the register cannot be read: %v", i, err)
		}
		b, _ := os.ReadFile(filepath.Join(site, name))
		published := registroRE.Match(b)
		switch {
		case reg.InCorso != nil && published:
			phases["pubblicazione in corso, atto scritto"]++
		case reg.InCorso != nil:
			phases["pubblicazione in corso, bozza"]++
		case published:
			phases["pubblicato"]++
		default:
			phases["bozza, registro com'era"]++
		}
		if !published && !strings.HasPrefix(string(b), "---\ntipo: avviso\n") {
			t.Fatalf("kill %d: the file is neither the draft nor the act: %q", i, b)
		}
		for n, files := range numbers(t, site) {
			if len(files) > 1 {
				t.Fatalf("kill %d: number %s is in %v", i, n, files)
			}
			if f, ok := seen[n]; ok && f != files[0] {
				t.Fatalf("kill %d: number %s, given to %s, is now in %s", i, n, f, files[0])
			}
			seen[n] = files[0]
		}
		if published && r.Intn(3) == 0 { // the draft put back, as git checkout does: a new file
			os.Remove(filepath.Join(site, name))
			write(t, site, map[string]string{name: draft(i)})
		}
	}
	// Every draft left is published now, without kills; then no number is in two files,
	// and none is in a file other than the one that first had it.
	files, _ := filepath.Glob(filepath.Join(site, "content", "d*.md"))
	for _, f := range files {
		if b, _ := os.ReadFile(f); !registroRE.Match(b) {
			if out, err := albo("pubblica", "-s", site, f).CombinedOutput(); err != nil {
				t.Fatalf("pubblica %s: %v\n%s", f, err, out)
			}
		}
	}
	for n, files := range numbers(t, site) {
		if len(files) > 1 {
			t.Errorf("number %s is in %v", n, files)
		}
		if f, ok := seen[n]; ok && f != files[0] {
			t.Errorf("number %s, given to %s, is now in %s", n, f, files[0])
		}
	}
	if out, err := albo("check", "-s", site, "--now", "2026-11-23").CombinedOutput(); err != nil {
		t.Errorf("albo check after the kills: %v\n%s", err, out)
	}
	t.Logf("%d kills of albo pubblica, spread over %v: %v", kills, span, phases)
}
