package write

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/borgoesempio/albo/generator/internal/filestamp"
)

// lines makes the parts of an open-data file from its lines.
func lines(s ...string) [][]byte {
	parts := [][]byte{[]byte("[\n")}
	for _, l := range s {
		parts = append(parts, []byte(l+"\n"))
	}
	return append(parts, []byte("]\n"))
}

// TestTwins builds, as a session does, one tree after the other, a file written from many
// parts (the open data): after each build the live file holds exactly what the build
// wrote, the staged one the same bytes, and the live file was not written before the
// swap; from the third build in a row that writes it, the staged file is a twin of its own, which
// the next build patches. It also goes through a build that keeps the file, one that
// drops it, and a hand edit of the live file.
func TestTwins(t *testing.T) {
	const rel = "dati/atti.json"
	steps := []struct {
		name  string
		parts [][]byte // nil: the file is not in the site
		keep  bool     // kept by its key, as the last build wrote it
		hand  string   // written by hand into the live file before the build
		stage string   // written by hand into the staged file before the build
	}{
		{name: "primo", parts: lines("uno", "due", "tre")},
		{name: "stessa lunghezza", parts: lines("uno", "DUE", "tre")},
		{name: "una riga in più", parts: lines("uno", "DUE", "due e mezzo", "tre")},
		{name: "righe in meno", parts: lines("uno", "tre")},
		{name: "tenuto", parts: lines("uno", "tre"), keep: true},
		{name: "primo byte", parts: append([][]byte{[]byte("{\n")}, lines("uno", "tre")[1:]...)},
		{name: "ultimo byte", parts: append(lines("uno", "tre")[:3], []byte("}\n"))},
		{name: "tenuto ancora", parts: append(lines("uno", "tre")[:3], []byte("}\n")), keep: true},
		{name: "stessi byte, altra chiave", parts: [][]byte{[]byte("[\nuno\n"), []byte("tre\n}\n")}},
		{name: "modificato a mano", parts: lines("uno", "quattro"), hand: "[\nscritto a mano\n]\n"},
		{name: "dopo la modifica a mano", parts: lines("uno", "cinque")},
		{name: "copia modificata a mano", parts: lines("uno", "sei"), stage: "[\nuna\n]\n"},
		{name: "dopo la copia modificata", parts: lines("uno", "sette")},
		{name: "tolto"},
		{name: "di nuovo", parts: lines("sei")},
		{name: "di nuovo, cambiato", parts: lines("sette")},
		{name: "vuoto", parts: [][]byte{{}, {}}},
		{name: "pieno", parts: lines("otto", "nove")},
	}
	dest := filepath.Join(t.TempDir(), "public")
	live, staged := filepath.Join(dest, rel), filepath.Join(StageName(dest), rel)
	var prev *Tree
	written := 0
	for i, s := range steps {
		if s.hand != "" {
			if err := os.WriteFile(live, []byte(s.hand), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if s.stage != "" {
			if err := os.WriteFile(staged, []byte(s.stage), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		before, _ := os.ReadFile(live)
		li, _ := os.Lstat(live)
		si, _ := os.Lstat(staged)
		apart := li != nil && si != nil && !os.SameFile(li, si)
		tr := after(t, dest, prev)
		if err := tr.WriteKeyed("index.html", "", []byte(s.name)); err != nil {
			t.Fatal(err)
		}
		key := fmt.Sprintf("k:%d", i)
		if s.keep {
			key = fmt.Sprintf("k:%d", i-1)
			if !tr.Keep(rel, key) {
				t.Fatalf("%s: the file was not kept", s.name)
			}
		} else if s.parts != nil {
			if err := tr.WriteKeyed(rel, key, s.parts...); err != nil {
				t.Fatal(err)
			}
			written++
		} else {
			written = 0 // gone: its twin is forgotten
		}
		if now, _ := os.ReadFile(live); !bytes.Equal(now, before) {
			t.Fatalf("%s: the live file changed before the swap: %q, was %q", s.name, now, before)
		}
		if err := tr.Commit(nil); err != nil {
			t.Fatal(err)
		}
		if err := tr.Wait(); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"index.html": s.name}
		if s.parts != nil {
			want[rel] = string(bytes.Join(s.parts, nil))
		}
		for dir, what := range map[string]string{dest: "live", StageName(dest): "staged"} {
			got := read(t, dir)
			if len(got) != len(want) {
				t.Fatalf("%s: %s tree %v, want %v", s.name, what, got, want)
			}
			for p, c := range want {
				if got[p] != c {
					t.Fatalf("%s: %s %s = %q, want %q", s.name, what, p, got[p], c)
				}
			}
		}
		vouches(t, tr)
		nli, _ := os.Lstat(live)
		nsi, _ := os.Lstat(staged)
		if home, _ := os.Lstat(filepath.Join(dest, "index.html")); !stamped(home) {
			prev = tr
			continue // no inode numbers: no twins, every file written whole and linked
		}
		if twin := nli != nil && nsi != nil && !os.SameFile(nli, nsi); written >= 3 && !s.keep && s.hand == "" && s.stage == "" && s.parts != nil && !twin {
			t.Errorf("%s: the staged file is still a link to the live one", s.name)
		}
		// A twin that the build could trust was patched, not written whole: the staged
		// file went live, and the former live one is staged.
		if apart && s.hand == "" && s.stage == "" && s.parts != nil && (!os.SameFile(si, nli) || !os.SameFile(li, nsi)) {
			t.Errorf("%s: the twins were not patched in place", s.name)
		}
		prev = tr
	}
}

// TestTwinsNotAcrossProcesses checks that a tree that does not follow the last one in
// the same process (another albo, or a new one) writes the file whole and links it.
func TestTwinsNotAcrossProcesses(t *testing.T) {
	const rel = "dati/atti.json"
	dest := filepath.Join(t.TempDir(), "public")
	var prev *Tree
	for i := range 5 {
		tr := after(t, dest, prev)
		if i == 4 { // kept: the twins swap places
			if !tr.Keep(rel, "3") {
				t.Fatal("not kept")
			}
		} else {
			tr.WriteKeyed(rel, fmt.Sprint(i), lines("uno", fmt.Sprint(i))...)
		}
		if err := tr.Commit(nil); err != nil {
			t.Fatal(err)
		}
		tr.Wait()
		prev = tr
	}
	// Begin: a tree of its own, which the manifest tells that the staged twin holds what
	// the last build wrote.
	tr, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	if !tr.Keep(rel, "3") {
		t.Fatal("the staged twin was not kept by its key")
	}
	tr.Commit(nil)
	tr.Wait()
	build(t, dest, site{rel: "[\naltro\n]\n"}, true)
	check(t, dest, site{rel: "[\naltro\n]\n"})
}

// TestPatch checks that patch turns a file holding the bytes of from into one holding
// those of to, for random contents cut into random parts (empty ones too), sharing a
// prefix, a suffix, both or neither.
func TestPatch(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "ab\n"[r.Intn(3)]
		}
		return string(b)
	}
	cut := func(s string) [][]byte {
		var parts [][]byte
		for len(s) > 0 || r.Intn(4) == 0 {
			n := min(len(s), r.Intn(6))
			parts = append(parts, []byte(s[:n]))
			s = s[n:]
			if len(s) == 0 && r.Intn(2) == 0 {
				break
			}
		}
		return parts
	}
	p := filepath.Join(t.TempDir(), "f")
	for i := range 3000 {
		head, tail := word(r.Intn(12)), word(r.Intn(12))
		from := head + word(r.Intn(8)) + tail
		to := head + word(r.Intn(8)) + tail
		if i%5 == 0 {
			to = strings.ToUpper(from) // same size
		}
		if err := os.WriteFile(p, []byte(from), 0o644); err != nil {
			t.Fatal(err)
		}
		e, err := patch(p, cut(from), cut(to), [32]byte{}, "k")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(p)
		if string(got) != to {
			t.Fatalf("patch of %q into %q gave %q", from, to, got)
		}
		if e.Size != int64(len(to)) || e.Key != "k" {
			t.Fatalf("entry %+v for %q", e, to)
		}
	}
}

// vouches checks that the manifest tr left describes each staged file as it is, so that
// another process can keep it.
func vouches(t *testing.T, tr *Tree) {
	t.Helper()
	m := readManifest(tr.manifestPath())
	for rel := range read(t, tr.stage) {
		sl := m.slot(filepath.FromSlash(rel))
		info, err := os.Lstat(filepath.Join(tr.stage, rel))
		if sl == nil || err != nil || !sl.matches(info) {
			t.Fatalf("the manifest does not vouch for the staged %s", rel)
		}
	}
}

func stamped(info os.FileInfo) bool {
	_, ok := filestamp.Of(info)
	return ok
}

// TestOnceKeepsNoParts: a tree whose process ends after it (Once) does not hold the
// parts of the files it wrote from many, which only a next build of the same process
// would patch.
func TestOnceKeepsNoParts(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	for _, once := range []bool{false, true} {
		tr := after(t, dest, nil)
		if once {
			tr.Once()
		}
		if err := tr.WriteKeyed("dati/atti.json", fmt.Sprint(once), lines("uno", "due")...); err != nil {
			t.Fatal(err)
		}
		if held := len(tr.rewritten) > 0; held == once {
			t.Errorf("once %v: parts held %v", once, held)
		}
		if err := tr.Commit(nil); err != nil {
			t.Fatal(err)
		}
		if err := tr.Wait(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestPrevious: a build reads the first bytes of a file of the live site, the last
// build's, and nothing of a file that is not there, is shorter, or is outside the site.
func TestPrevious(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	tr := after(t, dest, nil)
	if f := tr.Previous("dati/atti.csv"); f != nil {
		f.Close()
		t.Errorf("no site yet: a file")
	}
	if err := tr.WriteKeyed("dati/atti.csv", "k", []byte("uno\n"), []byte("due\n")); err != nil {
		t.Fatal(err)
	}
	if err := tr.Commit(nil); err != nil {
		t.Fatal(err)
	}
	if err := tr.Wait(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(dest), "fuori"), []byte("fuori"), 0o644); err != nil {
		t.Fatal(err)
	}
	tr = after(t, dest, tr)
	defer tr.Abort()
	for _, c := range []struct {
		rel, want string
		none      bool
	}{
		{rel: "dati/atti.csv", want: "uno\ndue\n"},
		{rel: "dati/archivio.csv", none: true},
		{rel: "../fuori", none: true},
		{rel: "dati", none: true},
	} {
		f := tr.Previous(c.rel)
		if f == nil {
			if !c.none {
				t.Errorf("Previous(%q): nothing, want %q", c.rel, c.want)
			}
			continue
		}
		b, err := io.ReadAll(f)
		f.Close()
		if c.none || err != nil || string(b) != c.want {
			t.Errorf("Previous(%q) = %q, %v; want %q (none %v)", c.rel, b, err, c.want, c.none)
		}
	}
}

// TestStream writes a file a piece at a time: the site then holds what was written, under
// the key given at its end, which the next build keeps it by; a file given up makes the
// build fail, and leaves the site as it was.
func TestStream(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	for i, c := range []struct {
		failed error
		want   string
	}{
		{want: "uno\ndue\n"},
		{failed: errors.New("riga illeggibile"), want: "uno\ndue\n"},
		{want: "tre\n"},
	} {
		tr := after(t, dest, nil)
		w, end, err := tr.Stream("dati/atti.csv")
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			fmt.Fprint(w, "uno\n")
			fmt.Fprint(w, "due\n")
		} else {
			fmt.Fprint(w, "tre\n")
		}
		key := fmt.Sprint("k", i)
		if err := end(key, c.failed); err != c.failed {
			t.Fatalf("build %d: end = %v, want %v", i, err, c.failed)
		}
		if c.failed != nil {
			tr.Abort()
		} else if err := tr.Commit(nil); err != nil {
			t.Fatal(err)
		} else if err := tr.Wait(); err != nil {
			t.Fatal(err)
		}
		if got := read(t, dest)["dati/atti.csv"]; got != c.want {
			t.Errorf("build %d: the site holds %q, want %q", i, got, c.want)
		}
		if c.failed != nil {
			continue
		}
		next := after(t, dest, nil)
		if !next.Keep("dati/atti.csv", key) {
			t.Errorf("build %d: the file is not kept by the key it was ended with", i)
		}
		next.Abort()
	}
}
