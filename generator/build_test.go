package generator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/borgoesempio/albo/generator/internal/sample"
	"github.com/borgoesempio/albo/generator/render"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/borgoesempio/albo/generator/state"
	"github.com/borgoesempio/albo/generator/write"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// sampleNow is the date the README builds the sample albo at.
const sampleNow = "2026-11-23"

// sampleWith returns the sample albo with its theme chosen by tema.
func sampleWith(t *testing.T, tema string) string {
	t.Helper()
	site, err := sample.WithTheme("..", t.TempDir(), tema)
	if err != nil {
		t.Fatal(err)
	}
	return site
}

// build builds the site at src into a new folder and returns it.
func build(t *testing.T, src, now string) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Build(Options{Source: src, Dest: dest, Now: now}); err != nil {
		t.Fatalf("build: %v", err)
	}
	return dest
}

// tree reads every file under dir: slash path → content.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestGolden builds the sample albo at the README's date and compares every output file
// with testdata/golden. Attachments are compared by their SHA-256 in a listing.
func TestGolden(t *testing.T) {
	out := tree(t, build(t, "..", sampleNow))
	golden := filepath.Join("testdata", "golden")
	var binaries strings.Builder
	want := map[string][]byte{}
	for _, k := range sortedKeys(out) {
		if strings.HasSuffix(k, ".pdf") {
			sum := sha256.Sum256(out[k])
			binaries.WriteString(hex.EncodeToString(sum[:]) + "  " + k + "\n")
			continue
		}
		want[k] = out[k]
	}
	want["ALLEGATI.sha256"] = []byte(binaries.String())
	compareGolden(t, golden, want)
}

// TestDeterministic builds the sample twice: same input and now, same bytes.
func TestDeterministic(t *testing.T) {
	a := tree(t, build(t, "..", "2026-11-23T10:00:00+01:00"))
	b := tree(t, build(t, "..", "2026-11-23T10:00:00+01:00"))
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for k, v := range a {
		if !bytes.Equal(v, b[k]) {
			t.Errorf("%s differs between two identical builds", k)
		}
	}
}

