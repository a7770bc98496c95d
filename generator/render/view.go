package render

import (
	"fmt"
	"html/template"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/firma"
	"github.com/borgoesempio/albo/generator/load"
	"github.com/borgoesempio/albo/generator/schedule"
)

// Link is a labelled address, for menus, breadcrumbs and pagers.
type Link struct {
	Label   string
	URL     string
	Type    string // media type, for alternate links
	Count   int
	Current bool
}

// SiteView is what every page knows of the site.
type SiteView struct {
	Ente       string
	Base       string // path prefix of every link, "/" or "/albo/"
	Today      string // dd/mm/yyyy
	Archivio   bool   // the archive exists
	Alternates []Link // feeds announced in every page head

	Testata map[string]template.HTML // the header, for each menu item (Page.Nav)
	Piede   template.HTML            // the footer

	// The Modello Comuni kit (Designers Italia): the crest (its address and size in the
	// header), the ente's contacts and the pages of the ente every footer links to.
	Stemma         string
	StemmaW        int
	StemmaH        int
	Icona          string // the favicon: the crest, or the theme's
	Politica       string // the pages' Content-Security-Policy, also in their <meta> for hosts that cannot send it
	Sede           *config.Sede
	Link           config.Links
	stemmaFile     string // where the crest is published, relative to the site root
	stemmaContents []byte
}

// newSiteView is what every page of the site shows of it.
func newSiteView(cfg *config.Config, today string) *SiteView {
	site := &SiteView{
		Ente:     cfg.Ente,
		Base:     cfg.BasePath(),
		Today:    today,
		Archivio: cfg.Archivio == config.ArchivioMetadati,
		Alternates: []Link{
			{Label: "Feed RSS", URL: cfg.BasePath() + RSSPath, Type: "application/rss+xml"},
			{Label: "Feed Atom", URL: cfg.BasePath() + AtomPath, Type: "application/atom+xml"},
			{Label: "JSON Feed", URL: cfg.BasePath() + JSONPath, Type: "application/feed+json"},
		},
		Icona:    cfg.BasePath() + "static/favicon.svg",
		Politica: PagePolicy,
		Link:     cfg.Link,
	}
	if cfg.Sede != (config.Sede{}) {
		sede := cfg.Sede
		site.Sede = &sede
	}
	if len(cfg.StemmaBytes) > 0 && cfg.StemmaH > 0 {
		site.stemmaFile = "stemma" + strings.ToLower(path.Ext(cfg.Stemma))
		site.stemmaContents = cfg.StemmaBytes
		site.Stemma = cfg.BasePath() + site.stemmaFile
		site.StemmaH, site.StemmaW = 48, max(1, 48*cfg.StemmaW/cfg.StemmaH)
		site.Icona = site.Stemma
	}
	return site
}

// LegalNotesPath is the page of the legal notes: the licence of the contents.
const LegalNotesPath = "note-legali/"

// Page is the data of one page template.
type Page struct {
	Site        *SiteView
	Title       string
	Description string
	Nav         string
	Crumbs      []Link
	Count       int
	Types       []Link
	Acts        []*ActView
	Archived    []*ActView
	Act         *ActView
	Pager       *Pager
	Files       []Link
	Columns     []Column // the data page: the columns of the CSV files
	Indice      string   // a search page: the address of its index
	NelArchivio bool     // a search page: of the archive
	Anni        []int    // the archive's search: the years of publication, newest first
	Licence     string   // the data page: the licence's address
	FeedURL     string
}

// Pager links the pages of a long list: see its methods Prev, Next and Pages.
type Pager struct {
	Current, Total int
	base, dir      string // the site's path prefix, and the list's folder under it
}

// ActView is an act as pages show it: every value formatted for citizens.
type ActView struct {
	Registro     string // 123/2026
	URL          string
	TipoNome     string
	Oggetto      string
	Numero       string
	Data         string
	Ente         string
	EnteEsterno  string // the other body, for acts not of the site's ente
	Organo       string // who adopted the act, for the deposit notice
	Ufficio      string
	Responsabile string
	Dal, Al      string
	Stato        string
	StatoClasse  string
	Annullato    bool
	Prorogato    bool
	Annullamento *AnnullamentoView
	Richiedente  string // the body that asked for the publication
	Protocollo   string // its request's protocol: "n. 12345 del 17/11/2026"
	CIG          string
	Pubblicita   *LinkView // the tender's record in the BDNCP, or the notice's on inPA, labelled with its site
	InVigore     string    // regolamenti: the day they enter into force
	Sostituisce  *LinkView // the act this one corrects
	SostituitoDa *LinkView // the act that corrects this one
	Proroga      *struct{ Da, Motivo string }
	Interruzioni []InterruzioneView // interruptions of service that extended the window
	Esecutiva    string
	Matrimonio   *struct{ Dal, Entro string }
	Deposito     string
	Impronta     string // the public fingerprint: SHA-256 of the public form
	Forma        string // the public form, from which anyone can recompute it (on the act's page)
	Allegati     []AllegatoView
	Testo        template.HTML
	Indirizzo    string        // the page's absolute address, printed at its foot
	Riga         template.HTML // the act as a row of a list
	Key          string        // digest of what the act's page and row are made from
}

