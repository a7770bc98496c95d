// Package overlay lays a site's own theme (themes/NAME) over albo's built-in one, file by
// file; the built-in one is the default theme, or Bootstrap Italia over it when tema names
// that. The site's files are read once, into memory: the renderer is made from exactly
// the bytes read, which the last good state can keep and give back.
package overlay

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/borgoesempio/albo/generator/internal/safefile"
	"github.com/borgoesempio/albo/themes"
)

// MaxFile is the largest theme file read.
const MaxFile = 8 << 20

// Read reads every file of a site's theme folder dir: slash path → content. Only regular
// files inside the folder are read (a FIFO would hang the build, a link could lead
// anywhere); names starting with '.' are skipped.
func Read(dir string) (map[string][]byte, error) {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, fmt.Errorf("la cartella del tema %s non c'è", dir)
	}
	if info, err := os.Stat(real); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("%s non è una cartella", dir)
	}
	files := map[string][]byte{}
	err = filepath.WalkDir(real, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != real && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(real, p)
		b, _, err := safefile.ReadFile(p, real, MaxFile)
		if err != nil {
			return fmt.Errorf("%s: %w", filepath.ToSlash(filepath.Join(dir, rel)), err)
		}
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	return files, err
}

// FS returns the built-in theme that tema chooses (the default one unless tema names
// another built-in theme) with files (a site theme as Read returns it) in place of its
// files of the same name.
func FS(tema string, files map[string][]byte) fs.FS {
	base := themes.Default
	if bi, ok := themes.Builtin(tema); ok {
		base = overlay{top: bi, base: base}
	}
	if len(files) == 0 {
		return base
	}
	return overlay{top: mem(files), base: base}
}

type overlay struct{ top, base fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	if f, err := o.top.Open(name); err == nil {
		if st, _ := f.Stat(); st != nil && !st.IsDir() {
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

// mem is a read-only file system of files in memory, with the folders their paths imply.
type mem map[string][]byte

func (m mem) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if b, ok := m[name]; ok {
		return &memFile{info: memInfo{name: path.Base(name), size: int64(len(b))}, r: bytes.NewReader(b)}, nil
	}
	var entries []fs.DirEntry
	seen := map[string]bool{}
	prefix := name + "/"
	if name == "." {
		prefix = ""
	}
	for p, b := range m {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok {
			continue
		}
		first, _, isDir := strings.Cut(rest, "/")
		if seen[first] {
			continue
		}
		seen[first] = true
		entries = append(entries, fs.FileInfoToDirEntry(memInfo{name: first, size: int64(len(b)), dir: isDir}))
	}
	if len(entries) == 0 {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	return &memFile{info: memInfo{name: path.Base(name), dir: true}, entries: entries}, nil
}

type memFile struct {
	info    memInfo
	r       *bytes.Reader
	entries []fs.DirEntry
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Close() error               { return nil }
func (f *memFile) Read(b []byte) (int, error) {
	if f.r == nil {
		return 0, &fs.PathError{Op: "read", Path: f.info.name, Err: errors.New("is a directory")}
	}
	return f.r.Read(b)
}

func (f *memFile) ReadDir(n int) ([]fs.DirEntry, error) {
	if n <= 0 {
		out := f.entries
		f.entries = nil
		return out, nil
	}
	if len(f.entries) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(f.entries))
	out := f.entries[:n]
	f.entries = f.entries[n:]
	return out, nil
}

type memInfo struct {
	name string
	size int64
	dir  bool
}

func (i memInfo) Name() string { return i.name }
func (i memInfo) Size() int64  { return i.size }
func (i memInfo) Mode() fs.FileMode {
	if i.dir {
		return fs.ModeDir | 0o555
	}
	return 0o444
}
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return i.dir }
func (i memInfo) Sys() any           { return nil }
