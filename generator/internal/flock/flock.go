// Package flock takes exclusive locks on files, so that builds of one destination, and
// publications of one site, wait for each other, in one process or in several; closing
// the file releases the lock.
package flock

import "os"

// Lock takes an exclusive lock on f, waiting for whoever holds it.
func Lock(f *os.File) error { return lock(f) }
