//go:build !linux

package write

import (
	"errors"
	"os"
)

// clone is not done here: the file is copied (on macOS and Windows the copy is made by
// io.Copy, which the system may still do in the kernel).
func clone(dst, src *os.File) error { return errors.ErrUnsupported }

// kernelCopy copies src to dst as os.File.ReadFrom does on this system (in the kernel
// where it can).
func kernelCopy(dst, src *os.File) (bool, error) {
	_, err := dst.ReadFrom(src)
	return true, err
}
