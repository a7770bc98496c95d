// Command albo builds and keeps the albo pretorio online of an Italian municipality.
// See README.md and SPEC.md for its commands.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
