package msg

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"

	"golang.org/x/text/language"
)

func TestPlurals(t *testing.T) {
	for n, want := range map[int]string{0: "0 errori", 1: "1 errore", 2: "2 errori", 2026: "2026 errori"} {
		if got := N(n, "%d errore", "%d errori"); got != want {
			t.Errorf("N(%d) = %q, want %q", n, got, want)
		}
	}
	if got := T("registro %d/%d", 15, 2026); got != "registro 15/2026" {
		t.Errorf("numbers are grouped: %q", got)
	}
}

func TestAnotherLanguage(t *testing.T) {
	Use(language.English, map[string]string{"%d errore": "%d error", "%d errori": "%d errors"})
	defer Use(language.Italian, nil)
	if got := N(1, "%d errore", "%d errori"); got != "1 error" {
		t.Errorf("English: %q", got)
	}
	if got := N(3, "%d errore", "%d errori"); got != "3 errors" {
		t.Errorf("English: %q", got)
	}
}

func TestErr(t *testing.T) {
	_, err := os.Open("/non/esiste/affatto.md")
	if got := Err(fmt.Errorf("leggendo content/: %w", err)); got != "leggendo content/: /non/esiste/affatto.md: non esiste" {
		t.Errorf("Err = %q", got)
	}
	// An attachment replaced by a link after it was read: the copy does not follow it.
	link := &os.PathError{Op: "open", Path: "content/a/testo.pdf", Err: syscall.ELOOP}
	if got := Err(fmt.Errorf("copiando: %w", link)); got != "copiando: content/a/testo.pdf: è un collegamento, non un file" {
		t.Errorf("Err = %q", got)
	}
	if got := Err(errors.New("altro")); got != "altro" {
		t.Errorf("Err = %q", got)
	}
}
