package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/borgoesempio/albo/generator/config"
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
	Esecutiva    string       `json:"esecutiva,omitempty"`
	URL          string       `json:"url"`
	Allegati     []FileRecord `json:"allegati"`
}

// Motivato is a date with its reason: an annulment, or an extension's new last day.
type Motivato struct {
	Data   string `json:"data"`
	Motivo string `json:"motivo"`
}

// FileRecord is an attachment in the open data.
type FileRecord struct {
	Titolo     string `json:"titolo"`
	URL        string `json:"url"`
	TipoMedia  string `json:"tipo_media"`
	Dimensione int64  `json:"dimensione"`
	SHA256     string `json:"sha256"`
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
		Dal: e.Dal.String(), Al: e.Al.String(), Stato: e.State.String(), Annullato: e.Annullato(),
		Esecutiva: e.Esecutiva.String(), Allegati: []FileRecord{},
	}
	if e.Ente != "" {
		r.Ente = e.Ente
	}
	if e.Annullamento != nil {
		r.Annullamento = &Motivato{e.Annullamento.Data.String(), e.Annullamento.Motivo}
	}
	if e.Proroga != nil {
		r.Proroga = &Motivato{e.Proroga.Al.String(), e.Proroga.Motivo}
	}
	if withFiles {
		r.URL = absURL(cfg, actPage(e))
		for _, a := range e.Allegati {
			r.Allegati = append(r.Allegati, FileRecord{a.Titolo, absURL(cfg, attachmentPath(e, a.File)), MediaType(a.File), a.Size, a.SHA256})
		}
	}
	return r
}

// dataLines is an act in the open data: its JSON line and its CSV row.
type dataLines struct{ json, csv []byte }

// data writes dati/atti.json, dati/atti.csv and, with the archive on, dati/archivio.csv.
// Marriage banns are never in them. Each act's line is made once per session.
func (r *Renderer) data(p *schedule.Plan, site *SiteView, atti, archivio []*schedule.Entry, out Sink) error {
	cfg := p.Config
	head, err := json.Marshal(Dataset{Ente: cfg.Ente, CodiceIPA: cfg.CodiceIPA, DataRiferimento: p.Today.String(), Licenza: "CC-BY-4.0"})
	if err != nil {
		return err
	}
	var js, csvOut bytes.Buffer
	js.Write(bytes.TrimSuffix(head, []byte(`null}`)))
	js.WriteString("[")
	csvHead := append(csvHeader, "url", "allegati_url", "allegati_sha256")
	csvOut.Write(csvRow(csvHead))
	for i, e := range atti {
		v, err := r.memo.get("dati "+r.pageKey(cfg, e), func() (any, error) {
			rec := record(cfg, e, true)
			line, err := json.Marshal(rec)
			var urls, sums []string
			for _, f := range rec.Allegati {
				urls, sums = append(urls, f.URL), append(sums, f.SHA256)
			}
			return dataLines{line, csvRow(append(csvFields(rec), rec.URL, strings.Join(urls, " "), strings.Join(sums, " ")))}, err
		})
		if err != nil {
			return err
		}
		if i > 0 {
			js.WriteByte(',')
		}
		js.WriteString("\n")
		js.Write(v.(dataLines).json)
		csvOut.Write(v.(dataLines).csv)
	}
	js.WriteString("\n]}\n")
	if err := out.WriteFile("dati/atti.json", js.Bytes()); err != nil {
		return err
	}
	if err := out.WriteFile("dati/atti.csv", csvOut.Bytes()); err != nil {
		return err
	}
	if !site.Archivio {
		return nil
	}
	var arch bytes.Buffer
	arch.Write(csvRow(csvHeader))
	for _, e := range archivio {
		v, _ := r.memo.get("archivio "+r.pageKey(cfg, e), func() (any, error) {
			rec := record(cfg, e, false)
			if e.OggettoArchivio != "" {
				rec.Oggetto = e.OggettoArchivio
			}
			return csvRow(csvFields(rec)), nil
		})
		arch.Write(v.([]byte))
	}
	return out.WriteFile("dati/archivio.csv", arch.Bytes())
}

var csvHeader = []string{"registro", "tipo", "tipo_nome", "oggetto", "numero", "data", "ente", "ufficio", "responsabile", "dal", "al", "stato", "annullato"}

// csvRow encodes one RFC 4180 record.
func csvRow(fields []string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	w.Write(fields)
	w.Flush()
	return b.Bytes()
}

func csvFields(r Record) []string {
	return []string{r.Registro, r.Tipo, r.TipoNome, r.Oggetto, r.Numero, r.Data, r.Ente, r.Ufficio, r.Responsabile,
		r.Dal, r.Al, r.Stato, strconv.FormatBool(r.Annullato)}
}
