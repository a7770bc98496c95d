// Package config reads content/albo.yaml: the body that keeps the albo, its rules for
// counting days, and its act types (the built-in ones of the SPEC plus the site's own).
package config

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // the crest may be a JPEG
	_ "image/png"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // the binary works where the system has no zoneinfo

	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/diag"
	"github.com/borgoesempio/albo/generator/firma"
	"github.com/borgoesempio/albo/generator/internal/safefile"
	"github.com/borgoesempio/albo/generator/internal/yamlx"
	"github.com/borgoesempio/albo/generator/msg"
	"go.yaml.in/yaml/v3"
)

// Path is where the configuration lives, relative to the site.
const Path = "content/albo.yaml"

// Counting rules: whether the first day of publication counts.
const (
	Incluso = "incluso" // al = dal + giorni - 1
	Escluso = "escluso" // al = dal + giorni
)

// Sections of the albo.
const (
	SezioneAtti      = "atti"
	SezioneMatrimoni = "matrimoni"
)

// Executability rules for deliberations.
const (
	EsecutivitaInizio = "inizio" // from dal + 10 days
	EsecutivitaFine   = "fine"   // from the day after the last day of publication
)

// Archive rules.
const (
	ArchivioMetadati = "metadati"
	ArchivioNessuno  = "nessuno"
)

// Type is a kind of act: its label, default duration, where it goes, and the rules an
// act of it must follow (Regole).
type Type struct {
	Key       string
	Nome      string
	Giorni    int    // default days of publication; 0 means al (or giorni) is required
	Sezione   string // SezioneAtti or SezioneMatrimoni
	Conteggio string // Incluso or Escluso
	Feed      bool   // has feed items and its own feed
	Archivio  bool   // stays in the archive after expiry (metadata only)
	Regole    *Regole
}

// Deliberation reports whether acts of this type are deliberations, which have an
// executability date and may be immediately executable.
func (t *Type) Deliberation() bool { return t.Regole.Deliberazione }

// Marriage reports whether the type belongs to the marriage section (art. 21).
func (t *Type) Marriage() bool { return t.Sezione == SezioneMatrimoni }

// Config is the site configuration.
type Config struct {
	Ente        string
	CodiceIPA   string
	URL         *url.URL // absolute, with a trailing slash in its path
	FusoOrario  string
	Location    *time.Location
	Conteggio   string
	Esecutivita string
	Archivio    string
	Tema        string   // the theme: a built-in one (bootstrap-italia) and/or the site's folder themes/<tema>; "" for the default
	Consentiti  []string // privacy.consentiti
	Sanitari    []string // privacy.sanitari: health terms to look for; nil means the default list

	// Termini is the number of days within which an act of a type must be published after
	// its date (the procedure tables of the regulation): albo check warns when exceeded.
	Termini map[string]int
	Tipi    map[string]*Type

	// Responsabile is the officer who signs the certificates of publication
	// (responsabile_albo); zero when albo.yaml does not name one.
	Responsabile Responsabile
	// Sede are the ente's contacts, on the certificates and in every footer.
	Sede Sede
	// Stemma is the crest: a slash path under content/ ("content/_stemma.png"), or "";
	// Load checks that it is an image, and keeps its bytes.
	Stemma      string
	StemmaBytes []byte
	StemmaW     int // its size in pixels
	StemmaH     int
	stemmaLine  int
	// Calendario counts the working days of the terms (seed 003 art. 10).
	Calendario civil.Calendar
	// Link are the addresses every page's footer links to (Designers Italia Modello Comuni,
	// checked by AgID's validator); "" where albo.yaml does not give one.
	Link Links

	// Ancore are the trusted certification authorities of firme.ancore (a PEM bundle
	// under content/), against which signed attachments are verified; nil when none.
	Ancore       *x509.CertPool
	AncoreFile   string   // content/…
	AncoreDigest [32]byte // SHA-256 of the bundle: what a verification depends on beside the file
	ancoreLine   int

	Digest [32]byte // SHA-256 of albo.yaml: pages made from it change when it does
	Source []byte   // the text of albo.yaml, for the last good state
}

// Links are the ente's pages the albo links to.
type Links struct {
	Sito          string // sito_istituzionale: the comune's main site
	Privacy       string // privacy.informativa: the privacy notice
	Accessibilita string // accessibilita: the accessibility declaration on form.agid.gov.it
	FAQ           string // faq
	Disservizio   string // segnala_disservizio: a page or a mailto:
	Miglioramento string // piano_miglioramento: the site's improvement plan
}

