//go:build !linux

package main

// hugeHeap: huge pages for the heap are asked of Linux only.
func hugeHeap(int) {}

// hugeMargin: no huge pages, nothing to leave out.
const hugeMargin = 0
