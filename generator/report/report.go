// Package report makes the documents staff take out of the albo: the list of acts with
// their computed states and dates, the yearly register of publications (CSV, JSON, PDF)
// and the certificate of publication of an act (referto, PDF).
package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/diag"
	"github.com/borgoesempio/albo/generator/internal/csvsafe"
	"github.com/borgoesempio/albo/generator/msg"
	"github.com/borgoesempio/albo/generator/render"
	"github.com/borgoesempio/albo/generator/schedule"
)

// Row is one act in the list and in the register. Its JSON and CSV field names are a
// stable format.
type Row struct {
	Registro        string    `json:"registro"`
	Stato           string    `json:"stato"`
	Tipo            string    `json:"tipo"`
	TipoNome        string    `json:"tipo_nome"`
	Oggetto         string    `json:"oggetto"`
	Numero          string    `json:"numero"`
	Data            string    `json:"data"`
	Ente            string    `json:"ente"`
	Ufficio         string    `json:"ufficio"`
	Dal             string    `json:"dal"`
	Al              string    `json:"al"`
	AlOriginale     string    `json:"al_originale"`
	Annullamento    *Motivato `json:"annullamento"`
	Ritiro          *Motivato `json:"ritirato,omitempty"` // withdrawn before its first day
	Proroga         *Motivato `json:"proroga"`
	Interruzioni    []Periodo `json:"interruzioni,omitempty"`
	Esecutiva       string    `json:"esecutiva,omitempty"`
	MatrimonioDal   string    `json:"matrimonio_dal,omitempty"`
	MatrimonioEntro string    `json:"matrimonio_entro,omitempty"`
	Impronta        string    `json:"impronta"`
	File            string    `json:"file"`

	// The columns of a repertorio (added on 2026-12-01): who asked for the publication and
	// by which protocol, when it reached the albo, who is responsible, the tender, the
	// entry into force and the corrections.
	Responsabile     string      `json:"responsabile,omitempty"`
	Richiedente      string      `json:"richiedente,omitempty"`
	Protocollo       *Protocollo `json:"protocollo,omitempty"`
	Consegna         string      `json:"consegna,omitempty"`
	CIG              string      `json:"cig,omitempty"`
	PubblicitaLegale string      `json:"pubblicita_legale,omitempty"`
	InVigore         string      `json:"in_vigore,omitempty"`
	Sostituisce      string      `json:"sostituisce,omitempty"`
	SostituitoDa     string      `json:"sostituito_da,omitempty"`
}

// Motivato is a date with its reason, and for an annulment or a withdrawal who ordered it
// and by which decision: the same record as in the open data.
type Motivato = render.Motivato

// Protocollo is the protocol of the request for publication, as in the open data.
type Protocollo = render.Protocollo

// motivato is an annulment or withdrawal as a Motivato.
func motivato(n *act.Annullamento) *Motivato {
	return &Motivato{Data: n.Data.String(), Motivo: n.Motivo, DispostoDa: n.DispostoDa, Provvedimento: n.Provvedimento}
}

// Periodo is an interruption of service that extended a publication, by Giorni days.
type Periodo struct {
	Dal    string `json:"dal"`
	Al     string `json:"al"`
	Giorni int    `json:"giorni"`
	Motivo string `json:"motivo"`
}

// text writes the interruption for a note: "interruzione dal 01/12/2026 al 03/12/2026 (+3 giorni): motivo".
func (p Periodo) text() string {
	return fmt.Sprintf("interruzione dal %s al %s (+%d %s): %s", it(p.Dal), it(p.Al), p.Giorni, map[bool]string{true: "giorno", false: "giorni"}[p.Giorni == 1], p.Motivo)
}

