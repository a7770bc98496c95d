package memo

import (
	"crypto/sha256"
	"strconv"
	"testing"
)

// BenchmarkRound is one round of a session's memo of 10,000 acts, one of which changed:
// each value got and kept again (albo watch does so three times a rebuild: schedule,
// validation, render).
func BenchmarkRound(b *testing.B) {
	keys := make([][32]byte, 10000)
	for i := range keys {
		keys[i] = sha256.Sum256([]byte(strconv.Itoa(i)))
	}
	var m Memo[[32]byte, *int]
	for i := 0; b.Loop(); i++ {
		keys[5000] = sha256.Sum256([]byte("changed " + strconv.Itoa(i)))
		for _, k := range keys {
			v, ok := m.Get(k)
			if !ok {
				v = new(int)
			}
			m.Keep(k, v)
		}
		m.Next()
	}
}
