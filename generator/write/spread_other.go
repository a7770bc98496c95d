//go:build !linux

package write

// spread: no placement hint is given here (see spread_linux.go); no root is marked.
func spread(root string) bool { return false }

// mkdirTop makes dir, a folder directly in a staging root; one that is there already is no error.
func mkdirTop(dir string, _ bool) error { return mkdirOnce(dir) }
