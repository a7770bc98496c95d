package write

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/unix"
)

// topDir is FS_TOPDIR_FL (chattr +T): the folder is the top of a hierarchy of its own.
const topDir = 0x00020000

// spread marks a staging root as the top of a hierarchy, where the file system knows the
// mark (ext4), and reports whether the root carries it: each folder made in it directly is
// then put in a block group of its own, one with few folders and many free inodes, and
// what is made under that folder follows it.
//
// Without it the whole site is made where the folder around it lives, often among the
// inodes of a site just deleted (rm -rf public, a CI wipe, compare.py). ext4 without a
// journal does not reuse an inode deleted in the last minute or so, and looks at each of
// them before every new one: 10,000 acts made right after 16,000 files were deleted took
// 6-12 s, 7-18 s of it in the kernel, 52% of it in recently_deleted; with the mark 2.8-3.3 s.
func spread(root string) bool {
	fd, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return false
	}
	defer unix.Close(fd)
	flags, err := unix.IoctlGetInt(fd, unix.FS_IOC_GETFLAGS)
	if err != nil {
		return false // not a file system with flags (tmpfs)
	}
	if flags&topDir != 0 {
		return true
	}
	// A hint: refused, it costs time, not correctness.
	return unix.IoctlSetPointerInt(fd, unix.FS_IOC_SETFLAGS, flags|topDir) == nil
}

// places is how many places mkdirTop tries at most for a folder made in a marked staging
// root; it stops at the first where making a file takes less than quick.
const (
	places = 8
	quick  = 50 * time.Microsecond
)

// mkdirTop makes dir, a folder directly in a staging root, under a name never used
// before, then gives it its name. ext4 chooses the block group of a folder in a marked
// root (spread) starting from the hash of its name: made as "atti" every time, it would
// be put back among the inodes of the last site deleted, which had the same name.
//
// In a marked root (marked true) it tries up to places places and keeps the first where
// making a file took less than quick, or else the fastest (see fastest). The groups ext4
// favours for such folders are few, and those of the last site deleted are among them:
// there each file waits while ext4 looks at the inodes deleted in the last minute.
// Timing one file is what tells them apart, since ext4 says nothing of where it deleted,
// and it tells them apart only in part: a group that fills up sends the rest of the
// folder to its neighbours, which the probe does not see. Of 16 cold builds alternated
// with the version before, each right after wiping the last one and Hugo's (compare.py's
// sequence), the median went from 3.3 s to 2.2 s.
//
// A folder that is there already is no error, as for os.Mkdir; one left under its
// passing name by a killed build is removed by the next (prune).
func mkdirTop(dir string, marked bool) error {
	n := 1
	if marked {
		n = places
	}
	best, err := fastest(filepath.Dir(dir), n, probe)
	if err != nil {
		return err
	}
	err = unix.Renameat2(unix.AT_FDCWD, best, unix.AT_FDCWD, dir, unix.RENAME_NOREPLACE)
	if err == nil {
		return nil
	}
	os.Remove(best)
	if errors.Is(err, unix.EEXIST) {
		return nil
	}
	return mkdirOnce(dir) // no RENAME_NOREPLACE here: a plain folder
}

// fastest makes up to n folders in parent under passing names, timing each with probe
// when n > 1, and returns the one it keeps: the first timed under quick, or the fastest.
// It removes the others.
func fastest(parent string, n int, probe func(dir string) time.Duration) (string, error) {
	best, least := "", time.Duration(math.MaxInt64)
	for range n {
		passing := filepath.Join(parent, fmt.Sprintf(".albo-%016x", rand.Uint64()))
		if err := os.Mkdir(passing, 0o755); err != nil {
			if best != "" {
				os.Remove(best)
			}
			return "", err
		}
		took := time.Duration(0)
		if n > 1 {
			took = probe(passing)
		}
		if took < least {
			if best != "" {
				os.Remove(best)
			}
			best, least = passing, took
		} else {
			os.Remove(passing)
		}
		if least < quick {
			break
		}
	}
	return best, nil
}

// probe returns how long making a file in dir took; the file is removed.
func probe(dir string) time.Duration {
	p := filepath.Join(dir, "p")
	start := time.Now()
	fd, err := unix.Open(p, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_CLOEXEC, 0o644)
	took := time.Since(start)
	if err != nil {
		return math.MaxInt64 - 1 // kept only when no place does better
	}
	unix.Close(fd)
	unix.Unlink(p)
	return took
}
