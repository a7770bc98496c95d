package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/load"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/ledongthuc/pdf"
)

var update = flag.Bool("update", false, "rewrite the golden PDFs in testdata")

// samplePlan is the sample albo of the repository on 15 December 2026, when every act of
// the sample has closed its window.
func samplePlan(t *testing.T) *schedule.Plan {
	t.Helper()
	site, err := load.Load(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	rome, _ := time.LoadLocation("Europe/Rome")
	return schedule.Schedule(site, time.Date(2026, 12, 15, 10, 0, 0, 0, rome))
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./generator/report -update, then look at it)", name)
	}
}

// TestRefertoGolden compares with golden PDFs the certificates of a marriage publication
// (8 days, first excluded; the dates of art. 99) and of an extended publication.
func TestRefertoGolden(t *testing.T) {
	p := samplePlan(t)
	for _, c := range []struct {
		reg  act.Registro
		file string
	}{{act.Registro{Anno: 2026, Numero: 7}, "referto-2026-7.pdf"}, {act.Registro{Anno: 2026, Numero: 12}, "referto-2026-12.pdf"}} {
		a, err := Referto(p, c.reg)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Referto(p, c.reg)
		if !bytes.Equal(a, b) {
			t.Fatalf("two certificates of %s differ", c.reg)
		}
		golden(t, c.file, a)
	}
}

func TestRegisterGolden(t *testing.T) {
	p := samplePlan(t)
	b, err := RegisterPDF(p, 2026, Year(p, 2026))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "registro-2026.pdf", b)
}

// pdfText is the text of every page of a PDF, as a reader extracts it.
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var s strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		text, err := r.Page(i).GetPlainText(nil)
		if err != nil {
			t.Fatal(err)
		}
		s.WriteString(text)
	}
	return s.String()
}

// TestPDFAccents reads the text back from the register and a certificate: every accented
// letter and the degree sign as the acts have them, in table cells split over lines too.
func TestPDFAccents(t *testing.T) {
	p := samplePlan(t)
	reg, err := RegisterPDF(p, 2026, Year(p, 2026))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := Referto(p, act.Registro{Anno: 2026, Numero: 7})
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		pdf  []byte
		want []string
	}{
		"registro": {reg, []string{"viabilità", "1°", "attività", "Carta d'identità"}},
		"referto":  {ref, []string{"è", "può"}},
	} {
		text := pdfText(t, c.pdf)
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: no %q in the text of the PDF", name, w)
			}
		}
		if strings.ContainsRune(text, utf8.RuneError) || strings.Contains(text, "Ã") {
			t.Errorf("%s: garbled letters in the text of the PDF", name)
		}
	}
}

func TestRefertoRefused(t *testing.T) {
	site, err := load.Load(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	rome, _ := time.LoadLocation("Europe/Rome")
	p := schedule.Schedule(site, time.Date(2026, 11, 23, 10, 0, 0, 0, rome))
	for _, r := range []act.Registro{{Anno: 2026, Numero: 37}, {Anno: 2026, Numero: 999}} {
		if _, err := Referto(p, r); err == nil {
			t.Errorf("certificate of %s issued", r)
		}
	}
}

func TestList(t *testing.T) {
	p := samplePlan(t)
	rows, err := List(p, "annullato", "")
	if err != nil || len(rows) != 2 || rows[0].Registro != "2026/10" {
		t.Fatalf("annullati: %v %v", rows, err)
	}
	if rows, _ := List(p, "", "matrimonio"); len(rows) != 4 {
		t.Errorf("marriages: %d", len(rows))
	}
	if _, err := List(p, "pubblicato", ""); err == nil {
		t.Error("an unknown state was accepted")
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, rows); err != nil || !bytes.Contains(b.Bytes(), []byte("2026/26,scaduto,determinazione")) {
		t.Errorf("csv: %s %v", b.String(), err)
	}
}
