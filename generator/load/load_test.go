package load

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/internal/filestamp"
)

// FuzzReadAct reads arbitrary text as an act file: it must never panic, and a file it
// accepts must not keep omissis text in its body.
func FuzzReadAct(f *testing.F) {
	f.Add("---\ntipo: avviso\noggetto: A\nregistro: 2026/1\ndal: 2026-11-20\n---\ntesto ||segreto||\n")
	f.Add("---\nallegati:\n  - file: ../x\n    titolo: t\nannullamento: {data: 2026-01-01, motivo: x}\n---\n")
	f.Add("---\n[a, b]\n---\n")
	f.Add("---\nproroga: 3\n---\n")
	dir := f.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src string) {
		p := filepath.Join(dir, "content", "x.md")
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		s := &Site{Root: dir, realRoot: dir, opts: Options{SealAll: true}}
		a, _, probs := s.readFile("content/x.md", new(act.Act), filestamp.Stamp{}, false)
		if a == nil && len(probs) == 0 {
			t.Fatal("no act and no problem")
		}
		for _, p := range probs {
			if !strings.HasPrefix(p.Error(), "content/x.md") {
				t.Fatalf("problem does not name the file: %v", p)
			}
		}
		if a != nil && strings.Contains(src, "||segreto||") && strings.Contains(string(a.Body), "segreto") {
			t.Fatalf("omissis text kept in the body: %q", a.Body)
		}
	})
}

// TestRequestKeys: the keys of the request, the tender and the correction, and the new
// fields of an annulment: valid, invalid and misspelt, each named at its line.
func TestRequestKeys(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "content"), 0o755)
	read := func(front string) (*act.Act, string) {
		t.Helper()
		os.WriteFile(filepath.Join(dir, "content", "x.md"), []byte("---\ntipo: esito-gara\noggetto: A\n"+front+"---\ntesto\n"), 0o644)
		s := &Site{Root: dir, realRoot: dir}
		a, _, probs := s.readFile("content/x.md", new(act.Act), filestamp.Stamp{}, false)
		var msgs []string
		for _, p := range probs {
			msgs = append(msgs, p.Error())
		}
		return a, strings.Join(msgs, "\n")
	}
	a, probs := read("sostituisce: 2026/26\nrichiedente: Prefettura di Bari\nprotocollo: {numero: \"12345\", data: 2026-11-17}\nconsegna: 2026-11-18\n" +
		"cig: A0123B4567\npubblicita_legale: https://pubblicitalegale.anticorruzione.it/bandi/1\n" +
		"annullamento: {data: 2026-11-25, motivo: Errore, disposto_da: Il Segretario comunale, provvedimento: Determinazione n. 480}\n")
	if probs != "" {
		t.Fatal(probs)
	}
	if a.Sostituisce != (act.Registro{Anno: 2026, Numero: 26}) || a.Richiedente != "Prefettura di Bari" || a.Protocollo == nil || a.Protocollo.Numero != "12345" ||
		a.Protocollo.Data.String() != "2026-11-17" || a.Consegna.String() != "2026-11-18" || a.CIG != "A0123B4567" ||
		a.PubblicitaLegale != "https://pubblicitalegale.anticorruzione.it/bandi/1" || a.Annullamento.DispostoDa != "Il Segretario comunale" || a.Annullamento.Provvedimento != "Determinazione n. 480" {
		t.Errorf("read: %+v %+v %+v", a, a.Protocollo, a.Annullamento)
	}
	if _, probs := read("annullamento: {data: 2026-11-25, motivo: Errore}\n"); probs != "" {
		t.Errorf("an annulment without the new fields: %s", probs)
	}
	for front, want := range map[string]string{
		"sostituisce: 26\n":                                                 "content/x.md:4: sostituisce: \"26\" non è un numero di registro",
		"sostituise: 2026/26\n":                                             "content/x.md:4: chiave \"sostituise\" sconosciuta; forse intendevi \"sostituisce\"?",
		"richiedente: [a, b]\n":                                             "content/x.md:4: richiedente: serve un valore solo",
		"protocollo: 12345\n":                                               "content/x.md:4: protocollo: servono chiavi e valori",
		"protocollo: {numero: \"1\"}\n":                                     "content/x.md:4: protocollo: manca data",
		"protocollo: {numero: \"1\", data: 2026-02-30}\n":                   "content/x.md:4: protocollo.data: \"2026-02-30\" non è una data valida",
		"protocollo: {numro: \"1\", data: 2026-11-17}\n":                    "protocollo: chiave \"numro\" sconosciuta; forse intendevi \"numero\"?",
		"consegna: ieri\n":                                                  "content/x.md:4: consegna: \"ieri\" non è una data valida",
		"cig: \"123\"\n":                                                    "content/x.md:4: cig: \"123\" non è un CIG",
		"cig: a0123b4567\n":                                                 "non è un CIG",
		"pubblicita_legale: pubblicitalegale.anticorruzione.it\n":           "content/x.md:4: pubblicita_legale: \"pubblicitalegale.anticorruzione.it\" non è un indirizzo https",
		"pubblicità_legale: https://x.it/\n":                                "forse intendevi \"pubblicita_legale\"?",
		"annullamento: {data: 2026-11-25, motivo: E, dispost_da: X}\n":      "annullamento: chiave \"dispost_da\" sconosciuta; forse intendevi \"disposto_da\"?",
		"annullamento: {data: 2026-11-25, motivo: E, provvedimento: [1]}\n": "annullamento.provvedimento: serve un valore solo",
	} {
		if _, probs := read(front); !strings.Contains(probs, want) {
			t.Errorf("%q: got %q, want %q", front, probs, want)
		}
	}
}

