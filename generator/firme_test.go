package generator

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/borgoesempio/albo/generator/check"
	"github.com/borgoesempio/albo/generator/firma/firmatest"
	"github.com/borgoesempio/albo/generator/publish"
)

// textPDF is a PDF with a page of text for each of pages.
func textPDF(t *testing.T, pages ...string) []byte {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCreationDate(time.Date(2026, 11, 17, 0, 0, 0, 0, time.UTC))
	p.SetFont("Helvetica", "", 12)
	for _, text := range pages {
		p.AddPage()
		p.MultiCell(0, 8, text, "", "L", false)
	}
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// scanPDF is a PDF made of an image only, as a scanner makes it.
func scanPDF(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 60, 80))
	for i := range img.Pix {
		img.Pix[i] = uint8(200 + i%50)
	}
	img.Set(5, 5, color.Black)
	var pic bytes.Buffer
	png.Encode(&pic, img)
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCreationDate(time.Date(2026, 11, 17, 0, 0, 0, 0, time.UTC))
	p.AddPage()
	p.RegisterImageOptionsReader("scan", fpdf.ImageOptions{ImageType: "png"}, &pic)
	p.ImageOptions("scan", 10, 10, 180, 240, false, fpdf.ImageOptions{}, 0, "")
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// tamperPDF changes one byte of a signed PDF inside its signed range.
func tamperPDF(b []byte) []byte {
	c := bytes.Clone(b)
	c[20] ^= 1 // in the first signed range
	return c
}