// TestRebuildRemovesExpired builds into the same folder on two dates: the second site
// holds exactly what is current, and unchanged attachments are linked, not copied.
func TestRebuildRemovesExpired(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	if _, err := Build(Options{Source: "..", Dest: dest, Now: "2026-11-20"}); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dest, "atti", "2026", "15.html") // ends on 24/11/2026 (23/11, and a day of interruption)
	pdf := filepath.Join(dest, "atti", "2026", "30", "bando-contributi-2027.pdf")
	before, err := os.Stat(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(page); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(Options{Source: "..", Dest: dest, Now: "2026-11-25"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(page); !os.IsNotExist(err) {
		t.Errorf("the page of an expired act is still in the site")
	}
	after, err := os.Stat(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) {
		t.Errorf("an unchanged attachment was copied again instead of linked")
	}
	// The staging tree beside the site holds exactly the live site, nothing expired.
	stage := tree(t, write.StageName(dest))
	live := tree(t, dest)
	if len(stage) != len(live) {
		t.Errorf("staging tree has %d files, the site %d", len(stage), len(live))
	}
	for k := range stage {
		if _, ok := live[k]; !ok {
			t.Errorf("staging tree keeps %s, no longer published", k)
		}
	}
}

// TestNowIsAnInput checks that the site depends on --now only through its local date.
func TestNowIsAnInput(t *testing.T) {
	a := tree(t, build(t, "..", "2026-11-23T00:00:00+01:00"))
	b := tree(t, build(t, "..", "2026-11-23T23:59:59+01:00"))
	if len(a) != len(b) {
		t.Fatalf("two instants of the same day give different sites")
	}
	_, err := Build(Options{Source: "..", Dest: t.TempDir() + "/p", Now: "ieri"})
	if err == nil || !strings.Contains(err.Error(), "--now") {
		t.Errorf("a bad --now gives %v", err)
	}
}

// TestDestination: albo builds only into a folder that is missing, empty or its own; a
// regular file and a folder of other files are refused and left as they were; a symbolic
// link stays a link, and the site is swapped in behind it.
func TestDestination(t *testing.T) {
	site := t.TempDir()
	writeFiles(t, site, map[string]string{"content/albo.yaml": goodConfig, "content/a.md": goodAct})
	out := t.TempDir()

	file := filepath.Join(out, "file")
	os.WriteFile(file, []byte("un file importante"), 0o644)
	if _, err := Build(Options{Source: site, Dest: file, Now: sampleNow}); err == nil || !strings.Contains(err.Error(), "è un file, non una cartella") {
		t.Errorf("a file as destination: %v", err)
	}
	if b, _ := os.ReadFile(file); string(b) != "un file importante" {
		t.Error("a file given as destination was touched")
	}

	www := filepath.Join(out, "www")
	writeFiles(t, www, map[string]string{"index.html": "il sito del Comune", "foto/sindaco.jpg": "x"})
	if _, err := Build(Options{Source: site, Dest: www, Now: sampleNow}); err == nil || !strings.Contains(err.Error(), "non l'ha scritta albo (contiene foto/, index.html)") {
		t.Errorf("a folder albo did not write: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(www, "index.html")); string(b) != "il sito del Comune" {
		t.Error("a folder albo did not write was touched")
	}

	target := filepath.Join(out, "albo-reale")
	os.Mkdir(target, 0o755)
	link := filepath.Join(out, "albo")
	if err := os.Symlink(target, link); err != nil {
		t.Skip(err)
	}
	for _, day := range []string{sampleNow, "2026-12-06"} {
		if _, err := Build(Options{Source: site, Dest: link, Now: day}); err != nil {
			t.Fatal(err)
		}
		if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("%s: the link is no longer a link", day)
		}
		_, err := os.Stat(filepath.Join(link, "atti", "2026", "1.html"))
		if online := err == nil; online != (day == sampleNow) {
			t.Errorf("%s: act 1/2026 online %v through the link", day, online)
		}
	}
	if _, err := os.Stat(filepath.Join(out, ".albo-reale.albo-stage")); err != nil {
		t.Error("the staging tree is not beside the link's target")
	}
	empty := filepath.Join(out, "vuota")
	os.Mkdir(empty, 0o755)
	if _, err := Build(Options{Source: site, Dest: empty, Now: sampleNow}); err != nil {
		t.Errorf("an empty folder: %v", err)
	}
	os.RemoveAll(write.StageName(empty))
	os.Remove(write.StageName(empty) + ".manifest")
	if _, err := Build(Options{Source: site, Dest: empty, Now: sampleNow}); err != nil {
		t.Errorf("albo's own folder, without its staging tree: %v", err)
	}
}

// TestSameSizeSameTime replaces an attachment with another of the same size and the same
// modification time (cp -p, rsync -t, unzip): the new one is published, and the rebuild is
// byte for byte a clean build.
func TestSameSizeSameTime(t *testing.T) {
	site := t.TempDir()
	writeFiles(t, site, map[string]string{
		"content/albo.yaml":  goodConfig,
		"content/x/index.md": "---\ntipo: avviso\noggetto: A\nregistro: 2026/1\ndal: 2026-11-20\nallegati:\n  - file: a.pdf\n    titolo: T\n---\n",
		"content/x/a.pdf":    "%PDF-1.4 versione uno",
	})
	pdf := filepath.Join(site, "content", "x", "a.pdf")
	stamp := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	os.Chtimes(pdf, stamp, stamp)
	dest := filepath.Join(t.TempDir(), "public")
	for _, text := range []string{"%PDF-1.4 versione uno", "%PDF-1.4 versione due"} {
		os.WriteFile(pdf, []byte(text), 0o644)
		os.Chtimes(pdf, stamp, stamp)
		if _, err := Build(Options{Source: site, Dest: dest, Now: sampleNow}); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(filepath.Join(dest, "atti", "2026", "1", "a.pdf")); string(b) != text {
			t.Errorf("published %q, want %q", b, text)
		}
	}
	a, b := tree(t, dest), tree(t, build(t, site, sampleNow))
	for k, v := range b {
		if !bytes.Equal(a[k], v) {
			t.Errorf("%s differs from a clean build", k)
		}
	}
}

// TestStateLinksPublishedAttachments: the state keeps each attachment of an act in
// publication as a hard link to its published copy, not as a copy of its own (10,000
// acts: 1,000 files not written twice).
func TestStateLinksPublishedAttachments(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	n := 0
	for _, e := range inPublication(t, dest) {
		for _, al := range e.Allegati {
			published, err := os.Stat(filepath.Join(dest, filepath.FromSlash(render.AttachmentPath(e, al.File))))
			if err != nil {
				t.Fatal(err)
			}
			kept, err := os.Stat(filepath.Join(state.Dir(dest), "oggetti", al.SHA256))
			if err != nil {
				t.Fatalf("%s: %s: not kept: %v", e.Path, al.File, err)
			}
			if !os.SameFile(published, kept) {
				t.Errorf("%s: %s: the state keeps a copy, not the published file", e.Path, al.File)
			}
			n++
		}
	}
	if n < 5 {
		t.Fatalf("%d attachments in publication: the test no longer tests anything", n)
	}
}

// inPublication builds the sample albo on sampleNow into dest and returns its acts in
// publication.
func inPublication(t *testing.T, dest string) []*schedule.Entry {
	t.Helper()
	res, err := Build(Options{Source: "..", Dest: dest, Now: sampleNow})
	if err != nil {
		t.Fatal(err)
	}
	var shown []*schedule.Entry
	for _, e := range res.Plan.Entries {
		if e.State == schedule.InPubblicazione {
			shown = append(shown, e)
		}
	}
	if len(shown) == 0 {
		t.Fatal("no act in publication")
	}
	return shown
}

// TestSizedByMemo: a single build tells the command how many acts the site has once it
// is read, with how many of them the memo of the acts gave as they were, then how many of
// them the memo of the pages gives, once the render knows: none the first time; the second
// time every act (the sample's 45), and the acts the render makes something of (in
// publication, or in the archive), a part of them.
func TestSizedByMemo(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	var calls [][2]int
	o := Options{Source: "..", Dest: dest, Now: "2026-11-23", Sized: func(acts, recalled int) {
		calls = append(calls, [2]int{acts, recalled})
	}}
	for range 2 {
		if _, err := Build(o); err != nil {
			t.Fatal(err)
		}
	}
	if len(calls) != 4 {
		t.Fatalf("Sized told %v, want 4 calls: two per build", calls)
	}
	n := calls[0][0]
	for i, c := range calls {
		if c[0] != n || (i < 2 && c[1] != 0) {
			t.Errorf("call %d: %v, want %d acts, none recalled the first time", i, c, n)
		}
	}
	if r := calls[2][1]; r != n {
		t.Errorf("the second build's acts: %d of %d recalled, want all", r, n)
	}
	if r := calls[3][1]; r <= 0 || r >= n {
		t.Errorf("the second build's render recalls %d acts of %d, want some and not all (some acts are not published yet)", r, n)
	}
}
