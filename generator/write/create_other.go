//go:build !linux

package write

import (
	"bufio"
	"os"
)

// create makes the file p, which does not exist, holding the bytes of parts, and returns
// its entry.
func create(p string, parts [][]byte, sum [32]byte, key string) (entry, error) {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return entry{}, err
	}
	if len(parts) == 1 {
		_, err = f.Write(parts[0])
	} else { // the lines of the open data: a write for many of them
		w := bufio.NewWriterSize(f, 256<<10)
		for _, b := range parts {
			w.Write(b)
		}
		err = w.Flush()
	}
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
