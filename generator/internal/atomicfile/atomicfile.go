// Package atomicfile replaces files whole: readers see the old content or the new one,
// never a part. The temporary file is hidden (".name.albo-tmp"), so that neither albo's
// loader nor its watcher takes it for a file of the site.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write replaces the file at path with data, keeping its permissions when it exists.
func Write(path string, data []byte, perm os.FileMode) error {
	if info, err := os.Stat(path); err == nil {
		perm = info.Mode().Perm()
	}
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".albo-tmp")
	if err := os.WriteFile(tmp, data, perm); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
