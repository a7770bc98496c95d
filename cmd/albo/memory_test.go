package main

import "testing"

// TestMemoryLimit: the limit a build sets leaves 10,000 acts under the peak of SPEC §8
// (200 MiB, with room for what is not heap and for huge pages), is not below what a cold build of 100,000
// acts holds (1.43 GB: a lower limit only makes the collector run for nothing), and never
// passes its ceiling.
func TestMemoryLimit(t *testing.T) {
	for _, c := range []struct {
		acts   int
		lo, hi int64
	}{
		{0, 64 << 20, 128 << 20},
		{10000, 150 << 20, 185 << 20},
		{100000, 1360 << 20, 1500 << 20},
		{1 << 30, 2 << 30, 2 << 30},
		{-1, 100<<20 - hugeMargin, 100<<20 - hugeMargin},
	} {
		if got := memoryLimit(c.acts); got < c.lo || got > c.hi {
			t.Errorf("memoryLimit(%d) = %d MiB, want %d-%d MiB", c.acts, got>>20, c.lo>>20, c.hi>>20)
		}
	}
}

// TestBuildHeapCoversLimit: the room hugeHeap gives huge pages at the start of a build,
// before the size of the site is known, holds every heap the memory limit lets a build
// have: a heap that grows past it is touched a 4 KB page at a time (100,000 acts, warm:
// 9.3 s of CPU instead of 6.3 s).
func TestBuildHeapCoversLimit(t *testing.T) {
	for _, acts := range []int{0, 10000, 100000, 1 << 30} {
		if limit := memoryLimit(acts); limit > buildHeap {
			t.Errorf("memoryLimit(%d) = %d MiB, past the %d MiB of huge pages of a build", acts, limit>>20, buildHeap>>20)
		}
	}
}