// AnnullamentoView is an annulment as pages show it: its date and reason, and who
// ordered it by which decision, when the act says (DPR 445/2000 art. 54).
type AnnullamentoView struct {
	Data, Motivo, DispostoDa, Provvedimento string
}

// LinkView is another act named on a page: its register number, and the address of its
// page while it has one; or a record elsewhere, its site and address.
type LinkView struct {
	Registro, URL string
}

// InterruzioneView is an interruption of service that extended an act's publication.
type InterruzioneView struct {
	Dal, Al, Motivo string
	Giorni          int
}

// AllegatoView is an attachment as pages show it: with what its signatures say, and the
// readable copy of a signed envelope (Apri il documento).
type AllegatoView struct {
	Titolo, URL, Formato, Dimensione, SHA256 string
	Firme                                    []string // one sentence per signature
	FirmaIntegra                             bool     // every signature is intact
	Copia                                    string   // address of the readable copy of a .p7m, or ""
	CopiaFormato                             string
}

// actPath is the path of an act under the site root without extension, e.g.
// atti/2026/123, followed by end: its page is actPath(e, ".html") (ActPage), its
// attachments are in the folder actPath(e, "/") (AttachmentPath). One file per act, no
// folder, keeps a build of many acts to the fewest file operations. It is made as one
// string: an act's page is worked out several times a build (its own file, its row, its
// search entry, its open data).
func actPath(e *schedule.Entry, end string) string {
	sec := "atti/"
	if e.Type.Marriage() {
		sec = "matrimoni/"
	}
	var b [48]byte
	p := strconv.AppendInt(append(b[:0], sec...), int64(e.Registro.Anno), 10)
	p = strconv.AppendInt(append(p, '/'), int64(e.Registro.Numero), 10)
	return string(append(p, end...))
}

// ActPage is the file of an act's page, relative to the site root.
func ActPage(e *schedule.Entry) string { return actPath(e, ".html") }

// FormaID is the id of the element of an act's page that holds its public form (the
// text whose SHA-256 is its public fingerprint), so that anyone can recompute it.
const FormaID = "forma-pubblica"

// IsAttachment reports whether rel, a path relative to the site root, is where an
// attachment is published (atti/ANNO/N/FILE or matrimoni/ANNO/N/FILE).
func IsAttachment(rel string) bool {
	_, file, ok := ActOf(rel)
	return ok && file != ""
}

// ActOf reads a path relative to the site root as the page (atti/ANNO/N.html) or a file
// (atti/ANNO/N/FILE) of an act: it returns the act's base (atti/ANNO/N, see actPath) and
// the file's name, "" for the page. The inverse of ActPage and AttachmentPath.
func ActOf(rel string) (base, file string, ok bool) {
	parts := strings.SplitN(rel, "/", 4)
	if len(parts) < 3 || (parts[0] != "atti" && parts[0] != "matrimoni") {
		return "", "", false
	}
	if _, err := strconv.Atoi(parts[1]); err != nil {
		return "", "", false
	}
	num, rest := parts[2], ""
	if len(parts) == 4 {
		rest = parts[3]
	} else if n, ok := strings.CutSuffix(num, ".html"); ok {
		num = n
	} else {
		return "", "", false
	}
	if _, err := strconv.Atoi(num); err != nil || len(parts) == 4 && rest == "" {
		return "", "", false
	}
	return parts[0] + "/" + parts[1] + "/" + num, rest, true
}

// Inline reports whether a browser may show an attachment of this name in the page of the
// albo (PDF, images, plain text): any other type is served as a download, so that nothing
// in an attachment can act on the albo's address.
func Inline(file string) bool {
	switch strings.ToLower(path.Ext(file)) {
	case ".pdf", ".png", ".jpg", ".jpeg", ".txt":
		return true
	}
	return false
}

// AttachmentPath is where an attachment is published, relative to the site root.
func AttachmentPath(e *schedule.Entry, file string) string {
	return actPath(e, "/"+file)
}

