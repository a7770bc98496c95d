//go:build !linux

package write

import (
	"errors"
	"os"

	"github.com/borgoesempio/albo/generator/internal/safefile"
)

// copyFile makes the file p, which does not exist, a copy of the file src (an
// attachment), and returns its entry with key. src is opened as safefile opens a site's
// files (a regular file only, a FIFO never waited on); the copy is os.File.ReadFrom's,
// which the system may still make in the kernel.
func copyFile(_ *nursery, p, src, key string) (entry, error) {
	in, _, err := safefile.Open(src, "")
	if err != nil {
		return entry{}, err
	}
	defer in.Close()
	out, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o644)
	if err != nil {
		return entry{}, err
	}
	_, err = out.ReadFrom(in)
	info, serr := out.Stat()
	if err := errors.Join(err, serr, out.Close()); err != nil {
		return entry{}, err
	}
	return entryOf(info, [32]byte{}, key), nil
}
