// Package selfid identifies the running albo program, so that what one build of albo made
// (pages, a memo of the acts it read) is never taken for what another would make.
package selfid

import (
	"fmt"
	"os"
	"sync"
)

// ID returns the path, size and modification time of the running executable: a new build
// of albo is another file. It is "" where the executable cannot be found.
var ID = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	info, err := os.Stat(exe)
	if err != nil {
		return ""
	}
	return fmt.Sprintf("%s %d %d", exe, info.Size(), info.ModTime().UnixNano())
})
