// Package themes holds albo's default theme, embedded in the binary so that albo works
// anywhere, and lays a site's own theme over it file by file.
package themes

import (
	"embed"
	"errors"
	"io/fs"
	"os"
	"sort"
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

// Overlay returns a theme in which every file of dir (a site's themes/NAME) replaces the
// default file of the same name. An empty dir returns the default theme.
func Overlay(dir string) (fs.FS, error) {
	if dir == "" {
		return Default, nil
	}
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return nil, errors.New("theme folder " + dir + " not found")
	}
	return overlay{top: os.DirFS(dir), base: Default}, nil
}

type overlay struct{ top, base fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	f, err := o.top.Open(name)
	if err == nil {
		if st, serr := f.Stat(); serr == nil && !st.IsDir() {
			return f, nil
		}
		f.Close()
	}
	return o.base.Open(name)
}

// ReadDir merges the entries of both themes, so files only the site has are found too.
func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]bool{}
	var out []fs.DirEntry
	for _, f := range []fs.FS{o.top, o.base} {
		es, err := fs.ReadDir(f, name)
		if err != nil {
			continue
		}
		for _, e := range es {
			if !seen[e.Name()] {
				seen[e.Name()] = true
				out = append(out, e)
			}
		}
	}
	if len(out) == 0 {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}
