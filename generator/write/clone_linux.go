package write

import (
	"syscall"

	"github.com/borgoesempio/albo/generator/internal/safefile"
	"golang.org/x/sys/unix"
)

// copyFile makes the file p, which does not exist, a copy of the file src (an
// attachment), and returns its entry with key: in the kernel (copy_file_range, for which
// the kernel first tries a clone sharing src's blocks where the file system can, btrfs or
// XFS, as FICLONE does: albo asked FICLONE itself before, a call that failed for every
// attachment on ext4 and tmpfs; where a kernel does not, the copy holds the same bytes),
// else through a pooled buffer (between two file systems: the site on one disk, the
// output on another, or in memory). It works on descriptors, as create does:
// os.Open, os.OpenFile and Fd made eight fcntl and two epoll_ctl calls more for each
// attachment. src is opened as safefile opens an act (no link followed, no FIFO waited
// on, a regular file only): what load checked may have been replaced since. The copy is
// made where y makes files (nil: in place).
func copyFile(y *nursery, p, src, key string) (entry, error) {
	in, size, err := safefile.OpenRegular(src)
	if err != nil {
		return entry{}, err
	}
	defer syscall.Close(in)
	out, born, err := y.open(p)
	if err != nil {
		return entry{}, err
	}
	err = copyFd(out, in, size)
	if err == nil {
		err = y.home(born, p)
	}
	return finish(out, p, err, [32]byte{}, key)
}

// copyFd copies what is left of in, a file of size bytes when it was opened, to out: in
// the kernel where it can, else through a pooled buffer. It stops once size bytes are
// copied, without the call that would only say the end is reached. A first
// copy_file_range that copies nothing is not taken at its word, nor a size of 0: some
// file systems (procfs, some FUSE and network ones) answer 0 for a file that is not
// empty, or give it no size; the buffer reads to the end (an empty file costs it one read).
func copyFd(out, in int, size int64) error {
	if size <= 0 {
		return copyBuffered(out, in)
	}
	for copied := int64(0); copied < size; {
		n, err := unix.CopyFileRange(in, nil, out, nil, 1<<30, 0)
		switch {
		case (err != nil || n == 0) && copied == 0:
			return copyBuffered(out, in) // EXDEV, ENOSYS, EINVAL, EOPNOTSUPP, or nothing copied
		case err != nil:
			return err
		case n == 0:
			return nil // the file shrank
		}
		copied += int64(n)
	}
	return nil
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
