package safefile

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// readDirect reads the file at path when it is not a symbolic link, with four system
// calls (open refusing a link and never waiting on a FIFO, fstat, read, close) where the
// general way takes eight: it is how every act of a site is read. ok is false for a link,
// which the general way follows and checks.
func readDirect(path string, limit int64) (data []byte, size int64, err error, ok bool) {
	fd, size, err := OpenRegular(path)
	if errors.Is(err, syscall.ELOOP) {
		return nil, 0, nil, false
	}
	if err != nil {
		return nil, 0, err, true
	}
	defer syscall.Close(fd)
	if limit > 0 && size > limit {
		return nil, size, ErrTooBig, true
	}
	buf := make([]byte, size)
	n := 0
	for n < len(buf) {
		k, err := syscall.Read(fd, buf[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, 0, &os.PathError{Op: "read", Path: path, Err: err}, true
		}
		if k == 0 {
			break // the file shrank: what is there
		}
		n += k
	}
	return buf[:n], size, nil, true
}

// OpenRegular opens the file at path for reading on a descriptor, with two system calls:
// not following a link (ELOOP), never waiting for the writer of a FIFO, and refusing
// anything but a regular file (ErrNotRegular). It returns the descriptor, for the caller
// to close, and the file's size.
func OpenRegular(path string) (fd int, size int64, err error) {
	fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0)
	if err != nil {
		return -1, 0, &os.PathError{Op: "open", Path: path, Err: err}
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		syscall.Close(fd)
		return -1, 0, &os.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		syscall.Close(fd)
		return -1, 0, fmt.Errorf("%w: è %s", ErrNotRegular, Kind(modeOf(st.Mode)))
	}
	return fd, st.Size, nil
}

// modeOf is the kind of file of a stat mode, as os.FileMode says it.
func modeOf(m uint32) os.FileMode {
	switch m & syscall.S_IFMT {
	case syscall.S_IFIFO:
		return os.ModeNamedPipe
	case syscall.S_IFSOCK:
		return os.ModeSocket
	case syscall.S_IFCHR:
		return os.ModeDevice | os.ModeCharDevice
	case syscall.S_IFBLK:
		return os.ModeDevice
	case syscall.S_IFDIR:
		return os.ModeDir
	}
	return os.ModeIrregular
}

// OpenDirect opens the regular file at path for reading, as Open does, when no part of
// path is a symbolic link: one openat2 refusing a link anywhere on the way, the file's
// name included (RESOLVE_NO_SYMLINKS), and never waiting on a FIFO, where resolving the
// path first looks at each of its folders (an attachment: 5 system calls instead of 13).
// ok is false when it cannot tell (a link on the way, a kernel before 5.6, the file
// missing, not a regular file): the caller then resolves the path and opens it the
// general way, which says what is wrong.
func OpenDirect(path string) (f *os.File, info os.FileInfo, ok bool) {
	fd, err := unix.Openat2(unix.AT_FDCWD, path, &unix.OpenHow{
		Flags:   unix.O_RDONLY | unix.O_NONBLOCK | unix.O_CLOEXEC,
		Resolve: unix.RESOLVE_NO_SYMLINKS,
	})
	if err != nil {
		return nil, nil, false
	}
	f = os.NewFile(uintptr(fd), path)
	if info, err = f.Stat(); err != nil || !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, false
	}
	return f, info, true
}
