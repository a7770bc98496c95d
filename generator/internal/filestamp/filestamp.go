// Package filestamp tells whether a file is the one seen before without reading it: its
// device and inode, size, modification time and change time. No copy tool can set a
// change time, so a file rewritten with its old content and modification time (cp -p,
// git checkout, unzip) has another stamp.
package filestamp

// Stamp identifies a file and its content as of when it was taken.
type Stamp struct {
	Dev, Ino           uint64
	Size, MTime, CTime int64
}