// Responsabile is the officer responsible for the albo.
type Responsabile struct {
	Nome, Qualifica string
}

// Sede are the contacts of the ente.
type Sede struct {
	Indirizzo, PEC, Telefono, CodiceFiscale string
}

// Luogo returns the place a certificate is signed in: the town of the address (what
// follows the postcode, without the province), or the ente's name without "Comune di".
func (c *Config) Luogo() string {
	if i := strings.LastIndex(c.Sede.Indirizzo, ","); i >= 0 {
		town := strings.Fields(c.Sede.Indirizzo[i+1:])
		if len(town) > 0 && len(town[0]) == 5 && strings.Trim(town[0], "0123456789") == "" {
			town = town[1:] // the CAP
		}
		if n := len(town); n > 0 && strings.HasPrefix(town[n-1], "(") {
			town = town[:n-1] // the province
		}
		if len(town) > 0 {
			return strings.Join(town, " ")
		}
	}
	for _, p := range []string{"Comune di ", "Città di ", "Unione dei comuni ", "Unione di comuni "} {
		if rest, ok := strings.CutPrefix(c.Ente, p); ok {
			return rest
		}
	}
	return c.Ente
}

// Stemmi are the kinds of image a crest may be: what a page shows and a PDF embeds.
var Stemmi = []string{".png", ".jpg", ".jpeg"}

