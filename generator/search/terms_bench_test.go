package search

import (
	"strings"
	"testing"
)

func BenchmarkTerms(b *testing.B) {
	text := strings.Repeat("Approvazione del regolamento comunale per l'accesso agli atti e la viabilità delle strade. ", 20)
	for b.Loop() {
		Terms(text)
	}
}

// BenchmarkDocTermSet is the term set of an act of gen.py's corpus: a subject and 300
// words of text, most of them repeated, as a cold build makes for each act.
func BenchmarkDocTermSet(b *testing.B) {
	words := strings.Fields("approvazione regolamento comunale accesso atti documenti amministrativi consiglio giunta deliberazione determinazione ordinanza sindaco viabilità traffico lavori pubblici strada manutenzione straordinaria scuola primaria mensa trasporto contributo associazioni cultura sport bilancio previsione variazione esercizio tributi avviso pubblico concorso selezione personale")
	var text strings.Builder
	for i := range 300 {
		text.WriteString(words[(i*7+i/3)%len(words)])
		text.WriteString(" ")
	}
	d := Doc{Registro: "2026/123", Oggetto: "Approvazione del regolamento comunale", Ufficio: "Settore Segreteria", Text: []string{text.String()}}
	for b.Loop() {
		DocTermSet(d)
	}
}
