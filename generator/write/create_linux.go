package write

import (
	"io"
	"os"
	"runtime"
	"syscall"
	"unsafe"
)

// rewrite writes parts into the existing file p from offset off, makes it size bytes
// long, and returns its entry.
func rewrite(p string, off int64, parts [][]byte, size int64, sum [32]byte, key string) (entry, error) {
	fd, err := syscall.Open(p, syscall.O_WRONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return entry{}, &os.PathError{Op: "open", Path: p, Err: err}
	}
	if _, err := syscall.Seek(fd, off, io.SeekStart); err != nil {
		syscall.Close(fd)
		return entry{}, &os.PathError{Op: "seek", Path: p, Err: err}
	}
	return fill(fd, p, parts, size, sum, key)
}

// fill writes parts to the file fd (at p) where it stands, cuts it to size bytes unless
// size is negative, closes it and returns its entry.
func fill(fd int, p string, parts [][]byte, size int64, sum [32]byte, key string) (entry, error) {
	err := writev(fd, parts)
	if err == nil && size >= 0 {
		err = syscall.Ftruncate(fd, size)
	}
	return finish(fd, p, err, sum, key)
}

// finish ends the writing of the file fd (at p), which went as err says: it takes the
// file's entry, closes it, and returns the entry or what went wrong.
func finish(fd int, p string, err error, sum [32]byte, key string) (entry, error) {
	var st syscall.Stat_t
	if err == nil {
		err = syscall.Fstat(fd, &st)
	}
	if cerr := syscall.Close(fd); err == nil {
		err = cerr
	}
	if err != nil {
		return entry{}, &os.PathError{Op: "write", Path: p, Err: err}
	}
	return entryOfStat(&st, sum, key), nil
}

// entryOfStat is entryOf for what fstat gave.
func entryOfStat(st *syscall.Stat_t, sum [32]byte, key string) entry {
	return entry{Size: st.Size, MTime: st.Mtim.Sec*1e9 + st.Mtim.Nsec, Ino: st.Ino, Sum: sum, Key: key}
}

// matchesFile reports whether the file at p is a regular file that e describes (see
// matches), without the FileInfo os.Lstat makes: a warm build of 100,000 acts looks at
// its 136,000 files, which allocated 62 MB for the collector, at the end of the build.
func (e entry) matchesFile(p string) bool {
	var st syscall.Stat_t
	if syscall.Lstat(p, &st) != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return false
	}
	return entryOfStat(&st, e.Sum, e.Key) == e
}

// same returns the entry of p if it is a regular file (not a link) holding exactly the
// bytes of parts. On the descriptor, as create: os.Open would offer the file to the
// network poller and os.Lstat stat it again, five system calls more a page.
func same(p string, parts [][]byte, sum [32]byte, key string) (entry, bool) {
	fd, err := syscall.Open(p, syscall.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		return entry{}, false
	}
	defer syscall.Close(fd)
	size := total(parts)
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG || st.Size != size {
		return entry{}, false
	}
	buf := readBufs.Get(int(size) + 1) // one more: a file that grew since
	defer readBufs.Put(buf)
	b, n := *buf, 0
	for n < len(b) {
		k, err := syscall.Read(fd, b[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return entry{}, false
		}
		if k == 0 {
			break
		}
		n += k
	}
	return entryOfStat(&st, sum, key), holds(b[:n], parts)
}

// fdWriter writes to the file descriptor it is.
type fdWriter int

func (fd fdWriter) Write(b []byte) (int, error) {
	if err := writev(int(fd), [][]byte{b}); err != nil {
		return 0, err
	}
	return len(b), nil
}

// writev writes the bytes of parts to fd, up to 1,024 of them (IOV_MAX) a system call
// (one for a page): the lines of the open data go to the file as they are, without being
// copied into one.
func writev(fd int, parts [][]byte) error {
	iov := make([]syscall.Iovec, 0, min(len(parts), 1024))
	for len(parts) > 0 {
		iov = iov[:0]
		for _, b := range parts[:min(len(parts), cap(iov))] {
			if len(b) > 0 {
				v := syscall.Iovec{Base: &b[0]}
				v.SetLen(len(b))
				iov = append(iov, v)
			}
		}
		n := uintptr(0)
		if len(iov) > 0 {
			var errno syscall.Errno
			n, _, errno = syscall.Syscall(syscall.SYS_WRITEV, uintptr(fd), uintptr(unsafe.Pointer(&iov[0])), uintptr(len(iov)))
			runtime.KeepAlive(parts)
			if errno == syscall.EINTR {
				continue
			}
			if errno != 0 {
				return errno
			}
			if n == 0 {
				return io.ErrShortWrite
			}
		}
		// Drop what was written: whole parts, then the start of the first one left (a
		// short write).
		if len(iov) == 0 {
			parts = parts[min(len(parts), cap(iov)):]
			continue
		}
		for len(parts) > 0 && uintptr(len(parts[0])) <= n {
			n -= uintptr(len(parts[0]))
			parts = parts[1:]
		}
		if n > 0 {
			parts = append([][]byte{parts[0][n:]}, parts[1:]...)
		}
	}
	return nil
}
