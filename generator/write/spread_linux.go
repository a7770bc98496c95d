package write

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
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

// slowBirth is how long making a file may take before it counts as slow: in a block
// group free of recent deletions ext4 makes one in 9-35 µs; among them, 150-1,300 µs.
// After slowRun slow files in a row where files are being made, the nursery moves on.
// (A variable for the tests, which make every file slow.)
var slowBirth = 150 * time.Microsecond

const slowRun = 8

// A nursery makes the files of a marked staging tree (spread) where ext4 makes them
// quickly, and moves each to its place. mkdirTop chooses where each top folder begins,
// but a folder of 11,000 pages fills its block group and goes on in the next one of its
// flex group, which may hold the inodes of a site just deleted: there ext4, without a
// journal, looks at each inode deleted in the last minute before making every file. No
// call says where that is; the time each file takes does. So files are made in their
// own folder until slowRun of them in a row are slow; from then on each is made in a
// folder of the nursery, made in the staging root where a probe was quick (fastest), and
// renamed to its place (the inode stays where it was made); a nursery folder where
// files turn slow is left for a new one. The nursery's folders are empty once every
// file is in place, and removed before the swap (close); a killed build leaves them to
// the next, which prunes its staging tree.
type nursery struct {
	root string // the staging root
	n    atomic.Uint64

	mu      sync.Mutex
	dir     string   // the folder files are made in now; "" for their own
	run     int      // slow files in a row in dir
	folders []string // the nursery's folders
}

// newNursery returns the nursery of the staging root root, nil when it is not marked.
func newNursery(root string, marked bool) *nursery {
	if !marked {
		return nil
	}
	return &nursery{root: root}
}

// create makes the file p, which does not exist, holding the bytes of parts, and returns
// its entry; with no nursery (nil), in place. It works on the descriptor directly:
// os.OpenFile would offer a regular file to the network poller (and be refused),
// os.NewFile would ask for its flags; that is two system calls more for each of the
// site's files.
func (y *nursery) create(p string, parts [][]byte, sum [32]byte, key string) (entry, error) {
	fd, born, err := y.open(p)
	if err != nil {
		return entry{}, err
	}
	err = writev(fd, parts)
	if err == nil {
		err = y.home(born, p)
	}
	return finish(fd, p, err, sum, key)
}

// stream makes the file p, which does not exist, to be written a piece at a time and
// ended (streaming.end): in place, or in the nursery, as create.
func (y *nursery) stream(p string) (*streaming, error) {
	fd, born, err := y.open(p)
	if err != nil {
		return nil, err
	}
	return &streaming{Writer: bufio.NewWriterSize(fdWriter(fd), streamBuffer), done: func(err error, key string) (entry, error) {
		if err == nil {
			err = y.home(born, p)
		}
		return finish(fd, p, err, [32]byte{}, key)
	}}, nil
}

// open makes the file p, which does not exist, and opens it for writing: in place, or in
// the nursery's folder (born is where).
func (y *nursery) open(p string) (fd int, born string, err error) {
	born = p
	err = y.made(&born, func(at string) (err error) {
		fd, err = unix.Open(at, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_CLOEXEC, 0o644)
		return err
	})
	if err != nil {
		return -1, "", &os.PathError{Op: "open", Path: p, Err: err}
	}
	return fd, born, nil
}

// mkdir makes the folder dir, in place or in the nursery; one that is there already is
// no error.
func (y *nursery) mkdir(dir string) error {
	born := dir
	err := y.made(&born, func(at string) error { return os.Mkdir(at, 0o755) })
	if err == nil {
		err = y.home(born, dir)
	}
	if errors.Is(err, fs.ErrExist) {
		return nil // there already, or made meanwhile by another writer
	}
	return err
}

// made makes what is to be at *at with mk, timed, in place or in the nursery's folder,
// where *at then says it is; with no nursery (nil), in place and untimed.
func (y *nursery) made(at *string, mk func(at string) error) error {
	if y == nil {
		return mk(*at)
	}
	y.mu.Lock()
	dir := y.dir
	y.mu.Unlock()
	p := *at
	if dir != "" {
		p = filepath.Join(dir, strconv.FormatUint(y.n.Add(1), 36))
	}
	start := time.Now()
	err := mk(p)
	y.took(dir, time.Since(start))
	if err != nil && dir != "" {
		return mk(*at) // the nursery's folder is gone: in place
	}
	*at = p
	return err
}

// home moves what was made at born to its place p (nothing to do when it was made there);
// p must not exist. What cannot be moved is removed.
func (y *nursery) home(born, p string) error {
	if born == p {
		return nil
	}
	err := unix.Renameat2(unix.AT_FDCWD, born, unix.AT_FDCWD, p, unix.RENAME_NOREPLACE)
	if err != nil {
		os.Remove(born) // a file or an empty folder
	}
	return err
}

// took records that making a file or folder in dir ("" for in place) took took: after
// slowRun slow ones in a row, files are made in a new folder of the nursery.
func (y *nursery) took(dir string, took time.Duration) {
	y.mu.Lock()
	defer y.mu.Unlock()
	if dir != y.dir {
		return // made before the last move
	}
	if took < slowBirth {
		y.run = 0
		return
	}
	if y.run++; y.run < slowRun {
		return
	}
	next, err := fastest(y.root, places, probe)
	if err != nil {
		return
	}
	y.dir, y.run, y.folders = next, 0, append(y.folders, next)
}

// close removes the nursery's folders, once no file is being made.
func (y *nursery) close() error {
	if y == nil {
		return nil
	}
	for _, d := range y.folders {
		if err := os.RemoveAll(d); err != nil {
			return err
		}
	}
	y.folders, y.dir = nil, ""
	return nil
}
