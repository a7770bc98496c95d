// Package validate applies the rules of the albo to loaded acts: required fields, known
// types, coherent dates, unique register numbers. It reports every problem at once.
package validate

import (
	"strings"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/diag"
	"github.com/borgoesempio/albo/generator/impronta"
	"github.com/borgoesempio/albo/generator/internal/memo"
	"github.com/borgoesempio/albo/generator/internal/yamlx"
	"github.com/borgoesempio/albo/generator/load"
	"github.com/borgoesempio/albo/generator/msg"
	"github.com/borgoesempio/albo/generator/register"
)

// Site checks every act of the site and the register as a whole.
func Site(s *load.Site) error { return (*Checker)(nil).Site(s) }

// Checker checks the sites of a session (albo watch and serve) again and again. An act
// found valid is not checked again while it is the same act (a changed file is read into
// a new one) under the same configuration; the rules across acts, such as unique
// register numbers, are always checked. Its zero value is ready; a nil Checker checks
// everything.
type Checker struct {
	cfg   *config.Config
	valid memo.Memo[*act.Act, bool]
}

// Site checks every act of the site and the register as a whole.
func (c *Checker) Site(s *load.Site) error {
	return append(c.Each(s), Duplicates(s.Acts)...).Err()
}

// Each checks every act of the site on its own: its keys, its dates, its seal. It
// returns the problems, each naming its act's file.
func (c *Checker) Each(s *load.Site) diag.List {
	var probs diag.List
	var reg *register.Register           // read only if an act was changed after publication
	var known *memo.Memo[*act.Act, bool] // nil remembers nothing
	if c != nil {
		if c.cfg != s.Config {
			c.cfg = s.Config
			c.valid.Reset()
		}
		known = &c.valid
	}
	for _, a := range s.Acts {
		_, valid := known.Get(a)
		if !valid {
			ps := Act(s, a)
			if p := sealProblem(s, a, &reg); p != nil {
				ps = append(ps, p)
			}
			probs = append(probs, ps...)
			valid = len(ps) == 0
		}
		if valid {
			known.Keep(a, true)
		}
	}
	known.Next()
	return probs
}

// Duplicates reports the register numbers used by more than one of acts, at each act
// after the first (in the order given).
func Duplicates(acts []*act.Act) diag.List {
	var probs diag.List
	seen := make(map[act.Registro]*act.Act, len(acts))
	for _, a := range acts {
		if a.Draft() {
			continue
		}
		if other, dup := seen[a.Registro]; dup {
			probs = append(probs, Duplicate(a, other.Path))
			continue
		}
		seen[a.Registro] = a
	}
	return probs
}

// Duplicate is the problem of an act whose register number belongs to the act at other.
func Duplicate(a *act.Act, other string) *diag.Problem {
	return coded("registro-duplicato", diag.At(a.Path, a.Line("registro"), "ogni atto ha il suo numero: il prossimo lo assegna albo pubblica",
		"il numero di registro %s è già dell'atto %s", a.Registro.Italian(), other))
}

// sealProblem checks a sealed act's impronta against the act as it is now, and names what
// changed when the register recorded the parts of the seal.
func sealProblem(s *load.Site, a *act.Act, reg **register.Register) *diag.Problem {
	if a.Impronta == "" || !a.Valid("impronta", "allegati") { // an attachment not read is reported as such
		return nil
	}
	line := a.Line("impronta")
	if !strings.HasPrefix(a.Impronta, impronta.Prefix) || len(a.Impronta) != len(impronta.Prefix)+64 {
		return coded("impronta", diag.At(a.Path, line, "la scrive albo pubblica: non modificarla a mano", "impronta %q non è un'impronta SHA-256", a.Impronta))
	}
	if a.Seal.Accepts(a.Impronta) {
		return nil
	}
	what := msg.T("sono cambiati il testo, i dati o gli allegati")
	if *reg == nil {
		*reg, _ = register.Read(s.Root)
	}
	if *reg != nil {
		if rec, ok := (*reg).Sigilli[a.Registro.String()]; ok && rec.Impronta == a.Impronta {
			if ch := impronta.Changes(rec.Parti, a.Seal.Parts); len(ch) > 0 {
				what = strings.Join(ch, ", ")
			}
		}
	}
	return coded("impronta", diag.At(a.Path, line, msg.T("un atto pubblicato non cambia: rimettilo com'era, poi pubblica la correzione come nuovo atto e annulla questo (albo annulla %s --motivo ...)", a.Registro.Italian()),
		"atto %s modificato dopo la pubblicazione: %s", a.Registro.Italian(), what))
}

func coded(code string, p *diag.Problem) *diag.Problem {
	p.Code = code
	return p
}

