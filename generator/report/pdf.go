package report

import (
	"bytes"
	"fmt"
	"github.com/borgoesempio/albo/generator/msg"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/schedule"
)

// Refusal is a document the law does not allow yet.
type Refusal struct{ Msg string }

func (r *Refusal) Error() string { return r.Msg }

// newPDF returns a document with fixed metadata, so that the same input on the same day
// gives the same bytes, and a translator from UTF-8 to the core fonts' Windows-1252
// (which has every Italian letter, and the euro sign).
func newPDF(orientation, title, author string, day civil.Date) (*fpdf.Fpdf, func(string) string) {
	pdf := fpdf.New(orientation, "mm", "A4", "")
	y, m, d := day.Date()
	stamp := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	pdf.SetCreationDate(stamp)
	pdf.SetModificationDate(stamp)
	pdf.SetCatalogSort(true)
	pdf.SetCompression(true)
	tr := pdf.UnicodeTranslatorFromDescriptor("cp1252")
	pdf.SetTitle(tr(title), false)
	pdf.SetAuthor(tr(author), false)
	pdf.SetCreator("albo", false)
	pdf.SetProducer("albo", false)
	pdf.SetMargins(20, 18, 20)
	pdf.SetAutoPageBreak(true, 20)
	pdf.AliasNbPages("{nb}")
	return pdf, tr
}

// splitText breaks text already translated to Windows-1252 into lines of at most w. fpdf
// measures runes, so each byte goes in as the rune of its value (its index in the font's
// widths) and comes back as that byte: splitting the translated string as UTF-8 would
// garble every accented letter.
func splitText(pdf *fpdf.Fpdf, cp1252 string, w float64) []string {
	runes := make([]rune, len(cp1252))
	for i := range len(cp1252) {
		runes[i] = rune(cp1252[i])
	}
	lines := pdf.SplitText(string(runes), w)
	for i, l := range lines {
		b := make([]byte, 0, len(l))
		for _, r := range l {
			b = append(b, byte(r))
		}
		lines[i] = string(b)
	}
	return lines
}

