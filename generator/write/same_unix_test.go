//go:build unix

package write

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// specials makes in dir a link to target and a FIFO, and returns their names.
func specials(t *testing.T, dir, target string) []string {
	if err := os.Symlink(target, filepath.Join(dir, "link.html")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.html"), 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{"link.html", "fifo.html"}
}
