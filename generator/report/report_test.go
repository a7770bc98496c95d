package report

import (
	"bytes"
	"flag"
	"io"
	"os"
	"os/exec"
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

// TestRefertoGolden compares with golden PDFs the certificates of a deliberation (its
// executability), a marriage publication (8 days, the first excluded; art. 55 DPR 396/2000
// and the dates of art. 99 c.c.), an act extended by an interruption of service and
// annulled by a decision, a regolamento (in force the day after its last day, moved by the
// interruption) and another body's act with its request and protocol; and a certificate
// that names the observations received. Each is drawn as a picture in screenshots/documenti
// for people to look at (with pdftoppm, where it is installed).
func TestRefertoGolden(t *testing.T) {
	p := samplePlan(t)
	for _, c := range []struct {
		numero int
		o      RefertoOptions
		file   string
	}{
		{37, RefertoOptions{}, "referto-2026-37.pdf"},
		{7, RefertoOptions{}, "referto-2026-7.pdf"},
		{17, RefertoOptions{Osservazioni: "una osservazione di Giovanni Bianchi, prot. n. 9123 del 21/11/2026, sull'esclusione della sua domanda"}, "referto-2026-17.pdf"},
		{43, RefertoOptions{}, "referto-2026-43.pdf"},
		{42, RefertoOptions{}, "referto-2026-42.pdf"},
	} {
		reg := act.Registro{Anno: 2026, Numero: c.numero}
		a, err := Referto(p, reg, c.o)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Referto(p, reg, c.o)
		if !bytes.Equal(a, b) {
			t.Fatalf("two certificates of %s differ", reg)
		}
		golden(t, c.file, a)
		picture(t, c.file, a)
		if n := pages(t, a); n != 1 {
			t.Errorf("%s: %d pages, want 1", c.file, n)
		}
	}
}

func TestRegisterGolden(t *testing.T) {
	p := samplePlan(t)
	b, err := RegisterPDF(p, 2026, Year(p, 2026))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "registro-2026.pdf", b)
	picture(t, "registro-2026.pdf", b)
}

// picture draws the pages of a document as PNG files in screenshots/documenti, at 100
// dpi, for people to look at; without pdftoppm (poppler-utils) it draws nothing.
func picture(t *testing.T, name string, pdf []byte) {
	t.Helper()
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		return
	}
	dir, _ := filepath.Abs(filepath.Join("..", "..", "screenshots", "documenti"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(t.TempDir(), name)
	os.WriteFile(in, pdf, 0o644)
	if out, err := exec.Command(bin, "-png", "-r", "100", in, filepath.Join(dir, strings.TrimSuffix(name, ".pdf"))).CombinedOutput(); err != nil {
		t.Errorf("pdftoppm %s: %v\n%s", name, err, out)
	}
}

// pages is the number of pages of a PDF.
func pages(t *testing.T, b []byte) int {
	t.Helper()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	return r.NumPage()
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
	ref, err := Referto(p, act.Registro{Anno: 2026, Numero: 7}, RefertoOptions{})
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
		if _, err := Referto(p, r, RefertoOptions{}); err == nil {
			t.Errorf("certificate of %s issued", r)
		}
	}
}

func TestList(t *testing.T) {
	p := samplePlan(t)
	rows, err := List(p, "annullato", "")
	if err != nil || len(rows) != 3 || rows[0].Registro != "2026/10" {
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

// TestPDFA reads back what PDF/A-2b asks of every document albo makes: an identifier in
// the trailer, XMP metadata naming part 2 and conformance B and repeating the title, an
// sRGB output intent with its profile, and every font embedded (no standard font left to
// the reader).
func TestPDFA(t *testing.T) {
	p := samplePlan(t)
	reg, err := RegisterPDF(p, 2026, Year(p, 2026))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := Referto(p, act.Registro{Anno: 2026, Numero: 17}, RefertoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	withdrawn, err := Referto(p, act.Registro{Anno: 2026, Numero: 41}, RefertoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"registro": reg, "referto": ref, "ritiro": withdrawn} {
		r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		tr := r.Trailer()
		if id := tr.Key("ID"); id.Len() != 2 || len(id.Index(0).RawString()) != 16 {
			t.Errorf("%s: trailer ID %v", name, id)
		}
		root := tr.Key("Root")
		meta, err := io.ReadAll(root.Key("Metadata").Reader())
		if err != nil {
			t.Fatal(err)
		}
		title := tr.Key("Info").Key("Title").Text()
		for _, want := range []string{"<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>", ">" + title + "<", "<pdf:Producer>albo</pdf:Producer>"} {
			if !strings.Contains(string(meta), want) {
				t.Errorf("%s: the XMP metadata lacks %q:\n%s", name, want, meta)
			}
		}
		if root.Key("Metadata").Key("Filter").Kind() != pdf.Null {
			t.Errorf("%s: the metadata stream is filtered", name)
		}
		oi := root.Key("OutputIntents").Index(0)
		if oi.Key("S").Name() != "GTS_PDFA1" || oi.Key("DestOutputProfile").Key("N").Int64() != 3 {
			t.Errorf("%s: output intent %v", name, oi)
		}
		if lang := root.Key("Lang").Text(); lang != "it-IT" {
			t.Errorf("%s: Lang %q", name, lang)
		}
		for i := 1; i <= r.NumPage(); i++ {
			fonts := r.Page(i).Resources().Key("Font")
			for _, k := range fonts.Keys() {
				f := fonts.Key(k)
				desc := f.Key("FontDescriptor")
				if f.Key("Subtype").Name() == "Type0" {
					desc = f.Key("DescendantFonts").Index(0).Key("FontDescriptor")
				}
				if desc.Key("FontFile2").Kind() == pdf.Null && desc.Key("FontFile").Kind() == pdf.Null && desc.Key("FontFile3").Kind() == pdf.Null {
					t.Errorf("%s: page %d: font %s (%s) is not embedded", name, i, k, f.Key("BaseFont").Name())
				}
			}
		}
	}
}
