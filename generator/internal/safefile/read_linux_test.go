package safefile

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestOpenDirect: a regular file reached through no link is opened at once; a link, as the
// file or as a folder on the way, a FIFO, a folder or a missing file are left to the
// general way (ok false), the FIFO without waiting for a writer.
func TestOpenDirect(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "atto"), 0o755))
	file := filepath.Join(dir, "atto", "testo.pdf")
	must(os.WriteFile(file, []byte("%PDF-1.7 testo"), 0o644))
	must(os.Symlink(file, filepath.Join(dir, "atto", "collegato.pdf")))
	must(os.Symlink(filepath.Join(dir, "atto"), filepath.Join(dir, "cartella")))
	if err := syscall.Mkfifo(filepath.Join(dir, "atto", "fifo.pdf"), 0o644); err != nil {
		t.Fatal(err)
	}

	f, info, ok := OpenDirect(file)
	if !ok {
		t.Skip("openat2 is not available here (a kernel before 5.6, or a sandbox refusing it)")
	}
	b, err := io.ReadAll(f)
	f.Close()
	if err != nil || string(b) != "%PDF-1.7 testo" || info.Size() != int64(len(b)) || !info.Mode().IsRegular() {
		t.Errorf("the file: %q, %v, size %d", b, err, info.Size())
	}
	for _, name := range []string{"atto/collegato.pdf", "cartella/testo.pdf", "atto/fifo.pdf", "atto", "atto/manca.pdf"} {
		done := make(chan bool, 1)
		go func() {
			f, _, ok := OpenDirect(filepath.Join(dir, filepath.FromSlash(name)))
			if ok {
				f.Close()
			}
			done <- ok
		}()
		select {
		case ok := <-done:
			if ok {
				t.Errorf("%s: opened directly", name)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: opening it hangs", name)
		}
	}
}