// signedSite writes a site whose acts carry signed attachments of both kinds: valid,
// tampered by one byte, signed with an expired certificate and by an unknown authority;
// and PDFs with personal data, a scan, marriage banns without a signed file.
func signedSite(t *testing.T) (site string, banns []byte) {
	t.Helper()
	site = t.TempDir()
	now := time.Now()
	ca := firmatest.CA("Autorità di prova", now.AddDate(-5, 0, 0), now.AddDate(5, 0, 0))
	other := firmatest.CA("Autorità sconosciuta", now.AddDate(-5, 0, 0), now.AddDate(5, 0, 0))
	rossi := firmatest.Signer(ca, "Mario", "Rossi", "RSSMRA80A01H501U", now.AddDate(-1, 0, 0), now.AddDate(2, 0, 0))
	expired := firmatest.Signer(ca, "Anna", "Verdi", "VRDNNA70A41H501X", now.AddDate(-3, 0, 0), now.AddDate(0, 0, -10))
	stranger := firmatest.Signer(other, "Luca", "Bianchi", "BNCLCU75B02A662Z", now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0))
	banns = textPDF(t, "Pubblicazione di matrimonio tra Carlo Ferri e Giulia Marchetti")
	p7m := firmatest.P7M(banns, rossi, ca)
	tampered := bytes.Clone(p7m)
	tampered[bytes.Index(tampered, banns[:64])+100] ^= 1
	plain := textPDF(t, "Ordinanza del Sindaco")
	files := map[string][]byte{
		"content/albo.yaml":         []byte("ente: Comune di Prova\nurl: https://albo.prova.it/\nfirme:\n  ancore: _firme/ancore.pem\n"),
		"content/_firme/ancore.pem": firmatest.PEM(ca.Cert),
		"content/m/index.md": []byte("---\ntipo: matrimonio\noggetto: Pubblicazione di matrimonio\nregistro: 2026/1\ndal: 2026-11-20\nnumero: \"1\"\ndata: 2026-11-19\n" +
			"allegati:\n  - file: banns.pdf.p7m\n    titolo: Atto firmato\n---\nTesto.\n"),
		"content/m/banns.pdf.p7m": p7m,
		"content/t/index.md": []byte("---\ntipo: avviso\noggetto: Avviso manomesso\nregistro: 2026/2\ndal: 2026-11-20\n" +
			"allegati:\n  - file: avviso.pdf.p7m\n    titolo: Avviso firmato\n---\nTesto.\n"),
		"content/t/avviso.pdf.p7m": tampered,
		"content/o/index.md": []byte("---\ntipo: avviso\noggetto: Ordinanza firmata in PDF\nregistro: 2026/3\ndal: 2026-11-20\n" +
			"allegati:\n  - file: ordinanza.pdf\n    titolo: Ordinanza firmata\n  - file: scaduta.pdf\n    titolo: Firmata con certificato scaduto\n  - file: estranea.pdf.p7m\n    titolo: Firmata da autorità sconosciuta\n" +
			"  - file: manomessa.pdf\n    titolo: PDF firmato e poi modificato\n  - file: estranea.pdf\n    titolo: PDF firmato da autorità sconosciuta\n  - file: scaduta.pdf.p7m\n    titolo: Busta firmata con certificato scaduto\n---\nTesto.\n"),
		"content/o/ordinanza.pdf":    firmatest.PAdES(plain, rossi, ca, now.Add(-time.Hour)),
		"content/o/scaduta.pdf":      firmatest.PAdES(plain, expired, ca, now.Add(-time.Hour)),
		"content/o/estranea.pdf.p7m": firmatest.P7M(plain, stranger, other),
		"content/o/manomessa.pdf":    tamperPDF(firmatest.PAdES(plain, rossi, ca, now.Add(-time.Hour))),
		"content/o/estranea.pdf":     firmatest.PAdES(plain, stranger, other, now.Add(-time.Hour)),
		"content/o/scaduta.pdf.p7m":  firmatest.P7M(plain, expired, ca),
		"content/d/index.md": []byte("---\ntipo: avviso\noggetto: Graduatoria\nregistro: 2026/4\ndal: 2026-11-20\n" +
			"allegati:\n  - file: graduatoria.pdf\n    titolo: Graduatoria\n  - file: scansione.pdf\n    titolo: Verbale scansionato\n---\nTesto.\n"),
		"content/d/graduatoria.pdf": textPDF(t, "Graduatoria delle domande", "Beneficiario: codice fiscale RSSMRA85T10A562S, IBAN IT60X0542811101000000123456"),
		"content/d/scansione.pdf":   scanPDF(t),
		"content/n/index.md":        []byte("---\ntipo: matrimonio\noggetto: Pubblicazione senza firma\nregistro: 2026/5\ndal: 2026-11-20\nnumero: \"2\"\ndata: 2026-11-19\n---\nTesto.\n"),
	}
	for rel, b := range files {
		p := filepath.Join(site, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return site, banns
}

// TestSignedAttachments: each case's page text and albo check result, the readable copy of
// a .p7m byte for byte the signed content, and gone from the output after the act's last
// day.
func TestSignedAttachments(t *testing.T) {
	site, banns := signedSite(t)
	dest := build(t, site, "2026-11-23")
	read := func(rel string) string {
		b, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for rel, wants := range map[string][]string{
		"matrimoni/2026/1.html": {"Firmato digitalmente da MARIO ROSSI il ", " — firma integra; certificato emesso da Autorità di prova",
			"valido alla data della firma; verificato rispetto alle autorità di certificazione configurate.", "La revoca dei certificati non è verificata: richiede la rete.",
			`<a class="apri" href="/matrimoni/2026/1/banns.pdf">Apri il documento</a>`},
		"atti/2026/2.html": {`class="firma rossa"`, "firma NON integra: il documento è stato modificato dopo la firma"},
		"atti/2026/3.html": {"Firmato digitalmente da MARIO ROSSI", "Firmato digitalmente da ANNA VERDI", "NON valido alla data della firma",
			"Firmato digitalmente da LUCA BIANCHI", "non verificato rispetto alle autorità di certificazione configurate: l&#39;emittente non è tra le autorità di certificazione configurate",
			"firma NON integra: il documento è stato modificato dopo la firma"},
	} {
		page := read(rel)
		for _, w := range wants {
			if !strings.Contains(page, w) {
				t.Errorf("%s: no %q", rel, w)
			}
		}
	}
	if got := read("matrimoni/2026/1/banns.pdf"); got != string(banns) {
		t.Errorf("the readable copy is not the signed content (%d bytes, want %d)", len(got), len(banns))
	}
	data := read("dati/atti.json")
	if strings.Contains(read("matrimoni/2026/1.html")+data, "RSSMRA80A01H501U") {
		t.Errorf("the signer's tax code is published")
	}
	for _, w := range []string{`"formato":"PAdES"`, `"copia_leggibile":"https://albo.prova.it/atti/2026/3/contenuto-estranea.pdf"`, `"verifica_autorita":"non verificato"`, `"revoca":"non verificata (richiede la rete)"`} {
		if !strings.Contains(data, w) {
			t.Errorf("atti.json: no %s", w)
		}
	}

	rome, _ := time.LoadLocation("Europe/Rome")
	probs, err := check.Run(site, time.Date(2026, 11, 23, 10, 0, 0, 0, rome))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range probs {
		got = append(got, p.Error())
	}
	all := strings.Join(got, "\n")
	for _, w := range []string{
		"content/t/index.md:7: allegato avviso.pdf.p7m: firma di MARIO ROSSI non integra: il documento è stato modificato dopo la firma",
		"content/o/index.md:9: avviso: allegato scaduta.pdf: il certificato di ANNA VERDI non era valido alla data della firma",
		"content/o/index.md:11: avviso: allegato estranea.pdf.p7m: firma di LUCA BIANCHI: l'emittente non è tra le autorità di certificazione configurate",
		"content/o/index.md:13: allegato manomessa.pdf: firma di MARIO ROSSI non integra: il documento è stato modificato dopo la firma",
		"content/o/index.md:15: avviso: allegato estranea.pdf: firma di LUCA BIANCHI: l'emittente non è tra le autorità di certificazione configurate",
		"content/o/index.md:17: avviso: allegato scaduta.pdf.p7m: il certificato di ANNA VERDI non era valido alla data della firma",
		"content/d/index.md:7: avviso: codice fiscale nell'allegato graduatoria.pdf, pagina 2: RSSMRA85T10A562S",
		"content/d/index.md:7: avviso: IBAN nell'allegato graduatoria.pdf, pagina 2: IT60X0542811101000000123456",
		"content/d/index.md:9: avviso: allegato scansione.pdf: manca il testo: il documento non è accessibile",
		"content/d/index.md:7: nota: allegato graduatoria.pdf: non è in PDF/A",
		"content/n/index.md:2: avviso: Pubblicazione di matrimonio senza un documento firmato digitalmente: la circolare del Ministero dell'Interno 13/2011",
	} {
		if !strings.Contains(all, w) {
			t.Errorf("albo check: no %q in\n%s", w, all)
		}
	}
	for _, p := range probs {
		if p.Path == "content/m/index.md" && p.Code == check.CodeSignature {
			t.Errorf("the valid signed banns are reported: %v", p)
		}
	}

	// After the last day (8 days, the first excluded: 28/11) the copy is gone with the act.
	later := build(t, site, "2026-11-29")
	if _, err := os.Stat(filepath.Join(later, "matrimoni", "2026", "1", "banns.pdf")); !os.IsNotExist(err) {
		t.Errorf("the readable copy outlived its act: %v", err)
	}
}

// TestPubblicaRefusesPersonalDataInAttachments: a draft whose PDF has a tax code on its
// second page is refused with the page named, and published with --forza.
func TestPubblicaRefusesPersonalDataInAttachments(t *testing.T) {
	site := t.TempDir()
	os.MkdirAll(filepath.Join(site, "content", "g"), 0o755)
	os.WriteFile(filepath.Join(site, "content", "albo.yaml"), []byte("ente: Comune di Prova\nurl: https://albo.prova.it/\n"), 0o644)
	os.WriteFile(filepath.Join(site, "content", "g", "index.md"), []byte("---\ntipo: avviso\noggetto: Graduatoria\nallegati:\n  - file: g.pdf\n    titolo: Graduatoria\n---\nTesto.\n"), 0o644)
	os.WriteFile(filepath.Join(site, "content", "g", "g.pdf"), textPDF(t, "Graduatoria", "RSSMRA85T10A562S"), 0o644)
	rome, _ := time.LoadLocation("Europe/Rome")
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, rome)
	_, err := publish.Pubblica(site, filepath.Join(site, "content", "g", "index.md"), publish.Options{}, now)
	if err == nil || !strings.Contains(err.Error(), "codice fiscale nell'allegato g.pdf, pagina 2: RSSMRA85T10A562S") {
		t.Fatalf("pubblica: %v", err)
	}
	if _, err := publish.Pubblica(site, filepath.Join(site, "content", "g", "index.md"), publish.Options{Forza: true}, now); err != nil {
		t.Fatalf("pubblica --forza: %v", err)
	}
}
