//go:build !windows

package write

import (
	"io"
	"os"
)

// previous is the live file f that Previous opened, read as the build goes: a name of it
// can be removed while it is open.
func previous(f *os.File) io.ReadSeekCloser { return f }
