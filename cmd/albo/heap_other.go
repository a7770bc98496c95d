//go:build !linux

package main

// hugeHeap: huge pages for the heap are asked of Linux only; it makes no room.
func hugeHeap(int) int { return 0 }

// hugeMargin: no huge pages, nothing to leave out.
const hugeMargin = 0
