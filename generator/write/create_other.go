//go:build !linux

package write

import "os"

// create makes the file p, which does not exist, holding data, and returns its entry.
func create(p string, data []byte, sum [32]byte, key string) (entry, error) {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return entry{}, err
	}
	_, err = f.Write(data)
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
