package memo

import "testing"

func TestMemo(t *testing.T) {
	var m Memo[string, int]
	if _, ok := m.Get("a"); ok {
		t.Fatal("a zero Memo has a value")
	}
	m.Keep("a", 1)
	m.Keep("b", 2)
	if v, ok := m.Get("a"); !ok || v != 1 {
		t.Fatalf("Get(a) = %d, %v in the round that kept it", v, ok)
	}
	m.Next()
	if v, ok := m.Get("b"); !ok || v != 2 {
		t.Fatalf("Get(b) = %d, %v in the next round", v, ok)
	}
	m.Keep("b", 3) // only b is used in this round
	m.Next()
	if _, ok := m.Get("a"); ok {
		t.Error("a value not used in a round outlived it")
	}
	if v, _ := m.Get("b"); v != 3 {
		t.Errorf("Get(b) = %d, want the value kept last", v)
	}
	m.Reset()
	if _, ok := m.Get("b"); ok {
		t.Error("Reset kept a value")
	}
	var none *Memo[string, int]
	none.Keep("a", 1)
	none.Next()
	if _, ok := none.Get("a"); ok {
		t.Error("a nil Memo remembered a value")
	}
}

// TestMemoSweep checks that the cells of values no round can get are let go: a memo of
// 1,000 keys, one of which changes each round, holds no more than a quarter more cells
// than keys, and a key dropped and kept again has its new value.
func TestMemoSweep(t *testing.T) {
	var m Memo[int, int]
	for round := range 2000 {
		for k := range 1000 {
			if k == 999 {
				k = 1000 + round // the changed act
			}
			v, ok := m.Get(k)
			if ok && v != k {
				t.Fatalf("round %d: Get(%d) = %d", round, k, v)
			}
			m.Keep(k, k)
		}
		m.Next()
		if n := len(m.cells); n > 1000+1000/4+64+1 {
			t.Fatalf("round %d: %d cells for 1,000 keys", round, n)
		}
	}
	if _, ok := m.Get(1000); ok {
		t.Error("a value dropped 2,000 rounds ago is still there")
	}
	m.Keep(1000, 7)
	if v, ok := m.Get(1000); !ok || v != 7 {
		t.Errorf("a key kept again: Get = %d, %v", v, ok)
	}
}

// TestMemoKeepAfterGet checks Keep after a Get of another key, and a Get between.
func TestMemoKeepAfterGet(t *testing.T) {
	var m Memo[string, int]
	m.Keep("a", 1)
	m.Next()
	m.Get("a")
	m.Keep("b", 2) // not the key Get found
	m.Get("c")
	m.Keep("a", 3)
	m.Next()
	for k, want := range map[string]int{"a": 3, "b": 2} {
		if v, ok := m.Get(k); !ok || v != want {
			t.Errorf("Get(%s) = %d, %v, want %d", k, v, ok, want)
		}
	}
	if _, ok := m.Get("c"); ok {
		t.Error("c was never kept")
	}
}

// TestMemoKeepAfterSweep checks that Keep after the cells were swept or forgotten keeps
// the value, even for the key the last Get found.
func TestMemoKeepAfterSweep(t *testing.T) {
	var m Memo[int, int]
	for k := range 100 {
		m.Keep(k, k)
	}
	m.Next()
	m.Get(5)
	m.Next() // nothing kept: every cell swept
	m.Keep(5, 9)
	if v, ok := m.Get(5); !ok || v != 9 {
		t.Errorf("after a sweep: Get(5) = %d, %v, want 9", v, ok)
	}
	m.Reset()
	m.Keep(5, 1)
	if v, ok := m.Get(5); !ok || v != 1 {
		t.Errorf("after Reset: Get(5) = %d, %v, want 1", v, ok)
	}
}