// Act checks one act against the site's configuration.
func Act(s *load.Site, a *act.Act) diag.List {
	var probs diag.List
	bad := func(key, hint, format string, args ...any) {
		probs = append(probs, diag.At(a.Path, a.Line(key), hint, format, args...))
	}
	cfg := s.Config
	if a.Tipo == "" && a.Valid("tipo") {
		bad("tipo", msg.T("aggiungi tipo: uno fra %s", strings.Join(cfg.TypeKeys(), ", ")), "manca tipo")
	}
	t := cfg.Tipi[a.Tipo]
	if t == nil && a.Tipo != "" && a.Valid("tipo") {
		hint := msg.T("usa uno dei tipi (albo help tipi) o aggiungilo sotto tipi: in content/albo.yaml")
		if c := yamlx.Closest(a.Tipo, cfg.TypeKeys()); c != "" {
			hint = msg.T("forse intendevi %q?", c)
		}
		bad("tipo", hint, "tipo %q sconosciuto", a.Tipo)
	}
	if a.Oggetto == "" && a.Valid("oggetto") {
		bad("oggetto", "aggiungi oggetto: l'argomento dell'atto, in parole semplici", "manca oggetto")
	}
	if !a.Al.IsZero() && a.Giorni != 0 {
		bad("giorni", "tieni al oppure giorni, non entrambi", "ci sono sia al sia giorni")
	}
	if !a.Dal.IsZero() && !a.Al.IsZero() && a.Al.Before(a.Dal) && a.Valid("dal", "al") {
		bad("al", "l'ultimo giorno di pubblicazione non può precedere il primo", "al (%s) precede dal (%s)", a.Al.Italian(), a.Dal.Italian())
	}
	if t != nil && a.ImmediatamenteEseguibile && !t.Deliberation() {
		bad("immediatamente_eseguibile", "toglilo: solo le deliberazioni possono essere immediatamente eseguibili", "immediatamente_eseguibile su un atto di tipo %s", t.Nome)
	}
	if t != nil && t.Marriage() && a.Archivio != nil && *a.Archivio {
		bad("archivio", "toglilo: le pubblicazioni di matrimonio non restano mai in archivio (art. 21, protezione dei dati)", "archivio: true su una pubblicazione di matrimonio")
	}
	if a.Draft() {
		if a.Annullamento != nil {
			bad("annullamento", "si annulla solo un atto pubblicato: una bozza si cancella", "annullamento su una bozza (senza registro)")
		}
		if a.Proroga != nil {
			bad("proroga", "si proroga solo un atto pubblicato", "proroga su una bozza (senza registro)")
		}
		return probs
	}
	if !a.Valid("registro", "dal", "al", "giorni", "proroga", "annullamento", "data") {
		return probs // the dates could not be read: their problems are already reported
	}
	if a.Dal.IsZero() {
		bad("registro", "aggiungi dal, il primo giorno di pubblicazione, o lascialo scrivere ad albo pubblica", "con registro serve dal")
		return probs
	}
	if a.Registro.Anno != a.Dal.Year() {
		bad("registro", "il numero di registro è dell'anno di dal", "il registro %s è dell'anno %d, ma dal è %s", a.Registro.Italian(), a.Registro.Anno, a.Dal.Italian())
	}
	if t == nil {
		return probs
	}
	al := a.Al
	if al.IsZero() {
		var ok bool
		if al, ok = t.LastDay(a.Dal, a.Giorni); !ok {
			bad("dal", msg.T("aggiungi %s", t.DurationNeeded()), "un atto di tipo %s non ha una durata predefinita: serve %s", t.Nome, t.DurationNeeded())
			return probs
		}
	}
	if p := a.Proroga; p != nil && !p.Al.After(al) {
		bad("proroga", msg.T("una proroga finisce dopo l'ultimo giorno attuale, il %s", al.Italian()), "proroga.al (%s) non prolunga la pubblicazione", p.Al.Italian())
	}
	if !a.Data.IsZero() && a.Data.After(a.Dal) {
		bad("data", "un atto si pubblica dopo averlo adottato: controlla le due date", "data (%s) è dopo dal (%s)", a.Data.Italian(), a.Dal.Italian())
	}
	if !a.Consegna.IsZero() && a.Valid("consegna") && a.Consegna.After(a.Dal) {
		bad("consegna", "consegna è il giorno in cui l'atto è arrivato all'ufficio dell'albo, prima di pubblicarlo", "consegna (%s) è dopo dal (%s)", a.Consegna.Italian(), a.Dal.Italian())
	}
	if p := a.Protocollo; p != nil && a.Valid("protocollo") && p.Data.After(a.Dal) {
		bad("protocollo", "la richiesta di pubblicazione precede la pubblicazione: controlla la data del protocollo", "protocollo.data (%s) è dopo dal (%s)", p.Data.Italian(), a.Dal.Italian())
	}
	if a.Sostituisce == a.Registro {
		bad("sostituisce", "scrivi il numero dell'atto che questo corregge, non il suo", "sostituisce %s: è il numero di questo stesso atto", a.Sostituisce.Italian())
	}
	return probs
}
