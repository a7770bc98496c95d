package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/firma"
	"github.com/borgoesempio/albo/generator/internal/csvsafe"
	"github.com/borgoesempio/albo/generator/internal/parallel"
	"github.com/borgoesempio/albo/generator/schedule"
)

// Record is one act in the open data (dati/atti.json). Field names are part of the
// published format: change them only with a new format version.
type Record struct {
	Registro     string       `json:"registro"`
	Tipo         string       `json:"tipo"`
	TipoNome     string       `json:"tipo_nome"`
	Oggetto      string       `json:"oggetto"`
	Numero       string       `json:"numero"`
	Data         string       `json:"data"`
	Ente         string       `json:"ente"`
	Ufficio      string       `json:"ufficio"`
	Responsabile string       `json:"responsabile"`
	Dal          string       `json:"dal"`
	Al           string       `json:"al"`
	Stato        string       `json:"stato"`
	Annullato    bool         `json:"annullato"`
	Annullamento *Motivato    `json:"annullamento"`
	Proroga      *Motivato    `json:"proroga"`
	Interruzioni []Estensione `json:"interruzioni,omitempty"`
	AlOriginale  string       `json:"al_originale,omitempty"`
	Esecutiva    string       `json:"esecutiva,omitempty"`
	URL          string       `json:"url"`
	Impronta     string       `json:"impronta_pubblica"`
	Forma        string       `json:"forma_pubblica,omitempty"`
	Allegati     []FileRecord `json:"allegati"`

	// Where they apply (SPEC §5): the request, the tender, the entry into force and the
	// corrections.
	Richiedente      string      `json:"richiedente,omitempty"`
	Protocollo       *Protocollo `json:"protocollo,omitempty"`
	CIG              string      `json:"cig,omitempty"`
	PubblicitaLegale string      `json:"pubblicita_legale,omitempty"`
	InVigore         string      `json:"in_vigore,omitempty"`
	Sostituisce      string      `json:"sostituisce,omitempty"`   // register number, 2026/26
	SostituitoDa     string      `json:"sostituito_da,omitempty"` // register number of the published correction
}

// Motivato is a date with its reason: an annulment, or an extension's new last day; an
// annulment also says who ordered it and by which decision, when the act does.
type Motivato struct {
	Data          string `json:"data"`
	Motivo        string `json:"motivo"`
	DispostoDa    string `json:"disposto_da,omitempty"`
	Provvedimento string `json:"provvedimento,omitempty"`
}

// Protocollo is the protocol of the request for publication, in the open data.
type Protocollo struct {
	Numero string `json:"numero"`
	Data   string `json:"data"`
}

// Estensione is an interruption of service that extended a publication, in the open data.
type Estensione struct {
	Dal    string `json:"dal"`
	Al     string `json:"al"`
	Giorni int    `json:"giorni"`
	Motivo string `json:"motivo"`
}

// FileRecord is an attachment in the open data.
type FileRecord struct {
	Titolo         string       `json:"titolo"`
	URL            string       `json:"url"`
	TipoMedia      string       `json:"tipo_media"`
	Dimensione     int64        `json:"dimensione"`
	SHA256         string       `json:"sha256"`
	Firma          *FirmaRecord `json:"firma,omitempty"`
	CopiaLeggibile string       `json:"copia_leggibile,omitempty"` // a .p7m's signed content, published beside it
}

// FirmaRecord is what an attachment's digital signatures say, in the open data.
type FirmaRecord struct {
	Formato   string             `json:"formato"` // CAdES or PAdES
	Integra   bool               `json:"integra"`
	Problema  string             `json:"problema,omitempty"`
	Firmatari []FirmatarioRecord `json:"firmatari"`
	Revoca    string             `json:"revoca"` // "non verificata": it needs the network
}

