package main

import "testing"

// TestMemoryLimit: the limit a build sets leaves 10,000 acts under the peak of SPEC §8
// (200 MiB, with room for what is not heap and for huge pages), is not below what a cold
// build of 100,000 acts holds (1.43 GB: a lower limit only makes the collector run for
// nothing), and never passes its ceiling; a build that recalls its acts from the memo
// keeps 100,000 of them under SPEC §8's 600 MiB, above the 450 MB a new day holds.
func TestMemoryLimit(t *testing.T) {
	for _, c := range []struct {
		acts, recalled int
		lo, hi         int64
	}{
		{0, 0, 64 << 20, 128 << 20},
		{10000, 0, 150 << 20, 185 << 20},
		{100000, 0, 1360 << 20, 1500 << 20},
		{1 << 30, 0, 2 << 30, 2 << 30},
		{-1, 0, 100<<20 - hugeMargin, 100<<20 - hugeMargin},
		{100000, 100000, 500 << 20, 560 << 20},
		{100000, 99000, 500 << 20, 560 << 20}, // a new day: some acts change state
		{10000, 10000, 100 << 20, 150 << 20},
		{10000, 20000, 100 << 20, 150 << 20}, // never more recalled than there are
		{10000, -5, 150 << 20, 185 << 20},
	} {
		if got := memoryLimit(c.acts, c.recalled); got < c.lo || got > c.hi {
			t.Errorf("memoryLimit(%d, %d) = %d MiB, want %d-%d MiB", c.acts, c.recalled, got>>20, c.lo>>20, c.hi>>20)
		}
	}
}

// TestBuildHeapCoversLimit: the room hugeHeap gives huge pages at the start of a build,
// before the size of the site is known, holds every heap the memory limit lets a build
// have: a heap that grows past it is touched a 4 KB page at a time (100,000 acts, warm:
// 9.3 s of CPU instead of 6.3 s).
func TestBuildHeapCoversLimit(t *testing.T) {
	for _, acts := range []int{0, 10000, 100000, 1 << 30} {
		if limit := memoryLimit(acts, 0); limit > buildHeap {
			t.Errorf("memoryLimit(%d) = %d MiB, past the %d MiB of huge pages of a build", acts, limit>>20, buildHeap>>20)
		}
	}
}
