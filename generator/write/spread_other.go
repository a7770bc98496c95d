//go:build !linux

package write

import (
	"errors"
	"os"
)

// spread: no placement hint is given here (see spread_linux.go).
func spread(root string) {}

// mkdirTop makes dir, a folder directly in a staging root; one that is there already is no error.
func mkdirTop(dir string) error {
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	return nil
}