// FirmatarioRecord is one signature.
type FirmatarioRecord struct {
	Nome            string `json:"nome"`
	Data            string `json:"data,omitempty"` // RFC 3339, UTC
	Integra         bool   `json:"integra"`
	Emittente       string `json:"emittente"`
	ValidoDal       string `json:"certificato_valido_dal"`
	ValidoAl        string `json:"certificato_valido_al"`
	ValidoAllaFirma bool   `json:"certificato_valido_alla_firma"`
	Verifica        string `json:"verifica_autorita"` // "verificato", "non verificato", "autorità non configurate"
	Descrizione     string `json:"descrizione"`       // the sentence the page shows
}

// firmaRecord writes what a file's signatures say for the open data.
func firmaRecord(cfg *config.Config, f *firma.Result) *FirmaRecord {
	r := &FirmaRecord{Formato: f.Format, Integra: f.Intact(), Problema: f.Problem, Firmatari: []FirmatarioRecord{}, Revoca: "non verificata (richiede la rete)"}
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	for _, s := range f.Signers {
		v := "autorità non configurate"
		switch s.Trust {
		case firma.Trusted:
			v = "verificato"
		case firma.Untrusted:
			v = "non verificato"
		}
		r.Firmatari = append(r.Firmatari, FirmatarioRecord{Nome: s.Name, Data: stamp(s.Time), Integra: s.Intact, Emittente: s.Issuer,
			ValidoDal: stamp(s.NotBefore), ValidoAl: stamp(s.NotAfter), ValidoAllaFirma: s.ValidAtSigning, Verifica: v, Descrizione: s.Describe(cfg.Location)})
	}
	return r
}

// Dataset is the document dati/atti.json.
type Dataset struct {
	Ente            string   `json:"ente"`
	CodiceIPA       string   `json:"codice_ipa"`
	DataRiferimento string   `json:"data_riferimento"`
	Licenza         string   `json:"licenza"`
	Atti            []Record `json:"atti"`
}

func absURL(cfg *config.Config, rel string) string {
	return strings.TrimSuffix(cfg.URL.String(), "/") + "/" + rel
}

func record(cfg *config.Config, e *schedule.Entry, withFiles bool) Record {
	r := Record{
		Registro: e.Registro.String(), Tipo: e.Tipo, TipoNome: e.Type.Nome, Oggetto: e.Oggetto,
		Numero: e.Numero, Data: e.Data.String(), Ente: cfg.Ente, Ufficio: e.Ufficio, Responsabile: e.Responsabile,
		Dal: e.Dal.String(), Al: e.Al.String(), Stato: e.State.String(), Annullato: e.Annullato != nil,
		Esecutiva: e.Esecutiva.String(), Impronta: e.Public, Allegati: []FileRecord{},
	}
	if e.Ente != "" {
		r.Ente = e.Ente
	}
	if n := e.Annullato; n != nil {
		r.Annullamento = &Motivato{n.Data.String(), n.Motivo, n.DispostoDa, n.Provvedimento}
	}
	if e.Proroga != nil {
		r.Proroga = &Motivato{Data: e.Proroga.Al.String(), Motivo: e.Proroga.Motivo}
	}
	r.Richiedente, r.CIG, r.PubblicitaLegale, r.InVigore, r.Sostituisce = e.Richiedente, e.CIG, e.PubblicitaLegale, e.InVigore.String(), e.Act.Sostituisce.String()
	if p := e.Protocollo; p != nil {
		r.Protocollo = &Protocollo{p.Numero, p.Data.String()}
	}
	if o := e.SostituitoDa; o != nil {
		r.SostituitoDa = o.Registro.String()
	}
	for _, i := range e.Interruzioni {
		r.Interruzioni = append(r.Interruzioni, Estensione{i.Dal.String(), i.Al.String(), i.Giorni, i.Motivo})
	}
	if e.Al != e.AlOriginale {
		r.AlOriginale = e.AlOriginale.String()
	}
	if withFiles {
		r.URL = absURL(cfg, ActPage(e))
		r.Forma = r.URL + "#" + FormaID
		for _, a := range e.Allegati {
			f := FileRecord{Titolo: a.Titolo, URL: absURL(cfg, attachmentURL(e, a.File)), TipoMedia: MediaType(a.File), Dimensione: a.Size, SHA256: a.SHA256}
			if a.Firma != nil {
				f.Firma = firmaRecord(cfg, a.Firma)
			}
			if name := ReadableCopy(e, a); name != "" {
				f.CopiaLeggibile = absURL(cfg, attachmentURL(e, name))
			}
			r.Allegati = append(r.Allegati, f)
		}
	}
	return r
}

