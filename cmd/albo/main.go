// Command albo builds and keeps the albo pretorio online of an Italian municipality.
// See README.md and SPEC.md for its commands.
package main

import (
	"os"
	"runtime/debug"
	"runtime/pprof"
)

// memoryLimit is the heap size past which the garbage collector works harder rather than
// let the process grow: it keeps a build of 100,000 acts under 1 GiB (SPEC §8) and costs
// nothing to smaller sites. GOMEMLIMIT in the environment overrides it.
const memoryLimit = 800 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
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
