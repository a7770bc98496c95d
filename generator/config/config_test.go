package config

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	c, err := Parse([]byte("ente: Comune di Prova\nurl: https://albo.prova.it/albo\nconteggio: escluso\ntipi:\n  ordinanza-sindacale: {nome: Ordinanza sindacale, giorni: 20}\n  avviso: {giorni: 30}\n  banns: {nome: Pubblicazioni, sezione: matrimoni}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.BasePath() != "/albo/" || c.Location.String() != "Europe/Rome" || c.CodiceIPA != "ente" {
		t.Errorf("defaults: %q %v %q", c.BasePath(), c.Location, c.CodiceIPA)
	}
	if ty := c.Tipi["ordinanza-sindacale"]; ty.Giorni != 20 || ty.Conteggio != Escluso || !ty.Feed {
		t.Errorf("new type: %+v", ty)
	}
	if ty := c.Tipi["avviso"]; ty.Giorni != 30 || ty.Nome != "Avviso" {
		t.Errorf("override: %+v", ty)
	}
	if ty := c.Tipi["matrimonio"]; ty.Conteggio != Escluso || ty.Feed || ty.Archivio || !ty.Marriage() {
		t.Errorf("matrimonio: %+v", ty)
	}
	if ty := c.Tipi["banns"]; ty.Feed || ty.Archivio {
		t.Errorf("a new marriage-section type must default to no feed and no archive: %+v", ty)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"url: https://x.it/\n", "content/albo.yaml: manca ente"},
		{"ente: E\n", "content/albo.yaml: manca url"},
		{"ente: E\nurl: albo.it\n", "content/albo.yaml:2: url: \"albo.it\" non è un indirizzo completo http(s)"},
		{"ente: E\nurl: https://x.it/\nfuso_orario: Europe/Roma\n", "content/albo.yaml:3: fuso_orario: fuso orario \"Europe/Roma\" sconosciuto"},
		{"ente: E\nurl: https://x.it/\nconteggio: tutto\n", "content/albo.yaml:3: conteggio: \"tutto\" non è un valore ammesso; scrivi incluso oppure escluso"},
		{"ente: E\nurl: https://x.it/\ntipi:\n  nuovo: {giorni: 5}\n", "content/albo.yaml:4: tipi.nuovo: un tipo nuovo richiede nome"},
		{"ente: E\nurl: https://x.it/\ntipi:\n  avviso: {giorno: 5}\n", "content/albo.yaml:4: tipi.avviso: chiave \"giorno\" sconosciuta; forse intendevi \"giorni\"?"},
		{"ente: [\n", "content/albo.yaml:1: YAML non valido"},
		{"ente: E\nurl: https://x.it/\ntipi:\n  matrimonio: {sezione: atti}\n", "content/albo.yaml:4: tipi.matrimonio.sezione: le pubblicazioni di matrimonio sono dati personali"},
		{"ente: E\nurl: https://x.it/\ntipi:\n  matrimonio: {feed: true}\n", "content/albo.yaml:4: tipi.matrimonio.feed: le pubblicazioni"},
		{"ente: E\nurl: https://x.it/\ntipi:\n  matrimonio: {archivio: true}\n", "content/albo.yaml:4: tipi.matrimonio.archivio: le pubblicazioni"},
		{"ente: E\nurl: https://x.it/\ntipi:\n  unioni: {nome: Unioni civili, sezione: matrimoni, feed: true}\n", "content/albo.yaml:4: tipi.unioni.feed: le pubblicazioni"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.src))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v; want %q", tt.src, err, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("ente: E\nurl: https://x.it/\ntipi:\n  a: {nome: A, giorni: 3}\n")
	f.Add("privacy: {consentiti: [1, 2]}\n")
	f.Fuzz(func(t *testing.T, src string) {
		c, err := Parse([]byte(src))
		if err == nil && (c.URL == nil || c.Ente == "" || c.Location == nil) {
			t.Fatalf("accepted an incomplete configuration: %q", src)
		}
	})
}

