package flock

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestExclusive: a second lock of the same file waits until the first is released.
func TestExclusive(t *testing.T) {
	p := filepath.Join(t.TempDir(), "lock")
	a, _ := os.OpenFile(p, os.O_CREATE|os.O_RDWR, 0o644)
	if err := Lock(a); err != nil {
		t.Fatal(err)
	}
	got := make(chan bool)
	go func() {
		b, _ := os.OpenFile(p, os.O_CREATE|os.O_RDWR, 0o644)
		defer b.Close()
		if err := Lock(b); err != nil {
			t.Error(err)
		}
		got <- true
	}()
	select {
	case <-got:
		t.Fatal("two holders of one lock")
	case <-time.After(200 * time.Millisecond):
	}
	a.Close()
	select {
	case <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("the lock was not released")
	}
}
