// Package check examines a whole site for everything albo can find wrong, at once: the
// errors that stop a build, and the warnings a build lets through but staff should see
// (gaps in the register, acts not sealed, late publications, personal data left in text).
package check

import (
	"fmt"
	"os"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/diag"
	"github.com/borgoesempio/albo/generator/documento"
	"github.com/borgoesempio/albo/generator/firma"
	"github.com/borgoesempio/albo/generator/load"
	"github.com/borgoesempio/albo/generator/msg"
	"github.com/borgoesempio/albo/generator/privacy"
	"github.com/borgoesempio/albo/generator/register"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/borgoesempio/albo/generator/validate"
)

// Codes of the problems check reports (the "codice" of the JSON output).
const (
	CodeContent    = "contenuto"             // an error in a file: a build stops on it
	CodeGap        = "registro-lacuna"       // register numbers assigned but used by no act
	CodeNotSealed  = "non-sigillato"         // a published act without impronta
	CodeLate       = "pubblicazione-tardiva" // published after the term of its type
	CodePersonal   = "dati-personali"        // personal data in a published text
	CodeDuplicate  = "registro-duplicato"
	CodeImpronta   = "impronta"
	CodeRegister   = "registro"
	CodeAttachment = "allegato"
	CodeWithdrawn  = "ritirato"              // an information line: an act withdrawn before its first day
	CodeTender     = "gara-senza-pubblicita" // a tender without CIG or legal-publicity record
	CodeReplace    = "sostituzione"          // sostituisce names no act, or one not annulled
	CodeSignature  = "firma"                 // a signed attachment: broken, expired, untrusted; or banns not signed
	CodeDocument   = "documento"             // a PDF attachment without text, or not PDF/A
)

// Run checks the site at root as of now and returns every problem, errors first in file
// order. It returns an error only when the site cannot be read at all.
func Run(root string, now time.Time) (diag.List, error) {
	site, err := load.LoadSealed(root)
	probs := diag.Problems(err)
	if site == nil {
		if probs != nil {
			return probs, nil
		}
		return nil, err
	}
	probs = append(probs, diag.Problems(validate.Site(site))...)
	for _, p := range probs {
		if p.Code == "" {
			p.Code = CodeContent
		}
	}
	reg, err := register.Read(site.Root)
	if err != nil {
		probs = append(probs, diag.At(register.Path, 0, "ripristinalo dalla copia di sicurezza o dal controllo di versione: lo scrive solo albo", "%v", err))
		probs[len(probs)-1].Code = CodeRegister
		reg = &register.Register{Ultimo: map[int]int{}}
	}
	probs = append(probs, gaps(site, reg)...)
	if p := reg.InCorso; p != nil {
		probs = append(probs, diag.Info(CodeRegister, register.Path, 0, "",
			"la pubblicazione di %s come %s si è interrotta: il prossimo albo pubblica, annulla, proroga o interruzione la completa, o la annulla se il file è ancora la bozza", p.File, p.Registro))
	}
	for _, a := range site.Acts {
		if top, ok := reg.Ultimo[a.Registro.Anno]; ok && !a.Draft() && a.Registro.Numero > top && reg.InCorso == nil {
			probs = append(probs, diag.Warn(CodeRegister, a.Path, a.Line("registro"),
				"un numero si assegna solo con albo pubblica: se il numero è stato scritto a mano, verifica che nessun altro atto lo abbia avuto; il prossimo albo pubblica aggiorna il registro",
				"l'atto ha il numero %s, oltre l'ultimo assegnato nel registro del %d (%d)", a.Registro.Italian(), a.Registro.Anno, top))
		}
	}
	// Only the acts without errors can be scheduled (an unknown type has no rules); the
	// texts of the others are scanned for personal data all the same.
	failed := map[string]bool{}
	for _, p := range probs {
		failed[p.Path] = failed[p.Path] || p.IsError()
	}
	scan := privacy.NewScanner(site.Config.Consentiti, site.Config.Sanitari)
	valid := *site
	valid.Acts = nil
	for _, a := range site.Acts {
		switch {
		case !failed[a.Path]:
			valid.Acts = append(valid.Acts, a)
		case !a.Draft():
			probs = append(probs, personal(scan, a)...)
		}
	}
	probs = append(probs, replacements(valid.Acts)...)
	plan := schedule.Schedule(&valid, now)
	for _, e := range plan.Entries {
		if e.Draft() {
			continue
		}
		if e.Ritiro != nil {
			probs = append(probs, diag.Info(CodeWithdrawn, e.Path, e.Line("annullamento"), "",
				"atto %s ritirato prima della pubblicazione il %s: %s; non compare sul sito, il numero resta assegnato", e.Registro.Italian(), e.Ritiro.Data.Italian(), e.Ritiro.Motivo))
			continue
		}
		if e.Impronta == "" {
			probs = append(probs, diag.Warn(CodeNotSealed, e.Path, e.Line("registro"),
				"gli atti pubblicati con albo pubblica hanno l'impronta; un atto importato da un altro sistema resta com'è",
				"l'atto %s non ha impronta: è pubblicato ma non sigillato", e.Registro.Italian()))
		}
		probs = append(probs, late(site.Config, e.Act, e.Dal)...)
		if p := tender(site.Config, e.Act); p != nil && e.State != schedule.Scaduto {
			probs = append(probs, p)
		}
		if e.State != schedule.Scaduto {
			probs = append(probs, personal(scan, e.Act)...)
			probs = append(probs, attachments(site.Config, scan, e.Act)...)
		}
	}
	probs.Sort()
	return probs, nil
}

