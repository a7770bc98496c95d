package main

import (
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// hugeHeap asks Linux to back the first size bytes of the heap with transparent huge
// pages (madvise MADV_HUGEPAGE), for a build: a process that touches its 180 MB of heap
// once, then ends. On a virtual machine each first touch of a 4 KB page costs about 10 µs
// (a cold build of 10,000 acts made 49,000 of them: half a second of its CPU); a 2 MB page
// costs less than its 512 small ones. The heap is placed there by allocating size bytes
// (the runtime maps them, untouched) and letting the collector free them: the allocations
// that follow take that room first, as the runtime fills its heap from the lowest address.
// Where the kernel does not do huge pages (THP "never"), nothing changes; where the
// allocation could fail (a limit on the address space, strict overcommit, a small
// machine), it is smaller, or not made.
//
// It makes no room once the collector has run: the room must be new address space, which
// the kernel gives zeroed, and after a collection it can take in pages the heap used and
// freed, which the runtime then clears, the whole room with them. With GOGC=50 (one or two
// collections before the build), 3 warm builds of 100,000 acts in 7 took 9.4-10.2 s instead
// of 2.0-2.5 s, 8 s of them clearing 2 GiB, and peaked at 2.1 GB instead of 0.6 GB. It
// returns the size of the room made.
func hugeHeap(size int) int {
	size = roomFor(size)
	if size == 0 || collected() {
		return 0
	}
	b := make([]byte, size)
	err := unix.Madvise(b, unix.MADV_HUGEPAGE)
	runtime.KeepAlive(b)
	if err != nil {
		return 0
	}
	b = nil
	runtime.GC()
	return size
}

// roomFor is how much of size hugeHeap may allocate without risk: nothing with a limit on
// the address space or strict overcommit, never more than a quarter of the memory.
func roomFor(size int) int {
	var lim unix.Rlimit
	if strconv.IntSize < 64 || unix.Getrlimit(unix.RLIMIT_AS, &lim) != nil || lim.Cur != unix.RLIM_INFINITY {
		return 0
	}
	if b, err := os.ReadFile("/proc/sys/vm/overcommit_memory"); err != nil || strings.TrimSpace(string(b)) == "2" {
		return 0
	}
	var info unix.Sysinfo_t
	if unix.Sysinfo(&info) != nil {
		return 0
	}
	return int(min(uint64(size), uint64(info.Totalram)*uint64(info.Unit)/4))
}

// collected reports whether the collector has run in this process.
func collected() bool {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	return s[0].Value.Kind() != metrics.KindUint64 || s[0].Value.Uint64() > 0
}

// hugeMargin is what huge pages add to the peak of a build's memory: the 2 MB pages its
// heap touches only in part (about 18 MiB for 10,000 acts), which memoryLimit leaves out
// so that the peak stays where the limit puts it.
const hugeMargin = 16 << 20