// readAll reads a file to its end whatever its size was when it was opened: a file that
// shrank or grew in between is read as it is, into the buffer given when it is large
// enough (what was in it before is not read).
func TestReadAll(t *testing.T) {
	for _, size := range []int64{0, 3, 5, 6, 100} {
		for _, buf := range [][]byte{nil, make([]byte, 0, 4), []byte("abcdefghijklmnopqrstuvwxyz")[:0], make([]byte, 7, 200)} {
			got, err := readAll(strings.NewReader("12345"), size, buf)
			if err != nil || string(got) != "12345" {
				t.Errorf("size %d, buffer of %d: %q, %v; want \"12345\"", size, cap(buf), got, err)
			}
			if size < int64(cap(buf)) && cap(buf) > 5 && &got[0] != &buf[:1][0] {
				t.Errorf("size %d, buffer of %d: not read into the buffer", size, cap(buf))
			}
		}
	}
}

// TestListFiles: the acts of a site are its .md files and the index.md of its bundles,
// whose other files are never acts; a folder named index.md is a folder. The stamps taken
// while listing are those of the bundles' index.md, as the memo would take them.
func TestListFiles(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"content/x.md", "content/2026/a/index.md", "content/2026/a/nota.md", "content/2026/a/sub/y.md",
		"content/2026/b/index.md/z.md", "content/2026/c/d/index.md", "content/2026/e.md", "content/2026/f/INDEX.MD",
		"content/_bozze/w.md", "content/2026/.nascosta/v.md", "content/2026/l/altro/index.md"} {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("---\n---\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(dir, "content", "2026", "g"), 0o755)
	linked := os.Symlink(filepath.Join("altro", "index.md"), filepath.Join(dir, "content", "2026", "l", "index.md")) == nil
	files, misnamed, stamps, err := listFiles(dir, "content")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"content/2026/a/index.md", "content/2026/b/index.md/z.md", "content/2026/c/d/index.md", "content/2026/e.md"}
	if linked {
		want = append(want, "content/2026/l/index.md")
	} else {
		want = append(want, "content/2026/l/altro/index.md")
	}
	want = append(want, "content/x.md")
	if strings.Join(files, " ") != strings.Join(want, " ") {
		t.Errorf("acts %q, want %q", files, want)
	}
	if !slices.Equal(misnamed, []string{"content/2026/f/INDEX.MD"}) && runtime.GOOS == "linux" {
		t.Errorf("misnamed %q", misnamed)
	}
	for _, f := range files {
		st, listed := stamps[f]
		memo, ok := stampOf(filepath.Join(dir, filepath.FromSlash(f)))
		if listed && (!ok || st != memo) {
			t.Errorf("%s: listed with stamp %+v, the memo's is %+v", f, st, memo)
		}
		if bundle := strings.HasSuffix(f, "/index.md") && !strings.HasSuffix(f, "l/index.md"); !listed && bundle && ok && !foldingFS {
			t.Errorf("%s: a bundle listed without its stamp", f)
		}
	}
}