// TypeKeys returns the keys of all types, sorted.
func (c *Config) TypeKeys() []string {
	keys := make([]string, 0, len(c.Tipi))
	for k := range c.Tipi {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// BasePath is the path of the site's URL, with leading and trailing slash ("/" or "/albo/"),
// percent-encoded as it goes in a link.
func (c *Config) BasePath() string { return c.URL.EscapedPath() }

var topKeys = []string{"ente", "codice_ipa", "url", "fuso_orario", "conteggio", "esecutivita", "archivio", "privacy", "tipi", "tema", "termini",
	"responsabile_albo", "sede", "stemma", "calendario", "firme", "sito_istituzionale", "accessibilita", "faq", "segnala_disservizio", "piano_miglioramento"}

// DefaultTermini are the publication terms of the municipality's procedure tables (Settore
// Segreteria, items 10 and 12): a Giunta deliberation within 10 days of its adoption, a
// Council one within 20.
var DefaultTermini = map[string]int{"delibera-giunta": 10, "delibera-consiglio": 20}
var typeKeys = []string{"nome", "giorni", "sezione", "conteggio", "feed", "archivio"}

// Load reads the configuration of the site rooted at dir.
func Load(dir string) (*Config, error) {
	src, _, err := safefile.ReadFile(filepath.Join(dir, filepath.FromSlash(Path)), "", 1<<20)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, diag.At(Path, 0, "crealo con almeno ente e url (albo help configurazione), oppure crea un nuovo sito con albo init", "manca il file di configurazione")
		}
		return nil, diag.At(Path, 0, "", "non si può leggere: %s", msg.Err(err))
	}
	c, err := Parse(src)
	if err != nil {
		return c, err
	}
	if c.Stemma != "" {
		if err := c.readStemma(dir); err != nil {
			return nil, err
		}
	}
	if c.AncoreFile != "" {
		if err := c.readAnchors(dir); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// contentFile returns the site path of a file named in albo.yaml relative to content/,
// and whether the name stays inside it.
func contentFile(name string) (string, bool) {
	if name == "" || strings.Contains(name, `\`) || path.IsAbs(name) || path.Clean(name) != name || strings.HasPrefix(name, "..") {
		return "", false
	}
	return "content/" + name, true
}

// readAnchors reads the trusted certification authorities of firme.ancore. Pages say
// whether a signature was verified against them, so the configuration's digest covers
// them too.
func (c *Config) readAnchors(dir string) error {
	b, _, err := safefile.ReadFile(filepath.Join(dir, filepath.FromSlash(c.AncoreFile)), filepath.Join(dir, "content"), 4<<20)
	if err != nil {
		return diag.At(Path, c.ancoreLine, msg.T("metti in content/ con questo nome i certificati delle autorità di certificazione, in formato PEM"), "firme.ancore: %s non si può leggere: %s", c.AncoreFile, msg.Err(err))
	}
	pool, _, err := firma.Anchors(b)
	if err != nil {
		return diag.At(Path, c.ancoreLine, msg.T("il file deve contenere certificati in formato PEM (-----BEGIN CERTIFICATE-----)"), "firme.ancore: %s non contiene certificati leggibili", c.AncoreFile)
	}
	c.Ancore, c.AncoreDigest = pool, sha256.Sum256(b)
	c.Digest = sha256.Sum256(append(append(c.Digest[:], 0), b...))
	return nil
}

// readStemma reads the crest and checks that it is a PNG or JPEG image a page and a PDF
// can show.
func (c *Config) readStemma(dir string) error {
	b, _, err := safefile.ReadFile(filepath.Join(dir, filepath.FromSlash(c.Stemma)), filepath.Join(dir, "content"), 2<<20)
	if err != nil {
		return diag.At(Path, c.stemmaLine, msg.T("metti lo stemma (PNG o JPEG, al più 2 MB) in content/ con questo nome"), "stemma: %s non si può leggere: %s", c.Stemma, msg.Err(err))
	}
	img, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || format != "png" && format != "jpeg" {
		return diag.At(Path, c.stemmaLine, msg.T("salvalo come PNG o JPEG"), "stemma: %s non è un'immagine PNG o JPEG leggibile", c.Stemma)
	}
	if img.Width > 2000 || img.Height > 2000 {
		return diag.At(Path, c.stemmaLine, msg.T("riducilo: per lo stemma bastano 300 pixel di altezza"), "stemma: %s è di %d×%d pixel, più di 2000", c.Stemma, img.Width, img.Height)
	}
	c.StemmaBytes, c.StemmaW, c.StemmaH = b, img.Width, img.Height
	return nil
}

// Parse reads a configuration from the text of albo.yaml.
func Parse(src []byte) (*Config, error) {
	c := &Config{
		FusoOrario:  "Europe/Rome",
		Conteggio:   Incluso,
		Esecutivita: EsecutivitaInizio,
		Archivio:    ArchivioMetadati,
		Tipi:        map[string]*Type{},
		Termini:     map[string]int{},
		Digest:      sha256.Sum256(src),
		Source:      src,
	}
	for k, v := range DefaultTermini {
		c.Termini[k] = v
	}
	var probs diag.List
	bad := func(line int, hint, format string, args ...any) {
		probs = append(probs, diag.At(Path, line, hint, format, args...))
	}
	root, line, err := yamlx.Parse(src)
	var shape *yamlx.KeyError
	switch {
	case errors.As(err, &shape):
		return nil, diag.At(Path, line, shape.Hint, "%s", shape.Msg)
	case err != nil:
		return nil, diag.At(Path, line, "controlla il rientro delle righe e metti tra virgolette i valori che contengono ': '", "%v", err)
	}
	pairs, kerr := yamlx.Pairs(root)
	if kerr != nil {
		bad(kerr.Line, kerr.Hint, "%s", kerr.Msg)
	}
	var rawURL int
	var tipiNode *yaml.Node
	str := func(p yamlx.Pair, dst *string) {
		s, err := yamlx.String(p.Value)
		if err != nil {
			bad(p.Line, "", "%s: %v", p.Key, err)
			return
		}
		*dst = strings.TrimSpace(s)
	}
	oneOf := func(p yamlx.Pair, dst *string, options ...string) {
		var s string
		str(p, &s)
		for _, o := range options {
			if s == o {
				*dst = s
				return
			}
		}
		bad(p.Line, msg.T("scrivi %s", strings.Join(options, msg.T(" oppure "))), "%s: %q non è un valore ammesso", p.Key, s)
	}
	// fields reads a mapping of text values, refusing keys other than known.
	fields := func(p yamlx.Pair, dst map[string]*string, known ...string) {
		pp, kerr := yamlx.Mapping(p.Value)
		if kerr != nil {
			bad(kerr.Line, msg.T("scrivilo come righe %s: ... sotto %s:", strings.Join(known, ", "), p.Key), "%s: %s", p.Key, kerr.Msg)
			return
		}
		for _, q := range pp {
			d, ok := dst[q.Key]
			if !ok {
				k := yamlx.Unknown(q, "configurazione", known)
				bad(k.Line, k.Hint, "%s: %s", p.Key, k.Msg)
				continue
			}
			s, err := yamlx.String(q.Value)
			if err != nil {
				bad(q.Line, "", "%s.%s: %v", p.Key, q.Key, err)
				continue
			}
			*d = strings.TrimSpace(s)
		}
	}
	// link reads an absolute http(s) address (or mailto:, where mail is allowed).
	link := func(p yamlx.Pair, dst *string, key string, mail bool) {
		var v string
		str(p, &v)
		u, err := url.Parse(v)
		ok := err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" || mail && err == nil && u.Scheme == "mailto" && u.Opaque != ""
		if !ok {
			hint := msg.T("scrivi l'indirizzo completo, https://…")
			if mail {
				hint = msg.T("scrivi l'indirizzo completo, https://…, o mailto:ufficio@comune.it")
			}
			bad(p.Line, hint, "%s: %q non è un indirizzo completo", key, v)
			return
		}
		*dst = v
	}
	var urlText string
	for _, p := range pairs {
		switch p.Key {
		case "ente":
			str(p, &c.Ente)
		case "codice_ipa":
			str(p, &c.CodiceIPA)
		case "url":
			str(p, &urlText)
			rawURL = p.Line
		case "fuso_orario":
			str(p, &c.FusoOrario)
			if _, err := time.LoadLocation(c.FusoOrario); err != nil || c.FusoOrario == "" {
				bad(p.Line, "scrivi il nome di un fuso orario IANA, per esempio Europe/Rome", "fuso_orario: fuso orario %q sconosciuto", c.FusoOrario)
			}
		case "conteggio":
			oneOf(p, &c.Conteggio, Incluso, Escluso)
		case "esecutivita":
			oneOf(p, &c.Esecutivita, EsecutivitaInizio, EsecutivitaFine)
		case "archivio":
			oneOf(p, &c.Archivio, ArchivioMetadati, ArchivioNessuno)
		case "tema":
			str(p, &c.Tema)
			if strings.ContainsAny(c.Tema, `/\`) || strings.HasPrefix(c.Tema, ".") {
				bad(p.Line, "scrivi il nome di una cartella dentro themes/", "tema: %q non è il nome di un tema", c.Tema)
			}
		case "privacy":
			pp, kerr := yamlx.Mapping(p.Value)
			if kerr != nil {
				bad(kerr.Line, kerr.Hint, "privacy: %s", kerr.Msg)
			}
			for _, q := range pp {
				if q.Key == "informativa" {
					link(q, &c.Link.Privacy, "privacy.informativa", false)
					continue
				}
				if q.Key != "consentiti" && q.Key != "sanitari" {
					k := yamlx.Unknown(q, "configurazione", []string{"consentiti", "sanitari", "informativa"})
					bad(k.Line, k.Hint, "privacy: %s", k.Msg)
					continue
				}
				if q.Value.Kind != yaml.SequenceNode {
					bad(q.Line, msg.T("scrivi un elenco: %s: [\"...\"]", q.Key), "privacy.%s: serve un elenco", q.Key)
					continue
				}
				list := []string{}
				for _, v := range q.Value.Content {
					list = append(list, v.Value)
				}
				if q.Key == "consentiti" {
					c.Consentiti = list
				} else {
					c.Sanitari = list
				}
			}
		case "sito_istituzionale":
			link(p, &c.Link.Sito, p.Key, false)
		case "accessibilita":
			if link(p, &c.Link.Accessibilita, p.Key, false); c.Link.Accessibilita != "" && !strings.HasPrefix(c.Link.Accessibilita, "https://form.agid.gov.it/") {
				bad(p.Line, msg.T("la dichiarazione di accessibilità si compila e si pubblica su form.agid.gov.it: scrivi il suo indirizzo, https://form.agid.gov.it/view/…"),
					"accessibilita: %q non è l'indirizzo di una dichiarazione su form.agid.gov.it", c.Link.Accessibilita)
			}
		case "faq":
			link(p, &c.Link.FAQ, p.Key, false)
		case "segnala_disservizio":
			link(p, &c.Link.Disservizio, p.Key, true)
		case "piano_miglioramento":
			link(p, &c.Link.Miglioramento, p.Key, false)
		case "responsabile_albo":
			fields(p, map[string]*string{"nome": &c.Responsabile.Nome, "qualifica": &c.Responsabile.Qualifica}, "nome", "qualifica")
		case "sede":
			fields(p, map[string]*string{"indirizzo": &c.Sede.Indirizzo, "pec": &c.Sede.PEC, "telefono": &c.Sede.Telefono, "codice_fiscale": &c.Sede.CodiceFiscale},
				"indirizzo", "pec", "telefono", "codice_fiscale")
		case "stemma":
			var name string
			str(p, &name)
			ext := strings.ToLower(path.Ext(name))
			file, ok := contentFile(name)
			switch {
			case !ok:
				bad(p.Line, msg.T("scrivi il nome di un file dentro content/, per esempio _stemma.png"), "stemma: %q non è un file dentro content/", name)
			case !slices.Contains(Stemmi, ext):
				bad(p.Line, msg.T("usa un'immagine PNG o JPEG"), "stemma: %q non è un'immagine PNG o JPEG", name)
			default:
				c.Stemma, c.stemmaLine = file, p.Line
			}
		case "firme":
			var ancore string
			fields(p, map[string]*string{"ancore": &ancore}, "ancore")
			if name, ok := contentFile(ancore); ok {
				c.AncoreFile, c.ancoreLine = name, p.Line
			} else if ancore != "" {
				bad(p.Line, msg.T("scrivi il nome di un file PEM dentro content/, per esempio _firme/ancore.pem"), "firme.ancore: %q non è un file dentro content/", ancore)
			}
		case "calendario":
			var patrono, sabato string
			fields(p, map[string]*string{"patrono": &patrono, "sabato": &sabato}, "patrono", "sabato")
			if patrono != "" {
				g, err := civil.ParseGiorno(patrono)
				if err != nil {
					bad(p.Line, "", "calendario.patrono: %v", err)
				}
				c.Calendario.Patrono = g
			}
			switch sabato {
			case "", "lavorativo":
			case "festivo":
				c.Calendario.SabatoFestivo = true
			default:
				bad(p.Line, msg.T("scrivi lavorativo oppure festivo (festivo per gli uffici aperti cinque giorni la settimana)"), "calendario.sabato: %q non è un valore ammesso", sabato)
			}
		case "tipi":
			tipiNode = p.Value
		case "termini":
			tt, kerr := yamlx.Mapping(p.Value)
			if kerr != nil {
				bad(kerr.Line, "scrivilo come termini: {delibera-giunta: 10}", "termini: %s", kerr.Msg)
			}
			for _, q := range tt {
				n, err := yamlx.Int(q.Value)
				if err != nil || n < 0 {
					bad(q.Line, "scrivi un numero di giorni", "termini.%s: %q non è un numero di giorni", q.Key, q.Value.Value)
					continue
				}
				c.Termini[q.Key] = n
			}
		default:
			k := yamlx.Unknown(p, "configurazione", topKeys)
			bad(k.Line, k.Hint, "%s", k.Msg)
		}
	}
	if c.Ente == "" {
		bad(0, "aggiungi ente: il nome dell'ente che tiene l'albo", "manca ente")
	}
	if urlText == "" {
		bad(0, "aggiungi url: l'indirizzo completo del sito pubblicato, per esempio https://albo.comune.it/", "manca url")
	} else if u, err := url.Parse(urlText); err != nil || !u.IsAbs() || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		bad(rawURL, "scrivilo come https://albo.comune.it/", "url: %q non è un indirizzo completo http(s)", urlText)
	} else {
		if !strings.HasSuffix(u.Path, "/") {
			u.Path += "/"
		}
		u.RawQuery, u.Fragment = "", ""
		c.URL = u
	}
	if c.CodiceIPA == "" {
		c.CodiceIPA = "ente"
	}
	loc, err := time.LoadLocation(c.FusoOrario)
	if err != nil {
		loc = time.UTC
	}
	c.Location = loc
	for _, b := range Builtins {
		t := b.Type
		c.Tipi[b.Key] = &t
	}
	if tipiNode != nil {
		probs = append(probs, c.parseTypes(tipiNode)...)
	}
	for _, t := range c.Tipi {
		if t.Conteggio == "" {
			t.Conteggio = c.Conteggio
		}
	}
	for k := range c.Termini {
		if _, ok := c.Tipi[k]; !ok {
			probs = append(probs, diag.At(Path, 0, "usa la chiave di un tipo (albo help tipi)", "termini: tipo %q sconosciuto", k))
		}
	}
	if err := probs.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Config) parseTypes(n *yaml.Node) diag.List {
	var probs diag.List
	bad := func(line int, hint, format string, args ...any) {
		probs = append(probs, diag.At(Path, line, hint, format, args...))
	}
	pairs, kerr := yamlx.Mapping(n)
	if kerr != nil {
		bad(kerr.Line, kerr.Hint, "tipi: %s", kerr.Msg)
		return probs
	}
	for _, p := range pairs {
		if !validKey(p.Key) {
			bad(p.Line, "usa lettere minuscole, cifre e '-', per esempio ordinanza-sindacale", "tipi: %q non è una chiave di tipo valida", p.Key)
			continue
		}
		t, ok := c.Tipi[p.Key]
		if !ok {
			t = &Type{Key: p.Key, Sezione: SezioneAtti, Feed: true, Archivio: true}
			c.Tipi[p.Key] = t
		}
		fields, kerr := yamlx.Mapping(p.Value)
		if kerr != nil {
			bad(kerr.Line, "scrivilo come {nome: ..., giorni: ...}", "tipi.%s: %s", p.Key, kerr.Msg)
			continue
		}
		sezioneSet := map[string]bool{}
		for _, f := range fields {
			var err error
			switch f.Key {
			case "nome":
				t.Nome, err = yamlx.String(f.Value)
			case "giorni":
				t.Giorni, err = yamlx.Int(f.Value)
				if err == nil && (t.Giorni < 1 || t.Giorni > 3650) {
					err = fmt.Errorf("%s", msg.T("%d non è un numero di giorni tra 1 e 3650", t.Giorni))
				}
			case "sezione":
				t.Sezione, err = yamlx.String(f.Value)
				if err == nil && t.Sezione != SezioneAtti && t.Sezione != SezioneMatrimoni {
					err = fmt.Errorf("%s", msg.T("%q non è atti o matrimoni", t.Sezione))
				}
			case "conteggio":
				t.Conteggio, err = yamlx.String(f.Value)
				if err == nil && t.Conteggio != Incluso && t.Conteggio != Escluso {
					err = fmt.Errorf("%s", msg.T("%q non è incluso o escluso", t.Conteggio))
				}
			case "feed":
				t.Feed, err = yamlx.Bool(f.Value)
			case "archivio":
				t.Archivio, err = yamlx.Bool(f.Value)
			default:
				k := yamlx.Unknown(f, "tipi", typeKeys)
				bad(k.Line, k.Hint, "tipi.%s: %s", p.Key, k.Msg)
				continue
			}
			sezioneSet[f.Key] = true
			if err != nil {
				bad(f.Line, "", "tipi.%s.%s: %v", p.Key, f.Key, err)
			}
		}
		if t.Sezione == SezioneMatrimoni && !ok {
			// A new marriage-section type is personal data like the built-in one.
			if !sezioneSet["feed"] {
				t.Feed = false
			}
			if !sezioneSet["archivio"] {
				t.Archivio = false
			}
		}
		// Marriage banns are personal data published for one purpose, in their own section
		// (art. 21): never in open data, feeds, search or the archive (SPEC §5).
		banns := "le pubblicazioni di matrimonio sono dati personali pubblicati per un solo scopo, nella loro sezione: non vanno mai nei feed, nei dati aperti, nella ricerca o nell'archivio"
		switch {
		case p.Key == "matrimonio" && t.Sezione != SezioneMatrimoni:
			bad(p.Line, "togli sezione", "tipi.matrimonio.sezione: %s", banns)
		case t.Sezione == SezioneMatrimoni && t.Feed:
			bad(p.Line, "togli feed", "tipi.%s.feed: %s", p.Key, banns)
		case t.Sezione == SezioneMatrimoni && t.Archivio:
			bad(p.Line, "togli archivio", "tipi.%s.archivio: %s", p.Key, banns)
		}
		if t.Nome == "" {
			bad(p.Line, "aggiungi nome: il nome del tipo che leggono i cittadini", "tipi.%s: un tipo nuovo richiede nome", p.Key)
		}
		if !ok {
			t.Regole = RulesFor(t.Key, t.Sezione)
		}
	}
	return probs
}

func validKey(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// DurationNeeded names what an act of a type without a default duration must say:
// a call for tenders its deadline, any other its last day or number of days.
func (t *Type) DurationNeeded() string {
	if t.Regole.Durata == DurataScadenza {
		return msg.T("al (la scadenza)")
	}
	return msg.T("al oppure giorni")
}

// LastDay returns the last day of a publication starting on dal and lasting giorni days
// (the type's default when giorni is 0), by the type's counting rule. ok is false when
// neither gives a duration.
func (t *Type) LastDay(dal civil.Date, giorni int) (last civil.Date, ok bool) {
	if giorni == 0 {
		giorni = t.Giorni
	}
	if giorni == 0 {
		return civil.Date{}, false
	}
	if t.Conteggio == Escluso {
		return dal.AddDays(giorni), true
	}
	return dal.AddDays(giorni - 1), true
}