// gaps warns, for each year, about the numbers below the highest ever assigned that no act
// uses: an act deleted after publication, or a number typed by hand. It looks at the
// numbers used, not at every number up to the highest (the register could say anything).
func gaps(site *load.Site, reg *register.Register) diag.List {
	used := map[int][]int{}
	top := map[int]int{}
	for y, n := range reg.Ultimo {
		top[y] = n
	}
	for _, a := range site.Acts {
		if a.Draft() {
			continue
		}
		r := a.Registro
		used[r.Anno] = append(used[r.Anno], r.Numero)
		top[r.Anno] = max(top[r.Anno], r.Numero)
	}
	years := make([]int, 0, len(top))
	for y := range top {
		years = append(years, y)
	}
	sort.Ints(years)
	var out diag.List
	for _, y := range years {
		nums := append(used[y], top[y]+1) // the one past the highest ends the last gap
		sort.Ints(nums)
		var missing []string
		count, prev := 0, 0
		for _, n := range nums {
			switch {
			case n <= prev+1:
			case n == prev+2:
				missing = append(missing, fmt.Sprint(prev+1))
			default:
				missing = append(missing, fmt.Sprintf("%d-%d", prev+1, n-1))
			}
			if n > prev+1 {
				count += n - prev - 1 // the numbers of the gap
			}
			prev = max(prev, n)
		}
		if len(missing) > 20 {
			missing = append(missing[:20], fmt.Sprintf("e altri %d intervalli", len(missing)-20))
		}
		if count > 0 {
			out = append(out, diag.Warn(CodeGap, register.Path, 0,
				"un numero assegnato non si riusa: se un atto è stato cancellato, annotane il motivo nel registro della segreteria",
				"%s", msg.N(count, "registro del %[2]d: il numero %[3]s è assegnato ma senza atto", "registro del %[2]d: i numeri %[3]s sono assegnati ma senza atto", y, strings.Join(missing, ", "))))
		}
	}
	return out
}

// Act returns the warnings about an act about to be published on dal, for albo pubblica
// to show before it seals it: personal data in any of its texts, and a publication later
// than the terms of its type.
func Act(cfg *config.Config, a *act.Act, dal civil.Date) diag.List {
	scan := privacy.NewScanner(cfg.Consentiti, cfg.Sanitari)
	probs := append(late(cfg, a, dal), personal(scan, a)...)
	probs = append(probs, attachments(cfg, scan, a)...)
	if p := tender(cfg, a); p != nil {
		probs = append(probs, p)
	}
	return probs
}

