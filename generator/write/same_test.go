package write

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSame: a file is the same as the parts of a page only if it is a regular file, not a
// link, holding exactly their bytes; then its entry is the one Lstat gives. A FIFO is
// refused without waiting for a writer.
func TestSame(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	parts := [][]byte{[]byte("<p>uno"), nil, []byte(" due</p>")}
	page := write("page.html", "<p>uno due</p>")
	write("other.html", "<p>uno tre</p>")
	write("longer.html", "<p>uno due</p>\n")
	write("shorter.html", "<p>uno due</")
	if err := os.Mkdir(filepath.Join(dir, "dir.html"), 0o755); err != nil {
		t.Fatal(err)
	}
	cases := map[string]bool{"page.html": true, "other.html": false, "longer.html": false, "shorter.html": false, "dir.html": false, "missing.html": false}
	for _, name := range specials(t, dir, page) {
		cases[name] = false
	}
	sum := [32]byte{7}
	for name, want := range cases {
		e, got := same(filepath.Join(dir, name), parts, sum, "chiave")
		if got != want {
			t.Errorf("%s: same %v, want %v", name, got, want)
			continue
		}
		if got {
			info, err := os.Lstat(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if w := entryOf(info, sum, "chiave"); e != w {
				t.Errorf("%s: entry %+v, want %+v", name, e, w)
			}
		}
	}
}
