// Package safefile opens the files of a site that albo reads (acts, attachments, the
// configuration, the register, theme files) so that no file can hang or mislead it: only
// regular files are read (a FIFO, a device or a socket is refused by name, and opening
// never waits for a writer), and a symbolic link may not lead out of the site.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ErrNotRegular is returned for a FIFO, a device, a socket or a folder.
var ErrNotRegular = errors.New("non è un file regolare")

// ErrOutside is returned for a link that leads out of the folder it must stay in.
var ErrOutside = errors.New("è un collegamento a un file fuori dal sito")

// ErrTooBig is returned by ReadFile for a file over its limit.
var ErrTooBig = errors.New("file troppo grande")

// Kind names what a file mode is, in the words of a message.
func Kind(m os.FileMode) string {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "una FIFO (named pipe)"
	case m&os.ModeSocket != 0:
		return "un socket"
	case m&os.ModeDevice != 0 || m&os.ModeCharDevice != 0:
		return "un dispositivo"
	case m.IsDir():
		return "una cartella"
	}
	return "un file speciale"
}

// Open opens the regular file at path for reading. When within is not "" (a folder with
// its links already resolved), a path that is a symbolic link must lead inside it; the
// folders above path are the caller's to trust (albo never descends into a linked folder).
// It returns the file and its information.
func Open(path, within string) (*os.File, os.FileInfo, error) {
	real := path
	if li, err := os.Lstat(path); err != nil {
		return nil, nil, err
	} else if li.Mode()&os.ModeSymlink != 0 {
		if real, err = filepath.EvalSymlinks(path); err != nil {
			return nil, nil, err
		}
	}
	if within != "" && real != path && !Inside(real, within) {
		return nil, nil, ErrOutside
	}
	info, err := os.Stat(real)
	if err != nil {
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, info, fmt.Errorf("%w: è %s", ErrNotRegular, Kind(info.Mode()))
	}
	f, err := os.OpenFile(real, os.O_RDONLY|openFlags, 0)
	if err != nil {
		return nil, nil, err
	}
	// The file could have been replaced between the check and the open: check what was opened.
	if info, err = f.Stat(); err != nil || !info.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = fmt.Errorf("%w: è %s", ErrNotRegular, Kind(info.Mode()))
		}
		return nil, info, err
	}
	return f, info, nil
}

// ReadFile reads the regular file at path (see Open), refusing one over limit bytes
// (limit 0: no limit) with ErrTooBig; the size is returned in both cases.
func ReadFile(path, within string, limit int64) ([]byte, int64, error) {
	if b, size, err, ok := readDirect(path, limit); ok {
		return b, size, err
	}
	f, info, err := Open(path, within)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	if limit > 0 && info.Size() > limit {
		return nil, info.Size(), ErrTooBig
	}
	buf := make([]byte, info.Size())
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, 0, err
	}
	return buf[:n], info.Size(), nil
}

// Inside reports whether path is within dir (both with their links resolved).
func Inside(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
