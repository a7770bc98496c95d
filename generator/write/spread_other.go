//go:build !linux

package write

// spread: no placement hint is given here (see spread_linux.go).
func spread(root string) {}

// mkdirTop makes dir, a folder directly in a staging root; one that is there already is no error.
func mkdirTop(dir string) error { return mkdirOnce(dir) }
