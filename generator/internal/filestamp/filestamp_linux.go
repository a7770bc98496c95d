package filestamp

import (
	"os"
	"syscall"
)

// Of returns the stamp of a file; ok is false where the system does not give it.
func Of(info os.FileInfo) (Stamp, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return Stamp{}, false
	}
	return Stamp{Dev: uint64(st.Dev), Ino: st.Ino, Size: info.Size(), MTime: info.ModTime().UnixNano(),
		CTime: st.Ctim.Sec*1e9 + st.Ctim.Nsec}, true
}
