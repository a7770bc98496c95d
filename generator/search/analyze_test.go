package search

import (
	"reflect"
	"slices"
	"testing"
	"unicode"
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

// FuzzEachWord: the words of any text, valid UTF-8 or not, are those of a reading rune by
// rune (the way eachWord read before it looked at ASCII bytes alone), and the term set of
// a document of that text is the set of its terms.
func FuzzEachWord(f *testing.F) {
	for _, s := range []string{"Approvazione del REGOLAMENTO, n. 45", "Citta\u0300 e città", "viabilità\xffstrada", "\xe0\x80", "ß1½²", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var got, want []string
		eachWord(text, func(w string) { got = append(got, w) })
		start := -1
		for i, r := range text {
			in := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
			switch {
			case in && start < 0:
				start = i
			case !in && start >= 0:
				want, start = append(want, text[start:i]), -1
			}
		}
		if start >= 0 {
			want = append(want, text[start:])
		}
		if !slices.Equal(got, want) {
			t.Fatalf("eachWord(%q) = %q, want %q", text, got, want)
		}
		d := Doc{Text: []string{text}}
		terms := DocTerms(d)
		slices.Sort(terms)
		terms = slices.Compact(terms)
		ids := DocTermSet(d)
		words := Vocabulary()
		var set []string
		for _, id := range ids {
			set = append(set, words[id])
		}
		slices.Sort(set)
		if !slices.Equal(set, terms) {
			t.Fatalf("DocTermSet(%q) = %q, want %q", text, set, terms)
		}
	})
}
