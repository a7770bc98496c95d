package publish

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/frontmatter"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// New writes a draft of type tipo with subject oggetto under content/<year>/ and returns
// its path relative to the site. The draft has the keys its type needs, left empty with a
// comment each, and builds at once: it is published with albo pubblica.
func New(root, tipo, oggetto string, now time.Time) (string, error) {
	cfg, err := config.Load(root)
	if err != nil {
		return "", err
	}
	t, ok := cfg.Tipi[tipo]
	if !ok {
		return "", refuse("tipo %q sconosciuto: usa uno fra %s", tipo, strings.Join(cfg.TypeKeys(), ", "))
	}
	oggetto = strings.Join(strings.Fields(oggetto), " ")
	if oggetto == "" {
		return "", refuse("l'oggetto (OGGETTO) è vuoto")
	}
	year := civil.In(now, cfg.Location).Year()
	dir := filepath.Join(root, "content", fmt.Sprint(year))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	base := Slug(oggetto)
	name := base + ".md"
	for i := 2; ; i++ {
		if _, err := os.Lstat(filepath.Join(dir, name)); os.IsNotExist(err) {
			if _, err := os.Lstat(filepath.Join(dir, strings.TrimSuffix(name, ".md"))); os.IsNotExist(err) {
				break
			}
		}
		name = fmt.Sprintf("%s-%d.md", base, i)
	}
	src, err := draft(t, oggetto)
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, name)
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return "", err
	}
	if _, err := f.Write(src); err != nil {
		f.Close()
		return "", err
	}
	return filepath.ToSlash(filepath.Join("content", fmt.Sprint(year), name)), f.Close()
}

// esempio is the body of a new draft: albo pubblica refuses it as it is.
const esempio = "Testo dell'atto. Per oscurare un dato personale: ||Mario Rossi|| (sulla pagina compare «omissis»).\n"

// draft is the text of a new act of type t.
func draft(t *config.Type, oggetto string) ([]byte, error) {
	var b strings.Builder
	b.WriteString("---\n")
	fmt.Fprintf(&b, "tipo: %s\n", t.Key)
	b.WriteString("oggetto: x\n")
	for _, v := range t.Regole.Bozza {
		fmt.Fprintf(&b, "%-26s # %s\n", strings.TrimSpace(v.Chiave+": "+v.Valore), v.Commento)
	}
	b.WriteString("# allegati:                 # file nella stessa cartella dell'atto\n#   - file: atto.pdf\n#     titolo: Testo dell'atto firmato digitalmente\n")
	b.WriteString("---\n" + esempio)
	return frontmatter.Set([]byte(b.String()), "oggetto", frontmatter.Text(oggetto), "")
}

// Slug turns a subject into a file name: lower case, plain letters, words joined by '-'.
func Slug(s string) string {
	plain, _, _ := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(plain) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" {
		return "atto"
	}
	return out
}

// Init creates a new site in dir: a starter configuration to complete, .gitignore and
// .gitattributes for keeping it in git, and an example act that is a draft (nothing is
// published until someone publishes it). It never overwrites a file: a folder that has
// any of them is refused.
func Init(dir string, now time.Time) ([]string, error) {
	year := civil.In(now, time.UTC).Year()
	files := []struct{ name, text string }{
		{config.Path, `# Configurazione dell'albo pretorio online: completa ente, codice_ipa e url.
# Tutte le chiavi sono spiegate in: albo help configurazione
ente: Comune di Esempio         # il nome dell'ente che tiene l'albo
codice_ipa: c_x000              # il codice IPA dell'ente, negli identificativi dei feed
url: https://albo.example.it/   # l'indirizzo pubblico del sito
fuso_orario: Europe/Rome
conteggio: incluso              # il primo giorno di pubblicazione conta
esecutivita: inizio             # deliberazioni esecutive dal decimo giorno di pubblicazione
archivio: metadati              # gli atti scaduti restano in archivio con i soli estremi
privacy:
  consentiti: []                # codici fiscali, partite IVA, recapiti dell'ente ammessi nei testi
# tema: bootstrap-italia        # pagine fatte con Bootstrap Italia, chiesta dal validatore AgID
`},
		{".gitignore", "# Ciò che albo costruisce o tiene accanto al sito: non va in git.\npublic/\n.public.albo-*\ncontent/.registro.lock\n"},
		{".gitattributes", "# Gli atti restano con fine riga LF anche su Windows, come quando sono stati sigillati;\n# gli allegati sono file binari, che git non tocca.\n*.md text eol=lf\n*.yaml text eol=lf\n*.pdf binary\n*.p7m binary\n"},
		{fmt.Sprintf("content/%d/esempio-avviso.md", year), `---
tipo: avviso
oggetto: "Avviso d'esempio: apertura dell'albo pretorio online"
ufficio: Settore Segreteria
---
Questa è una bozza d'esempio: non compare sul sito finché non la pubblichi con albo pubblica.
Cambia l'oggetto e il testo, oppure cancella il file.
`},
	}
	for _, f := range files {
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(f.name))); err == nil {
			return nil, refuse("%s ha già %s: albo init non sovrascrive nessun file; scegli una cartella nuova o vuota", dir, f.name)
		}
	}
	var made []string
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return made, err
		}
		out, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if err != nil {
			return made, err
		}
		if _, err := out.WriteString(f.text); err != nil {
			out.Close()
			return made, err
		}
		if err := out.Close(); err != nil {
			return made, err
		}
		made = append(made, f.name)
	}
	return made, nil
}
