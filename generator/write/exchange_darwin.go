package write

import "golang.org/x/sys/unix"

// exchange swaps the folders a and b in one step (renamex_np, RENAME_SWAP): a reader of b
// sees the old site or the new.
func exchange(a, b string) error { return unix.RenamexNp(a, b, unix.RENAME_SWAP) }
