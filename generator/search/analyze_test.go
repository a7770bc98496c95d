package search

import (
	"reflect"
	"testing"
)

func TestTerms(t *testing.T) {
	same := [][2]string{
		{"ordinanza", "ordinanze"},
		{"pubblicazione", "pubblicati"},
		{"viabilità", "viabilita"},
		{"Viabilità", "VIABILITA'"},
		{"deliberazione", "deliberazioni"},
		{"comunale", "comunali"},
	}
	for _, p := range same {
		a, b := Terms(p[0]), Terms(p[1])
		if len(a) != 1 || !reflect.DeepEqual(a, b) {
			t.Errorf("%q → %v, %q → %v: want one and the same stem", p[0], a, p[1], b)
		}
	}
	got := Terms("Approvazione del regolamento sull'accesso agli atti dell'Ente, n. 45")
	want := []string{Stem("approvazione"), Stem("regolamento"), Stem("accesso"), Stem("atti"), Stem("ente"), "45"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Terms = %v, want %v", got, want)
	}
}
