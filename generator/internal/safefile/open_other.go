//go:build !unix

package safefile

// openFlags: systems without FIFOs in the file system need nothing more.
const openFlags = 0
