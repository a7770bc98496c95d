package main

import "testing"

// TestMemoryLimit: the limit a build sets leaves 10,000 acts under the peak of SPEC §8
// (200 MiB, with room for what is not heap) and never passes the ceiling that keeps
// 100,000 acts under 1 GiB.
func TestMemoryLimit(t *testing.T) {
	for _, c := range []struct {
		acts   int
		lo, hi int64
	}{
		{0, 64 << 20, 128 << 20},
		{10000, 150 << 20, 185 << 20},
		{100000, 600 << 20, 800 << 20},
		{1 << 30, 800 << 20, 800 << 20},
	} {
		if got := memoryLimit(c.acts); got < c.lo || got > c.hi {
			t.Errorf("memoryLimit(%d) = %d MiB, want %d-%d MiB", c.acts, got>>20, c.lo>>20, c.hi>>20)
		}
	}
}