func output(pdf *fpdf.Fpdf) ([]byte, error) {
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// place is the name of the town, for the line "Borgo Esempio, 23/11/2026".
func place(ente string) string {
	for _, p := range []string{"Comune di ", "Città di ", "Unione dei Comuni "} {
		if strings.HasPrefix(ente, p) {
			return strings.TrimPrefix(ente, p)
		}
	}
	return ente
}

// Referto is the certificate of publication of the act r, issued on the plan's day. It
// is refused while the act's window is still open, and for drafts.
func Referto(p *schedule.Plan, r act.Registro) ([]byte, error) {
	var e *schedule.Entry
	for _, x := range p.Entries {
		if x.Registro == r && !x.Draft() {
			e = x
		}
	}
	if e == nil {
		return nil, &Refusal{msg.T("nessun atto ha il numero di registro %s", r.Italian())}
	}
	if e.State == schedule.Ritirato {
		return withdrawal(p, e)
	}
	if !p.Today.After(e.Al) {
		return nil, &Refusal{msg.T("la pubblicazione di %s finisce il %s: il referto si può rilasciare dal %s",
			r.Italian(), e.Al.Italian(), e.Al.AddDays(1).Italian())}
	}
	ente := p.Config.Ente
	pdf, tr := certificate(p, r, "SI CERTIFICA")
	n := e.Al.Sub(e.Dal) + 1 // days of publication, counted as the type counts them
	if e.Type.Conteggio == config.Escluso {
		n--
	}
	text := fmt.Sprintf("che l'atto sotto indicato è stato pubblicato all'albo pretorio online di questo ente per %d giorni consecutivi, dal %s al %s",
		n, e.Dal.Italian(), e.Al.Italian())
	switch {
	case e.Proroga != nil && len(e.Interruzioni) > 0:
		text += fmt.Sprintf(", per effetto della proroga e delle interruzioni del servizio oltre l'originario termine del %s", e.AlOriginale.Italian())
	case e.Proroga != nil:
		text += fmt.Sprintf(", per effetto della proroga disposta oltre l'originario termine del %s", e.AlOriginale.Italian())
	case len(e.Interruzioni) > 0:
		text += fmt.Sprintf(", per effetto delle interruzioni del servizio oltre l'originario termine del %s", e.AlOriginale.Italian())
	}
	text += "."
	pdf.MultiCell(0, 6, tr(text), "", "J", false)
	pdf.Ln(5)
	field := func(label, value string) {
		if value == "" {
			return
		}
		pdf.SetFont("Helvetica", "B", 10)
		pdf.CellFormat(52, 6, tr(label), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 10)
		pdf.MultiCell(0, 6, tr(value), "", "L", false)
	}
	atto := ""
	if e.Numero != "" {
		atto = "n. " + e.Numero
	}
	if !e.Data.IsZero() {
		atto = strings.TrimSpace(atto + " del " + e.Data.Italian())
	}
	enteAtto := ente
	if e.Ente != "" {
		enteAtto = e.Ente
	}
	field("Numero di registro", r.Italian())
	field("Tipo di atto", e.Type.Nome)
	field("Oggetto", e.Oggetto)
	field("Atto", atto)
	field("Ente", enteAtto)
	field("Ufficio", e.Ufficio)
	field("Periodo di pubblicazione", fmt.Sprintf("dal %s al %s (%d giorni%s)", e.Dal.Italian(), e.Al.Italian(), n, map[bool]string{true: ", escluso il primo", false: ""}[e.Type.Conteggio == config.Escluso]))
	if e.Proroga != nil {
		field("Proroga", fmt.Sprintf("fino al %s (termine originario %s). Motivo: %s", e.AlProroga.Italian(), e.AlOriginale.Italian(), e.Proroga.Motivo))
	}
	for _, i := range e.Interruzioni {
		field("Interruzione del servizio", fmt.Sprintf("dal %s al %s: pubblicazione prorogata di %d %s. Motivo: %s", i.Dal.Italian(), i.Al.Italian(),
			i.Giorni, map[bool]string{true: "giorno", false: "giorni"}[i.Giorni == 1], i.Motivo))
	}
	if n := e.Annullato; n != nil {
		field("Annullamento", fmt.Sprintf("atto annullato il %s. Motivo: %s", n.Data.Italian(), n.Motivo))
	}
	if !e.Esecutiva.IsZero() {
		field("Esecutività", "dal "+e.Esecutiva.Italian())
	}
	if e.Type.Marriage() {
		field("Matrimonio", fmt.Sprintf("può essere celebrato dal %s (quarto giorno dopo la pubblicazione); la pubblicazione perde efficacia se il matrimonio non è celebrato entro il %s (art. 99 c.c.)",
			e.MatrimonioDal.Italian(), e.MatrimonioEntro.Italian()))
	}
	field("Impronta pubblica", e.Public+" (SHA-256 della forma pubblica dell'atto, pubblicata con l'atto)")
	pdf.Ln(12)
	pdf.SetFont("Helvetica", "", 11)
	pdf.CellFormat(85, 6, tr(fmt.Sprintf("%s, %s", place(ente), p.Today.Italian())), "", 0, "L", false, 0, "")
	pdf.CellFormat(0, 6, tr("Il responsabile dell'albo pretorio"), "", 1, "C", false, 0, "")
	pdf.Ln(12)
	pdf.CellFormat(85, 6, "", "", 0, "L", false, 0, "")
	pdf.CellFormat(0, 6, "______________________________", "", 1, "C", false, 0, "")
	return output(pdf)
}

// certificate begins the certificate of act r: the ente, the title, the officer's words
// and the verb of what follows (SI CERTIFICA, ATTESTA).
func certificate(p *schedule.Plan, r act.Registro, verb string) (*fpdf.Fpdf, func(string) string) {
	ente := p.Config.Ente
	pdf, tr := newPDF("P", "Referto di pubblicazione "+r.Italian(), ente, p.Today)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 15)
	pdf.CellFormat(0, 8, tr(strings.ToUpper(ente)), "", 1, "C", false, 0, "")
	pdf.SetFont("Helvetica", "", 11)
	pdf.CellFormat(0, 6, tr("Albo pretorio online"), "", 1, "C", false, 0, "")
	pdf.Ln(10)
	pdf.SetFont("Helvetica", "B", 14)
	pdf.CellFormat(0, 8, tr("REFERTO DI PUBBLICAZIONE"), "", 1, "C", false, 0, "")
	pdf.Ln(6)
	pdf.SetFont("Helvetica", "", 11)
	pdf.MultiCell(0, 6, tr("Il responsabile della tenuta dell'albo pretorio online, visti gli atti d'ufficio,"), "", "L", false)
	pdf.Ln(3)
	pdf.SetFont("Helvetica", "B", 12)
	pdf.CellFormat(0, 7, tr(verb), "", 1, "C", false, 0, "")
	pdf.Ln(3)
	pdf.SetFont("Helvetica", "", 11)
	return pdf, tr
}

