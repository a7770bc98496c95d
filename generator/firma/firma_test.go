package firma_test

import (
	"bytes"
	"encoding/base64"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/borgoesempio/albo/generator/firma"
	"github.com/borgoesempio/albo/generator/firma/firmatest"
)

// onePagePDF is a small PDF with text, to sign.
func onePagePDF(t testing.TB, text string) []byte {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCreationDate(time.Date(2026, 11, 17, 0, 0, 0, 0, time.UTC))
	p.AddPage()
	p.SetFont("Helvetica", "", 12)
	p.Cell(0, 10, text)
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type fixtures struct {
	ca, other      firmatest.Party
	rossi, expired firmatest.Party
	anchors        []byte
}

func newFixtures() fixtures {
	now := time.Now()
	ca := firmatest.CA("Autorità di prova", now.AddDate(-5, 0, 0), now.AddDate(5, 0, 0))
	other := firmatest.CA("Autorità sconosciuta", now.AddDate(-5, 0, 0), now.AddDate(5, 0, 0))
	return fixtures{
		ca: ca, other: other,
		rossi:   firmatest.Signer(ca, "Mario", "Rossi", "RSSMRA80A01H501U", now.AddDate(-1, 0, 0), now.AddDate(2, 0, 0)),
		expired: firmatest.Signer(ca, "Anna", "Verdi", "VRDNNA70A41H501X", now.AddDate(-3, 0, 0), now.AddDate(0, 0, -10)),
		anchors: firmatest.PEM(ca.Cert),
	}
}

func tamper(b []byte, at int) []byte {
	c := bytes.Clone(b)
	c[at] ^= 0x01
	return c
}

// TestVerify: a valid, a tampered, an expired-certificate and an untrusted-CA case for
// each format, with and without the site's trusted authorities.
func TestVerify(t *testing.T) {
	f := newFixtures()
	pool, n, err := firma.Anchors(f.anchors)
	if err != nil || n != 1 {
		t.Fatal(n, err)
	}
	now := time.Now()
	content := onePagePDF(t, "Pubblicazione di matrimonio")
	p7m := firmatest.P7M(content, f.rossi, f.ca)
	untrustedSigner := firmatest.Signer(f.other, "Luca", "Bianchi", "BNCLCU75B02A662Z", now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0))
	pades := firmatest.PAdES(content, f.rossi, f.ca, now.Add(-time.Hour))
	// One byte of the signed content: in the envelope, the content sits after the header;
	// in the PDF, before the signature dictionary.
	contentAt := bytes.Index(p7m, content[:64]) + 100
	signedAt := now.Add(-30 * 24 * time.Hour).Truncate(time.Second).UTC()
	for _, c := range []struct {
		name, file string
		data       []byte
		anchors    bool
		intact     bool
		validAt    bool
		trust      firma.Trust
		signer     string
	}{
		{"CAdES valid", "atto.pdf.p7m", p7m, true, true, true, firma.Trusted, "MARIO ROSSI"},
		{"CAdES valid, base64", "atto.pdf.p7m", []byte(base64.StdEncoding.EncodeToString(p7m)), true, true, true, firma.Trusted, "MARIO ROSSI"},
		{"CAdES valid, no anchors", "atto.pdf.p7m", p7m, false, true, true, firma.NoAnchors, "MARIO ROSSI"},
		{"CAdES valid, dated", "atto.pdf.p7m", firmatest.P7MAt(content, f.rossi, f.ca, signedAt), true, true, true, firma.Trusted, "MARIO ROSSI"},
		{"CAdES tampered", "atto.pdf.p7m", tamper(p7m, contentAt), true, false, true, firma.Trusted, "MARIO ROSSI"},
		{"CAdES expired certificate", "atto.pdf.p7m", firmatest.P7M(content, f.expired, f.ca), true, true, false, firma.Untrusted, "ANNA VERDI"},
		{"CAdES untrusted CA", "atto.pdf.p7m", firmatest.P7M(content, untrustedSigner, f.other), true, true, true, firma.Untrusted, "LUCA BIANCHI"},
		{"PAdES valid", "atto.pdf", pades, true, true, true, firma.Trusted, "MARIO ROSSI"},
		{"PAdES tampered", "atto.pdf", tamper(pades, 20), true, false, true, firma.Trusted, "MARIO ROSSI"},
		{"PAdES expired certificate", "atto.pdf", firmatest.PAdES(content, f.expired, f.ca, now.Add(-time.Hour)), true, true, false, firma.Untrusted, "ANNA VERDI"},
		{"PAdES untrusted CA", "atto.pdf", firmatest.PAdES(content, untrustedSigner, f.other, now.Add(-time.Hour)), true, true, true, firma.Untrusted, "LUCA BIANCHI"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var a = pool
			if !c.anchors {
				a = nil
			}
			r := firma.Verify(c.file, c.data, a)
			if r == nil || r.Problem != "" || len(r.Signers) != 1 {
				t.Fatalf("result %+v", r)
			}
			s := r.Signers[0]
			if s.Intact != c.intact || s.ValidAtSigning != c.validAt || s.Trust != c.trust || s.Name != c.signer {
				t.Errorf("intact %v (%s), valid at signing %v, trust %v (%s), signer %q", s.Intact, s.Problem, s.ValidAtSigning, s.Trust, s.TrustProblem, s.Name)
			}
			if c.signer == "MARIO ROSSI" && (s.TaxCode != "RSSMRA80A01H501U" || s.Issuer != "Autorità di prova" || s.Time.IsZero()) {
				t.Errorf("signer details: %+v", s)
			}
			if c.name == "CAdES valid, dated" && !s.Time.Equal(signedAt) {
				t.Errorf("signing time %v, want %v", s.Time, signedAt)
			}
			if r.Format == firma.CAdES && c.intact && !bytes.Equal(r.Content, content) {
				t.Errorf("the content of the envelope is not the signed document")
			}
		})
	}
	if r := firma.Verify("atto.pdf", content, pool); r != nil {
		t.Errorf("an unsigned PDF gave %+v", r)
	}
	if r := firma.Verify("atto.pdf.p7m", []byte("not an envelope"), pool); r == nil || r.Problem == "" || r.Intact() {
		t.Errorf("a broken envelope gave %+v", r)
	}
}

// FuzzVerify reads anything as an envelope and as a signed PDF: never a panic, never an
// intact signature out of bytes nobody signed.
func FuzzVerify(f *testing.F) {
	fx := newFixtures()
	content := onePagePDF(f, "x")
	f.Add(firmatest.P7M(content, fx.rossi, fx.ca))
	f.Add(firmatest.PAdES(content, fx.rossi, fx.ca, time.Now()))
	f.Add([]byte("%PDF-1.4 /ByteRange [0 10 20 5] <3082>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"a.p7m", "a.pdf"} {
			firma.Verify(name, data, nil)
		}
	})
}
