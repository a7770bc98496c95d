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

	"github.com/borgoesempio/albo/generator/write"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// sampleNow is the date the README builds the sample albo at.
const sampleNow = "2026-11-23"

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
