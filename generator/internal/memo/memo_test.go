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
