// Command albo builds and keeps the albo pretorio online of an Italian municipality.
// See README.md and SPEC.md for its commands.
package main

import (
	"os"
	"runtime/debug"
	"runtime/pprof"
)

// memoryLimit is the heap size past which the garbage collector works harder rather than
// let the process grow, for a site of acts acts of which the last build's memo gives
// recalled as they were: what the build holds at its peak, so that the limit keeps the heap
// there without making the collector run for nothing. 100 MiB for the theme and the
// buffers; for each act made again, 8 KiB up to 10,000 (180 MiB, within SPEC §8's 200 MiB
// peak for 10,000), 14 KiB beyond: a cold build of gen.py's 100,000 acts peaks at 1.43 GB
// whatever the limit, and under the 800 MiB this function gave before it took 50.4 s
// instead of 30.0 s, the collector running all the time below a heap it could not shrink.
// For each act recalled, 4.5 KiB: what the memos hold of it. A warm build of those
// 100,000 acts holds 370 MB at its last collection, a new day's 450 MB; with the limit of
// a cold build they peaked at 614-645 MB and 749-759 MB, with this one (523 MiB) at
// 535-549 MB and 553-564 MB, for one to three collections more (0.2-0.6 s of CPU). With
// 548 MiB, compare.py's warm build, the first after a cold one, peaked at 581 MiB: too near
// SPEC §8's 600 MiB. memoryCeiling at most, which is also the limit until the site is read.
// On Linux the heap has huge pages (hugeHeap), which add hugeMargin to the peak: it is
// taken off the limit. GOMEMLIMIT in the environment overrides it.
func memoryLimit(acts, recalled int) int64 {
	n := int64(max(acts, 0))
	kept := min(int64(max(recalled, 0)), n)
	made := n - kept
	limit := 100<<20 - hugeMargin + min(made, 10000)*8<<10 + max(made-10000, 0)*14<<10 + kept*9<<9
	return min(limit, memoryCeiling)
}

// memoryCeiling is the largest memory limit memoryLimit gives.
const memoryCeiling = 2 << 30

// sizeMemory sets the process's memory limit for a site of acts acts, recalled of them as
// they were, unless GOMEMLIMIT does.
func sizeMemory(acts, recalled int) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit(acts, recalled))
	}
}

func main() {
	sizeMemory(1<<30, 0)
	os.Exit(profiled(os.Getenv("ALBO_CPUPROFILE"), func() int { return run(os.Args[1:], os.Stdout, os.Stderr) }))
}

// profiled runs f, writing a CPU profile of it to the file named by path when path is not
// empty (ALBO_CPUPROFILE=cpu.prof albo build; go tool pprof cpu.prof): how the benchmarks
// of the README are taken apart.
func profiled(path string, f func() int) int {
	if path == "" {
		return f()
	}
	out, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(out)
	}
	if err != nil {
		os.Stderr.WriteString("albo: ALBO_CPUPROFILE: " + err.Error() + "\n")
		return f()
	}
	defer out.Close()
	defer pprof.StopCPUProfile()
	return f()
}
