// Command albo builds and keeps the albo pretorio online of an Italian municipality.
// See README.md and SPEC.md for its commands.
package main

import (
	"os"
	"runtime/debug"
	"runtime/pprof"
)

// memoryLimit is the heap size past which the garbage collector works harder rather than
// let the process grow, for a site of acts acts: what a build holds of each act and the
// memories it writes, about 8 KiB an act, beyond a floor for the theme and the buffers;
// 180 MiB for 10,000 acts, 800 MiB at most (SPEC §8: peak under 200 MiB for 10,000 acts,
// under 1 GiB for 100,000). Until the site is read, the ceiling holds. GOMEMLIMIT in the
// environment overrides it.
func memoryLimit(acts int) int64 { return min(100<<20+int64(acts)*8<<10, 800<<20) }

// sizeMemory sets the process's memory limit for a site of acts acts, unless GOMEMLIMIT
// does.
func sizeMemory(acts int) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit(acts))
	}
}

func main() {
	sizeMemory(1 << 30)
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