// dataLines is an act in the open data: its JSON line and its CSV row, and their digest.
type dataLines struct {
	json, csv []byte
	sum       [32]byte
}

func newDataLines(json, csv []byte) *dataLines {
	l := &dataLines{json: json, csv: csv}
	h := sha256.New()
	h.Write(json)
	h.Write(csv)
	h.Sum(l.sum[:0])
	return l
}

// lines returns the open-data lines of entries, each made by line once per session and
// kept in the field that field picks of what is made of it (mades[i] of entries[i]), and
// the key of a file made of them after head.
func (r *Renderer) lines(entries []*schedule.Entry, mades []*made, head []byte, field func(*made) **dataLines, part func(*remembered) (*[]byte, *[]byte, *bool),
	line func(*schedule.Entry) (*dataLines, error)) ([]*dataLines, string, error) {
	lines := make([]*dataLines, len(entries))
	key := sha256.New()
	key.Write([]byte(r.site))
	key.Write(head)
	for i, e := range entries {
		m := mades[i]
		l, err := kept(r, field(m), func() (*dataLines, error) {
			if m.last != nil {
				if json, csv, ok := part(m.last); *ok {
					return newDataLines(*json, *csv), nil
				}
			}
			l, err := line(e)
			if err == nil {
				r.mem.remember(e.Key, func(x *remembered) {
					json, csv, ok := part(x)
					*json, *csv, *ok = l.json, l.csv, true
				})
			}
			return l, err
		})
		if err != nil {
			return nil, "", err
		}
		lines[i] = l
		key.Write(l.sum[:])
	}
	return lines, hex.EncodeToString(key.Sum(nil)), nil
}

// data writes dati/atti.json, dati/atti.csv and, with the archive on, dati/archivio.csv.
// Marriage banns are never in them. Each act's lines are made once per session, and a
// file is made again only when one of its lines changed.
// mades and archived are what is made of each act of atti and of archivio.
func (r *Renderer) data(p *schedule.Plan, site *SiteView, atti, archivio []*schedule.Entry, mades, archived []*made, out Sink) error {
	cfg := p.Config
	head, err := json.Marshal(Dataset{Ente: cfg.Ente, CodiceIPA: cfg.CodiceIPA, DataRiferimento: p.Today.String(), Licenza: LicenceName})
	if err != nil {
		return err
	}
	lines, k, err := r.lines(atti, mades, head, func(m *made) **dataLines { return &m.data }, func(x *remembered) (*[]byte, *[]byte, *bool) {
		return &x.Data, &x.DataCSV, &x.HasData
	}, func(e *schedule.Entry) (*dataLines, error) {
		rec := record(cfg, e, true)
		line, err := json.Marshal(rec)
		var urls, sums []string
		for _, f := range rec.Allegati {
			urls, sums = append(urls, f.URL), append(sums, f.SHA256)
		}
		row := append(csvFields(make([]string, 0, len(attiColumns)), rec), rec.URL, strings.Join(urls, " "), strings.Join(sums, " "))
		return newDataLines(line, csvRow(csvMore(row, rec))), err
	})
	if err != nil {
		return err
	}
	pkg, err := dataPackage(cfg, p.Today.String(), site.Archivio)
	if err != nil {
		return err
	}
	for rel, b := range map[string][]byte{"dati/datapackage.json": pkg, "dati/catalogo.ttl": catalogue(cfg, p, site.Archivio), "dati/LICENZA.txt": licenceText(cfg)} {
		if err := out.WriteFile(rel, b); err != nil {
			return err
		}
	}
	// The two files of the acts in publication, side by side (megabytes each, written
	// again whenever an act's line changes: in albo watch, after most edits).
	err = parallel.For(2, func(i int) error {
		if i == 0 {
			return keyedParts(out, "dati/atti.json", k, func() [][]byte {
				parts := make([][]byte, 0, 2*len(lines)+2)
				parts = append(parts, slices.Concat(bytes.TrimSuffix(head, []byte(`null}`)), []byte("[")))
				for i, l := range lines {
					parts = append(parts, jsonSeparator[min(i, 1)], l.json)
				}
				return append(parts, []byte("\n]}\n"))
			})
		}
		return keyedParts(out, "dati/atti.csv", k, func() [][]byte { return csvParts(attiColumns, lines) })
	})
	if err != nil || !site.Archivio {
		return err
	}
	rows, k, err := r.lines(archivio, archived, nil, func(m *made) **dataLines { return &m.archive }, func(x *remembered) (*[]byte, *[]byte, *bool) {
		return &x.Archive, &x.ArchiveCSV, &x.HasArchive
	}, func(e *schedule.Entry) (*dataLines, error) {
		rec := record(cfg, e, false)
		if e.OggettoArchivio != "" {
			rec.Oggetto = e.OggettoArchivio
		}
		return newDataLines(nil, csvRow(csvMore(csvFields(make([]string, 0, len(archivioColumns)), rec), rec))), nil
	})
	if err != nil {
		return err
	}
	return keyedParts(out, "dati/archivio.csv", k, func() [][]byte { return csvParts(archivioColumns, rows) })
}

