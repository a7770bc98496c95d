//go:build !unix

package write

import "testing"

// specials: no links (they need a privilege on Windows) and no FIFOs here.
func specials(*testing.T, string, string) []string { return nil }
