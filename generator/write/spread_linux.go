package write

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// topDir is FS_TOPDIR_FL (chattr +T): the folder is the top of a hierarchy of its own.
const topDir = 0x00020000

// spread marks a staging root as the top of a hierarchy, where the file system knows the
// mark (ext4): each folder made in it directly is then put in a block group of its own,
// one with few folders and many free inodes, and what is made under that folder follows it.
//
// Without it the whole site is made where the folder around it lives, often among the
// inodes of a site just deleted (rm -rf public, a CI wipe, compare.py). ext4 without a
// journal does not reuse an inode deleted in the last minute or so, and looks at each of
// them before every new one: 10,000 acts made right after 16,000 files were deleted took
// 6-12 s, 7-18 s of it in the kernel, 52% of it in recently_deleted; with the mark 2.8-3.3 s.
func spread(root string) {
	fd, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return
	}
	defer unix.Close(fd)
	flags, err := unix.IoctlGetInt(fd, unix.FS_IOC_GETFLAGS)
	if err != nil || flags&topDir != 0 {
		return // not a file system with flags (tmpfs), or marked already
	}
	_ = unix.IoctlSetPointerInt(fd, unix.FS_IOC_SETFLAGS, flags|topDir) // a hint: refused, it costs time, not correctness
}

// mkdirTop makes dir, a folder directly in a staging root, under a name never used
// before, then gives it its name. ext4 chooses the block group of a folder in a marked
// root (spread) starting from the hash of its name: made as "atti" every time, it would
// be put back among the inodes of the last site deleted, which had the same name.
// A folder that is there already is no error, as for os.Mkdir; one left under its
// passing name by a killed build is removed by the next (prune).
func mkdirTop(dir string) error {
	passing := filepath.Join(filepath.Dir(dir), fmt.Sprintf(".albo-%016x", rand.Uint64()))
	if err := os.Mkdir(passing, 0o755); err != nil {
		return err
	}
	err := unix.Renameat2(unix.AT_FDCWD, passing, unix.AT_FDCWD, dir, unix.RENAME_NOREPLACE)
	if err == nil {
		return nil
	}
	os.Remove(passing)
	if errors.Is(err, unix.EEXIST) {
		return nil
	}
	return mkdirOnce(dir) // no RENAME_NOREPLACE here: a plain folder
}
