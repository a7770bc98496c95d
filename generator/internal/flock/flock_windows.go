package flock

import (
	"os"

	"golang.org/x/sys/windows"
)

// lock locks the first byte of f (LockFileEx): enough for a lock file that holds nothing.
func lock(f *os.File) error {
	var o windows.Overlapped
	return windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK, 0, 1, 0, &o)
}
