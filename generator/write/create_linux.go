package write

import (
	"os"
	"syscall"
)

// create makes the file p, which does not exist, holding data, and returns its entry.
// It works on the descriptor directly: os.OpenFile would offer a regular file to the
// network poller (and be refused), os.NewFile would ask for its flags; that is two system
// calls more for each of the site's files.
func create(p string, data []byte, sum [32]byte, key string) (entry, error) {
	fd, err := syscall.Open(p, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, 0o644)
	if err != nil {
		return entry{}, &os.PathError{Op: "open", Path: p, Err: err}
	}
	for rest := data; len(rest) > 0 && err == nil; {
		var n int
		n, err = syscall.Write(fd, rest)
		if err == syscall.EINTR {
			err = nil
		}
		rest = rest[max(n, 0):]
	}
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
	return entry{Size: st.Size, MTime: st.Mtim.Sec*1e9 + st.Mtim.Nsec, Ino: st.Ino, Sum: sum, Key: key}, nil
}