// TestRulesOfSiteTypes checks that a type the site adds is held to the rules of its kind:
// ordinanza-sindacale (SPEC §2's own example) to those of ordinanza, a new kind of
// deliberation to a deliberation's, a type of no known kind to the strictest.
func TestRulesOfSiteTypes(t *testing.T) {
	c, err := Parse([]byte("ente: E\nurl: https://x.it/\ntipi:\n  ordinanza-sindacale: {nome: Ordinanza sindacale, giorni: 15}\n" +
		"  delibera-commissario: {nome: Deliberazione del Commissario}\n  verbale: {nome: Verbale}\n  banns: {nome: Pubblicazioni, sezione: matrimoni}\n" +
		"  ordinanza: {giorni: 20}\n"))
	if err != nil {
		t.Fatal(err)
	}
	same := func(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") }
	ord := c.Tipi["ordinanza"].Regole
	if r := c.Tipi["ordinanza-sindacale"].Regole; !same(r.Requisiti, ord.Requisiti) || r.Tipo != "ordinanza" || len(r.Bozza) != len(ord.Bozza) {
		t.Errorf("ordinanza-sindacale has rules %+v, ordinanza %+v", r, ord)
	}
	if r := c.Tipi["delibera-commissario"].Regole; !r.Deliberazione || !same(r.Requisiti, []string{"numero", "data", "ufficio"}) {
		t.Errorf("delibera-commissario: %+v", r)
	}
	if r := c.Tipi["verbale"].Regole; !same(r.Requisiti, []string{"numero", "data", "ufficio"}) || r.Tipo != "" {
		t.Errorf("a type of no known kind must get the strictest rules: %+v", r)
	}
	if r := c.Tipi["banns"].Regole; r.Tipo != "matrimonio" {
		t.Errorf("a marriage-section type must get the rules of matrimonio: %+v", r)
	}
	if r := c.Tipi["ordinanza"]; r.Giorni != 20 || r.Regole.Tipo != "ordinanza" {
		t.Errorf("overriding a built-in type keeps its rules: %+v", r)
	}
	if !c.Tipi["delibera-giunta"].Deliberation() || c.Tipi["ordinanza"].Deliberation() {
		t.Error("deliberations are told by their rules")
	}
	if c.Tipi["bando"].Regole.Durata != DurataScadenza || c.Tipi["atto-esterno"].Regole.Durata != DurataRichiesta {
		t.Error("bando and atto-esterno have no default duration")
	}
}

// TestNoAliases refuses YAML anchors and aliases, which an alias bomb would use.
func TestNoAliases(t *testing.T) {
	_, err := Parse([]byte("ente: &e E\nurl: https://x.it/\ncodice_ipa: *e\n"))
	if err == nil || !strings.Contains(err.Error(), "content/albo.yaml:1:") || !strings.Contains(err.Error(), "ancore e riferimenti YAML") {
		t.Fatalf("got %v", err)
	}
}

// TestOfficeKeys: the keys of the officer, the contacts, the crest and the calendar,
// valid, invalid and misspelt.
func TestOfficeKeys(t *testing.T) {
	c, err := Parse([]byte("ente: Comune di Borgo Esempio\nurl: https://x.it/\nresponsabile_albo:\n  nome: Dott.ssa Anna Verdi\n  qualifica: Segretario comunale\n" +
		"sede:\n  indirizzo: Piazza del Municipio 1, 70000 Borgo Esempio (BA)\n  pec: protocollo@pec.x.it\n  telefono: \"080 0000000\"\n  codice_fiscale: \"00123456789\"\n" +
		"stemma: _stemma.png\ncalendario: {patrono: \"06-13\", sabato: festivo}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Responsabile != (Responsabile{"Dott.ssa Anna Verdi", "Segretario comunale"}) || c.Sede.PEC != "protocollo@pec.x.it" || c.Sede.CodiceFiscale != "00123456789" ||
		c.Stemma != "content/_stemma.png" || c.Calendario.Patrono.String() != "06-13" || !c.Calendario.SabatoFestivo {
		t.Errorf("parsed: %+v %+v %q %+v", c.Responsabile, c.Sede, c.Stemma, c.Calendario)
	}
	links, err := Parse([]byte("ente: E\nurl: https://x.it/\nsegnala_disservizio: mailto:urp@x.it\naccessibilita: https://form.agid.gov.it/view/1\nprivacy: {informativa: https://x.it/privacy}\n"))
	if err != nil || links.Link.Disservizio != "mailto:urp@x.it" || links.Link.Accessibilita != "https://form.agid.gov.it/view/1" || links.Link.Privacy != "https://x.it/privacy" {
		t.Errorf("links: %+v %v", links, err)
	}
	if got := c.Luogo(); got != "Borgo Esempio" {
		t.Errorf("Luogo() = %q", got)
	}
	if c.Sede.Indirizzo = ""; c.Luogo() != "Borgo Esempio" {
		t.Errorf("Luogo() without an address = %q", c.Luogo())
	}
	const head = "ente: E\nurl: https://x.it/\n"
	for src, want := range map[string]string{
		head + "responsabile_albo: {nome: A, qualifca: B}\n":          "content/albo.yaml:3: responsabile_albo: chiave \"qualifca\" sconosciuta; forse intendevi \"qualifica\"?",
		head + "responsabile_albo: Anna Verdi\n":                      "content/albo.yaml:3: responsabile_albo: servono chiavi e valori",
		head + "responsabil_albo: {nome: A}\n":                        "content/albo.yaml:3: chiave \"responsabil_albo\" sconosciuta; forse intendevi \"responsabile_albo\"?",
		head + "sede: {pec: [a, b]}\n":                                "content/albo.yaml:3: sede.pec: serve un valore solo",
		head + "sede: {indirizo: Via Roma 1}\n":                       "forse intendevi \"indirizzo\"?",
		head + "stemma: ../stemma.png\n":                              "content/albo.yaml:3: stemma: \"../stemma.png\" non è un file dentro content/",
		head + "stemma: stemma.gif\n":                                 "content/albo.yaml:3: stemma: \"stemma.gif\" non è un'immagine PNG o JPEG",
		head + "calendario: {patrono: \"13-06\"}\n":                   "content/albo.yaml:3: calendario.patrono: \"13-06\" non è un giorno dell'anno",
		head + "calendario: {sabato: chiuso}\n":                       "content/albo.yaml:3: calendario.sabato: \"chiuso\" non è un valore ammesso; scrivi lavorativo oppure festivo",
		head + "calendario: {patrona: \"06-13\"}\n":                   "forse intendevi \"patrono\"?",
		head + "accessibilita: https://www.comune.it/accessibilita\n": "content/albo.yaml:3: accessibilita: \"https://www.comune.it/accessibilita\" non è l'indirizzo di una dichiarazione su form.agid.gov.it",
		head + "faq: comune.it/faq\n":                                 "content/albo.yaml:3: faq: \"comune.it/faq\" non è un indirizzo completo",
		head + "piano_miglioramento: mailto:a@b.it\n":                 "content/albo.yaml:3: piano_miglioramento: \"mailto:a@b.it\" non è un indirizzo completo",
		head + "sito_istituzonale: https://x.it/\n":                   "forse intendevi \"sito_istituzionale\"?",
		head + "privacy: {informativa: privacy}\n":                    "content/albo.yaml:3: privacy.informativa: \"privacy\" non è un indirizzo completo",
	} {
		if _, err := Parse([]byte(src)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v; want %q", src, err, want)
		}
	}
}

// TestStemma: the crest must be a readable PNG or JPEG under content/, of sensible size.
func TestStemma(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "content"), 0o755)
	os.WriteFile(filepath.Join(dir, "content", "albo.yaml"), []byte("ente: E\nurl: https://x.it/\nstemma: _stemma.png\n"), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "content/albo.yaml:3: stemma: content/_stemma.png non si può leggere") {
		t.Errorf("missing crest: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "content", "_stemma.png"), []byte("not a png"), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "non è un'immagine PNG o JPEG leggibile") {
		t.Errorf("broken crest: %v", err)
	}
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 3000, 10)))
	os.WriteFile(filepath.Join(dir, "content", "_stemma.png"), buf.Bytes(), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "3000×10 pixel") {
		t.Errorf("huge crest: %v", err)
	}
	buf.Reset()
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 30, 40)))
	os.WriteFile(filepath.Join(dir, "content", "_stemma.png"), buf.Bytes(), 0o644)
	c, err := Load(dir)
	if err != nil || !bytes.Equal(c.StemmaBytes, buf.Bytes()) {
		t.Errorf("good crest: %v", err)
	}
}