// late warns about an act published on dal later than its terms allow, in working days
// (seed 003 art. 10, SPEC §4): 1 working day from its delivery to the albo office (seed
// tables, row 5), and the days of its type from its date (rows 10 and 12: a Giunta
// deliberation 10, a Council one 20).
func late(cfg *config.Config, a *act.Act, dal civil.Date) diag.List {
	var out diag.List
	cal := cfg.Calendario
	warn := func(key string, from civil.Date, days int, hint, what string) {
		due := cal.AddWorking(from, days)
		n := cal.Late(due, dal)
		if n == 0 {
			return
		}
		ritardo := msg.N(n, "%d giorno lavorativo", "%d giorni lavorativi")
		if a.Draft() {
			out = append(out, diag.Warn(CodeLate, a.Path, a.Line(key), hint, "pubblicato dal %s, l'atto avrebbe %s di ritardo: %s il %s, va pubblicato entro il %s",
				dal.Italian(), ritardo, what, from.Italian(), due.Italian()))
			return
		}
		out = append(out, diag.Warn(CodeLate, a.Path, a.Line("dal"), hint, "atto %s pubblicato il %s con %s di ritardo: %s il %s, andava pubblicato entro il %s",
			a.Registro.Italian(), dal.Italian(), ritardo, what, from.Italian(), due.Italian()))
	}
	if !a.Consegna.IsZero() {
		warn("consegna", a.Consegna, 1, msg.T("l'ufficio dell'albo pubblica entro 1 giorno lavorativo dalla consegna (tabella dei procedimenti, Segreteria)"), msg.T("consegnato all'albo"))
	}
	if days, ok := cfg.Termini[a.Tipo]; ok && !a.Data.IsZero() {
		warn("data", a.Data, days, msg.T("un atto di tipo %s si pubblica entro %s dalla sua data (termini in content/albo.yaml; non contano domeniche, festivi e, con calendario.sabato: festivo, i sabati)",
			cfg.Tipi[a.Tipo].Nome, msg.N(days, "%d giorno lavorativo", "%d giorni lavorativi")), msg.T("adottato"))
	}
	return out
}

// tender warns about a call for tenders or a tender's outcome that names neither its CIG
// nor its record of legal publicity: since 1/1/2024 that is the national database of
// public contracts (D.Lgs. 36/2023 art. 27), and inPA for recruitment.
func tender(cfg *config.Config, a *act.Act) *diag.Problem {
	t := cfg.Tipi[a.Tipo]
	if t == nil || !t.Regole.Gara || a.CIG != "" || a.PubblicitaLegale != "" {
		return nil
	}
	if t.Regole.Durata == config.DurataScadenza && !procurement(a.Oggetto) {
		return nil // a call for grants or for a stall at the market: no tender
	}
	return diag.Warn(CodeTender, a.Path, a.Line("tipo"),
		"aggiungi cig: (il codice della gara) e pubblicita_legale: (l'indirizzo della scheda nella Banca dati nazionale dei contratti pubblici, o su inPA per un concorso)",
		"%s senza cig né pubblicita_legale: dal 2024 la pubblicità legale delle gare è nella Banca dati nazionale dei contratti pubblici (D.Lgs. 36/2023, art. 27)", t.Nome)
}

// tenderWords are the words of the subject of a call that is a tender or a recruitment:
// a bando is also a call for grants or concessions, which have no CIG.
var tenderWords = []string{"gara", "appalto", "affidamento", "procedura aperta", "procedura negoziata", "procedura ristretta", "fornitura", "lavori",
	"concessione del servizio", "servizio di", "concorso", "selezione pubblica", "assunzione", "mobilità"}

// procurement reports whether a call's subject speaks of a tender or a recruitment.
func procurement(oggetto string) bool {
	o := strings.ToLower(oggetto)
	for _, w := range tenderWords {
		if strings.Contains(o, w) {
			return true
		}
	}
	return false
}

