// Package write stores a built site: it fills a new tree beside the destination and
// swaps it in at the end, so a web server reading the destination never sees a half-built
// or mixed site, and a failed build leaves the previous site as it was.
package write

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// Tree is a site being written. Its methods may be called from several goroutines.
type Tree struct {
	dest string // the destination folder
	tmp  string // the new tree, beside dest
	lock *os.File
	dirs sync.Map // folders already made in tmp
}

// Begin starts a new tree for dest. Builds of the same destination wait for each other.
func Begin(dest string) (*Tree, error) {
	dest, err := filepath.Abs(dest)
	if err != nil {
		return nil, err
	}
	parent, base := filepath.Dir(dest), filepath.Base(dest)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create %s: %w", parent, err)
	}
	lock, err := os.OpenFile(filepath.Join(parent, "."+base+".albo-lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("cannot lock %s: %w", dest, err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		lock.Close()
		return nil, fmt.Errorf("cannot lock %s: %w", dest, err)
	}
	t := &Tree{dest: dest, tmp: filepath.Join(parent, "."+base+".albo-new"), lock: lock}
	// A build that was killed may have left its tree: it is ours to clear, under the lock.
	if err := os.RemoveAll(t.tmp); err != nil {
		t.Abort()
		return nil, err
	}
	if err := os.Mkdir(t.tmp, 0o755); err != nil {
		t.Abort()
		return nil, err
	}
	return t, nil
}

// Dest returns the destination folder.
func (t *Tree) Dest() string { return t.dest }

func (t *Tree) mkdir(dir string) error {
	if dir == t.tmp {
		return nil
	}
	if _, ok := t.dirs.Load(dir); ok {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	t.dirs.Store(dir, true)
	return nil
}

// path returns the place of rel in the new tree, refusing paths that would leave it.
func (t *Tree) path(rel string) (string, error) {
	clean := filepath.Clean(filepath.FromSlash(rel))
	if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("output path %q leaves the site", rel)
	}
	return filepath.Join(t.tmp, clean), nil
}

// WriteFile stores data at rel, a slash path relative to the site root.
func (t *Tree) WriteFile(rel string, data []byte) error {
	p, err := t.path(rel)
	if err != nil {
		return err
	}
	if err := t.mkdir(filepath.Dir(p)); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

// CopyFile stores at rel a copy of the file src. When the current site has the same file
// at rel (same size and modification time as src), it is hard-linked instead of copied,
// so unchanged attachments cost nothing on each build.
func (t *Tree) CopyFile(rel, src string) error {
	p, err := t.path(rel)
	if err != nil {
		return err
	}
	if err := t.mkdir(filepath.Dir(p)); err != nil {
		return err
	}
	si, err := os.Stat(src)
	if err != nil {
		return err
	}
	old := filepath.Join(t.dest, filepath.FromSlash(rel))
	if oi, err := os.Stat(old); err == nil && oi.Mode().IsRegular() && oi.Size() == si.Size() && oi.ModTime().Equal(si.ModTime()) {
		if os.Link(old, p) == nil {
			return nil
		}
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chtimes(p, si.ModTime(), si.ModTime())
}

// Commit swaps the new tree in place of the destination, atomically where the system
// allows it (Linux renameat2 RENAME_EXCHANGE), and removes the old tree.
func (t *Tree) Commit() error {
	defer t.unlock()
	if _, err := os.Lstat(t.dest); errors.Is(err, os.ErrNotExist) {
		return os.Rename(t.tmp, t.dest)
	}
	err := unix.Renameat2(unix.AT_FDCWD, t.tmp, unix.AT_FDCWD, t.dest, unix.RENAME_EXCHANGE)
	if err != nil {
		// No atomic exchange here (another OS or file system): two renames, a brief gap.
		old := t.tmp + "-old"
		if err := os.RemoveAll(old); err != nil {
			return err
		}
		if err := os.Rename(t.dest, old); err != nil {
			os.RemoveAll(t.tmp)
			return fmt.Errorf("cannot replace %s: %w", t.dest, err)
		}
		if err := os.Rename(t.tmp, t.dest); err != nil {
			_ = os.Rename(old, t.dest)
			return fmt.Errorf("cannot replace %s: %w", t.dest, err)
		}
		return os.RemoveAll(old)
	}
	return os.RemoveAll(t.tmp) // now the old site
}

// Abort drops the new tree and leaves the destination untouched.
func (t *Tree) Abort() {
	os.RemoveAll(t.tmp)
	t.unlock()
}

func (t *Tree) unlock() {
	if t.lock != nil {
		t.lock.Close() // releases the flock
		t.lock = nil
	}
}
