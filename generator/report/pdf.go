package report

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"html"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/msg"
	"github.com/borgoesempio/albo/generator/render"
	"github.com/borgoesempio/albo/generator/schedule"
)

// The documents are PDF/A-2b (ISO 19005-2, the archival PDF the AgID guidelines on
// electronic documents name): every font embedded (DejaVu Sans Condensed, subset to the
// letters used), XMP metadata that says so and repeats the document information, an
// sRGB output intent, and an identifier in the trailer.
var (
	//go:embed fonts/DejaVuSansCondensed.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSansCondensed-Bold.ttf
	fontBold []byte
	//go:embed icc/sRGB2014.icc
	sRGB []byte
)

// family is the name of the embedded font in the documents.
const family = "DejaVu"

// Refusal is a document the law does not allow yet.
type Refusal struct{ Msg string }

func (r *Refusal) Error() string { return r.Msg }

// document is a PDF/A-2b being made: the same input on the same day gives the same bytes.
type document struct {
	*fpdf.Fpdf
	cfg *config.Config
}

// newPDF returns a document with fixed metadata, its fonts and output intent.
func newPDF(cfg *config.Config, orientation, title string, day civil.Date) *document {
	pdf := fpdf.New(orientation, "mm", "A4", "")
	y, m, d := day.Date()
	stamp := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	pdf.SetCreationDate(stamp)
	pdf.SetModificationDate(stamp)
	pdf.SetCatalogSort(true)
	pdf.SetCompression(true)
	pdf.AddUTF8FontFromBytes(family, "", fontRegular)
	pdf.AddUTF8FontFromBytes(family, "B", fontBold)
	pdf.SetTitle(title, true)
	pdf.SetAuthor(cfg.Ente, true)
	pdf.SetCreator("albo", true)
	pdf.SetProducer("albo", true)
	pdf.SetLang("it-IT")
	pdf.SetXmpMetadata(xmp(title, cfg.Ente, stamp))
	pdf.AddOutputIntent(fpdf.OutputIntentType{SubtypeIdent: fpdf.OutputIntent_GTS_PDFA1, OutputConditionIdentifier: "sRGB IEC61966-2.1",
		Info: "sRGB IEC61966-2.1", ICCProfile: sRGB})
	pdf.SetMargins(20, 15, 20)
	pdf.SetAutoPageBreak(true, 18)
	pdf.AliasNbPages("{nb}")
	if len(cfg.StemmaBytes) > 0 {
		pdf.RegisterImageOptionsReader("stemma", fpdf.ImageOptions{ImageType: strings.TrimPrefix(strings.ToLower(cfg.Stemma[strings.LastIndex(cfg.Stemma, "."):]), ".")},
			bytes.NewReader(cfg.StemmaBytes))
	}
	return &document{Fpdf: pdf, cfg: cfg}
}

