// Package overlay lays a site's own theme (themes/NAME) over albo's built-in one, file by
// file.
package overlay

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/borgoesempio/albo/generator/internal/safefile"
	"github.com/borgoesempio/albo/themes"
)

// Theme returns a theme in which every file of dir (a site's themes/NAME) replaces the
// default file of the same name. An empty dir returns the default theme.
func Theme(dir string) (fs.FS, error) {
	if dir == "" {
		return themes.Default, nil
	}
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return nil, errors.New("theme folder " + dir + " not found")
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, err
	}
	return overlay{top: siteFS{real}, base: themes.Default}, nil
}

type overlay struct{ top, base fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	f, err := o.top.Open(name)
	if err == nil {
		return f, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err // a file of the site's theme that cannot be used: say so, do not hide it
	}
	return o.base.Open(name)
}

// siteFS is a site's theme folder: its files are read only when regular (a FIFO would
// hang the build) and inside the folder (a link may not lead elsewhere).
type siteFS struct{ dir string }

func (s siteFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	p := filepath.Join(s.dir, filepath.FromSlash(name))
	if info, err := os.Lstat(p); err == nil && info.IsDir() {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist} // the default theme's folder
	}
	f, _, err := safefile.Open(p, s.dir)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return f, nil
}

func (s siteFS) ReadDir(name string) ([]fs.DirEntry, error) {
	return os.ReadDir(filepath.Join(s.dir, filepath.FromSlash(name)))
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
