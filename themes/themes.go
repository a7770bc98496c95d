// Package themes holds albo's default theme, embedded in the binary so that albo works
// anywhere; a site's own theme is laid over it file by file (generator/internal/overlay).
package themes

import (
	"embed"
	"io/fs"
)

//go:embed default
var embedded embed.FS

// Default is the built-in theme: *.html templates at its root and static/ for files
// copied as they are.
var Default fs.FS = mustSub(embedded, "default")

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}