// replacements warns about the acts whose sostituisce names no act of the site, or an act
// that is not annulled: a correction is a new act plus the annulment of the old one.
func replacements(acts []*act.Act) diag.List {
	byReg := make(map[act.Registro]*act.Act, len(acts))
	for _, a := range acts {
		if !a.Draft() {
			byReg[a.Registro] = a
		}
	}
	var out diag.List
	for _, a := range acts {
		r := a.Sostituisce
		if r.IsZero() {
			continue
		}
		old, ok := byReg[r]
		switch {
		case !ok:
			out = append(out, diag.Warn(CodeReplace, a.Path, a.Line("sostituisce"), "scrivi il numero di registro dell'atto che questo corregge",
				"sostituisce %s: nessun atto del sito ha questo numero", r.Italian()))
		case old.Annullamento == nil:
			out = append(out, diag.Warn(CodeReplace, a.Path, a.Line("sostituisce"), msg.T("annulla l'atto corretto: albo annulla %s --motivo ...", r),
				"sostituisce %s, che non è annullato", r.Italian()))
		}
	}
	return out
}

// attachments checks an act's attachments before they are sealed and while they are
// published: a signature that is not intact is an error; a certificate not valid when it
// signed, or not from a trusted authority, a warning; marriage banns and changes of name
// without a signed file a warning (Ministry of the Interior, circ. 13/2011). In the text of
// every PDF (a signed envelope's content too) the personal-data detectors run page by
// page; a PDF without text is warned (a scan is not accessible), one that is not PDF/A
// gets an information line.
func attachments(cfg *config.Config, scan *privacy.Scanner, a *act.Act) diag.List {
	var out diag.List
	signed := false
	for _, al := range a.Allegati {
		at := func(level func(string, string, int, string, string, ...any) *diag.Problem, code, hint, format string, args ...any) {
			out = append(out, level(code, a.Path, al.Line, hint, "allegato %s: "+format, append([]any{al.File}, args...)...))
		}
		if f := al.Firma; f != nil {
			signed = signed || f.Intact()
			switch {
			case f.Problem != "":
				at(diag.Error, CodeSignature, "firma di nuovo il documento, o pubblica il file firmato com'è stato ricevuto", "la firma digitale non si può verificare: %s", f.Problem)
			default:
				for _, sg := range f.Signers {
					switch {
					case !sg.Intact:
						at(diag.Error, CodeSignature, "il file non è quello firmato: chiedi di nuovo il documento firmato a chi lo ha emesso", "firma di %s non integra: %s", sg.Name, sg.Problem)
					case !sg.Time.IsZero() && !sg.ValidAtSigning:
						at(diag.Warn, CodeSignature, "chiedi a chi ha firmato di firmare di nuovo con un certificato valido", "il certificato di %s non era valido alla data della firma (valido dal %s al %s)", sg.Name,
							sg.NotBefore.In(cfg.Location).Format("02/01/2006"), sg.NotAfter.In(cfg.Location).Format("02/01/2006"))
					case sg.Trust == firma.Untrusted:
						at(diag.Warn, CodeSignature, "se l'autorità è affidabile, aggiungi il suo certificato al file di firme.ancore in content/albo.yaml", "firma di %s: %s", sg.Name, sg.TrustProblem)
					}
				}
			}
		}
		out = append(out, documentText(scan, a, al)...)
	}
	if t := cfg.Tipi[a.Tipo]; t != nil && t.Regole.Firmato && !signed {
		out = append(out, diag.Warn(CodeSignature, a.Path, a.Line("tipo"), "allega l'atto firmato digitalmente (.p7m o PDF firmato): albo ne pubblica anche una copia leggibile",
			"%s senza un documento firmato digitalmente: la circolare del Ministero dell'Interno 13/2011 chiede che sia pubblicata firmata", t.Nome))
	}
	return out
}