// xmp is the metadata of a PDF/A-2b: the identification of the standard, and the title,
// author, tool and dates of the document information dictionary, which it must repeat.
func xmp(title, author string, stamp time.Time) []byte {
	date := stamp.Format("2006-01-02T15:04:05")
	return []byte(`<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + html.EscapeString(title) + `</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>` + html.EscapeString(author) + `</rdf:li></rdf:Seq></dc:creator>
<dc:language><rdf:Bag><rdf:li>it-IT</rdf:li></rdf:Bag></dc:language>
<xmp:CreatorTool>albo</xmp:CreatorTool>
<xmp:CreateDate>` + date + `</xmp:CreateDate>
<xmp:ModifyDate>` + date + `</xmp:ModifyDate>
<pdf:Producer>albo</pdf:Producer>
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`)
}

// output returns the document's bytes, with the identifier PDF/A wants in the trailer: the
// SHA-256 of the rest, so that the same document has the same identifier. The trailer
// follows the cross-reference table, so no offset moves.
func (d *document) output() ([]byte, error) {
	var b bytes.Buffer
	if err := d.Output(&b); err != nil {
		return nil, err
	}
	out := b.Bytes()
	i := bytes.LastIndex(out, []byte("\n>>\nstartxref"))
	if i < 0 || !bytes.Contains(out[max(0, i-200):i], []byte("trailer")) {
		return nil, fmt.Errorf("report: no trailer in the PDF")
	}
	sum := sha256.Sum256(out)
	id := hex.EncodeToString(sum[:16])
	return bytes.Join([][]byte{out[:i], []byte("\n/ID [<" + id + "> <" + id + ">]"), out[i:]}, nil), nil
}

// font sets the font: bold or not, at size points.
func (d *document) font(bold bool, size float64) {
	style := ""
	if bold {
		style = "B"
	}
	d.SetFont(family, style, size)
}

// header writes the top of every document of the ente: the crest, the ente's name, the
// albo, and the contacts of sede.
func (d *document) header() {
	if len(d.cfg.StemmaBytes) > 0 {
		w, _ := d.GetPageSize()
		const h = 15.0
		info := d.GetImageInfo("stemma")
		iw := h * info.Width() / info.Height()
		d.ImageOptions("stemma", (w-iw)/2, d.GetY(), iw, h, false, fpdf.ImageOptions{}, 0, "")
		d.SetY(d.GetY() + h + 2)
	}
	d.font(true, 14)
	d.CellFormat(0, 7, strings.ToUpper(d.cfg.Ente), "", 1, "C", false, 0, "")
	d.font(false, 10)
	d.CellFormat(0, 5, "Albo pretorio online", "", 1, "C", false, 0, "")
	s := d.cfg.Sede
	var contacts []string
	for _, c := range [][2]string{{"PEC ", s.PEC}, {"Tel. ", s.Telefono}, {"C.F. ", s.CodiceFiscale}} {
		if c[1] != "" {
			contacts = append(contacts, c[0]+c[1])
		}
	}
	d.font(false, 8)
	for _, line := range []string{s.Indirizzo, strings.Join(contacts, " · ")} {
		if line != "" {
			d.MultiCell(0, 4, line, "", "C", false)
		}
	}
	d.Ln(1)
	w, _ := d.GetPageSize()
	l, _, r, _ := d.GetMargins()
	d.SetDrawColor(0, 74, 153)
	d.Line(l, d.GetY(), w-r, d.GetY())
	d.SetDrawColor(0, 0, 0)
	d.Ln(4)
}

// labelWidth is the width of the labels of a certificate's fields, in millimetres.
const labelWidth = 56

// field writes a label and its value, the value wrapping beside the label.
func (d *document) field(label, value string) {
	if value == "" {
		return
	}
	d.font(true, 9)
	d.CellFormat(labelWidth, 5, label, "", 0, "L", false, 0, "")
	d.font(false, 9)
	d.MultiCell(0, 5, value, "", "L", false)
	d.Ln(0.3)
}

// signature writes the place and date, and the officer who signs: the role, the name and
// the line of the signature.
func (d *document) signature(day civil.Date) {
	r := d.cfg.Responsabile
	role := r.Qualifica
	if role == "" {
		role = "Il responsabile dell'albo pretorio"
	} else if !strings.HasPrefix(strings.ToLower(role), "il ") && !strings.HasPrefix(strings.ToLower(role), "la ") {
		role = "Il " + role
	}
	d.Ln(5)
	d.font(false, 10)
	y := d.GetY()
	d.CellFormat(80, 5, fmt.Sprintf("%s, %s", d.cfg.Luogo(), day.Italian()), "", 0, "L", false, 0, "")
	d.SetXY(100, y)
	d.MultiCell(0, 5, role, "", "C", false)
	d.SetX(100)
	d.font(true, 10)
	d.MultiCell(0, 5, r.Nome, "", "C", false)
	d.Ln(6)
	d.SetX(100)
	d.font(false, 10)
	d.CellFormat(0, 5, "______________________________", "", 1, "C", false, 0, "")
	d.SetX(100)
	d.font(false, 7)
	d.CellFormat(0, 4, "(firma digitale o autografa)", "", 1, "C", false, 0, "")
}

// closing writes the last lines of a certificate: the legal basis and where it comes from.
func (d *document) closing(basis string) {
	d.Ln(4)
	d.font(false, 7.5)
	d.SetTextColor(60, 60, 60)
	d.MultiCell(0, 3.6, "Riferimenti normativi: "+basis+".", "", "L", false)
	d.MultiCell(0, 3.6, "Attestazione rilasciata automaticamente dal sistema albo sulla base del registro delle pubblicazioni; ha valore con la firma del responsabile.", "", "L", false)
	d.SetTextColor(0, 0, 0)
}

// RefertoOptions are what a certificate says beyond the register.
type RefertoOptions struct {
	// Osservazioni are the objections or observations received during the publication,
	// as the officer writes them; "" when none were received.
	Osservazioni string
}

// legal bases of the publication (art. 124 TUEL, art. 32 L. 69/2009; art. 55 DPR 396/2000
// for marriage banns).
const (
	basisAlbo      = "art. 124 del D.Lgs. 18 agosto 2000, n. 267 (TUEL); art. 32 della L. 18 giugno 2009, n. 69"
	basisMatrimoni = "artt. 93-101 del Codice civile; art. 55 del D.P.R. 3 novembre 2000, n. 396; art. 32 della L. 18 giugno 2009, n. 69"
)

// Referto is the certificate of publication of the act r, issued on the plan's day: what
// the Segretario signs and sends back to whoever asked for the publication. It is refused
// while the act's window is still open, and for drafts.
func Referto(p *schedule.Plan, r act.Registro, o RefertoOptions) ([]byte, error) {
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
	d := certificate(p, r, "CERTIFICA")
	n := e.Al.Sub(e.Dal) + 1 // days of publication, counted as the type counts them
	first := ""
	if e.Type.Conteggio == config.Escluso {
		n--
		first = ", escluso il primo"
	}
	basis := basisAlbo
	if e.Type.Marriage() {
		basis = basisMatrimoni
	}
	text := fmt.Sprintf("che l'atto sotto indicato è stato pubblicato all'albo pretorio online di questo ente per %d giorni consecutivi%s, dal %s al %s",
		n, first, e.Dal.Italian(), e.Al.Italian())
	switch {
	case e.Proroga != nil && len(e.Interruzioni) > 0:
		text += fmt.Sprintf(", per effetto della proroga e delle interruzioni del servizio oltre l'originario termine del %s", e.AlOriginale.Italian())
	case e.Proroga != nil:
		text += fmt.Sprintf(", per effetto della proroga disposta oltre l'originario termine del %s", e.AlOriginale.Italian())
	case len(e.Interruzioni) > 0:
		text += fmt.Sprintf(", per effetto delle interruzioni del servizio oltre l'originario termine del %s", e.AlOriginale.Italian())
	}
	if e.Richiedente != "" {
		text += ", su richiesta di " + e.Richiedente
		if e.Protocollo != nil {
			text += " (" + protocolText(e.Protocollo) + ")"
		}
	}
	text += "."
	d.font(false, 10)
	d.MultiCell(0, 5, text, "", "J", false)
	d.Ln(3)
	atto := strings.TrimSpace(prefix("n. ", e.Numero) + " " + prefix("del ", e.Data.Italian()))
	enteAtto := p.Config.Ente
	if e.Ente != "" {
		enteAtto = e.Ente
	}
	d.field("Numero di registro", r.Italian())
	d.field("Tipo di atto", e.Type.Nome)
	d.field("Oggetto", e.Oggetto)
	d.field("Atto", atto)
	d.field("Ente", enteAtto)
	d.field("Ufficio", e.Ufficio)
	d.field("Responsabile del procedimento", e.Responsabile)
	d.field("Richiedente", e.Richiedente)
	if e.Protocollo != nil {
		d.field("Protocollo della richiesta", protocolText(e.Protocollo))
	}
	if !e.Consegna.IsZero() {
		d.field("Consegnato all'albo il", e.Consegna.Italian())
	}
	d.field("CIG", e.CIG)
	d.field("Pubblicità legale", e.PubblicitaLegale)
	d.field("Periodo di pubblicazione", fmt.Sprintf("dal %s al %s (%d giorni%s)", e.Dal.Italian(), e.Al.Italian(), n, first))
	if e.Proroga != nil {
		d.field("Proroga", fmt.Sprintf("fino al %s (termine originario %s). Motivo: %s", e.AlProroga.Italian(), e.AlOriginale.Italian(), e.Proroga.Motivo))
	}
	for _, i := range e.Interruzioni {
		d.field("Interruzione del servizio", fmt.Sprintf("dal %s al %s: pubblicazione prorogata di %s. Motivo: %s", i.Dal.Italian(), i.Al.Italian(),
			msg.N(i.Giorni, "%d giorno", "%d giorni"), i.Motivo))
	}
	if n := e.Annullato; n != nil {
		d.field("Annullamento", annulment(n))
	}
	if o := e.SostituitoDa; o != nil {
		d.field("Sostituito da", "atto n. "+o.Registro.Italian()+" del registro")
	}
	if !e.Act.Sostituisce.IsZero() {
		d.field("Sostituisce", "atto n. "+e.Act.Sostituisce.Italian()+" del registro, che corregge")
	}
	if !e.Esecutiva.IsZero() {
		d.field("Esecutività", "dal "+e.Esecutiva.Italian())
	}
	if !e.InVigore.IsZero() {
		d.field("Entrata in vigore", "in vigore dal "+e.InVigore.Italian()+", giorno successivo all'ultimo di pubblicazione")
	}
	if e.Type.Marriage() {
		d.field("Matrimonio", fmt.Sprintf("può essere celebrato dal %s (quarto giorno dopo la pubblicazione); la pubblicazione perde efficacia se il matrimonio non è celebrato entro il %s (art. 99 c.c.)",
			e.MatrimonioDal.Italian(), e.MatrimonioEntro.Italian()))
	}
	for i, a := range e.Allegati {
		label := ""
		if i == 0 {
			label = "Allegati"
		}
		d.font(true, 9)
		d.CellFormat(labelWidth, 5, label, "", 0, "L", false, 0, "")
		d.font(false, 9)
		d.MultiCell(0, 4.5, fmt.Sprintf("%d. %s (%s, %s)", i+1, a.Titolo, a.File, render.HumanSize(a.Size)), "", "L", false)
		d.SetX(20 + labelWidth)
		d.font(false, 7.5)
		d.MultiCell(0, 4, "SHA-256 "+a.SHA256, "", "L", false)
		if f := a.Firma; f != nil {
			for _, line := range render.Signatures(p.Config, f) {
				d.SetX(20 + labelWidth)
				d.MultiCell(0, 4, line, "", "L", false)
			}
			for _, sg := range f.Signers {
				if sg.TaxCode != "" {
					d.SetX(20 + labelWidth)
					d.MultiCell(0, 4, "Codice fiscale di "+sg.Name+" (dal certificato): "+sg.TaxCode+".", "", "L", false)
				}
			}
		}
		d.Ln(0.6)
	}
	d.font(true, 9)
	d.CellFormat(labelWidth, 5, "Impronta pubblica", "", 0, "L", false, 0, "")
	d.font(false, 7.5)
	d.MultiCell(0, 5, e.Public, "", "L", false)
	d.SetX(20 + labelWidth)
	d.font(false, 9)
	d.MultiCell(0, 4.5, "SHA-256 della forma pubblica dell'atto, pubblicata con l'atto: chiunque la può ricalcolare", "", "L", false)
	d.Ln(3)
	d.font(false, 10)
	clause := "Si attesta inoltre che durante il periodo di pubblicazione non sono pervenute opposizioni né osservazioni."
	if s := strings.TrimSpace(o.Osservazioni); s != "" {
		clause = "Si attesta inoltre che durante il periodo di pubblicazione sono pervenute le seguenti opposizioni od osservazioni: " + strings.TrimSuffix(s, ".") + "."
	}
	d.MultiCell(0, 5, clause, "", "J", false)
	d.signature(p.Today)
	d.closing(basis)
	return d.output()
}

// protocolText writes a request's protocol: "prot. n. 12345 del 17/11/2026".
func protocolText(p *act.Protocollo) string {
	return strings.TrimSpace("prot. n. " + p.Numero + " " + prefix("del ", p.Data.Italian()))
}

// annulment writes an annulment for a document: its date, who ordered it by which decision,
// and its reason.
func annulment(n *act.Annullamento) string {
	s := "atto annullato il " + n.Data.Italian()
	if n.DispostoDa != "" {
		s += "; disposto da: " + n.DispostoDa
	}
	if n.Provvedimento != "" {
		s += "; provvedimento: " + n.Provvedimento
	}
	return s + ". Motivo: " + n.Motivo
}

// certificate begins the certificate of act r: the header, the title, the officer's words
// and the verb of what follows (CERTIFICA, ATTESTA).
func certificate(p *schedule.Plan, r act.Registro, verb string) *document {
	d := newPDF(p.Config, "P", "Referto di pubblicazione n. "+r.Italian(), p.Today)
	d.AddPage()
	d.header()
	d.font(true, 14)
	d.CellFormat(0, 7, "Referto di pubblicazione", "", 1, "C", false, 0, "")
	d.font(false, 10)
	d.CellFormat(0, 5, "n. "+r.Italian()+" del registro delle pubblicazioni", "", 1, "C", false, 0, "")
	d.Ln(4)
	who := "Il responsabile della tenuta dell'albo pretorio online"
	if rs := p.Config.Responsabile; rs.Nome != "" {
		who += ", " + strings.TrimSuffix(strings.TrimSpace(rs.Nome+", "+rs.Qualifica), ",")
	}
	d.MultiCell(0, 5, who+", visti gli atti d'ufficio e il registro delle pubblicazioni,", "", "L", false)
	d.Ln(1)
	d.font(true, 11)
	d.CellFormat(0, 6, verb, "", 1, "C", false, 0, "")
	d.Ln(1)
	return d
}

// withdrawal is the certificate of an act withdrawn before its first day: registered for
// publication, never published.
func withdrawal(p *schedule.Plan, e *schedule.Entry) ([]byte, error) {
	r := e.Registro
	d := certificate(p, r, "ATTESTA")
	d.font(false, 10)
	d.MultiCell(0, 5, fmt.Sprintf("che l'atto sotto indicato, iscritto al numero %s del registro delle pubblicazioni per essere pubblicato dal %s al %s, "+
		"è stato ritirato il %s, prima dell'inizio della pubblicazione, e non è stato pubblicato all'albo pretorio online. Motivo: %s.",
		r.Italian(), e.Dal.Italian(), e.Al.Italian(), e.Ritiro.Data.Italian(), e.Ritiro.Motivo), "", "J", false)
	d.Ln(3)
	d.field("Tipo di atto", e.Type.Nome)
	d.field("Oggetto", e.Oggetto)
	d.field("Ufficio", e.Ufficio)
	d.field("Richiedente", e.Richiedente)
	d.field("Ritiro disposto da", e.Ritiro.DispostoDa)
	d.field("Provvedimento", e.Ritiro.Provvedimento)
	d.signature(p.Today)
	d.closing(basisAlbo)
	return d.output()
}

// RegisterPDF is the printable register of publications of a year, on landscape A4: the
// columns of a repertorio (number, period, act, subject, requester, office and officer,
// annulment and notes), with the withdrawn acts and the reasons.
func RegisterPDF(p *schedule.Plan, anno int, rows []Row) ([]byte, error) {
	title := fmt.Sprintf("Registro delle pubblicazioni - anno %d", anno)
	d := newPDF(p.Config, "L", title, p.Today)
	cols := []struct {
		head  string
		width float64
	}{{"N.", 11}, {"Inizio", 17}, {"Fine", 17}, {"Atto e riferimento", 38}, {"Oggetto", 72}, {"Ente e richiedente", 34}, {"Ufficio e responsabile", 36}, {"Annullamento, ritiro, note", 52}}
	d.SetHeaderFunc(func() {
		y := d.GetY()
		if len(p.Config.StemmaBytes) > 0 {
			info := d.GetImageInfo("stemma")
			d.ImageOptions("stemma", 10, y, 9*info.Width()/info.Height(), 9, false, fpdf.ImageOptions{}, 0, "")
			d.SetX(22)
		}
		d.font(true, 11)
		d.CellFormat(0, 5, p.Config.Ente+" - Albo pretorio online", "", 1, "L", false, 0, "")
		if len(p.Config.StemmaBytes) > 0 {
			d.SetX(22)
		}
		d.font(false, 9)
		d.CellFormat(0, 5, title, "", 1, "L", false, 0, "")
		d.SetY(max(d.GetY(), y+10) + 1)
		d.font(true, 7)
		d.SetFillColor(230, 236, 245)
		for _, c := range cols {
			d.CellFormat(c.width, 5, c.head, "1", 0, "L", true, 0, "")
		}
		d.Ln(-1)
	})
	d.SetFooterFunc(func() {
		d.SetY(-12)
		d.font(false, 7)
		d.CellFormat(0, 4, fmt.Sprintf("Stampato il %s - pagina %d di {nb}", p.Today.Italian(), d.PageNo()), "", 0, "C", false, 0, "")
	})
	d.SetMargins(10, 10, 10)
	d.SetAutoPageBreak(false, 14)
	d.AddPage()
	d.font(false, 7)
	const lh = 3.3
	for _, r := range rows {
		atto := strings.TrimSpace(r.TipoNome + "\n" + strings.TrimSpace(prefix("n. ", r.Numero)+" "+prefix("del ", it(r.Data))))
		var notes []string
		if a := r.Annullamento; a != nil {
			notes = append(notes, "Annullato il "+it(a.Data)+prefix(" da ", a.DispostoDa)+prefix(", ", a.Provvedimento)+". Motivo: "+a.Motivo)
		}
		if a := r.Ritiro; a != nil {
			notes = append(notes, "Ritirato prima della pubblicazione il "+it(a.Data)+prefix(" da ", a.DispostoDa)+prefix(", ", a.Provvedimento)+". Motivo: "+a.Motivo)
		}
		if r.SostituitoDa != "" {
			notes = append(notes, "Sostituito da "+italianReg(r.SostituitoDa))
		}
		if r.Sostituisce != "" {
			notes = append(notes, "Sostituisce "+italianReg(r.Sostituisce))
		}
		if pr := r.Proroga; pr != nil {
			notes = append(notes, "Prorogato al "+it(pr.Data)+" (era al "+it(r.AlOriginale)+"): "+pr.Motivo)
		}
		for _, i := range r.Interruzioni {
			notes = append(notes, "Prorogato di "+msg.N(i.Giorni, "%d giorno", "%d giorni")+" per interruzione del servizio dal "+it(i.Dal)+" al "+it(i.Al))
		}
		if r.InVigore != "" {
			notes = append(notes, "In vigore dal "+it(r.InVigore))
		}
		if r.CIG != "" {
			notes = append(notes, "CIG "+r.CIG)
		}
		ente := r.Ente
		if r.Richiedente != "" && r.Richiedente != r.Ente {
			ente = strings.TrimSpace(ente + "\nRichiesta di " + r.Richiedente)
		}
		if r.Protocollo != nil {
			ente += "\nProt. n. " + r.Protocollo.Numero + prefix(" del ", it(r.Protocollo.Data))
		}
		cells := []string{strings.SplitN(r.Registro, "/", 2)[1], it(r.Dal), it(r.Al), atto, r.Oggetto, ente,
			strings.TrimSpace(r.Ufficio + "\n" + r.Responsabile), strings.Join(notes, "\n")}
		lines := make([][]string, len(cells))
		height := 1
		for i, c := range cells {
			for _, part := range strings.Split(c, "\n") {
				lines[i] = append(lines[i], d.SplitText(part, cols[i].width-1)...)
			}
			height = max(height, len(lines[i]))
		}
		h := float64(height)*lh + 1.6
		if d.GetY()+h > 210-14 {
			d.AddPage()
			d.font(false, 7)
		}
		x, y := d.GetX(), d.GetY()
		for i, c := range cols {
			d.Rect(x, y, c.width, h, "D")
			for j, l := range lines[i] {
				d.Text(x+0.8, y+0.8+lh*float64(j+1)-0.7, l)
			}
			x += c.width
		}
		d.SetXY(10, y+h)
	}
	if len(rows) == 0 {
		d.font(false, 9)
		d.CellFormat(0, 8, fmt.Sprintf("Nessuna pubblicazione nell'anno %d.", anno), "", 1, "L", false, 0, "")
	}
	return d.output()
}

// italianReg writes a register number given as 2026/26 as pages print it, 26/2026.
func italianReg(s string) string {
	if r, err := act.ParseRegistro(s); err == nil {
		return r.Italian()
	}
	return s
}

func prefix(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}
