package bufpool

import "testing"

// TestGet: a buffer has the length asked for, whether the pool gave back a smaller one,
// a larger one, or one larger than it keeps.
func TestGet(t *testing.T) {
	p := New(64)
	for _, n := range []int{0, 10, 5, 64, 100, 3} {
		b := p.Get(n)
		if len(*b) != n {
			t.Fatalf("Get(%d): %d bytes", n, len(*b))
		}
		p.Put(b)
	}
}
