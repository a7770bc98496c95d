//go:build !linux && !darwin

package write

import "errors"

// exchange: no system call swaps two folders here (Windows): the swap makes two renames.
func exchange(a, b string) error { return errors.ErrUnsupported }
