package generator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/borgoesempio/albo/generator/load"
	"github.com/borgoesempio/albo/generator/render"
)

// copyDir copies the folder src into dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// writeFiles writes files (slash path → content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestNothingUnpublishedLeaks plants unique words in every place that must not be
// published at the sample's date, builds, and looks for them in every output file.
func TestNothingUnpublishedLeaks(t *testing.T) {
	site := t.TempDir()
	copyDir(t, filepath.Join("..", "content"), filepath.Join(site, "content"))
	writeFiles(t, site, map[string]string{
		// Scheduled: nothing at all, not even a count.
		"content/2026/leak-programmato/index.md": `---
tipo: ordinanza
oggetto: Zqxprogrammatooggetto per il mese prossimo
registro: 2026/901
dal: 2026-12-20
numero: "Zqxprogrammatonumero"
ufficio: Zqxprogrammatoufficio
responsabile: Zqxprogrammatoresponsabile
allegati:
  - file: segreto.pdf
    titolo: Zqxprogrammatoallegato
---
Zqxprogrammatotesto del corpo.
`,
		"content/2026/leak-programmato/segreto.pdf": "%PDF-1.4 Zqxprogrammatopdf",
		// Draft: nothing at all.
		"content/bozze/leak-bozza.md": `---
tipo: avviso
oggetto: Zqxbozzaoggetto
ufficio: Zqxbozzaufficio
---
Zqxbozzatesto.
`,
		// Expired: text and attachments nowhere; the archive keeps its metadata only.
		"content/2026/leak-scaduto/index.md": `---
tipo: avviso
oggetto: Avviso scaduto con oggetto pubblicabile
registro: 2026/902
dal: 2026-10-01
deposito: Zqxscadutodeposito
allegati:
  - file: vecchio.pdf
    titolo: Zqxscadutoallegato
---
Zqxscadutotesto ||Zqxscadutoomissis||.
`,
		"content/2026/leak-scaduto/vecchio.pdf": "%PDF-1.4 Zqxscadutopdf",
		// Expired with a subject for the archive: the original subject is gone.
		"content/2026/leak-oggetto-archivio.md": `---
tipo: avviso
oggetto: Zqxoggettooriginale
oggetto_archivio: Oggetto ridotto per l'archivio
registro: 2026/903
dal: 2026-10-02
---
testo
`,
		// Expired with archivio: false, and expired marriage banns: nothing at all.
		"content/2026/leak-no-archivio.md": `---
tipo: determinazione
oggetto: Zqxnoarchiviooggetto
registro: 2026/904
dal: 2026-10-03
archivio: false
---
Zqxnoarchiviotesto
`,
		"content/2026/leak-matrimonio.md": `---
tipo: matrimonio
oggetto: Pubblicazione di matrimonio tra Zqxspososcaduto e Zqxsposascaduta
registro: 2026/905
dal: 2026-10-04
---
Zqxmatrimoniotesto
`,
		// In publication: omissis text nowhere, in any form.
		"content/2026/leak-omissis.md": `---
tipo: ordinanza
oggetto: Ordinanza con dati personali oscurati
registro: 2026/906
dal: 2026-11-20
---
Il sig. ||Zqxomissisnome Zqxomissiscognome|| nato a ||Zqxomissis
luogo||, in tabella:

| Nome | Esito |
|---|---|
| ||Zqxomissiscella|| | ammesso |

Anche in un [collegamento ||Zqxomissislink||](https://example.org) e in ` + "`||Zqxomissiscodice||`" + `.
`,
	})
	dest := build(t, site, sampleNow)
	files := tree(t, dest)
	words := []string{"zqxprogrammato", "zqxbozza", "zqxscadutodeposito", "zqxscadutoallegato", "zqxscadutotesto",
		"zqxscadutoomissis", "zqxscadutopdf", "zqxoggettooriginale", "zqxnoarchivio", "zqxsposo", "zqxsposa",
		"zqxmatrimonio", "zqxomissis"}
	for name, content := range files {
		low := bytes.ToLower(content)
		for _, w := range words {
			if bytes.Contains(low, []byte(w)) {
				t.Errorf("%s contains the unpublished word %q", name, w)
			}
		}
	}
	// The planted acts are real: the ones in publication or archive did get out.
	for _, want := range []struct{ file, text string }{
		{"atti/2026/906.html", "Ordinanza con dati personali oscurati"},
		{"archivio/index.html", "Avviso scaduto con oggetto pubblicabile"},
		{"archivio/index.html", "Oggetto ridotto per l&#39;archivio"},
	} {
		if !strings.Contains(string(files[want.file]), want.text) {
			t.Errorf("%s lacks %q: the test no longer exercises what it should", want.file, want.text)
		}
	}
}

