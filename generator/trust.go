package generator

import (
	"sort"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/diag"
	"github.com/borgoesempio/albo/generator/load"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/borgoesempio/albo/generator/validate"
)

// Codes of the problems only a build reports.
const (
	// CodeLastGood: a published act is built from its last good version.
	CodeLastGood = "ultima-versione-valida"
	// CodeMissing: the file of a published act is gone.
	CodeMissing = "file-mancante"
)

// known is the last good version of a published act: what a build falls back on when
// the act's file is now missing, unreadable, invalid or changed after sealing.
type known struct {
	Registro act.Registro
	Path     string
	Text     [32]byte
	read     func() (*act.Act, diag.List) // the act, read again
}

// trust decides what a build publishes from site, read with the problems probs, given the
// last good version of each published act (prev) and the day today (SPEC §4, "time never
// stops"):
//   - a valid act is published as it is;
//   - a draft with errors is left out, and its problems are only warnings;
//   - a published act whose file is broken, changed after sealing, or gone keeps its last
//     good version; one never built before is left out;
//   - a register number claimed by two files goes to the one that had it last time (or
//     to none, when none had it).
//
// It returns the site to publish and every problem, sorted.
func trust(site *load.Site, probs diag.List, c *validate.Checker, prev []known, today civil.Date) (*load.Site, diag.List) {
	probs = append(probs, c.Each(site)...)
	failed := map[string]bool{} // files with errors
	for _, p := range probs {
		if p.IsError() {
			failed[p.Path] = true
		}
	}
	prevByPath := map[string]known{}
	prevByReg := map[act.Registro]known{}
	for _, k := range prev {
		prevByPath[k.Path], prevByReg[k.Registro] = k, k
	}
	drafts := map[string]bool{}
	var valid []*act.Act
	claims := map[act.Registro][]*act.Act{}
	for _, a := range site.Acts {
		switch {
		case !failed[a.Path] && a.Draft():
			valid = append(valid, a)
		case !failed[a.Path]:
			claims[a.Registro] = append(claims[a.Registro], a)
		case a.Draft() && a.Valid("registro"):
			drafts[a.Path] = true
		}
	}
	for path, u := range site.Unread {
		if _, published := prevByPath[path]; u.Draft && !published {
			drafts[path] = true
		}
	}
	for _, p := range probs {
		if drafts[p.Path] {
			if p.IsError() {
				p.Level = diag.Avviso // a draft never holds the albo back
			}
		}
	}
	regs := make([]act.Registro, 0, len(claims))
	for r := range claims {
		regs = append(regs, r)
	}
	sort.Slice(regs, func(i, j int) bool { return regs[i].Less(regs[j]) })
	held := map[act.Registro]bool{}
	byPath := map[string]*act.Act{}
	for _, r := range regs {
		cs := claims[r]
		k, had := prevByReg[r]
		var win *act.Act
		switch {
		case had:
			for _, a := range cs {
				if a.Path == k.Path || (win == nil && a.Text == k.Text) { // the same file, or the same text moved
					win = a
				}
			}
		case len(cs) == 1:
			win = cs[0]
		}
		for _, a := range cs {
			if a == win {
				continue
			}
			other := k.Path
			if !had {
				other = cs[0].Path
				if a == cs[0] {
					other = cs[1].Path
				}
			}
			probs = append(probs, validate.Duplicate(a, other))
		}
		if win != nil {
			valid = append(valid, win)
			held[r] = true
			byPath[win.Path] = win
		}
	}
	for _, k := range prev {
		if held[k.Registro] {
			continue
		}
		a, ps := k.read()
		if a == nil || len(ps) > 0 {
			probs = append(probs, ps...)
			probs = append(probs, diag.At(k.Path, 0, "ripristina il file com'era quando fu pubblicato",
				"l'ultima versione valida dell'atto %s non si può più usare: l'atto non è sul sito", k.Registro.Italian()))
			continue
		}
		if ps := validate.Act(site, a); len(ps) > 0 {
			for _, p := range ps {
				p.Msg = "ultima versione valida dell'atto " + k.Registro.Italian() + ": " + p.Msg
			}
			probs = append(probs, ps...)
			continue
		}
		held[k.Registro] = true
		valid = append(valid, a)
		probs = append(probs, lastGood(site, a, k, byPath, today))
	}
	sort.Slice(valid, func(i, j int) bool {
		if valid[i].Path != valid[j].Path {
			return valid[i].Path < valid[j].Path
		}
		return valid[i].Registro.Less(valid[j].Registro)
	})
	out := *site
	out.Acts = valid
	probs.Sort()
	return &out, probs
}

// lastGood is the line that says a published act is built from its last good version:
// an error when its file is gone while it is published, else a note beside the file's
// own errors (or a warning, once the act has expired).
func lastGood(site *load.Site, a *act.Act, k known, byPath map[string]*act.Act, today civil.Date) *diag.Problem {
	t := site.Config.Tipi[a.Tipo]
	_, _, al, _ := schedule.Window(t, a, site.Interruzioni)
	until := "fino al " + al.Italian()
	if today.After(al) {
		until = "in archivio: la pubblicazione è terminata il " + al.Italian()
	}
	if other := byPath[k.Path]; other != nil {
		p := diag.At(k.Path, other.Line("registro"), "un numero di registro, una volta assegnato, non cambia: rimetti registro "+k.Registro.String(),
			"il file ora ha il numero %s, ma era pubblicato come %s: l'atto %s resta pubblicato com'era (%s)", other.Registro.Italian(), k.Registro.Italian(), k.Registro.Italian(), until)
		p.Code = CodeLastGood
		return p
	}
	if _, there := site.Unread[k.Path]; there || exists(site.Root, k.Path) {
		return diag.Warn(CodeLastGood, k.Path, 0, "", "l'atto %s resta pubblicato com'era nell'ultima costruzione riuscita (%s)", k.Registro.Italian(), until)
	}
	p := diag.At(k.Path, 0, "ripristina il file (dalla copia di sicurezza o con git), oppure, se l'atto va tolto, annullalo: un atto pubblicato non si toglie prima della scadenza",
		"il file dell'atto %s non c'è più: l'atto resta pubblicato com'era nell'ultima costruzione riuscita (%s)", k.Registro.Italian(), until)
	p.Code = CodeMissing
	if today.After(al) {
		p.Level = diag.Avviso
	}
	return p
}
