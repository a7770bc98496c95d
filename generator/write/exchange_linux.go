package write

import "golang.org/x/sys/unix"

// exchange swaps the folders a and b in one step: a reader of b sees the old site or the new.
func exchange(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}