// jsonSeparator goes before the first line of dati/atti.json, and before each other.
var jsonSeparator = [2][]byte{[]byte("\n"), []byte(",\n")}

// keyedParts writes rel from the parts that parts gives, unless the current site has it
// made from the same key: a file of the open data, written from the lines of its acts as
// they are (see Tree.WriteKeyed), instead of being copied into one buffer first (87 MB
// held for 100,000 acts, and copied again after each edit in albo watch).
func keyedParts(out Sink, rel, key string, parts func() [][]byte) error {
	if out.Keep(rel, key) {
		return nil
	}
	return out.WriteKeyed(rel, key, parts()...)
}

// csvParts is a CSV file: the header, then the rows of lines.
func csvParts(header []string, lines []*dataLines) [][]byte {
	parts := make([][]byte, 0, len(lines)+1)
	parts = append(parts, csvRow(header))
	for _, l := range lines {
		parts = append(parts, l.csv)
	}
	return parts
}

var csvHeader = []string{"registro", "tipo", "tipo_nome", "oggetto", "numero", "data", "ente", "ufficio", "responsabile", "dal", "al", "stato", "annullato"}

// csvRow encodes one RFC 4180 record, no cell of which a spreadsheet takes for a formula.
func csvRow(fields []string) []byte { return csvsafe.Row(fields) }

// csvMoreHeader are the columns added on 2026-12-01, after the first ones so that a
// reader that counts columns still finds those where they were.
var csvMoreHeader = []string{"richiedente", "protocollo_numero", "protocollo_data", "cig", "pubblicita_legale", "in_vigore", "sostituisce", "sostituito_da",
	"annullamento_data", "annullamento_motivo", "annullamento_disposto_da", "annullamento_provvedimento"}

// csvMore appends to row the cells of r under csvMoreHeader.
func csvMore(row []string, r Record) []string {
	var p Protocollo
	if r.Protocollo != nil {
		p = *r.Protocollo
	}
	var n Motivato
	if r.Annullamento != nil {
		n = *r.Annullamento
	}
	return append(row, r.Richiedente, p.Numero, p.Data, r.CIG, r.PubblicitaLegale, r.InVigore, r.Sostituisce, r.SostituitoDa, n.Data, n.Motivo, n.DispostoDa, n.Provvedimento)
}

// csvFields appends to row the cells of r under csvHeader.
func csvFields(row []string, r Record) []string {
	return append(row, r.Registro, r.Tipo, r.TipoNome, r.Oggetto, r.Numero, r.Data, r.Ente, r.Ufficio, r.Responsabile,
		r.Dal, r.Al, r.Stato, strconv.FormatBool(r.Annullato))
}
