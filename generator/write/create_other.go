//go:build !linux

package write

import (
	"bufio"
	"io"
	"os"
)

// create makes the file p, which does not exist, holding the bytes of parts, and returns
// its entry.
func create(p string, parts [][]byte, sum [32]byte, key string) (entry, error) {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return entry{}, err
	}
	return fill(f, parts, -1, sum, key)
}

// matchesFile reports whether the file at p is a regular file that e describes.
func (e entry) matchesFile(p string) bool {
	info, err := os.Lstat(p)
	return err == nil && e.matches(info)
}

// same returns the entry of p if it is a regular file (not a link) holding exactly the
// bytes of parts.
func same(p string, parts [][]byte, sum [32]byte, key string) (entry, bool) {
	if info, err := os.Lstat(p); err != nil || !info.Mode().IsRegular() {
		return entry{}, false
	}
	f, err := os.Open(p)
	if err != nil {
		return entry{}, false
	}
	defer f.Close()
	size := total(parts)
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() || info.Size() != size {
		return entry{}, false
	}
	buf := readBufs.Get(int(size) + 1) // one more: a file that grew since
	defer readBufs.Put(buf)
	n, _ := io.ReadFull(f, *buf)
	return entryOf(info, sum, key), holds((*buf)[:n], parts)
}

// rewrite writes parts into the existing file p from offset off, makes it size bytes
// long, and returns its entry.
func rewrite(p string, off int64, parts [][]byte, size int64, sum [32]byte, key string) (entry, error) {
	f, err := os.OpenFile(p, os.O_WRONLY, 0)
	if err != nil {
		return entry{}, err
	}
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		f.Close()
		return entry{}, err
	}
	return fill(f, parts, size, sum, key)
}

// fill writes parts to f where it stands, cuts it to size bytes unless size is negative,
// closes it and returns its entry.
func fill(f *os.File, parts [][]byte, size int64, sum [32]byte, key string) (entry, error) {
	var err error
	if len(parts) == 1 {
		_, err = f.Write(parts[0])
	} else { // the lines of the open data: a write for many of them
		w := bufio.NewWriterSize(f, 256<<10)
		for _, b := range parts {
			w.Write(b)
		}
		err = w.Flush()
	}
	if err == nil && size >= 0 {
		err = f.Truncate(size)
	}
	return closed(f, err, sum, key)
}

// closed closes f, written as err says, and returns its entry or what went wrong.
func closed(f *os.File, err error, sum [32]byte, key string) (entry, error) {
	var info os.FileInfo
	if err == nil {
		info, err = f.Stat()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return entry{}, err
	}
	return entryOf(info, sum, key), nil
}

// stream makes the file p, which does not exist, to be written a piece at a time and
// ended (streaming.end).
func stream(p string) (*streaming, error) {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	return &streaming{Writer: bufio.NewWriterSize(f, streamBuffer), done: func(err error, key string) (entry, error) {
		return closed(f, err, [32]byte{}, key)
	}}, nil
}
