// Package bufpool keeps byte buffers for reads whose bytes are not kept: a file read to be
// hashed or compared, then forgotten.
package bufpool

import "sync"

// Pool is a pool of buffers of up to max bytes; larger ones are let go.
type Pool struct {
	p   sync.Pool
	max int
}

// New returns a pool that keeps buffers of up to max bytes.
func New(max int) *Pool {
	return &Pool{p: sync.Pool{New: func() any { return new([]byte) }}, max: max}
}

// Get returns a buffer of n bytes, to give back with Put.
func (p *Pool) Get(n int) *[]byte {
	b := p.p.Get().(*[]byte)
	if cap(*b) < n {
		*b = make([]byte, n)
	}
	*b = (*b)[:n]
	return b
}

// Put gives b back, unless it is larger than the pool keeps.
func (p *Pool) Put(b *[]byte) {
	if cap(*b) <= p.max {
		p.p.Put(b)
	}
}
