package write

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func flagsOf(t *testing.T, dir string) (int, bool) {
	t.Helper()
	fd, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	flags, err := unix.IoctlGetInt(fd, unix.FS_IOC_GETFLAGS)
	return flags, err == nil
}

// Both staging roots of a first build, the one swapped in and the one linked after it,
// carry the mark where the file system of the test's temporary folder knows it (ext4).
func TestStagingRootsSpread(t *testing.T) {
	if !spread(t.TempDir()) {
		t.Skip("the temporary folder's file system keeps no FS_TOPDIR_FL")
	}
	dest := filepath.Join(t.TempDir(), "public")
	build(t, dest, site{"index.html": "uno", "atti/2026/1.html": "due"}, true)
	for _, dir := range []string{dest, StageName(dest)} {
		if f, _ := flagsOf(t, dir); f&topDir == 0 {
			t.Errorf("%s: no FS_TOPDIR_FL (flags %#x)", dir, f)
		}
	}
	if f, _ := flagsOf(t, filepath.Join(dest, "atti")); f&topDir != 0 {
		t.Errorf("atti: FS_TOPDIR_FL is for the roots only")
	}
}

// Folders made side by side under one name, in one place or trying several, become one
// folder, with nothing left under a passing name; one that exists is no error.
func TestMkdirTop(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "atti")
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { errs[i] = mkdirTop(dir, i%2 == 0) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := mkdirTop(dir, true); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 1 || entries[0].Name() != "atti" || !entries[0].IsDir() {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("root holds %s, want atti alone", strings.Join(names, ", "))
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); err != nil {
		t.Fatalf("the existing folder was replaced: %v", err)
	}
}

// fastest keeps the place where the probe was fastest, or the first under quick, and
// leaves no other folder behind.
func TestFastest(t *testing.T) {
	for _, tc := range []struct {
		name  string
		n     int
		times []time.Duration // what the probe says of each place, in order
		tried int             // places made
		kept  int             // the one kept
	}{
		{"the fastest", 4, []time.Duration{900 * time.Microsecond, 300 * time.Microsecond, 700 * time.Microsecond, 400 * time.Microsecond}, 4, 1},
		{"the first under quick", 8, []time.Duration{900 * time.Microsecond, quick - 1, 1}, 2, 1},
		{"one place, not timed", 1, nil, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			var made []string
			kept, err := fastest(parent, tc.n, func(dir string) time.Duration {
				made = append(made, dir)
				return tc.times[len(made)-1]
			})
			if err != nil {
				t.Fatal(err)
			}
			if tc.n == 1 {
				made = append(made, kept) // not probed
			}
			if len(made) != tc.tried {
				t.Fatalf("%d places tried, want %d", len(made), tc.tried)
			}
			if kept != made[tc.kept] {
				t.Errorf("kept place %d, want %d", slices.Index(made, kept), tc.kept)
			}
			entries, _ := os.ReadDir(parent)
			if len(entries) != 1 || filepath.Join(parent, entries[0].Name()) != kept {
				t.Errorf("parent holds %d folders, want the kept one alone", len(entries))
			}
		})
	}
}

// nurseryOn makes tr's files be made in a nursery from now on, whatever the file system,
// as after slowRun slow files in a row.
func nurseryOn(t *testing.T, tr *Tree) *nursery {
	t.Helper()
	tr.nursery = newNursery(tr.stage, true)
	for range slowRun {
		tr.nursery.took("", slowBirth)
	}
	if tr.nursery.dir == "" {
		t.Fatal("no nursery folder after slowRun slow files")
	}
	return tr.nursery
}

// passing lists what is under a passing name (.albo-…) in dir and below.
func passing(t *testing.T, dir string) []string {
	t.Helper()
	var found []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".albo-") {
			found = append(found, p)
		}
		return nil
	})
	return found
}

// nothingPassing fails the test if anything under a passing name is left in root.
func nothingPassing(t *testing.T, root string) {
	t.Helper()
	if left := passing(t, root); len(left) > 0 {
		t.Fatalf("left under passing names: %v", left)
	}
}

// commitWhole commits tr and checks that dest is the site want, with nothing under a
// passing name left anywhere in root.
func commitWhole(t *testing.T, tr *Tree, root, dest string, want site) {
	t.Helper()
	if err := tr.Commit(nil); err != nil {
		t.Fatal(err)
	}
	if err := tr.Wait(); err != nil {
		t.Fatal(err)
	}
	check(t, dest, want)
	nothingPassing(t, root)
}