// attachmentURL is the address of an attachment relative to the site root: its path with
// every segment percent-encoded (RFC 3986), so that a name with spaces, accents, '%', '#'
// or '?' is one address that leads to the file.
func attachmentURL(e *schedule.Entry, file string) string {
	segs := strings.Split(AttachmentPath(e, file), "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

func newActView(cfg *config.Config, e *schedule.Entry, withPage bool) *ActView {
	v := &ActView{
		Registro:     e.Registro.Italian(),
		TipoNome:     e.Type.Nome,
		Oggetto:      e.Oggetto,
		Numero:       e.Numero,
		Data:         e.Data.Italian(),
		Ente:         cfg.Ente,
		Ufficio:      e.Ufficio,
		Responsabile: e.Responsabile,
		Dal:          e.Dal.Italian(),
		Al:           e.Al.Italian(),
		Annullato:    e.Annullato != nil,
		Prorogato:    e.Proroga != nil || len(e.Interruzioni) > 0,
		Deposito:     e.Deposito,
		Impronta:     e.Public,
		Esecutiva:    e.Esecutiva.Italian(),
	}
	if e.Ente != "" && e.Ente != cfg.Ente {
		v.Ente, v.EnteEsterno = e.Ente, e.Ente
	}
	v.Organo = v.Ufficio
	if v.EnteEsterno != "" {
		v.Organo = v.EnteEsterno
	}
	if withPage {
		v.URL = cfg.BasePath() + ActPage(e)
		v.Indirizzo = absURL(cfg, ActPage(e))
	}
	switch e.State {
	case schedule.InPubblicazione:
		v.Stato, v.StatoClasse = "In pubblicazione", "verde"
	case schedule.Scaduto:
		v.Stato = "Pubblicazione terminata"
	}
	if n := e.Annullato; n != nil {
		v.Stato, v.StatoClasse = "Annullato", "rossa"
		v.Annullamento = &AnnullamentoView{n.Data.Italian(), n.Motivo, n.DispostoDa, n.Provvedimento}
	}
	v.Richiedente, v.CIG = e.Richiedente, e.CIG
	if e.PubblicitaLegale != "" { // most acts have none: url.Parse of "" is a URL all the same
		if u, err := url.Parse(e.PubblicitaLegale); err == nil {
			v.Pubblicita = &LinkView{Registro: "Scheda su " + u.Host, URL: e.PubblicitaLegale}
		}
	}
	if p := e.Protocollo; p != nil {
		v.Protocollo = protocollo(p)
	}
	if !e.InVigore.IsZero() {
		v.InVigore = e.InVigore.Italian()
	}
	if !e.Act.Sostituisce.IsZero() {
		v.Sostituisce = linkTo(cfg, e.Sostituisce, e.Act.Sostituisce)
	}
	if o := e.SostituitoDa; o != nil {
		v.SostituitoDa = linkTo(cfg, o, o.Registro)
	}
	if e.Proroga != nil {
		v.Proroga = &struct{ Da, Motivo string }{e.AlOriginale.AddDays(1).Italian(), e.Proroga.Motivo}
	}
	for _, i := range e.Interruzioni {
		v.Interruzioni = append(v.Interruzioni, InterruzioneView{Dal: i.Dal.Italian(), Al: i.Al.Italian(), Motivo: i.Motivo, Giorni: i.Giorni})
	}
	if !e.Esecutiva.IsZero() {
		if e.ImmediatamenteEseguibile {
			v.Esecutiva = "Immediatamente eseguibile dal " + e.Esecutiva.Italian()
		} else {
			v.Esecutiva = "Esecutiva dal " + e.Esecutiva.Italian()
		}
	}
	if e.Type.Marriage() {
		v.Matrimonio = &struct{ Dal, Entro string }{e.MatrimonioDal.Italian(), e.MatrimonioEntro.Italian()}
	}
	return v
}

// protocollo writes a request's protocol as pages and documents show it.
func protocollo(p *act.Protocollo) string {
	out := "n. " + p.Numero
	if !p.Data.IsZero() {
		out += " del " + p.Data.Italian()
	}
	return out
}

// linkTo names the act numbered reg, whose entry is o (nil when the site does not have it),
// with a link to its page while it has one.
func linkTo(cfg *config.Config, o *schedule.Entry, reg act.Registro) *LinkView {
	l := &LinkView{Registro: reg.Italian()}
	if o != nil && o.State == schedule.InPubblicazione {
		l.URL = cfg.BasePath() + ActPage(o)
	}
	return l
}

// addAttachments fills the attachment views of a page of an act in publication.
func addAttachments(cfg *config.Config, v *ActView, e *schedule.Entry) {
	for _, a := range e.Allegati {
		av := AllegatoView{
			Titolo:     a.Titolo,
			URL:        cfg.BasePath() + attachmentURL(e, a.File),
			Formato:    formatName(a.File),
			Dimensione: HumanSize(a.Size),
			SHA256:     a.SHA256,
		}
		if f := a.Firma; f != nil {
			av.FirmaIntegra = f.Intact()
			av.Firme = Signatures(cfg, f)
		}
		if name := ReadableCopy(e, a); name != "" {
			av.Copia, av.CopiaFormato = cfg.BasePath()+attachmentURL(e, name), formatName(name)
		}
		v.Allegati = append(v.Allegati, av)
	}
}

// Signatures says what the signatures of a file are, a sentence each, then that
// revocation was not checked.
func Signatures(cfg *config.Config, f *firma.Result) []string {
	if f.Problem != "" {
		return []string{"Firma digitale (" + f.Format + ") non leggibile: " + f.Problem + "."}
	}
	out := make([]string, 0, len(f.Signers)+1)
	for _, s := range f.Signers {
		out = append(out, s.Describe(cfg.Location))
	}
	return append(out, firma.Revocation)
}

// AttachmentNames are the names of the files an act publishes in its folder beside its
// page: each attachment and, after a signed envelope, its readable copy.
func AttachmentNames(e *schedule.Entry) []string {
	var names []string
	for _, a := range e.Allegati {
		names = append(names, a.File)
		if name := ReadableCopy(e, a); name != "" {
			names = append(names, name)
		}
	}
	return names
}

// ReadableCopy is the name under which the signed content of an envelope is published
// beside it, so that a citizen needs no special software to read it: the envelope's name
// without .p7m (delibera.pdf.p7m → delibera.pdf), or, when another attachment has that
// name, "contenuto-" before it; "" for a file that is not a readable envelope, or whose
// content is of a type a browser would run.
func ReadableCopy(e *schedule.Entry, a act.Allegato) string {
	if !firma.IsEnvelope(a.File) || a.Firma == nil || a.Firma.Problem != "" {
		return ""
	}
	name := firma.ContentName(a.File)
	if slices.Contains(load.Active, strings.ToLower(path.Ext(name))) || path.Base(name) == "" || strings.HasSuffix(name, "/") {
		return ""
	}
	for _, o := range e.Allegati {
		if o.File == name {
			dir, base := path.Split(name)
			name = dir + "contenuto-" + base
		}
	}
	return name
}

// archiveView is an expired act as the archive lists it: metadata only, no link.
func archiveView(cfg *config.Config, e *schedule.Entry) *ActView {
	v := newActView(cfg, e, false)
	if e.OggettoArchivio != "" {
		v.Oggetto = e.OggettoArchivio
	}
	return v
}

// HumanSize writes a size as Italians read it: 12 KB, 1,2 MB.
func HumanSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d byte", n)
	case n < 1000*1000:
		return fmt.Sprintf("%d KB", (n+500)/1000)
	default:
		return strings.Replace(fmt.Sprintf("%.1f MB", float64(n)/1e6), ".", ",", 1)
	}
}