// documentText scans the text of a PDF attachment, or of the PDF inside a signed
// envelope, for personal data, naming the page; and says when a PDF has no text, or is not
// PDF/A.
func documentText(scan *privacy.Scanner, a *act.Act, al act.Allegato) diag.List {
	name := al.File
	if firma.IsEnvelope(name) {
		name = firma.ContentName(name)
	}
	if !strings.EqualFold(path.Ext(name), ".pdf") {
		return nil
	}
	data, err := os.ReadFile(al.Path)
	if err != nil {
		return nil // reported when the act was read
	}
	if firma.IsEnvelope(al.File) {
		if data, err = firma.Content(data); err != nil {
			return nil // reported with the signature
		}
	}
	var out diag.List
	doc, err := documento.Read(data)
	if err != nil {
		return diag.List{diag.Info(CodeDocument, a.Path, al.Line, "controlla che il file sia un PDF valido e non protetto da password",
			"allegato %s: %v, e i suoi dati personali non si possono controllare", al.File, err)}
	}
	for i, text := range doc.Pages {
		for _, m := range scan.Scan(text) {
			out = append(out, diag.Warn(CodePersonal, a.Path, al.Line, "toglilo dal documento (o pubblica una versione con le parti riservate oscurate); se è dell'ente, aggiungilo a privacy.consentiti",
				"%s nell'allegato %s, pagina %d: %s", m.Kind, al.File, i+1, m.Value))
		}
	}
	if len(doc.Pages) > 0 && !doc.HasText() {
		out = append(out, diag.Warn(CodeDocument, a.Path, al.Line, "pubblica il PDF esportato dal programma di scrittura (o passato al riconoscimento del testo), non la scansione",
			"allegato %s: manca il testo: il documento non è accessibile (sembra una scansione; EN 301 549)", al.File))
	}
	if doc.PDFA == "" {
		out = append(out, diag.Info(CodeDocument, a.Path, al.Line, "", "allegato %s: non è in PDF/A, il formato che ANAC e le linee guida AgID preferiscono per la pubblicazione e la conservazione", al.File))
	}
	return out
}

// personal warns about personal data in the texts of an act that the albo shows: every
// key that reaches a page, and the body.
func personal(scan *privacy.Scanner, a *act.Act) diag.List {
	var out diag.List
	// report scans the text of key ("" for the body): an omissis hides data in the body;
	// a key is published as written, so there the data must go.
	report := func(key string, line int, text string) {
		for _, m := range scan.Scan(text) {
			l := line + strings.Count(text[:min(m.Offset, len(text))], "\n")
			if key == "" {
				out = append(out, diag.Warn(CodePersonal, a.Path, l,
					"toglilo, o nascondilo come omissis: ||...||; se è dell'ente, aggiungilo a privacy.consentiti",
					"%s nel testo pubblicato: %s", m.Kind, m.Value))
				continue
			}
			out = append(out, diag.Warn(CodePersonal, a.Path, l,
				"toglilo: il valore di una chiave è pubblicato com'è, senza omissis; se è dell'ente, aggiungilo a privacy.consentiti",
				"%s in %s, che è pubblicato: %s", m.Kind, key, m.Value))
		}
	}
	for _, k := range []struct {
		key, text string
	}{{"oggetto", a.Oggetto}, {"ufficio", a.Ufficio}, {"responsabile", a.Responsabile}, {"ente", a.Ente}, {"numero", a.Numero},
		{"deposito", a.Deposito}, {"oggetto_archivio", a.OggettoArchivio}, {"richiedente", a.Richiedente}} {
		report(k.key, a.Line(k.key), k.text)
	}
	if p := a.Protocollo; p != nil {
		report("protocollo.numero", a.Line("protocollo"), p.Numero)
	}
	for _, al := range a.Allegati {
		report("titolo", al.Line, al.Titolo)
	}
	if n := a.Annullamento; n != nil {
		report("annullamento.motivo", a.Line("annullamento"), n.Motivo)
		report("annullamento.disposto_da", a.Line("annullamento"), n.DispostoDa)
		report("annullamento.provvedimento", a.Line("annullamento"), n.Provvedimento)
	}
	if a.Proroga != nil {
		report("proroga.motivo", a.Line("proroga"), a.Proroga.Motivo)
	}
	body, err := a.Markdown()
	if err != nil {
		return append(out, diag.At(a.Path, a.BodyLine, "", "%v", err))
	}
	report("", a.BodyLine, string(body))
	return out
}
