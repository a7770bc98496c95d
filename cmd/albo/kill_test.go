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

// killSite writes a site of n acts, one in five with an attachment, whose windows make
// the site of 2026-11-23 and that of 2026-12-07 differ in many files.
func killSite(t *testing.T, site string, n int) {
	files := map[string]string{"content/albo.yaml": goodConfig}
	for i := 1; i <= n; i++ {
		dir := fmt.Sprintf("content/2026/%04d", i)
		front := fmt.Sprintf("---\ntipo: avviso\noggetto: Avviso numero %d sulla viabilità\nregistro: 2026/%d\ndal: 2026-11-%02d\nufficio: Polizia Locale\n", i, i, 1+i%28)
		if i%5 == 0 {
			front += fmt.Sprintf("allegati:\n  - file: avviso-%d.pdf\n    titolo: Testo firmato\n", i)
			files[dir+fmt.Sprintf("/avviso-%d.pdf", i)] = "%PDF-1.4\n" + strings.Repeat(fmt.Sprint(i), 2000) + "\n%%EOF\n"
		}
		files[dir+"/index.md"] = front + fmt.Sprintf("---\nTesto dell'avviso %d: %s\n", i, strings.Repeat("parole del testo ", 40))
	}
	write(t, site, files)
}

// snapshot reads every file under dir, albo's hidden neighbours excluded: path → content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = string(b)
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}

// TestBuildUnderKill kills albo build at random instants, into the previous output and
// into an empty destination, alternating two days so that each build changes the site:
// after every kill the destination is the old site or the new one, whole, never a mix
// and never a damaged tree, and the next build succeeds and gives the site a build from
// nothing gives.
func TestBuildUnderKill(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no kill -9 here")
	}
	site := t.TempDir()
	killSite(t, site, 150)
	days := []string{"2026-11-23", "2026-12-07"}
	want := map[string]map[string]string{}
	var span time.Duration
	for _, day := range days {
		dest := filepath.Join(t.TempDir(), "public")
		start := time.Now()
		if out, err := albo("build", "-s", site, "-d", dest, "--now", day).CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		span = max(span, time.Since(start))
		want[day] = snapshot(t, dest)
	}
	same := func(a, b map[string]string) bool {
		if len(a) != len(b) {
			return false
		}
		for k, v := range a {
			if b[k] != v {
				return false
			}
		}
		return true
	}
	if same(want[days[0]], want[days[1]]) {
		t.Fatal("the two days give the same site: the test would prove nothing")
	}
	r := rand.New(rand.NewSource(2))
	dest := filepath.Join(t.TempDir(), "public")
	last := "" // the day of the site in dest, "" for none
	outcomes := map[string]int{}
	const kills = 60
	for i := range kills {
		day := days[i%2]
		if i%3 == 2 { // a first build on a new machine: nothing there, nothing beside it
			parent := filepath.Dir(dest)
			if err := os.RemoveAll(parent); err != nil {
				t.Fatal(err)
			}
			last = ""
		}
		cmd := albo("build", "-s", site, "-d", dest, "--now", day)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(r.Int63n(int64(span * 6 / 5))))
		cmd.Process.Kill()
		cmd.Wait()
		got := snapshot(t, dest)
		switch {
		case len(got) == 0 && last == "":
			outcomes["nessun sito, come prima"]++
		case last != "" && same(got, want[last]):
			outcomes["il sito di prima"]++
		case same(got, want[day]):
			outcomes["il sito nuovo"]++
		default:
			t.Fatalf("kill %d (build of %s over %q): the destination is neither the old site nor the new one (%d files)", i, day, last, len(got))
		}
		if out, err := albo("build", "-s", site, "-d", dest, "--now", day).CombinedOutput(); err != nil {
			t.Fatalf("kill %d: the build after the kill fails: %v\n%s", i, err, out)
		}
		if !same(snapshot(t, dest), want[day]) {
			t.Fatalf("kill %d: the build after the kill differs from a build from nothing", i)
		}
		last = day
	}
	t.Logf("%d kills of albo build, spread over %v: %v", kills, span*6/5, outcomes)
}
