package write

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// site is what one build writes: path → content, and whether it is keyed.
type site map[string]string

func build(t *testing.T, dest string, s site, keyed bool) {
	t.Helper()
	buildAs(t, dest, s, keyed, false)
}

// buildAs is build, by a process that ends after it when once (Tree.Once).
func buildAs(t *testing.T, dest string, s site, keyed, once bool) {
	t.Helper()
	tr, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	if once {
		tr.Once()
	}
	for rel, content := range s {
		key := ""
		if keyed {
			key = "k:" + content
			if tr.Keep(rel, key) {
				continue
			}
		}
		if err := tr.WriteKeyed(rel, key, []byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tr.Commit(nil); err != nil {
		t.Fatal(err)
	}
	if err := tr.Wait(); err != nil {
		t.Fatal(err)
	}
}

// after begins the tree that follows prev in a session.
func after(t *testing.T, dest string, prev *Tree) *Tree {
	t.Helper()
	lock, err := LockDest(dest)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := BeginAfter(dest, prev, lock)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func read(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() && d.Name() != Marker {
			rel, _ := filepath.Rel(dir, p)
			b, _ := os.ReadFile(p)
			out[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	return out
}

// check asserts that the live site is exactly want and the staging tree is made of
// links to the same files.
func check(t *testing.T, dest string, want site) {
	t.Helper()
	live := read(t, dest)
	if len(live) != len(want) {
		t.Fatalf("live site has %d files, want %d: %v", len(live), len(want), live)
	}
	for rel, c := range want {
		if live[rel] != c {
			t.Fatalf("live %s = %q, want %q", rel, live[rel], c)
		}
		li, _ := os.Lstat(filepath.Join(dest, rel))
		si, err := os.Lstat(filepath.Join(StageName(dest), rel))
		if err != nil || !os.SameFile(li, si) {
			t.Fatalf("staged %s is not the live file", rel)
		}
	}
	if n := len(read(t, StageName(dest))); n != len(want) {
		t.Fatalf("staging tree has %d files, want %d", n, len(want))
	}
}

// TestRandomBuilds applies random sequences of changes and checks each resulting site.
func TestRandomBuilds(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for _, keyed := range []bool{false, true} {
		dest := filepath.Join(t.TempDir(), "public")
		cur := site{}
		for step := 0; step < 60; step++ {
			next := site{}
			for rel, c := range cur {
				switch r.Intn(6) {
				case 0: // removed
				case 1:
					next[rel] = c + " modificato"
				default:
					next[rel] = c
				}
			}
			for i := r.Intn(8); i > 0; i-- {
				next[fmt.Sprintf("atti/%d/%d.html", 2026+r.Intn(2), r.Intn(40))] = fmt.Sprintf("atto %d", r.Intn(1000))
			}
			next["index.html"] = fmt.Sprintf("home %d", step%3)
			build(t, dest, next, keyed)
			check(t, dest, next)
			cur = next
		}
	}
}

// TestStagingTreeLinkedFromLive: with a manifest and no staging tree, the next build links
// the tree from the live site and keeps what did not change. The first build of a
// destination by a process that ends after it (Once) leaves it so, and so does a staging
// tree deleted by hand; a live file deleted by hand in between is written again.
func TestStagingTreeLinkedFromLive(t *testing.T) {
	for _, c := range []struct {
		name          string
		once, removed bool // the first build is Once; the staging tree is deleted after it
		deleted       bool // a live file is deleted after it
	}{
		{name: "Once", once: true},
		{name: "Once, a live file deleted", once: true, deleted: true},
		{name: "the staging tree deleted", removed: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dest := filepath.Join(t.TempDir(), "public")
			s := site{"index.html": "home", "atti/2026/1.html": "uno", "atti/2026/2.html": "due", "tipi/avviso.html": "avvisi"}
			buildAs(t, dest, s, true, c.once)
			if _, err := os.Lstat(StageName(dest)); c.once && !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("a first build by a process that ends linked the staging tree (%v)", err)
			}
			if live := read(t, dest); len(live) != len(s) || live["atti/2026/1.html"] != "uno" {
				t.Fatalf("live site: %v", live)
			}
			before, _ := os.Lstat(filepath.Join(dest, "atti/2026/1.html"))
			if c.removed {
				os.RemoveAll(StageName(dest))
			}
			if c.deleted {
				os.Remove(filepath.Join(dest, "atti/2026/2.html"))
			}
			s["index.html"] = "home cambiata"
			buildAs(t, dest, s, true, c.once)
			check(t, dest, s)
			if !sameFile(before, dest, "atti/2026/1.html") {
				t.Error("an unchanged file was written again after the staging tree was linked")
			}
			s["atti/2026/3.html"] = "tre"
			build(t, dest, s, true)
			check(t, dest, s)
		})
	}
}

// sameFile reports whether the file rel of the live site dest is still the file before.
func sameFile(before os.FileInfo, dest, rel string) bool {
	after, err := os.Lstat(filepath.Join(dest, filepath.FromSlash(rel)))
	return err == nil && os.SameFile(before, after)
}

// TestHandEditedLiveFile checks that a file changed by hand in the live site is restored.
func TestHandEditedLiveFile(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	s := site{"index.html": "home", "atti/2026/1.html": "atto uno"}
	build(t, dest, s, true)
	os.WriteFile(filepath.Join(dest, "atti/2026/1.html"), []byte("modificato a mano"), 0o644)
	build(t, dest, s, true)
	check(t, dest, s)
}

// TestAbortThenBuild checks that a failed build leaves the site and spoils nothing after.
func TestAbortThenBuild(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	a := site{"index.html": "home A", "atti/2026/1.html": "uno", "atti/2026/2.html": "due"}
	build(t, dest, a, true)
	tr, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	tr.WriteKeyed("atti/2026/1.html", "k:cambiato", []byte("cambiato"))
	tr.WriteFile("atti/2026/3.html", []byte("tre"))
	tr.Abort()
	if live := read(t, dest); len(live) != 3 || live["atti/2026/1.html"] != "uno" {
		t.Fatalf("a failed build changed the live site: %v", live)
	}
	b := site{"index.html": "home B", "atti/2026/1.html": "uno"}
	build(t, dest, b, true)
	check(t, dest, b)
}

// TestDestinationRemoved checks a build after the live site was deleted by hand.
func TestDestinationRemoved(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	s := site{"index.html": "home", "atti/2026/1.html": "uno"}
	build(t, dest, s, true)
	os.RemoveAll(dest)
	build(t, dest, s, true)
	check(t, dest, s)
	build(t, dest, s, true)
	check(t, dest, s)
}

func TestPathsLeavingTheSite(t *testing.T) {
	tr, err := Begin(filepath.Join(t.TempDir(), "public"))
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Abort()
	for _, bad := range []string{"../x", "/etc/passwd", "a/../../x", "."} {
		if tr.WriteFile(bad, nil) == nil {
			t.Errorf("WriteFile(%q) accepted", bad)
		}
	}
}

// TestUnsettledTreeNotTrusted: after a build that changed the staging tree and did not
// finish, the manifest no longer describes the tree, and the next build must not use it.
func TestUnsettledTreeNotTrusted(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	s := site{"index.html": "home", "atti/2026/1.html": "uno"}
	build(t, dest, s, true)
	tr, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	if tr.old == nil {
		t.Fatal("a settled tree's manifest was not read")
	}
	if err := tr.WriteKeyed("atti/2026/1.html", "k:altro", []byte("altro")); err != nil {
		t.Fatal(err)
	}
	tr.Abort()
	tr, err = Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	if tr.old != nil || tr.Keep("atti/2026/1.html", "k:uno") {
		t.Error("the manifest of a tree changed by an unfinished build was trusted")
	}
	tr.Abort()
	build(t, dest, s, true)
	check(t, dest, s)
}

// A file written in parts holds their bytes one after the other: more parts than one
// system call takes (1,024 on Linux), empty ones among them; and a file written in parts
// without a key is kept when the staged one holds the same bytes.
func TestWriteParts(t *testing.T) {
	var parts [][]byte
	var want []byte
	for i := range 2500 {
		p := []byte(fmt.Sprintf("riga %d\n", i))
		if i%7 == 0 || i < 1100 { // a batch of empty parts too
			p = nil
		}
		parts = append(parts, p)
		want = append(want, p...)
	}
	dest := filepath.Join(t.TempDir(), "public")
	for range 2 {
		tr, err := Begin(dest)
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.WriteKeyed("dati/atti.csv", "", parts...); err != nil {
			t.Fatal(err)
		}
		if err := tr.WriteKeyed("dati/vuoto.csv", "k", nil, nil); err != nil {
			t.Fatal(err)
		}
		if err := tr.Commit(nil); err != nil {
			t.Fatal(err)
		}
		if err := tr.Wait(); err != nil {
			t.Fatal(err)
		}
		if tr.old != nil && slices.Contains(tr.changed, filepath.FromSlash("dati/atti.csv")) {
			t.Errorf("the same parts written again: %v created", tr.changed)
		}
	}
	for rel, w := range map[string][]byte{"dati/atti.csv": want, "dati/vuoto.csv": nil} {
		got, err := os.ReadFile(filepath.Join(dest, rel))
		if err != nil || string(got) != string(w) {
			t.Errorf("%s: %d bytes, %v; want %d bytes", rel, len(got), err, len(w))
		}
	}
}

// A hint of KeepHinted keeps a file again without looking it up only while it holds: in
// the session's next build, with the file still in the site and made from the same key.
// A file a build left out is gone, and a hint to it keeps nothing; nor does a hint after
// another process built the destination (its manifest is not this process's own).
func TestKeepHinted(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	var prev *Tree
	var h any
	step := func(files map[string]string, keep func(tr *Tree)) *Tree {
		t.Helper()
		tr := after(t, dest, prev)
		if keep != nil {
			keep(tr)
		}
		for rel, content := range files {
			if err := tr.WriteKeyed(rel, "k:"+content, []byte(content)); err != nil {
				t.Fatal(err)
			}
		}
		if err := tr.Commit(nil); err != nil {
			t.Fatal(err)
		}
		if err := tr.Wait(); err != nil {
			t.Fatal(err)
		}
		prev = tr
		return tr
	}
	step(map[string]string{"a.html": "a", "b.html": "b"}, nil)
	step(map[string]string{"b.html": "b"}, func(tr *Tree) {
		if !tr.KeepHinted("a.html", "k:a", &h) || h == nil {
			t.Fatalf("an unchanged file not kept, or no hint: %v", h)
		}
	})
	step(map[string]string{"b.html": "b"}, func(tr *Tree) {
		if tr.KeepHinted("a.html", "k:other", &h) {
			t.Fatal("a hint kept a file made from another key")
		}
		if tr.KeepHinted("c.html", "k:a", &h) {
			t.Fatal("the hint of a.html kept c.html")
		}
		if !tr.KeepHinted("a.html", "k:a", &h) {
			t.Fatal("the hint of an unchanged file did not keep it")
		}
	})
	step(map[string]string{"b.html": "b"}, nil) // a.html left out: gone
	step(map[string]string{"b.html": "b"}, func(tr *Tree) {
		if tr.KeepHinted("a.html", "k:a", &h) {
			t.Fatal("a hint kept a file the last build left out")
		}
	})
	if _, err := os.Stat(filepath.Join(dest, "a.html")); err == nil {
		t.Error("a.html is still in the site")
	}
	step(map[string]string{"a.html": "a", "b.html": "b"}, nil)
	step(map[string]string{"b.html": "b"}, func(tr *Tree) { tr.KeepHinted("a.html", "k:a", &h) })
	// Another process built the destination since: this build reads the manifest from
	// disk, and the next one trusts that one, not the one the hint points into.
	prev = nil
	step(map[string]string{"a.html": "a", "b.html": "b"}, nil)
	step(map[string]string{"b.html": "b"}, func(tr *Tree) {
		if !tr.KeepHinted("a.html", "k:a", &h) {
			t.Fatal("an unchanged file not kept by its lookup")
		}
	})
	if _, err := os.Stat(filepath.Join(dest, "a.html")); err != nil {
		t.Errorf("a file kept through a stale hint left the site: %v", err)
	}
}

// TestDropAfterKeeps checks that the files a build neither keeps nor writes are gone
// from the new site, whatever share of the previous site it kept: none, half (three
// files of six, with the marker), all but one, all.
func TestDropAfterKeeps(t *testing.T) {
	all := site{"a.html": "a", "b.html": "b", "c.html": "c", "d.html": "d", "e.html": "e"} // and the marker
	for _, kept := range []site{{}, {"a.html": "a", "b.html": "b"}, {"a.html": "a", "b.html": "b", "c.html": "c"}, all} {
		dest := filepath.Join(t.TempDir(), "public")
		build(t, dest, all, true)
		next := site{"index.html": "home"}
		for rel, c := range kept {
			next[rel] = c
		}
		build(t, dest, next, true)
		check(t, dest, next)
	}
}

// TestSameBytesNewKey: a file made from other inputs that give the same bytes (another
// albo version changes every key) is kept, not created again, and recorded with its new
// key.
func TestSameBytesNewKey(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	s := site{"index.html": "home", "atti/2026/1.html": "uno"}
	build(t, dest, s, true)
	before, _ := os.Lstat(filepath.Join(dest, "atti/2026/1.html"))
	tr, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	for rel, c := range s {
		if err := tr.WriteKeyed(rel, "nuova:"+c, []byte(c)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tr.Commit(nil); err != nil {
		t.Fatal(err)
	}
	tr.Wait()
	check(t, dest, s)
	if !sameFile(before, dest, "atti/2026/1.html") {
		t.Error("a file holding the same bytes was created again")
	}
	next, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	if !next.Keep("atti/2026/1.html", "nuova:uno") {
		t.Error("the new key was not recorded")
	}
	next.Abort()
}

// TestCopyFile: an attachment's bytes are copied whole, from empty to larger than the
// copy buffer, into a new file whose entry has its size and key; a file already there is
// not overwritten.
func TestCopyFile(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{0, 1, 64<<10 + 17, 300 << 10} {
		data := make([]byte, size)
		rand.New(rand.NewSource(int64(size))).Read(data)
		src := filepath.Join(dir, fmt.Sprint("src-", size))
		if err := os.WriteFile(src, data, 0o644); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, fmt.Sprint("copy-", size))
		e, err := copyFile(nil, p, src, "sha256:x")
		if err != nil {
			t.Fatalf("%d bytes: %v", size, err)
		}
		if got, _ := os.ReadFile(p); !slices.Equal(got, data) {
			t.Errorf("%d bytes: %d bytes copied, or other ones", size, len(got))
		}
		if e.Size != int64(size) || e.Key != "sha256:x" {
			t.Errorf("%d bytes: entry %+v", size, e)
		}
		if _, err := copyFile(nil, p, src, "sha256:x"); err == nil {
			t.Errorf("%d bytes: a file already there was overwritten", size)
		}
	}
}
