package documento

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

func page(t testing.TB, texts ...string) []byte {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCreationDate(time.Date(2026, 11, 17, 0, 0, 0, 0, time.UTC))
	p.SetFont("Helvetica", "", 12)
	for _, s := range texts {
		p.AddPage()
		if s != "" {
			p.Cell(0, 10, s)
		}
	}
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestRead: the text of each page, a page without text, and a file that is no PDF.
func TestRead(t *testing.T) {
	doc, err := Read(page(t, "Prima pagina", "", "Codice RSSMRA85T10A562S"))
	if err != nil || len(doc.Pages) != 3 || !bytes.Contains([]byte(doc.Pages[2]), []byte("RSSMRA85T10A562S")) || strings.TrimSpace(doc.Pages[1]) != "" || doc.PDFA != "" {
		t.Fatalf("%+v %v", doc, err)
	}
	if !doc.HasText() {
		t.Error("no text found")
	}
	if doc, _ := Read(page(t, "")); doc == nil || doc.HasText() {
		t.Error("an empty page has text")
	}
	if _, err := Read([]byte("%PDF-1.4 rotto")); err != ErrUnreadable {
		t.Errorf("a broken PDF: %v", err)
	}
}

// FuzzRead reads anything as a PDF: never a panic.
func FuzzRead(f *testing.F) {
	f.Add(page(f, "Testo"))
	f.Add([]byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<</Root 1 0 R>>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		Read(b)
	})
}
