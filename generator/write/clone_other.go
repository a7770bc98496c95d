//go:build !linux

package write

import (
	"errors"
	"os"
)

// clone is not done here: the file is copied (on macOS and Windows the copy is made by
// io.Copy, which the system may still do in the kernel).
func clone(dst, src *os.File) error { return errors.ErrUnsupported }
