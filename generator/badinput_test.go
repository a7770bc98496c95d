package generator

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/borgoesempio/albo/generator/diag"
)

const goodConfig = "ente: Comune di Prova\ncodice_ipa: c_t001\nurl: https://albo.prova.it/\n"

const goodAct = `---
tipo: avviso
oggetto: Un avviso valido
registro: 2026/1
dal: 2026-11-20
---
Testo.
`

// TestBadInput covers every case of SPEC §7: each ends in a problem naming the file and
// line (an error, or a warning for a draft, which never holds the albo back), and the site
// built again at the same instant stays exactly as it was.
func TestBadInput(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		setup func(t *testing.T, site string)
		want  string // the error must contain this
	}{
		{name: "broken YAML", files: map[string]string{"content/x.md": "---\ntipo: avviso\noggetto: [non chiuso\ndal: 2026-11-20\n---\n"},
			want: "content/x.md:3: intestazione: YAML non valido: manca una virgola o la parentesi ] che chiude l'elenco"},
		{name: "unknown key, typo", files: map[string]string{"content/x.md": "---\ntipo: avviso\nogetto: Avviso\n---\n"},
			want: `content/x.md:3: chiave "ogetto" sconosciuta; forse intendevi "oggetto"?`},
		{name: "unknown type", files: map[string]string{"content/x.md": "---\ntipo: ordinanze\noggetto: Avviso\n---\n"},
			want: `content/x.md:2: tipo "ordinanze" sconosciuto; forse intendevi "ordinanza"?`},
		{name: "invalid date", files: map[string]string{"content/x.md": "---\ntipo: avviso\noggetto: A\nregistro: 2026/2\ndal: 20/11/2026\n---\n"},
			want: `content/x.md:5: dal: "20/11/2026" non è una data valida: scrivila AAAA-MM-GG`},
		{name: "impossible date", files: map[string]string{"content/x.md": "---\ntipo: avviso\noggetto: A\nregistro: 2026/2\ndal: 2026-02-30\n---\n"},
			want: `content/x.md:5: dal: "2026-02-30" non è una data valida`},
		{name: "al before dal", files: map[string]string{"content/x.md": "---\ntipo: bando\noggetto: A\nregistro: 2026/2\ndal: 2026-11-20\nal: 2026-11-01\n---\n"},
			want: "content/x.md:6: al (01/11/2026) precede dal (20/11/2026); l'ultimo giorno di pubblicazione non può precedere il primo"},
		{name: "missing attachment", files: map[string]string{"content/x/index.md": "---\ntipo: avviso\noggetto: A\nallegati:\n  - file: manca.pdf\n    titolo: Testo\n---\n"},
			want: `content/x/index.md:5: l'allegato "manca.pdf" non c'è`},
		{name: "attachment leaving the folder", files: map[string]string{"content/x/index.md": "---\ntipo: avviso\noggetto: A\nallegati:\n  - file: ../../content/albo.yaml\n    titolo: Testo\n---\n"},
			want: `content/x/index.md:5: l'allegato "../../content/albo.yaml" esce dalla cartella dell'atto`},
		{name: "symlink out of the site", files: map[string]string{"content/x/index.md": "---\ntipo: avviso\noggetto: A\nallegati:\n  - file: link.pdf\n    titolo: Testo\n---\n"},
			setup: func(t *testing.T, site string) {
				outside := filepath.Join(t.TempDir(), "secret.pdf")
				os.WriteFile(outside, []byte("segreto"), 0o644)
				if err := os.Symlink(outside, filepath.Join(site, "content", "x", "link.pdf")); err != nil {
					t.Fatal(err)
				}
			},
			want: `content/x/index.md:5: l'allegato "link.pdf" è un collegamento a un file fuori dal sito`},
		{name: "attachment a browser runs", files: map[string]string{"content/x/index.md": "---\ntipo: avviso\noggetto: A\nregistro: 2026/2\ndal: 2026-11-20\nallegati:\n  - file: pagina.html\n    titolo: Pagina\n---\n", "content/x/pagina.html": "<script>alert(1)</script>"},
			want: `content/x/index.md:7: l'allegato "pagina.html" è di un tipo che il browser esegue (.html)`},
		{name: "SVG attachment", files: map[string]string{"content/x/index.md": "---\ntipo: avviso\noggetto: A\nregistro: 2026/2\ndal: 2026-11-20\nallegati:\n  - file: Logo.SVG\n    titolo: Logo\n---\n", "content/x/Logo.SVG": "<svg onload=alert(1)/>"},
			want: `content/x/index.md:7: l'allegato "Logo.SVG" è di un tipo che il browser esegue (.svg)`},
		{name: "control character", files: map[string]string{"content/x.md": "---\ntipo: avviso\noggetto: \"Avviso \\e[31mrosso\"\nregistro: 2026/2\ndal: 2026-11-20\n---\n"},
			want: `content/x.md:3: oggetto: il valore contiene un carattere di controllo (U+001B)`},
		{name: "control character in the text", files: map[string]string{"content/x.md": "---\ntipo: avviso\noggetto: A\nregistro: 2026/2\ndal: 2026-11-20\n---\nriga\ntesto \x1b[2J\n"},
			want: `content/x.md:8: il testo contiene un carattere di controllo (U+001B)`},
		{name: "attachment listed twice", files: map[string]string{"content/x/index.md": "---\ntipo: avviso\noggetto: A\nregistro: 2026/2\ndal: 2026-11-20\nallegati:\n  - file: a.pdf\n    titolo: A\n  - file: ./a.pdf\n    titolo: Di nuovo\n---\n", "content/x/a.pdf": "%PDF"},
			want: `content/x/index.md:9: l'allegato "a.pdf" è già elencato alla riga 7`},
		{name: "more than one YAML document", files: map[string]string{"content/x.md": "---\ntipo: avviso\noggetto: A\n--- 0\nregistro: 2026/2\ndal: 2026-11-20\n---\n"},
			want: `content/x.md:4: intestazione: il testo ha più di un documento YAML (una riga che comincia con '---' o '...'): ciò che segue non sarebbe letto; togli quella riga`},
		{name: "duplicate register number", files: map[string]string{"content/y.md": strings.Replace(goodAct, "Un avviso valido", "Un altro", 1)},
			want: "content/y.md:4: il numero di registro 1/2026 è già dell'atto content/a.md"},
		{name: "invalid UTF-8", files: map[string]string{"content/x.md": "---\ntipo: avviso\noggetto: Citt\xe0\n---\n"},
			want: "content/x.md:3: il testo non è in UTF-8"},
		{name: "empty file", files: map[string]string{"content/x.md": ""}, want: "content/x.md: il file è vuoto"},
		{name: "file over 10 MB", files: map[string]string{"content/x.md": "---\ntipo: avviso\noggetto: A\n---\n" + strings.Repeat("testo lungo ", 1<<20)},
			want: "content/x.md: il file è di 12,0 MB, oltre il limite di 10 MB"},
		{name: "no front matter", files: map[string]string{"content/x.md": "tipo: avviso\n"}, want: "content/x.md:1: il file deve cominciare con una riga '---'"},
		{name: "front matter not closed", files: map[string]string{"content/x.md": "---\ntipo: avviso\n"}, want: "content/x.md:1: l'intestazione non è chiusa"},
		{name: "omissis not closed", files: map[string]string{"content/x.md": "---\ntipo: avviso\noggetto: A\n---\nriga\nil sig. ||Mario Rossi\n"},
			want: "content/x.md:6: l'omissis aperto con || non è chiuso"},
		{name: "registro without dal", files: map[string]string{"content/x.md": "---\ntipo: avviso\noggetto: A\nregistro: 2026/2\n---\n"},
			want: "content/x.md:4: con registro serve dal"},
		{name: "bando without deadline", files: map[string]string{"content/x.md": "---\ntipo: bando\noggetto: A\nregistro: 2026/2\ndal: 2026-11-20\n---\n"},
			want: "content/x.md:5: un atto di tipo Bando (concorso, gara, contributi) non ha una durata predefinita: serve al (la scadenza)"},
		{name: "unknown config key", files: map[string]string{"content/albo.yaml": goodConfig + "fuso_orari: Europe/Rome\n"},
			want: `content/albo.yaml:4: chiave "fuso_orari" sconosciuta; forse intendevi "fuso_orario"?`},
		{name: "duplicate key", files: map[string]string{"content/x.md": "---\ntipo: avviso\noggetto: A\noggetto: B\n---\n"},
			want: `content/x.md:4: la chiave "oggetto" compare due volte`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := t.TempDir()
			writeFiles(t, site, map[string]string{"content/albo.yaml": goodConfig, "content/a.md": goodAct})
			dest := filepath.Join(site, "public")
			if _, err := Build(Options{Source: site, Now: sampleNow}); err != nil {
				t.Fatal(err)
			}
			before := tree(t, dest)
			writeFiles(t, site, tt.files)
			if tt.setup != nil {
				tt.setup(t, site)
			}
			res, err := Build(Options{Source: site, Now: sampleNow})
			if res == nil {
				t.Fatalf("nothing was built: %v", err)
			}
			var found *diag.Problem
			for _, p := range res.Problems {
				if strings.Contains(withoutLevel(p), tt.want) {
					found = p
				}
			}
			if found == nil {
				t.Fatalf("problems:\n%v\nwant one containing:\n%s", res.Problems, tt.want)
			}
			if draft := !strings.Contains(tt.files[found.Path], "registro:"); (found.Level == diag.Avviso) != (draft && found.Path != "content/albo.yaml") {
				t.Errorf("%s: warning %v; a draft's problems are warnings, any other's errors", found, found.Level)
			}
			if (err != nil) != (len(res.Errors()) > 0) {
				t.Errorf("error %v with %d errors", err, len(res.Errors()))
			}
			after := tree(t, dest)
			if len(after) != len(before) {
				t.Fatalf("a failed build changed public/: %d files, then %d", len(before), len(after))
			}
			for k, v := range before {
				if !bytes.Equal(v, after[k]) {
					t.Errorf("a failed build changed public/%s", k)
				}
			}
		})
	}
}

