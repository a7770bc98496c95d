package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
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
	l.sum = linesSum(json, csv)
	return l
}

// linesSum is the digest of an act's JSON line and CSV row.
func linesSum(json, csv []byte) [32]byte {
	h := sha256.New()
	h.Write(json)
	h.Write(csv)
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// lineAt is where a file of the open data holds an act's lines, and their digest: what
// the memo keeps of them for the next process, which takes them from the file the last
// one wrote (Sink.Previous) when the act did not change. A single build of 100,000 acts
// held their 130 MB of lines to its end for the memo, and decoded 105 MB of them again
// in the next build, to write a file it then kept as it was.
type lineAt struct {
	sum       [32]byte
	json, csv span // csv alone in the archive's file
}

// span is a part of a file: its offset and length.
type span struct{ off, n int64 }

// end is the offset just past s.
func (s span) end() int64 { return s.off + s.n }

// lineRef is an act's lines in a file of the open data: made (l), or where the last
// process wrote them (at), read from its file as the new one is written (stream).
type lineRef struct {
	l  *dataLines
	at *lineAt
}

func (x *lineRef) sum() [32]byte {
	if x.l != nil {
		return x.l.sum
	}
	return x.at.sum
}

// lengths are the lengths of the JSON line and the CSV row.
func (x *lineRef) lengths() (int64, int64) {
	if x.l != nil {
		return int64(len(x.l.json)), int64(len(x.l.csv))
	}
	return x.at.json.n, x.at.csv.n
}

// dataFile is a file of the open data and its lines: dati/atti.json and dati/atti.csv
// share theirs (json true), dati/archivio.csv has rows alone.
type dataFile struct {
	json    bool
	entries []*schedule.Entry
	mades   []*made
	field   func(*made) **dataLines    // where a session keeps the act's lines
	part    func(*remembered) **lineAt // where the memo keeps where they are
	line    func(*schedule.Entry) (*dataLines, error)
}

// lines returns the open-data lines of f's acts: kept by a session, where the last
// process wrote them (recalled from the memo), or made.
func (r *Renderer) lines(f *dataFile) ([]lineRef, error) {
	refs := make([]lineRef, len(f.entries))
	for i, e := range f.entries {
		m := f.mades[i]
		if m.last != nil && *f.part(m.last) != nil { // a single build's: a session has no memo
			refs[i].at = *f.part(m.last)
			continue
		}
		l, err := kept(r, f.field(m), func() (*dataLines, error) { return f.line(e) })
		if err != nil {
			return nil, err
		}
		refs[i].l = l
	}
	return refs, nil
}

// linesKey is the key of a file of the open data made of refs after head.
func (r *Renderer) linesKey(head []byte, refs []lineRef) string {
	key := sha256.New()
	key.Write([]byte(r.site))
	key.Write(head)
	for i := range refs {
		sum := refs[i].sum()
		key.Write(sum[:])
	}
	return hex.EncodeToString(key.Sum(nil))
}

// window reads the lines of a file of the open data that the last process wrote, a
// window of it at a time: the lines come in the order of the file, but for the acts
// whose lines were made again in between. Lines asked for in another order (a damaged
// memo) would each cost a window: once it has read the file four times over, it reads
// each line alone.
type window struct {
	f    io.ReadSeekCloser // nil: no such file
	size int64
	off  int64  // where buf begins in the file
	buf  []byte // what was read from off
	room []byte
	read int64 // bytes read so far
}

// windowSize is how much of the file a window reads at a time.
const windowSize = 1 << 20

// openWindow returns a window on f, which it closes (close); f may be nil.
func openWindow(f io.ReadSeekCloser) *window {
	w := &window{}
	if f != nil {
		if size, err := f.Seek(0, io.SeekEnd); err == nil {
			w.f, w.size = f, size
		} else {
			f.Close()
		}
	}
	return w
}

// of returns the bytes of s in the file, good until the next call, and whether the file
// holds them.
func (w *window) of(s span) ([]byte, bool) {
	if s.off < 0 || s.n < 0 || s.off > w.size || s.n > w.size-s.off {
		return nil, false
	}
	if s.n == 0 {
		return nil, true
	}
	if s.off < w.off || s.end() > w.off+int64(len(w.buf)) {
		n := min(max(windowSize, s.n), w.size-s.off) // the file's size bounds it, not the memo
		if w.read > 4*w.size {
			n = s.n
		}
		if int64(cap(w.room)) < n {
			w.room = make([]byte, n)
		}
		w.buf = w.room[:0]
		if _, err := w.f.Seek(s.off, io.SeekStart); err != nil {
			return nil, false
		}
		k, _ := io.ReadFull(w.f, w.room[:n])
		w.off, w.buf, w.read = s.off, w.room[:k], w.read+int64(k)
		if int64(k) < s.n {
			return nil, false // the file shrank
		}
	}
	return w.buf[s.off-w.off : s.end()-w.off], true
}

func (w *window) close() {
	if w.f != nil {
		w.f.Close()
	}
}

// recalls reports whether some of refs are where the last process wrote them.
func recalls(refs []lineRef) bool {
	for i := range refs {
		if refs[i].l == nil {
			return true
		}
	}
	return false
}

// dataOut is a file of the open data to write: where, what it begins and ends with, and
// whether the site kept it instead.
type dataOut struct {
	rel        string
	head, tail []byte
	kept       bool
}

// stream writes the files of f that the site did not keep (json, then csv) from refs, some
// of which the memo recalls: their lines are read from the files the last process wrote,
// as the live site has them, a window at a time, and written as they come, rather than
// both files held whole (100,000 acts: 110 MB). A line the file does not hold as the memo
// says (its digest) is made again, and the files are then written under the key of what
// they hold.
func (r *Renderer) stream(f *dataFile, refs []lineRef, head []byte, key string, json, csv dataOut, out Sink) (err error) {
	oldJSON, oldCSV := openWindow(nil), openWindow(out.Previous(csv.rel))
	if f.json {
		oldJSON = openWindow(out.Previous(json.rel))
	}
	defer oldJSON.close()
	defer oldCSV.close()
	var ends []func(string, error) error
	start := func(o dataOut) io.Writer {
		if o.kept || err != nil {
			return nil
		}
		w, end, e := out.Stream(o.rel)
		if err = e; e != nil {
			return nil
		}
		ends = append(ends, end)
		_, err = w.Write(o.head)
		return w
	}
	jw, cw := start(json), start(csv)
	remade := false
	for i := 0; i < len(refs) && err == nil; i++ {
		x := &refs[i]
		jl, cl, ok := x.from(oldJSON, oldCSV)
		if !ok {
			if x.l, err = f.line(f.entries[i]); err != nil {
				break
			}
			jl, cl, remade = x.l.json, x.l.csv, true
		}
		if jw != nil {
			if _, err = jw.Write(jsonSeparator[min(i, 1)]); err == nil {
				_, err = jw.Write(jl)
			}
		}
		if cw != nil && err == nil {
			_, err = cw.Write(cl)
		}
	}
	if jw != nil && err == nil {
		_, err = jw.Write(json.tail)
	}
	if remade {
		key = r.linesKey(head, refs) // of the lines written
	}
	for _, end := range ends {
		if e := end(key, err); err == nil {
			err = e
		}
	}
	return err
}

// from returns x's JSON line and CSV row: made, or read from the last files through
// oldJSON and oldCSV when they hold them as the memo says; ok false when they do not.
func (x *lineRef) from(oldJSON, oldCSV *window) (json, csv []byte, ok bool) {
	if x.l != nil {
		return x.l.json, x.l.csv, true
	}
	if json, ok = oldJSON.of(x.at.json); ok {
		csv, ok = oldCSV.of(x.at.csv)
	}
	return json, csv, ok && linesSum(json, csv) == x.at.sum
}

// placed records, for the next process, where the files of f hold each act's lines, for
// the acts whose lines the memo has elsewhere: the JSON file's lines start at first, each
// after its separator; the CSV file's rows at csvFirst.
func (r *Renderer) placed(f *dataFile, refs []lineRef, first, csvFirst int64) {
	if r.mem == nil {
		return
	}
	jsonOff, csvOff := first, csvFirst
	ats := make([]lineAt, len(f.entries)) // one array for the file's acts, not one each
	for i, e := range f.entries {
		jn, cn := refs[i].lengths()
		at := &ats[i]
		at.sum = refs[i].sum()
		if f.json {
			jsonOff += int64(len(jsonSeparator[min(i, 1)])) // as write lays the file out
			at.json = span{jsonOff, jn}
			jsonOff += jn
		}
		at.csv = span{csvOff, cn}
		csvOff += cn
		if m := f.mades[i]; m.last != nil && *f.part(m.last) != nil && **f.part(m.last) == *at {
			continue // the memo has it so
		}
		r.mem.remember(e.Key, func(x *remembered) { *f.part(x) = at })
	}
}

// write writes the file rel of f's lines (and, with json, the CSV file csvRel beside
// it) unless the site has them made from the same key, and records where they are. head
// is what the file is made from besides its lines (the JSON file's head); the JSON file
// begins with jsonHead, the CSV file with the row of header.
func (r *Renderer) write(f *dataFile, refs []lineRef, head []byte, rel, csvRel string, jsonHead []byte, header []string, out Sink) error {
	key := r.linesKey(head, refs)
	csvHead := csvRow(header)
	json := dataOut{rel: rel, head: jsonHead, tail: []byte("\n]}\n"), kept: !f.json || out.Keep(rel, key)}
	csv := dataOut{rel: csvRel, head: csvHead, kept: out.Keep(csvRel, key)}
	var err error
	switch {
	case json.kept && csv.kept:
	case recalls(refs):
		err = r.stream(f, refs, head, key, json, csv, out)
	default:
		// The two files side by side (megabytes each, written again whenever an act's
		// line changes: in albo watch, after most edits), from the lines as they are
		// (see Tree.WriteKeyed) rather than copied into one buffer first.
		err = parallel.For(2, func(i int) error {
			if i == 0 {
				if json.kept {
					return nil
				}
				parts := make([][]byte, 0, 2*len(refs)+2)
				parts = append(parts, json.head)
				for i := range refs {
					parts = append(parts, jsonSeparator[min(i, 1)], refs[i].l.json)
				}
				return out.WriteKeyed(rel, key, append(parts, json.tail)...)
			}
			if csv.kept {
				return nil
			}
			parts := make([][]byte, 0, len(refs)+1)
			parts = append(parts, csv.head)
			for i := range refs {
				parts = append(parts, refs[i].l.csv)
			}
			return out.WriteKeyed(csvRel, key, parts...)
		})
	}
	if err != nil {
		return err
	}
	r.placed(f, refs, int64(len(jsonHead)), int64(len(csvHead)))
	return nil
}

// data writes dati/atti.json, dati/atti.csv and, with the archive on, dati/archivio.csv.
// Marriage banns are never in them. Each act's lines are made once per session, or taken
// from the files the last process wrote; a file is made again only when one of its lines
// changed. mades and archived are what is made of each act of atti and of archivio.
func (r *Renderer) data(p *schedule.Plan, site *SiteView, atti, archivio []*schedule.Entry, mades, archived []*made, out Sink) error {
	cfg := p.Config
	head, err := json.Marshal(Dataset{Ente: cfg.Ente, CodiceIPA: cfg.CodiceIPA, DataRiferimento: p.Today.String(), Licenza: LicenceName})
	if err != nil {
		return err
	}
	f := &dataFile{json: true, entries: atti, mades: mades,
		field: func(m *made) **dataLines { return &m.data }, part: func(x *remembered) **lineAt { return &x.Data },
		line: func(e *schedule.Entry) (*dataLines, error) {
			rec := record(cfg, e, true)
			line, err := json.Marshal(rec)
			var urls, sums []string
			for _, f := range rec.Allegati {
				urls, sums = append(urls, f.URL), append(sums, f.SHA256)
			}
			row := append(csvFields(make([]string, 0, len(attiColumns)), rec), rec.URL, strings.Join(urls, " "), strings.Join(sums, " "))
			return newDataLines(line, csvRow(csvMore(row, rec))), err
		}}
	refs, err := r.lines(f)
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
	jsonHead := slices.Concat(bytes.TrimSuffix(head, []byte(`null}`)), []byte("["))
	if err := r.write(f, refs, head, "dati/atti.json", "dati/atti.csv", jsonHead, attiColumns, out); err != nil || !site.Archivio {
		return err
	}
	f = &dataFile{entries: archivio, mades: archived,
		field: func(m *made) **dataLines { return &m.archive }, part: func(x *remembered) **lineAt { return &x.Archive },
		line: func(e *schedule.Entry) (*dataLines, error) {
			rec := record(cfg, e, false)
			if e.OggettoArchivio != "" {
				rec.Oggetto = e.OggettoArchivio
			}
			return newDataLines(nil, csvRow(csvMore(csvFields(make([]string, 0, len(archivioColumns)), rec), rec))), nil
		}}
	if refs, err = r.lines(f); err != nil {
		return err
	}
	return r.write(f, refs, nil, "", "dati/archivio.csv", nil, archivioColumns, out)
}

// jsonSeparator goes before the first line of dati/atti.json, and before each other.
var jsonSeparator = [2][]byte{[]byte("\n"), []byte(",\n")}

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
