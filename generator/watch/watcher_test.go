package watch

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func newSite(t *testing.T) string {
	root := t.TempDir()
	write(t, filepath.Join(root, "content", "albo.yaml"), "ente: E\nurl: https://x.it/\n")
	write(t, filepath.Join(root, "content", "2026", "a.md"), "---\ntipo: avviso\noggetto: A\n---\n")
	write(t, filepath.Join(root, "content", "2026", "vecchio", "index.md"), "---\ntipo: avviso\noggetto: V\n---\n")
	return root
}

// next waits for the next batch, or fails after a while.
func next(t *testing.T, w *Watcher) Batch {
	t.Helper()
	select {
	case b := <-w.C:
		return b
	case <-time.After(5 * time.Second):
		t.Fatal("no change reported")
	}
	return Batch{}
}

// quiet checks that no batch comes for a while.
func quiet(t *testing.T, w *Watcher) {
	t.Helper()
	select {
	case b := <-w.C:
		t.Fatalf("unexpected batch %+v", b)
	case <-time.After(400 * time.Millisecond):
	}
}

func watcher(t *testing.T, root string, poll bool) *Watcher {
	w, err := New(root, Options{Poll: poll, Interval: 100 * time.Millisecond, Debounce: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

func TestIgnored(t *testing.T) {
	for _, n := range []string{".a.md.swp", "a.md~", "4913", "#a.md#", ".#a.md", "a.md___jb_tmp___", "a.md___jb_old___", "_bozze", ".a.md.albo-tmp"} {
		if !Ignored(n) {
			t.Errorf("%q should be ignored", n)
		}
	}
	for _, n := range []string{"a.md", "index.md", "albo.yaml", "404.html", "delibera.pdf"} {
		if Ignored(n) {
			t.Errorf("%q should not be ignored", n)
		}
	}
}

func TestWatcher(t *testing.T) {
	for _, poll := range []bool{false, true} {
		t.Run(fmt.Sprintf("poll=%v", poll), func(t *testing.T) {
			root := newSite(t)
			w := watcher(t, root, poll)
			if !poll && w.Mode != "inotify" {
				t.Fatalf("mode %s", w.Mode)
			}

			// An editor saving by rename (IntelliJ): temporary file, rename over the original.
			c := filepath.Join(root, "content", "2026")
			write(t, filepath.Join(c, "a.md___jb_tmp___"), "---\ntipo: avviso\noggetto: A2\n---\n")
			write(t, filepath.Join(c, ".a.md.swp"), "swap")
			os.Rename(filepath.Join(c, "a.md"), filepath.Join(c, "a.md___jb_old___"))
			os.Rename(filepath.Join(c, "a.md___jb_tmp___"), filepath.Join(c, "a.md"))
			os.Remove(filepath.Join(c, "a.md___jb_old___"))
			b := next(t, w)
			if !slices.Contains(b.Paths, "content/2026/a.md") || slices.ContainsFunc(b.Paths, func(p string) bool { return p != "content/2026/a.md" }) {
				t.Errorf("save by rename: %v", b.Paths)
			}

			// A new nested folder with a file written into it at once.
			write(t, filepath.Join(c, "nuovo", "allegati", "index.md"), "x")
			b = next(t, w)
			if !slices.Contains(b.Paths, "content/2026/nuovo/allegati/index.md") {
				t.Errorf("new nested folder: %v", b.Paths)
			}
			// And a file written later in it is seen too.
			write(t, filepath.Join(c, "nuovo", "allegati", "testo.pdf"), "pdf")
			if b = next(t, w); !slices.Contains(b.Paths, "content/2026/nuovo/allegati/testo.pdf") {
				t.Errorf("file in a new folder: %v", b.Paths)
			}

			// A removed folder.
			os.RemoveAll(filepath.Join(c, "vecchio"))
			if b = next(t, w); !slices.Contains(b.Paths, "content/2026/vecchio") && !slices.Contains(b.Paths, "content/2026/vecchio/index.md") {
				t.Errorf("removed folder: %v", b.Paths)
			}

			// A theme appears and is edited; the configuration is edited.
			write(t, filepath.Join(root, "themes", "mio", "404.html"), "a")
			if b = next(t, w); !slices.Contains(b.Paths, "themes/mio/404.html") {
				t.Errorf("new theme: %v", b.Paths)
			}
			write(t, filepath.Join(root, "themes", "mio", "404.html"), "bb")
			if b = next(t, w); !slices.Contains(b.Paths, "themes/mio/404.html") {
				t.Errorf("theme edit: %v", b.Paths)
			}
			write(t, filepath.Join(root, "content", "albo.yaml"), "ente: F\nurl: https://x.it/\n")
			if b = next(t, w); !slices.Contains(b.Paths, "content/albo.yaml") {
				t.Errorf("config edit: %v", b.Paths)
			}

			// Chmod only, and files albo ignores: nothing.
			os.Chmod(filepath.Join(c, "a.md"), 0o600)
			write(t, filepath.Join(c, "a.md~"), "backup")
			write(t, filepath.Join(root, "public", "index.html"), "output")
			if !poll {
				quiet(t, w)
			}
		})
	}
}

// TestBurst writes 1,000 files as fast as it can: the watcher reports them in few batches.
func TestBurst(t *testing.T) {
	root := newSite(t)
	w := watcher(t, root, false)
	for i := range 1000 {
		write(t, filepath.Join(root, "content", "2026", "burst", fmt.Sprintf("%04d.md", i)), "x")
	}
	seen := map[string]bool{}
	batches := 0
	for len(seen) < 1000 {
		b := next(t, w)
		batches++
		if b.Rescan {
			break
		}
		for _, p := range b.Paths {
			seen[p] = true
		}
	}
	if batches > 5 {
		t.Errorf("1,000 writes gave %d batches", batches)
	}
	t.Logf("1,000 writes: %d batch(es)", batches)
}
