// Package themes holds albo's built-in themes, embedded in the binary so that albo works
// anywhere: the default one, light, and Bootstrap Italia (tema: bootstrap-italia), which
// replaces some of the default one's files and keeps the others. A site's own theme is
// laid over the chosen one file by file (generator/internal/overlay).
package themes

import (
	"embed"
	"io/fs"
)

//go:embed default bootstrap-italia
var embedded embed.FS

// Default is the built-in theme: *.html templates at its root and static/ for files
// copied as they are.
var Default fs.FS = mustSub(embedded, "default")

// BootstrapItalia is the name (tema) of the built-in Bootstrap Italia theme.
const BootstrapItalia = "bootstrap-italia"

// builtin are the files of the built-in themes other than the default one, by name: each
// holds only what it changes of the default theme.
var builtin = map[string]fs.FS{BootstrapItalia: mustSub(embedded, BootstrapItalia)}

// Builtin returns the files a built-in theme puts in place of the default one's, and
// whether name is a built-in theme at all.
func Builtin(name string) (fs.FS, bool) {
	f, ok := builtin[name]
	return f, ok
}

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}
