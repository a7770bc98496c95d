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
		return "", refuse("unknown type %q: use one of %s", tipo, strings.Join(cfg.TypeKeys(), ", "))
	}
	oggetto = strings.Join(strings.Fields(oggetto), " ")
	if oggetto == "" {
		return "", refuse("the subject (OGGETTO) is empty")
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
	b.WriteString("---\nTesto dell'atto. Per oscurare un dato personale: ||Mario Rossi|| (sulla pagina compare «omissis»).\n")
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

// Init creates a new site in dir with a starter configuration and one example act,
// published today, so that it builds at once.
func Init(dir string, now time.Time) ([]string, error) {
	if _, err := os.Stat(filepath.Join(dir, config.Path)); err == nil {
		return nil, refuse("%s already has a site (%s): choose an empty folder", dir, config.Path)
	}
	files := map[string]string{
		config.Path: `# Configurazione dell'albo pretorio online (SPEC §2). Completare ente, codice_ipa e url.
ente: Comune di Esempio
codice_ipa: c_x000              # codice IPA dell'ente, usato negli identificativi dei feed
url: https://albo.example.it/   # indirizzo pubblico del sito
fuso_orario: Europe/Rome
conteggio: incluso              # il primo giorno di pubblicazione conta
esecutivita: inizio             # deliberazioni esecutive dal decimo giorno di pubblicazione
archivio: metadati              # gli atti scaduti restano in archivio con i soli estremi
privacy:
  consentiti: []                # codici fiscali, partite IVA, recapiti dell'ente ammessi nei testi
`,
		".gitignore": "public/\n.public.albo-*\ncontent/.registro.lock\n",
		"content/benvenuto.md": `---
tipo: avviso
oggetto: Apertura dell'albo pretorio online
ufficio: Settore Segreteria
---
Da oggi l'albo pretorio del Comune è consultabile in questo sito. Gli atti restano pubblicati
per il periodo previsto dalla legge e poi sono rimossi.
`,
	}
	var made []string
	for _, name := range []string{config.Path, ".gitignore", "content/benvenuto.md"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, []byte(files[name]), 0o644); err != nil {
			return nil, err
		}
		made = append(made, name)
	}
	if _, err := Pubblica(dir, filepath.Join(dir, "content", "benvenuto.md"), civil.Date{}, now); err != nil {
		return nil, err
	}
	return append(made, "content/_registro.yaml"), nil
}