func row(p *schedule.Plan, e *schedule.Entry) Row {
	r := Row{
		Registro: e.Registro.String(), Stato: e.State.String(), Tipo: e.Tipo, Oggetto: e.Oggetto, Numero: e.Numero,
		Data: e.Data.String(), Ente: p.Config.Ente, Ufficio: e.Ufficio, Dal: e.Dal.String(), Al: e.Al.String(),
		AlOriginale: e.AlOriginale.String(), Esecutiva: e.Esecutiva.String(), MatrimonioDal: e.MatrimonioDal.String(),
		MatrimonioEntro: e.MatrimonioEntro.String(), Impronta: e.Impronta, File: e.Path,
	}
	if e.Type != nil {
		r.TipoNome = e.Type.Nome
	}
	if e.Ente != "" {
		r.Ente = e.Ente
	}
	if n := e.Annullato; n != nil {
		r.Annullamento = motivato(n)
	}
	if n := e.Ritiro; n != nil {
		r.Ritiro = motivato(n)
	}
	if e.Proroga != nil {
		r.Proroga = &Motivato{Data: e.Proroga.Al.String(), Motivo: e.Proroga.Motivo}
	}
	r.Responsabile, r.Richiedente, r.Consegna, r.CIG, r.PubblicitaLegale = e.Responsabile, e.Richiedente, e.Consegna.String(), e.CIG, e.PubblicitaLegale
	r.InVigore, r.Sostituisce = e.InVigore.String(), e.Act.Sostituisce.String()
	if p := e.Protocollo; p != nil {
		r.Protocollo = &Protocollo{Numero: p.Numero, Data: p.Data.String()}
	}
	if o := e.SostituitoDa; o != nil {
		r.SostituitoDa = o.Registro.String()
	}
	for _, i := range e.Interruzioni {
		r.Interruzioni = append(r.Interruzioni, Periodo{i.Dal.String(), i.Al.String(), i.Giorni, i.Motivo})
	}
	return r
}

// States accepted by List, as staff may type them.
var States = []string{"bozza", "programmato", "in-pubblicazione", "scaduto", "annullato", "ritirato"}

// List returns the acts of the plan in the state given and of the type given ("" for
// any), by register number (drafts last, by file).
func List(p *schedule.Plan, stato, tipo string) ([]Row, error) {
	stato = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(stato)), " ", "-")
	if stato != "" && !contains(States, stato) {
		return nil, fmt.Errorf("%s", msg.T("--stato %q: scrivi uno fra %s", stato, strings.Join(States, ", ")))
	}
	if _, ok := p.Config.Tipi[tipo]; tipo != "" && !ok {
		return nil, fmt.Errorf("%s", msg.T("--tipo %q: scrivi uno fra %s", tipo, strings.Join(p.Config.TypeKeys(), ", ")))
	}
	var entries []*schedule.Entry
	for _, e := range p.Entries {
		s := strings.ReplaceAll(e.State.String(), " ", "-")
		if tipo != "" && e.Tipo != tipo {
			continue
		}
		if stato == "" || s == stato || (stato == "annullato" && e.Annullato != nil) {
			entries = append(entries, e)
		}
	}
	return rows(p, entries), nil
}

// Year returns the register of publications of a year, by number.
func Year(p *schedule.Plan, anno int) []Row {
	var entries []*schedule.Entry
	for _, e := range p.Entries {
		if !e.Draft() && e.Registro.Anno == anno {
			entries = append(entries, e)
		}
	}
	return rows(p, entries)
}

// rows returns entries as rows, by register number (drafts last, by file).
func rows(p *schedule.Plan, entries []*schedule.Entry) []Row {
	sortEntries(entries)
	out := make([]Row, len(entries))
	for i, e := range entries {
		out[i] = row(p, e)
	}
	return out
}

