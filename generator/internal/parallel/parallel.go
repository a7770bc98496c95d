// Package parallel runs the iterations of a loop on every core.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls fn(i) for every i from 0 to n-1 on GOMAXPROCS goroutines, each taking the
// next i when it is done with the last, so that slow iterations do not hold the others
// up. It returns the error of the lowest i whose call failed, or nil.
func For(n int, fn func(i int) error) error { return ForN(n, runtime.GOMAXPROCS(0), fn) }

// ForN is For on at most workers goroutines (at least one): for loops that wait on
// something else than the cores, such as requests to a server.
func ForN(n, workers int, fn func(i int) error) error {
	var (
		next  atomic.Int64
		wg    sync.WaitGroup
		mu    sync.Mutex
		first = n
		err   error
	)
	for range min(max(1, workers), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				if e := fn(i); e != nil {
					mu.Lock()
					if i < first {
						first, err = i, e
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return err
}
