package write

import (
	"syscall"

	"github.com/borgoesempio/albo/generator/internal/safefile"
	"golang.org/x/sys/unix"
)

// copyFile makes the file p, which does not exist, a copy of the file src (an
// attachment), and returns its entry with key: a clone sharing src's blocks where the
// file system can (FICLONE: btrfs, XFS), else a copy in the kernel (copy_file_range),
// else through a pooled buffer (between two file systems: the site on one disk, the
// output on another, or in memory). It works on descriptors, as create does: os.Open,
// os.OpenFile and Fd made eight fcntl and two epoll_ctl calls more for each attachment.
// src is opened as safefile opens an act (no link followed, no FIFO waited on, a regular
// file only): what load checked may have been replaced since. The copy is made where y
// makes files (nil: in place).
func copyFile(y *nursery, p, src, key string) (entry, error) {
	in, _, err := safefile.OpenRegular(src)
	if err != nil {
		return entry{}, err
	}
	defer syscall.Close(in)
	out, born, err := y.open(p)
	if err != nil {
		return entry{}, err
	}
	if unix.IoctlFileClone(out, in) != nil {
		err = copyFd(out, in)
	}
	if err == nil {
		err = y.home(born, p)
	}
	return finish(out, p, err, [32]byte{}, key)
}

// copyFd copies what is left of in to out: in the kernel where it can, else through a
// pooled buffer. A first copy_file_range that copies nothing is not taken at its word:
// some file systems (procfs, some FUSE and network ones) answer 0 for a file that is not
// empty, and an empty file costs the buffer one read.
func copyFd(out, in int) error {
	for copied := false; ; copied = true {
		n, err := unix.CopyFileRange(in, nil, out, nil, 1<<30, 0)
		switch {
		case (err != nil || n == 0) && !copied:
			return copyBuffered(out, in) // EXDEV, ENOSYS, EINVAL, EOPNOTSUPP, or nothing copied
		case err != nil:
			return err
		case n == 0:
			return nil
		}
	}
}

// copyBuffered copies what is left of in to out through a buffer of write's pool.
func copyBuffered(out, in int) error {
	buf := readBufs.Get(64 << 10)
	defer readBufs.Put(buf)
	for {
		n, err := syscall.Read(in, *buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil || n == 0 {
			return err
		}
		if err := writev(out, [][]byte{(*buf)[:n]}); err != nil {
			return err
		}
	}
}
