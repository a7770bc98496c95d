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
