//go:build !linux

package load

// foldingFS: the usual file systems of Windows and macOS open "testo.pdf" for
// "Testo.PDF", so the name is also checked against the folder's listing.
const foldingFS = true
