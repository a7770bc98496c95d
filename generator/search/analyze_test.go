package search

import (
	"reflect"
	"slices"
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

// TestDocTermSet: the numbered set of a document's terms is the set of DocTerms, the
// second time too (from the words remembered), whatever the case, accents (composed or
// not), stop words and numbers of its texts.
func TestDocTermSet(t *testing.T) {
	texts := []string{
		"Approvazione del REGOLAMENTO sull'accesso agli atti dell'Ente, n. 45 del 2026",
		"Viabilità, viabilita' e VIABILITÀ; perché è così: l'ufficio è chiuso",
		"Citta\u0300 (combining) e città; a b c de 12 1 è",
		"",
		"Emergenza sport tari. | 99598,00 € | Determinazione strada primaria.",
	}
	for round := range 2 {
		for i := range texts {
			d := Doc{Text: texts[i:]}
			got := DocTermSet(d)
			words := Vocabulary()
			var terms []string
			for _, id := range got {
				terms = append(terms, words[id])
			}
			want := DocTerms(d)
			slices.Sort(want)
			want = slices.Compact(want)
			slices.Sort(terms)
			if !slices.Equal(terms, want) {
				t.Errorf("round %d, texts %d: %q, want %q", round, i, terms, want)
			}
		}
	}
}