func sortEntries(es []*schedule.Entry) {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.Draft() != b.Draft() {
			return !a.Draft()
		}
		if a.Registro != b.Registro {
			return a.Registro.Less(b.Registro)
		}
		return a.Path < b.Path
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// WriteText writes rows as an aligned table for the terminal.
func WriteText(w io.Writer, rows []Row) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "REGISTRO\tSTATO\tDAL\tAL\tTIPO\tOGGETTO\tNOTE")
	for _, r := range rows {
		var notes []string
		if r.Annullamento != nil {
			notes = append(notes, "annullato il "+it(r.Annullamento.Data))
		}
		if r.Ritiro != nil {
			notes = append(notes, "ritirato prima della pubblicazione il "+it(r.Ritiro.Data)+": "+r.Ritiro.Motivo)
		}
		if r.Proroga != nil || len(r.Interruzioni) > 0 {
			notes = append(notes, "prorogato (era al "+it(r.AlOriginale)+")")
		}
		for _, p := range r.Interruzioni {
			notes = append(notes, p.text())
		}
		if r.Esecutiva != "" {
			notes = append(notes, "esecutiva dal "+it(r.Esecutiva))
		}
		if r.MatrimonioDal != "" {
			notes = append(notes, "nozze dal "+it(r.MatrimonioDal)+" entro il "+it(r.MatrimonioEntro))
		}
		if r.InVigore != "" {
			notes = append(notes, "in vigore dal "+it(r.InVigore))
		}
		if r.Sostituisce != "" {
			notes = append(notes, "sostituisce "+italianReg(r.Sostituisce))
		}
		if r.SostituitoDa != "" {
			notes = append(notes, "sostituito da "+italianReg(r.SostituitoDa))
		}
		reg := r.Registro
		if reg == "" {
			reg = r.File
		}
		fmt.Fprint(tw, diag.Printable(fmt.Sprintf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", reg, r.Stato, it(r.Dal), it(r.Al), r.Tipo, short(r.Oggetto, 60), strings.Join(notes, "; "))))
	}
	return tw.Flush()
}

// it writes an ISO date as dd/mm/yyyy.
func it(iso string) string {
	if len(iso) != 10 {
		return iso
	}
	return iso[8:10] + "/" + iso[5:7] + "/" + iso[0:4]
}

func short(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// WriteJSON writes rows as a JSON array.
func WriteJSON(w io.Writer, rows []Row) error {
	if rows == nil {
		rows = []Row{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rows)
}

// WriteCSV writes rows as RFC 4180 CSV with a header line.
func WriteCSV(w io.Writer, rows []Row) error {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.UseCRLF = true
	cw.Write([]string{"registro", "stato", "tipo", "tipo_nome", "oggetto", "numero", "data", "ente", "ufficio", "dal", "al", "al_originale",
		"annullato_il", "motivo_annullamento", "ritirato_il", "motivo_ritiro", "prorogato_al", "motivo_proroga", "interruzioni",
		"esecutiva", "matrimonio_dal", "matrimonio_entro", "impronta", "file",
		"responsabile", "richiedente", "protocollo_numero", "protocollo_data", "consegna", "cig", "pubblicita_legale", "in_vigore", "sostituisce", "sostituito_da",
		"annullamento_disposto_da", "annullamento_provvedimento", "ritiro_disposto_da", "ritiro_provvedimento"})
	for _, r := range rows {
		var an, am, ra, rm, pa, pm, ad, ap, rd, rp, pn, pd string
		if r.Annullamento != nil {
			an, am, ad, ap = r.Annullamento.Data, r.Annullamento.Motivo, r.Annullamento.DispostoDa, r.Annullamento.Provvedimento
		}
		if r.Ritiro != nil {
			ra, rm, rd, rp = r.Ritiro.Data, r.Ritiro.Motivo, r.Ritiro.DispostoDa, r.Ritiro.Provvedimento
		}
		if r.Protocollo != nil {
			pn, pd = r.Protocollo.Numero, r.Protocollo.Data
		}
		if r.Proroga != nil {
			pa, pm = r.Proroga.Data, r.Proroga.Motivo
		}
		var breaks []string
		for _, p := range r.Interruzioni {
			breaks = append(breaks, p.text())
		}
		cells := []string{r.Registro, r.Stato, r.Tipo, r.TipoNome, r.Oggetto, r.Numero, r.Data, r.Ente, r.Ufficio, r.Dal, r.Al, r.AlOriginale,
			an, am, ra, rm, pa, pm, strings.Join(breaks, "; "), r.Esecutiva, r.MatrimonioDal, r.MatrimonioEntro, r.Impronta, r.File,
			r.Responsabile, r.Richiedente, pn, pd, r.Consegna, r.CIG, r.PubblicitaLegale, r.InVigore, r.Sostituisce, r.SostituitoDa, ad, ap, rd, rp}
		for i, c := range cells {
			cells[i] = csvsafe.Cell(c)
		}
		cw.Write(cells)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}
