// Command firme makes the signed attachments of the sample albo, with a throwaway
// certification authority: a CAdES envelope (.p7m) of each marriage banns and change of
// name (circ. 13/2011 wants them signed), signed by the registrar on the act's date, and the PAdES-signed text
// of the regolamento 2026/43; it writes the authority to content/_firme/ancore.pem (which
// content/albo.yaml names in firme.ancore) and seals the acts it changed again, as if they
// had been published so (the sample is fictional: a real albo never reseals a published act).
//
//	go run ./docs/firme        # from the repository's root
//
// Each run makes a new authority and new keys, so every signed file and seal changes: run
// it only to remake the sample. Nothing it makes is trusted anywhere else.
package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/borgoesempio/albo/generator/firma/firmatest"
	"github.com/borgoesempio/albo/generator/frontmatter"
	"github.com/borgoesempio/albo/generator/load"
	"github.com/borgoesempio/albo/generator/register"
)

// civil are the sample's acts of the registry office, which circ. 13/2011 wants signed:
// marriage banns and a change of name, as files before this command made folders of them.
var civil = []string{"matrimonio-1", "matrimonio-2", "matrimonio-ottobre", "matrimonio-programmato", "cambio-nome"}

const regolamento = "content/2026/regolamento-sale-civiche/"

func main() {
	if err := run("."); err != nil {
		fmt.Fprintln(os.Stderr, "firme:", err)
		os.Exit(1)
	}
}

func run(root string) error {
	rome, _ := time.LoadLocation("Europe/Rome")
	ca := firmatest.CA("Autorità di certificazione di prova del Comune di Borgo Esempio", time.Date(2026, 1, 1, 0, 0, 0, 0, rome), time.Date(2031, 1, 1, 0, 0, 0, 0, rome))
	lupo := firmatest.Signer(ca, "Teresa", "Lupo", "LPUTRS78C50A662K", time.Date(2026, 1, 10, 0, 0, 0, 0, rome), time.Date(2029, 1, 10, 0, 0, 0, 0, rome))
	verdi := firmatest.Signer(ca, "Anna", "Verdi", "VRDNNA70A41A662X", time.Date(2026, 1, 10, 0, 0, 0, 0, rome), time.Date(2029, 1, 10, 0, 0, 0, 0, rome))
	if err := write(root, "content/_firme/ancore.pem", firmatest.PEM(ca.Cert)); err != nil {
		return err
	}
	var changed []string
	for _, name := range civil {
		rel, err := folder(root, "content/2026/"+name)
		if err != nil {
			return err
		}
		src, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			return err
		}
		a, _ := load.ParseAct(root, rel, src, nil)
		if a == nil {
			return fmt.Errorf("%s: not an act", rel)
		}
		text := "Ufficio dello stato civile - " + a.Oggetto + strings.TrimSpace(" "+prefix("n. ", a.Numero)) + "\n\n" + string(a.Body)
		signed := a.Data.Start(rome).Add(10 * time.Hour)
		if err := write(root, filepath.Dir(rel)+"/pubblicazione.pdf.p7m", firmatest.P7MAt(document("Comune di Borgo Esempio", a.Oggetto, text), lupo, ca, signed)); err != nil {
			return err
		}
		if !bytes.Contains(src, []byte("pubblicazione.pdf.p7m")) {
			src = bytes.Replace(src, []byte("\nimpronta:"), []byte("\nallegati:\n  - file: pubblicazione.pdf.p7m\n    titolo: Atto firmato digitalmente dall'ufficiale dello stato civile\nimpronta:"), 1)
			if err := write(root, rel, src); err != nil {
				return err
			}
		}
		changed = append(changed, rel)
	}
	text := strings.Join([]string{
		"Art. 1 - Oggetto. Il presente regolamento disciplina la concessione in uso temporaneo delle sale civiche di via Roma e di piazza Duomo ad associazioni, enti e cittadini.",
		"Art. 2 - Richiesta. La richiesta è presentata all'Ufficio Segreteria almeno dieci giorni prima della data di utilizzo.",
		"Art. 3 - Tariffe. Le tariffe sono stabilite annualmente dalla Giunta comunale; l'uso per iniziative senza scopo di lucro è gratuito.",
		"Art. 4 - Entrata in vigore. Il presente regolamento entra in vigore il giorno successivo all'ultimo di pubblicazione all'albo pretorio.",
	}, "\n\n")
	pdf := document("Comune di Borgo Esempio", "Regolamento per la concessione in uso delle sale civiche comunali", text)
	if err := write(root, regolamento+"regolamento-sale-civiche.pdf", firmatest.PAdES(pdf, verdi, ca, time.Date(2026, 11, 13, 11, 0, 0, 0, rome))); err != nil {
		return err
	}
	return reseal(root, append(changed, regolamento+"index.md"))
}

// folder makes the act file base.md a folder, base/index.md, so that it can have
// attachments, and returns the act's path.
func folder(root, base string) (string, error) {
	rel := base + "/index.md"
	if _, err := os.Stat(filepath.Join(root, rel)); err == nil {
		return rel, nil
	}
	if err := os.MkdirAll(filepath.Join(root, base), 0o755); err != nil {
		return "", err
	}
	return rel, os.Rename(filepath.Join(root, base+".md"), filepath.Join(root, rel))
}

// document is a one-page PDF of the ente, with a title and text.
func document(ente, title, text string) []byte {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCreationDate(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	tr := p.UnicodeTranslatorFromDescriptor("")
	p.AddPage()
	p.SetFont("Helvetica", "B", 14)
	p.MultiCell(0, 8, tr(ente), "", "C", false)
	p.MultiCell(0, 8, tr(title), "", "C", false)
	p.Ln(4)
	p.SetFont("Helvetica", "", 11)
	p.MultiCell(0, 6, tr(text), "", "L", false)
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// reseal writes the impronta of each act at rels as it is now, and its seal in the register.
func reseal(root string, rels []string) error {
	site, err := load.LoadSealed(root)
	if site == nil {
		return err
	}
	reg, err := register.Read(root)
	if err != nil {
		return err
	}
	byPath := map[string]bool{}
	for _, r := range rels {
		byPath[r] = true
	}
	for _, a := range site.Acts {
		if !byPath[a.Path] {
			continue
		}
		src, err := os.ReadFile(filepath.Join(root, a.Path))
		if err != nil {
			return err
		}
		if src, err = frontmatter.Set(src, "impronta", frontmatter.Text(a.Seal.Digest), ""); err != nil {
			return err
		}
		if err := write(root, a.Path, src); err != nil {
			return err
		}
		key := register.Key(a.Registro.Anno, a.Registro.Numero)
		seal := reg.Sigilli[key]
		seal.File, seal.Impronta, seal.Parti = a.Path, a.Seal.Digest, a.Seal.Parts
		reg.Sigilli[key] = seal
		fmt.Println("sigillato di nuovo", a.Registro.Italian(), a.Path)
	}
	return reg.Write(root)
}

func prefix(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}

func write(root, rel string, b []byte) error {
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, b, 0o644)
}