// withdrawal is the certificate of an act withdrawn before its first day: registered for
// publication, never published.
func withdrawal(p *schedule.Plan, e *schedule.Entry) ([]byte, error) {
	ente := p.Config.Ente
	r := e.Registro
	pdf, tr := certificate(p, r, "ATTESTA")
	pdf.MultiCell(0, 6, tr(fmt.Sprintf("che l'atto sotto indicato, iscritto al numero %s del registro delle pubblicazioni per essere pubblicato dal %s al %s, "+
		"è stato ritirato il %s, prima dell'inizio della pubblicazione, e non è stato pubblicato all'albo pretorio online. Motivo: %s.",
		r.Italian(), e.Dal.Italian(), e.Al.Italian(), e.Ritiro.Data.Italian(), e.Ritiro.Motivo)), "", "J", false)
	pdf.Ln(5)
	for _, f := range [][2]string{{"Tipo di atto", e.Type.Nome}, {"Oggetto", e.Oggetto}, {"Ufficio", e.Ufficio}} {
		if f[1] == "" {
			continue
		}
		pdf.SetFont("Helvetica", "B", 10)
		pdf.CellFormat(52, 6, tr(f[0]), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 10)
		pdf.MultiCell(0, 6, tr(f[1]), "", "L", false)
	}
	pdf.Ln(12)
	pdf.SetFont("Helvetica", "", 11)
	pdf.CellFormat(85, 6, tr(fmt.Sprintf("%s, %s", place(ente), p.Today.Italian())), "", 0, "L", false, 0, "")
	pdf.CellFormat(0, 6, tr("Il responsabile dell'albo pretorio"), "", 1, "C", false, 0, "")
	return output(pdf)
}

// RegisterPDF is the printable register of publications of a year.
func RegisterPDF(p *schedule.Plan, anno int, rows []Row) ([]byte, error) {
	ente := p.Config.Ente
	title := fmt.Sprintf("Registro delle pubblicazioni - anno %d", anno)
	pdf, tr := newPDF("L", title, ente, p.Today)
	cols := []struct {
		head  string
		width float64
	}{{"N.", 14}, {"Dal", 21}, {"Al", 21}, {"Tipo", 42}, {"Oggetto", 88}, {"Atto", 30}, {"Ente / ufficio", 40}, {"Note", 31}}
	pdf.SetHeaderFunc(func() {
		pdf.SetFont("Helvetica", "B", 12)
		pdf.CellFormat(0, 7, tr(ente+" - "+title), "", 1, "L", false, 0, "")
		pdf.SetFont("Helvetica", "B", 8)
		pdf.SetFillColor(230, 236, 245)
		for _, c := range cols {
			pdf.CellFormat(c.width, 6, tr(c.head), "1", 0, "L", true, 0, "")
		}
		pdf.Ln(-1)
	})
	pdf.SetFooterFunc(func() {
		pdf.SetY(-14)
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(0, 5, tr(fmt.Sprintf("Stampato il %s - pagina %d di {nb}", p.Today.Italian(), pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	pdf.SetMargins(10, 12, 10)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "", 8)
	const lh = 4.0
	for _, r := range rows {
		atto := strings.TrimSpace(prefix("n. ", r.Numero) + " " + prefix("del ", it(r.Data)))
		var notes []string
		if r.Annullamento != nil {
			notes = append(notes, "annullato il "+it(r.Annullamento.Data))
		}
		if r.Ritiro != nil {
			notes = append(notes, "ritirato prima della pubblicazione il "+it(r.Ritiro.Data))
		}
		if r.Proroga != nil || len(r.Interruzioni) > 0 {
			notes = append(notes, "prorogato (termine originario "+it(r.AlOriginale)+")")
		}
		cells := []string{strings.SplitN(r.Registro, "/", 2)[1], it(r.Dal), it(r.Al), r.TipoNome, r.Oggetto, atto,
			strings.TrimSpace(r.Ente + "\n" + r.Ufficio), strings.Join(notes, "; ")}
		lines := make([][]string, len(cells))
		height := 1
		for i, c := range cells {
			lines[i] = splitText(pdf, tr(c), cols[i].width-2)
			height = max(height, len(lines[i]))
		}
		h := float64(height)*lh + 2
		if pdf.GetY()+h > 210-20 {
			pdf.AddPage()
		}
		x, y := pdf.GetX(), pdf.GetY()
		for i, c := range cols {
			pdf.Rect(x, y, c.width, h, "D")
			for j, l := range lines[i] {
				pdf.Text(x+1, y+1+lh*float64(j+1)-0.8, l)
			}
			x += c.width
		}
		pdf.SetXY(10, y+h)
	}
	if len(rows) == 0 {
		pdf.CellFormat(0, 8, tr(fmt.Sprintf("Nessuna pubblicazione nell'anno %d.", anno)), "", 1, "L", false, 0, "")
	}
	return output(pdf)
}

func prefix(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}
