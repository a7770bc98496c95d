package write

import (
	"os"

	"golang.org/x/sys/unix"
)

// clone makes dst share the blocks of src (FICLONE), where the file system can (btrfs,
// XFS): a large attachment then costs no copy and no space.
func clone(dst, src *os.File) error { return unix.IoctlFileClone(int(dst.Fd()), int(src.Fd())) }

// kernelCopy copies src to dst in the kernel (copy_file_range) and reports whether it
// could: not between two file systems (the site on one disk, the output on another, or
// in memory), where the caller copies through a buffer of its own. A first call that
// copies nothing is not taken at its word either: some file systems (procfs, some FUSE
// and network ones) answer 0 for a file that is not empty, and an empty file costs the
// caller one read.
func kernelCopy(dst, src *os.File) (bool, error) {
	for copied := false; ; copied = true {
		n, err := unix.CopyFileRange(int(src.Fd()), nil, int(dst.Fd()), nil, 1<<30, 0)
		switch {
		case (err != nil || n == 0) && !copied:
			return false, nil // EXDEV, ENOSYS, EINVAL, EOPNOTSUPP, or nothing copied: not here
		case err != nil:
			return true, err
		case n == 0:
			return true, nil
		}
	}
}
