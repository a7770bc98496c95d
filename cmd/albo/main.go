// Command albo builds and keeps the albo pretorio online of an Italian municipality.
// See README.md and SPEC.md for its commands.
package main

import (
	"os"
	"runtime/debug"
)

// memoryLimit is the heap size past which the garbage collector works harder rather than
// let the process grow: it keeps a build of 100,000 acts under 1 GiB (SPEC §8) and costs
// nothing to smaller sites. GOMEMLIMIT in the environment overrides it.
const memoryLimit = 800 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