// withoutLevel is a problem as path:line: message; hint, whether an error or a warning.
func withoutLevel(p *diag.Problem) string {
	q := *p
	q.Level = diag.Errore
	return q.Error()
}

// TestEveryProblemAtOnce checks that one build reports the problems of all files.
func TestEveryProblemAtOnce(t *testing.T) {
	site := t.TempDir()
	writeFiles(t, site, map[string]string{
		"content/albo.yaml": goodConfig,
		"content/a.md":      "---\ntipo: avvisso\noggetto: A\n---\n",
		"content/b.md":      "---\ntipo: avviso\n---\n",
	})
	res, _ := Build(Options{Source: site, Now: sampleNow})
	if res == nil || len(res.Problems.Of("content/a.md")) == 0 || len(res.Problems.Of("content/b.md")) == 0 {
		t.Fatalf("result %v; want both files' problems", res)
	}
}

// TestScriptIsEscaped checks that no text of an act can inject markup.
func TestScriptIsEscaped(t *testing.T) {
	site := t.TempDir()
	writeFiles(t, site, map[string]string{
		"content/albo.yaml": goodConfig,
		"content/a.md":      "---\ntipo: avviso\noggetto: \"<script>alert(1)</script>\"\nregistro: 2026/1\ndal: 2026-11-20\nufficio: \"<img src=x onerror=alert(2)>\"\n---\n<script>alert(3)</script>\n\n[x](javascript:alert(4))\n",
	})
	dest := build(t, site, sampleNow)
	for name, b := range tree(t, dest) {
		if strings.HasSuffix(name, ".csv") || strings.HasSuffix(name, ".txt") {
			continue // data, served as text/csv or text/plain with nosniff: the text is kept as written
		}
		// As text (escaped, as in the public form) a javascript: address is harmless; as
		// the value of an attribute it is not.
		for _, bad := range []string{"<script>alert", "<img src=x", `="javascript:alert`} {
			if bytes.Contains(b, []byte(bad)) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
	}
}

// TestOmissisOutsideTheBody: omissis markup in a key is an error naming the key, and its
// text reaches no output file (the act is left out).
func TestOmissisOutsideTheBody(t *testing.T) {
	for key, act := range map[string]string{
		"oggetto":  "---\ntipo: ordinanza\noggetto: 'Ordinanza nei confronti di ||Zqxmario Rossi||'\nregistro: 2026/2\ndal: 2026-11-20\n---\n",
		"allegati": "---\ntipo: avviso\noggetto: A\nregistro: 2026/2\ndal: 2026-11-20\nallegati:\n  - file: a.pdf\n    titolo: Istanza di ||Zqxmario Rossi||\n---\n",
		"proroga":  "---\ntipo: avviso\noggetto: A\nregistro: 2026/2\ndal: 2026-11-20\nproroga: {al: 2026-12-30, motivo: 'richiesta di ||Zqxmario||'}\n---\n",
		"ufficio":  "---\ntipo: avviso\noggetto: A\nregistro: 2026/2\ndal: 2026-11-20\nufficio: \"||Zqxmario||\"\n---\n",
	} {
		site := t.TempDir()
		writeFiles(t, site, map[string]string{"content/albo.yaml": goodConfig, "content/a.md": goodAct, "content/x/index.md": act, "content/x/a.pdf": "%PDF"})
		res, _ := Build(Options{Source: site, Now: sampleNow})
		if res == nil {
			t.Fatal("nothing built")
		}
		found := false
		for _, p := range res.Problems.Of("content/x/index.md") {
			found = found || p.IsError() && strings.HasPrefix(p.Msg, key+": il valore contiene ||")
		}
		if !found {
			t.Errorf("%s: problems %v", key, res.Problems)
		}
		for name, b := range tree(t, filepath.Join(site, "public")) {
			if bytes.Contains(bytes.ToLower(b), []byte("zqxmario")) {
				t.Errorf("%s: %s contains the reserved text", key, name)
			}
		}
	}
}
