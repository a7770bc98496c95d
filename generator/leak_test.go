package generator

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
