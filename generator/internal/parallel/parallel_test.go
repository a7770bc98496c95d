package parallel

import (
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
)

func TestFor(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 1000} {
		var calls [1000]atomic.Int32
		if err := For(n, func(i int) error { calls[i].Add(1); return nil }); err != nil {
			t.Fatal(err)
		}
		for i := range calls {
			if want := int32(min(1, max(0, n-i))); calls[i].Load() != want {
				t.Fatalf("n=%d: fn(%d) called %d times, want %d", n, i, calls[i].Load(), want)
			}
		}
	}
}

func TestForFirstError(t *testing.T) {
	err := For(100, func(i int) error {
		if i%10 == 3 {
			return fmt.Errorf("iteration %d", i)
		}
		return nil
	})
	if err == nil || err.Error() != "iteration 3" {
		t.Errorf("For returned %v, want the error of iteration 3", err)
	}
	if err := For(5, func(int) error { return nil }); !errors.Is(err, nil) {
		t.Errorf("For returned %v", err)
	}
}
