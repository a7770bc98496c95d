package state

import (
	"os"
	"syscall"
)

// stampOf is what tells a file that did not change from one that did: its device and
// inode, size, modification time and change time (which no copy tool can set: a file
// rewritten with its old modification time has a new change time).
func stampOf(info os.FileInfo) (stamp, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return stamp{}, false
	}
	return stamp{Dev: uint64(st.Dev), Ino: st.Ino, Size: info.Size(), MTime: info.ModTime().UnixNano(),
		CTime: st.Ctim.Sec*1e9 + st.Ctim.Nsec}, true
}