// TestOmissisChangesNothing builds two copies of the sample albo that differ only in the
// text inside the omissis of a sealed act (its seal differs too, as it covers the text):
// every output file is the same, byte for byte. Nothing published depends on reserved text,
// not even the fingerprint (SPEC §4).
func TestOmissisChangesNothing(t *testing.T) {
	sites := [2]string{t.TempDir(), t.TempDir()}
	for i, site := range sites {
		copyDir(t, filepath.Join("..", "content"), filepath.Join(site, "content"))
		p := filepath.Join(site, "content", "2026", "ordinanza-rumore.md")
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		other := []string{"sig. Antonio Carbone, nato il 12/03/1971", "sig.ra Zqxaltra Persona, nata il 01/01/1950"}[i]
		re := regexp.MustCompile(`\|\|[^|]+\|\|`)
		if !re.Match(b) {
			t.Fatal("the act has no omissis: the test no longer tests anything")
		}
		b = re.ReplaceAll(b, []byte("||"+other+"||"))
		// The seal covers the reserved text: seal it anew, as albo pubblica would have.
		a, probs := load.ParseAct(site, "content/2026/ordinanza-rumore.md", b, nil)
		if a == nil || len(probs) > 0 {
			t.Fatal(probs)
		}
		b = regexp.MustCompile(`impronta: sha256:[0-9a-f]+`).ReplaceAll(b, []byte("impronta: "+a.Seal.Digest))
		os.WriteFile(p, b, 0o644)
	}
	a, b := tree(t, build(t, sites[0], sampleNow)), tree(t, build(t, sites[1], sampleNow))
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for k, v := range a {
		if !bytes.Equal(v, b[k]) {
			t.Errorf("%s depends on the text of an omissis: %s", k, firstDiff(v, b[k]))
		}
	}
}

// TestPublicFingerprintRecomputes does what a citizen or an auditor does with an act's
// page: takes the text of its public form (the element forma-pubblica) and computes its
// SHA-256, which must be the public fingerprint the page, the open data and the feed show.
func TestPublicFingerprintRecomputes(t *testing.T) {
	files := tree(t, build(t, "..", sampleNow))
	var data struct {
		Atti []struct {
			URL      string `json:"url"`
			Impronta string `json:"impronta_pubblica"`
			Forma    string `json:"forma_pubblica"`
		} `json:"atti"`
	}
	if err := json.Unmarshal(files["dati/atti.json"], &data); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, a := range data.Atti {
		if a.Impronta == "" {
			continue
		}
		rel := strings.TrimPrefix(a.URL, "https://albo.borgoesempio.it/")
		if a.Forma != a.URL+"#"+render.FormaID {
			t.Errorf("%s: forma_pubblica %q", rel, a.Forma)
		}
		doc, err := html.Parse(bytes.NewReader(files[rel]))
		if err != nil {
			t.Fatal(err)
		}
		var form *html.Node
		for n := range doc.Descendants() {
			for _, at := range n.Attr {
				if at.Key == "id" && at.Val == render.FormaID {
					form = n
				}
			}
		}
		if form == nil || form.FirstChild == nil {
			t.Errorf("%s: no public form on the page", rel)
			continue
		}
		var text strings.Builder
		for c := range form.Descendants() {
			if c.Type == html.TextNode {
				text.WriteString(c.Data)
			}
		}
		sum := sha256.Sum256([]byte(text.String()))
		if got := "sha256:" + hex.EncodeToString(sum[:]); got != a.Impronta || !bytes.Contains(files[rel], []byte(got)) {
			t.Errorf("%s: the public form gives %s, the page and the data say %s", rel, got, a.Impronta)
		}
		checked++
	}
	if checked < 20 {
		t.Errorf("only %d acts checked", checked)
	}
}

// TestCSVNeutralised: a subject that a spreadsheet would take for a formula is written
// as text in every CSV file.
func TestCSVNeutralised(t *testing.T) {
	site := t.TempDir()
	writeFiles(t, site, map[string]string{
		"content/albo.yaml": goodConfig,
		"content/a.md":      "---\ntipo: avviso\noggetto: '=HYPERLINK(\"https://x.it\";\"Clicca\")'\nregistro: 2026/1\ndal: 2026-11-20\nufficio: '@SOMMA(A1)'\n---\n",
		"content/b.md":      "---\ntipo: avviso\noggetto: '+39 080 000'\nregistro: 2026/2\ndal: 2026-10-01\n---\n",
	})
	files := tree(t, build(t, site, sampleNow))
	for name, want := range map[string][]string{
		"dati/atti.csv":     {`"'=HYPERLINK(""https://x.it"";""Clicca"")"`, "'@SOMMA(A1)"},
		"dati/archivio.csv": {"'+39 080 000"},
	} {
		for _, w := range want {
			if !strings.Contains(string(files[name]), w) {
				t.Errorf("%s lacks %s:\n%s", name, w, files[name])
			}
		}
	}
}