// mediaTypes is a fixed table, not the system's, so output is the same on every machine.
var mediaTypes = map[string]string{
	".pdf": "application/pdf", ".p7m": "application/pkcs7-mime", ".xml": "application/xml",
	".zip": "application/zip", ".csv": "text/csv", ".txt": "text/plain", ".json": "application/json",
	".odt": "application/vnd.oasis.opendocument.text", ".ods": "application/vnd.oasis.opendocument.spreadsheet",
	".doc": "application/msword", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xls": "application/vnd.ms-excel", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".tif": "image/tiff", ".tiff": "image/tiff",
}

// siteTypes are the types of the files albo writes around the attachments, and of the
// text attachments, with their charset (the pages, data and feeds are UTF-8).
var siteTypes = map[string]string{
	".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
	".json": "application/json", ".xml": "text/xml; charset=utf-8", ".csv": "text/csv; charset=utf-8",
	".txt": "text/plain; charset=utf-8", ".ttl": "text/turtle; charset=utf-8", ".svg": "image/svg+xml", ".woff2": "font/woff2",
}

// ContentType is the Content-Type of a file of the built site, as albo serve sends it and
// albo deploy stores it: from fixed tables, so that it is the same on every machine (the
// system's table differs between a Debian server and a Windows PC, and with nosniff a
// browser believes it).
func ContentType(rel string) string {
	if t, ok := siteTypes[strings.ToLower(path.Ext(rel))]; ok {
		return t
	}
	return MediaType(rel)
}

// MediaType returns the media type of a file from its extension.
func MediaType(file string) string {
	if t, ok := mediaTypes[strings.ToLower(path.Ext(file))]; ok {
		return t
	}
	return "application/octet-stream"
}

func formatName(file string) string {
	ext := strings.TrimPrefix(strings.ToUpper(path.Ext(file)), ".")
	if ext == "" {
		return "file"
	}
	return ext
}