// Files, copies and folders made in the nursery end up in their places, the same as made
// there, and the nursery's folders are gone before the site is swapped in.
func TestNursery(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	src := filepath.Join(root, "allegato.pdf")
	if err := os.WriteFile(src, []byte("%PDF-1.7 allegato"), 0o644); err != nil {
		t.Fatal(err)
	}
	tr, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	y := nurseryOn(t, tr)
	want := site{"index.html": "home", "atti/2026/1.html": "uno", "atti/2026/2.html": "due", "tipi/avviso/index.html": "avvisi"}
	for rel, c := range want {
		if err := tr.WriteKeyed(rel, "k:"+c, []byte(c)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tr.CopyFile("atti/2026/2/allegato.pdf", src, "sha256:x"); err != nil {
		t.Fatal(err)
	}
	want["atti/2026/2/allegato.pdf"] = "%PDF-1.7 allegato"
	for range slowRun { // slow in the nursery's folder too: another one
		y.took(y.dir, slowBirth)
	}
	if err := tr.WriteFile("atti/2026/3.html", []byte("tre")); err != nil {
		t.Fatal(err)
	}
	want["atti/2026/3.html"] = "tre"
	if len(y.folders) != 2 {
		t.Fatalf("%d nursery folders, want 2", len(y.folders))
	}
	for _, d := range y.folders {
		if entries, err := os.ReadDir(d); err != nil || len(entries) > 0 {
			t.Fatalf("nursery folder %s holds %d entries (%v): every file is moved to its place", d, len(entries), err)
		}
	}
	commitWhole(t, tr, root, dest, want)
}

// A file that is fast to make breaks a run of slow ones: files move to the nursery only
// after slowRun slow ones in a row.
func TestNurseryRun(t *testing.T) {
	y := newNursery(t.TempDir(), true)
	for range slowRun - 1 {
		y.took("", slowBirth)
	}
	y.took("", slowBirth-1)
	y.took("", slowBirth)
	if y.dir != "" {
		t.Fatalf("files made in %s after %d slow ones broken by a fast one", y.dir, slowRun)
	}
	if newNursery(t.TempDir(), false) != nil {
		t.Fatal("a nursery for a root that is not marked")
	}
}

// A build stopped with files in the nursery (killed, or failed) leaves them to the next
// build, which publishes none of them.
func TestNurseryLeftByAbort(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	build(t, dest, site{"index.html": "uno"}, true)
	tr, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	y := nurseryOn(t, tr)
	if err := tr.WriteFile("atti/2026/1.html", []byte("uno")); err != nil {
		t.Fatal(err)
	}
	fd, _, err := y.open(filepath.Join(tr.stage, "atti/2026/2.html")) // killed before its move
	if err != nil {
		t.Fatal(err)
	}
	unix.Close(fd)
	if err := y.mkdir(filepath.Join(tr.stage, "atti", "2026")); err != nil { // there already: no error
		t.Fatal(err)
	}
	tr.Abort()
	if len(passing(t, StageName(dest))) == 0 {
		t.Fatal("the stopped build left nothing in its nursery: the test tests nothing")
	}
	want := site{"index.html": "due", "atti/2026/1.html": "uno"}
	build(t, dest, want, true)
	check(t, dest, want)
	nothingPassing(t, root)
}

// Writers side by side while the nursery moves from folder to folder: every file and
// folder ends up in its place, once.
func TestNurseryConcurrent(t *testing.T) {
	root := t.TempDir()
	dest := filepath.Join(root, "public")
	tr, err := Begin(dest)
	if err != nil {
		t.Fatal(err)
	}
	y := nurseryOn(t, tr)
	want := site{}
	for i := range 400 {
		want[fmt.Sprintf("atti/%d/%d/%d.html", 2020+i%7, i%23, i)] = fmt.Sprint("atto ", i)
	}
	rels := slices.Collect(maps.Keys(want))
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for w := range errs {
		wg.Go(func() {
			for k := w; k < len(rels); k += len(errs) {
				if errs[w] = tr.WriteFile(rels[k], []byte(want[rels[k]])); errs[w] != nil {
					return
				}
				if k%50 == 0 {
					y.mu.Lock()
					dir := y.dir
					y.mu.Unlock()
					for range slowRun {
						y.took(dir, slowBirth)
					}
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(y.folders) < 2 {
		t.Fatalf("%d nursery folders: the writers never saw it move", len(y.folders))
	}
	commitWhole(t, tr, root, dest, want)
}

// With every file slow to make, the nursery makes all of them, in the builds and in the
// staging copies linked after them, and leaves nothing behind: not in the live site, not
// in the staging tree the next build starts from.
func TestNurseryEverywhere(t *testing.T) {
	root := t.TempDir()
	if !spread(root) {
		t.Skip("the temporary folder's file system keeps no FS_TOPDIR_FL: no nursery")
	}
	defer func(d time.Duration) { slowBirth = d }(slowBirth)
	slowBirth = 0
	dest := filepath.Join(root, "public")
	one := site{}
	for i := range 60 {
		one[fmt.Sprintf("atti/2026/%d/%d.html", i%9, i)] = fmt.Sprint("atto ", i)
	}
	two := maps.Clone(one)
	two["atti/2027/1/1.html"], two["index.html"] = "nuovo", "home"
	for _, s := range []site{one, two, one} {
		build(t, dest, s, true)
		check(t, dest, s)
		if left := passing(t, root); len(left) > 0 {
			t.Fatalf("left under passing names: %v", left)
		}
	}
	once := filepath.Join(root, "once", "public")
	buildAs(t, once, two, true, true)
	build(t, once, one, true)
	check(t, once, one)
	nothingPassing(t, root)
}
