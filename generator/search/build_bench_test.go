package search

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkBuild10000 indexes 10,000 acts of a few hundred words.
func BenchmarkBuild10000(b *testing.B) {
	words := strings.Fields("approvazione regolamento comunale accesso atti documenti amministrativi consiglio giunta deliberazione determinazione ordinanza sindaco viabilità traffico lavori pubblici strada manutenzione straordinaria scuola primaria mensa trasporto contributo associazioni cultura sport bilancio")
	docs := make([]*Doc, 10000)
	for i := range docs {
		var t strings.Builder
		for j := 0; j < 200; j++ {
			t.WriteString(words[(i*7+j*13)%len(words)] + " ")
		}
		docs[i] = &Doc{Registro: fmt.Sprintf("%d/2026", i+1), Anno: 2026, Num: i + 1, Tipo: "avviso", TipoNome: "Avviso", Oggetto: "Oggetto", Dal: "2026-11-20", Al: "2026-12-04", URL: "atti/x.html", Ufficio: "Ufficio", Text: []string{t.String()}}
	}
	for b.Loop() {
		if _, err := Build("cerca/", docs); err != nil {
			b.Fatal(err)
		}
	}
}
