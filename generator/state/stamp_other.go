//go:build !linux && !darwin

package state

import "os"

// stampOf: without a change time (Windows) a file's identity cannot be told from what a
// copy tool can set, so nothing is remembered and every attachment is read each build.
func stampOf(os.FileInfo) (stamp, bool) { return stamp{}, false }
