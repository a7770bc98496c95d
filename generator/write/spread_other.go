//go:build !linux

package write

// spread: no placement hint is given here (see spread_linux.go); no root is marked.
func spread(root string) bool { return false }

// mkdirTop makes dir, a folder directly in a staging root; one that is there already is no error.
func mkdirTop(dir string, _ bool) error { return mkdirOnce(dir) }

// nursery: files are made in place here (see spread_linux.go).
type nursery struct{}

func newNursery(string, bool) *nursery { return nil }

func (*nursery) create(p string, parts [][]byte, sum [32]byte, key string) (entry, error) {
	return create(p, parts, sum, key)
}

func (*nursery) stream(p string) (*streaming, error) { return stream(p) }

func (*nursery) mkdir(dir string) error { return mkdirOnce(dir) }

func (*nursery) close() error { return nil }
