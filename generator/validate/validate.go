// Package validate applies the rules of the albo to loaded acts: required fields, known
// types, coherent dates, unique register numbers. It reports every problem at once.
package validate

import (
	"fmt"
	"strings"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/diag"
	"github.com/borgoesempio/albo/generator/impronta"
	"github.com/borgoesempio/albo/generator/internal/memo"
	"github.com/borgoesempio/albo/generator/internal/yamlx"
	"github.com/borgoesempio/albo/generator/load"
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
	return coded("registro-duplicato", diag.At(a.Path, a.Line("registro"), "each act needs its own number; use albo pubblica to assign the next one",
		"register number %s is already used by %s", a.Registro, other))
}

// sealProblem checks a sealed act's impronta against the act as it is now, and names what
// changed when the register recorded the parts of the seal.
func sealProblem(s *load.Site, a *act.Act, reg **register.Register) *diag.Problem {
	if a.Impronta == "" || !a.Valid("impronta", "allegati") { // an attachment not read is reported as such
		return nil
	}
	line := a.Line("impronta")
	if !strings.HasPrefix(a.Impronta, impronta.Prefix) || len(a.Impronta) != len(impronta.Prefix)+64 {
		return coded("impronta", diag.At(a.Path, line, "albo pubblica writes it: do not edit it by hand", "impronta %q is not a SHA-256 fingerprint", a.Impronta))
	}
	if a.Seal.Digest == a.Impronta {
		return nil
	}
	what := "its content or attachments changed"
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
	return coded("impronta", diag.At(a.Path, line, fmt.Sprintf("a published act cannot change: restore it as published, then publish a new act with the correction and annul this one (albo annulla %s --motivo ...)", a.Registro),
		"act %s modificato dopo la pubblicazione (changed after publication): %s", a.Registro, what))
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
		bad("tipo", "add tipo: one of "+strings.Join(cfg.TypeKeys(), ", "), "tipo is required")
	}
	t := cfg.Tipi[a.Tipo]
	if t == nil && a.Tipo != "" && a.Valid("tipo") {
		hint := "use one of the types of SPEC §2 or add it under tipi: in content/albo.yaml"
		if c := yamlx.Closest(a.Tipo, cfg.TypeKeys()); c != "" {
			hint = fmt.Sprintf("did you mean %q?", c)
		}
		bad("tipo", hint, "unknown type %q", a.Tipo)
	}
	if a.Oggetto == "" && a.Valid("oggetto") {
		bad("oggetto", "add oggetto: the subject of the act, in plain words", "oggetto is required")
	}
	if !a.Al.IsZero() && a.Giorni != 0 {
		bad("giorni", "keep either al or giorni", "both al and giorni are set")
	}
	if !a.Dal.IsZero() && !a.Al.IsZero() && a.Al.Before(a.Dal) && a.Valid("dal", "al") {
		bad("al", "the last day of publication cannot precede the first", "al (%s) is before dal (%s)", a.Al, a.Dal)
	}
	if t != nil && a.ImmediatamenteEseguibile && !t.Deliberation() {
		bad("immediatamente_eseguibile", "remove it: only deliberations can be immediately executable", "immediatamente_eseguibile on a %s", t.Nome)
	}
	if t != nil && t.Marriage() && a.Archivio != nil && *a.Archivio {
		bad("archivio", "remove it: marriage banns never stay in the archive (art. 21, privacy)", "archivio: true on marriage banns")
	}
	if a.Draft() {
		if a.Annullamento != nil {
			bad("annullamento", "only a published act can be annulled; delete the draft instead", "annullamento on a draft (no registro)")
		}
		if a.Proroga != nil {
			bad("proroga", "only a published act can be extended", "proroga on a draft (no registro)")
		}
		return probs
	}
	if !a.Valid("registro", "dal", "al", "giorni", "proroga", "annullamento", "data") {
		return probs // the dates could not be read: their problems are already reported
	}
	if a.Dal.IsZero() {
		bad("registro", "add dal: the first day of publication, or let albo pubblica set it", "dal is required with registro")
		return probs
	}
	if a.Registro.Anno != a.Dal.Year() {
		bad("registro", "the register number belongs to the year of dal", "registro %s is of year %d but dal is %s", a.Registro, a.Registro.Anno, a.Dal)
	}
	if t == nil {
		return probs
	}
	al := a.Al
	if al.IsZero() {
		var ok bool
		if al, ok = t.LastDay(a.Dal, a.Giorni); !ok {
			bad("dal", "add "+t.DurationNeeded(), "a %s has no default duration: %s is required", t.Nome, t.DurationNeeded())
			return probs
		}
	}
	if p := a.Proroga; p != nil && !p.Al.After(al) {
		bad("proroga", fmt.Sprintf("an extension must end after the current last day, %s", al), "proroga.al (%s) does not extend the publication", p.Al)
	}
	if !a.Data.IsZero() && a.Data.After(a.Dal) {
		bad("data", "an act is published after it is adopted; check both dates", "data (%s) is after dal (%s)", a.Data, a.Dal)
	}
	return probs
}
