package search

import (
	"bytes"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
)

// TestBuilderIncremental changes documents at random, as staff edit acts, and checks that
// a Builder that patches its last index gives, every time, what a new index of the same
// documents gives.
func TestBuilderIncremental(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	// Many terms share "pre" and "pro", so their groups are split, and the group of
	// "pro" is split and merged again as its terms grow and shrink.
	pro := 60
	word := func() string {
		switch r.Intn(3) {
		case 0:
			return fmt.Sprintf("pre%s", stemless(r.Intn(400)))
		case 1:
			return fmt.Sprintf("pro%s", stemless(r.Intn(pro)))
		}
		return stemless(r.Intn(3000))
	}
	version := 0
	doc := func(i int) *Doc {
		version++
		terms := make([]string, 5+r.Intn(60))
		for j := range terms {
			terms[j] = word()
		}
		slices.Sort(terms)
		tipo, ufficio := []string{"avviso", "ordinanza"}[r.Intn(2)], []string{"", "Segreteria", "Ragioneria"}[r.Intn(3)]
		return &Doc{Registro: fmt.Sprintf("%d/2026", i+1), Anno: 2026, Num: i + 1, Tipo: tipo, TipoNome: "Tipo",
			Oggetto: fmt.Sprint("Oggetto ", version), Dal: "2026-11-20", Al: "2026-12-04", URL: fmt.Sprintf("atti/2026/%d.html", i+1),
			Ufficio: ufficio, Terms: NewTermSet(terms), Key: fmt.Sprint("k", version)}
	}
	docs := make([]*Doc, 600)
	for i := range docs {
		docs[i] = doc(i)
	}
	var bl Builder
	for step := range 80 {
		switch {
		case step == 0:
		case step == 2 || step == 12: // a type and an office come: the others' numbers change
			docs[7] = doc(7)
			docs[7].Tipo, docs[7].Ufficio = "bando", "Anagrafe"
		case step == 3: // and go
			docs[7] = doc(7)
		case step%10 == 9: // a new act: every document moves
			docs = append([]*Doc{doc(len(docs))}, docs...)
		case step%10 == 4 || step%10 == 6: // many acts edited, with many more or fewer terms
			pro = map[int]int{4: 1500, 6: 10}[step%10]
			for i := range docs {
				docs[i] = doc(i)
			}
		default:
			for range 1 + step%2*r.Intn(3) { // one edit, or up to three
				i := r.Intn(len(docs))
				d := *docs[i] // a new version: the last index keeps the old one
				version++
				d.Key = fmt.Sprint("k", version)
				switch r.Intn(9) {
				case 0: // the text only: the same result, other terms
					d.Terms = doc(i).Terms
				case 1: // the terms of another act: some terms gone, others new
					var terms []string
					for _, id := range docs[r.Intn(len(docs))].Terms {
						terms = append(terms, words()[id]+"x")
					}
					d.Terms = NewTermSet(terms)
				case 2: // what a result shows, and only that
					d.Oggetto, d.Numero, d.Al, d.Annullato = fmt.Sprint("Oggetto ", version), fmt.Sprint(version), "2026-12-31", !d.Annullato
				case 3: // the first day: the filter by date
					d.Dal = "2026-11-21"
				case 4: // the register number: the lookup
					d.Num += 1000
					d.Registro = fmt.Sprintf("%d/2026", d.Num)
				case 5: // the office
					d.Ufficio = "Ragioneria"
				case 6: // the type's name
					d.TipoNome = fmt.Sprint("Tipo ", version)
				default:
					d = *doc(i)
				}
				docs[i] = &d
			}
		}
		got, err := bl.Build("cerca/", docs)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Build("cerca/", docs)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("step %d: %d files, a new index has %d", step, len(got), len(want))
		}
		byPath := func(a, b File) int { return strings.Compare(a.Path, b.Path) } // given in no order
		slices.SortFunc(got, byPath)
		slices.SortFunc(want, byPath)
		for i := range want {
			if got[i].Path != want[i].Path || !bytes.Equal(got[i].Data, want[i].Data) {
				t.Fatalf("step %d: %s differs from a new index's %s:\n%s\n%s", step, got[i].Path, want[i].Path, got[i].Data, want[i].Data)
			}
		}
	}
	if bl.last == nil {
		t.Fatal("the builder did not keep its index")
	}
}

// stemless is a word of letters that the index takes as it is.
func stemless(n int) string {
	const letters = "bcdfglmnprstvz"
	s := ""
	for {
		s += string(letters[n%len(letters)])
		n /= len(letters)
		if n == 0 {
			return s
		}
	}
}
