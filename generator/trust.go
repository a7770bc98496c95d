package generator

import (
	"crypto/x509"
	"sort"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/diag"
	"github.com/borgoesempio/albo/generator/load"
	"github.com/borgoesempio/albo/generator/schedule"
	"github.com/borgoesempio/albo/generator/state"
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
// the act's file is now missing, unreadable, invalid or changed after sealing. It is the
// act itself (kept by a session) or a record of the state beside the output.
type known struct {
	Registro act.Registro
	Path     string
	Text     [32]byte
	act      *act.Act
	rec      *state.Record
	store    *state.Store
	root     string
}

// read returns the act, read again from the state if need be, its signed attachments
// verified against anchors.
func (k *known) read(anchors *x509.CertPool) (*act.Act, diag.List) {
	if k.act != nil {
		return k.act, nil
	}
	return k.store.Act(k.root, *k.rec, anchors)
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
// It returns the site to publish and every problem, sorted. When nothing is wrong it
// costs one look-up per act.
func trust(site *load.Site, probs diag.List, c *validate.Checker, prev []known, today civil.Date) (*load.Site, diag.List) {
	probs = append(probs, c.Each(site)...)
	failed := map[string]bool{} // files with errors
	for _, p := range probs {
		if p.IsError() {
			failed[p.Path] = true
		}
	}
	var prevByPath map[string]*known // made only when needed
	byPath := func(p string) *known {
		if prevByPath == nil {
			prevByPath = make(map[string]*known, len(prev))
			for i := range prev {
				prevByPath[prev[i].Path] = &prev[i]
			}
		}
		return prevByPath[p]
	}
	owner := make(map[act.Registro]*act.Act, len(site.Acts))
	var contested []act.Registro // numbers claimed by more than one valid file
	drafts := map[string]bool{}
	for _, a := range site.Acts {
		switch {
		case failed[a.Path]:
			if a.Draft() && a.Valid("registro") {
				drafts[a.Path] = true
			}
		case a.Draft():
		case owner[a.Registro] == nil:
			owner[a.Registro] = a
		case owner[a.Registro] != contestedAct:
			contested = append(contested, a.Registro)
			owner[a.Registro] = contestedAct
		}
	}
	for path, u := range site.Unread {
		if u.Draft && byPath(path) == nil {
			drafts[path] = true
		}
	}
	for _, p := range probs {
		if drafts[p.Path] && p.IsError() {
			p.Level = diag.Avviso // a draft never holds the albo back
		}
	}
	if len(contested) > 0 {
		prevByReg := make(map[act.Registro]*known, len(prev))
		for i := range prev {
			prevByReg[prev[i].Registro] = &prev[i]
		}
		for _, r := range contested {
			probs = append(probs, award(site, r, owner, prevByReg[r])...)
		}
	}
	valid := make([]*act.Act, 0, len(site.Acts))
	for _, a := range site.Acts {
		if !failed[a.Path] && (a.Draft() || owner[a.Registro] == a) {
			valid = append(valid, a)
		}
	}
	restored := false
	read := valid                  // the valid acts of the files, before any is restored
	var loaded map[string]*act.Act // the valid published acts by file, made only when needed
	inFile := func(path string) *act.Act {
		if loaded == nil {
			loaded = map[string]*act.Act{}
			for _, a := range read {
				if !a.Draft() {
					loaded[a.Path] = a
				}
			}
		}
		return loaded[path]
	}
	for i := range prev {
		k := &prev[i]
		if o := owner[k.Registro]; o != nil && o != contestedAct {
			continue
		}
		a, ps := k.read(site.Config.Ancore)
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
		owner[k.Registro] = a
		valid = append(valid, a)
		restored = true
		probs = append(probs, lastGood(site, a, k, inFile(k.Path), today))
	}
	if restored {
		sort.SliceStable(valid, func(i, j int) bool { return valid[i].Path < valid[j].Path })
	}
	out := *site
	out.Acts = valid
	probs.Sort()
	return &out, probs
}

// contestedAct marks, in trust's owners, a number that more than one valid file claims.
var contestedAct = &act.Act{}

// award gives the number r, claimed by more than one valid file of site, to the one that
// had it last time (k, the same file, or the same text moved), or to none when none had
// it; it reports every other claim.
func award(site *load.Site, r act.Registro, owner map[act.Registro]*act.Act, k *known) diag.List {
	var cs []*act.Act
	for _, a := range site.Acts {
		if a.Registro == r && !a.Draft() {
			cs = append(cs, a)
		}
	}
	var win *act.Act
	if k != nil {
		for _, a := range cs {
			if a.Path == k.Path || (win == nil && a.Text == k.Text) {
				win = a
			}
		}
	}
	var probs diag.List
	for _, a := range cs {
		if a == win {
			continue
		}
		other := cs[0].Path
		switch {
		case k != nil:
			other = k.Path
		case a == cs[0]:
			other = cs[1].Path
		}
		probs = append(probs, validate.Duplicate(a, other))
	}
	if win != nil {
		owner[r] = win
	}
	return probs
}

// lastGood is the line that says a published act is built from its last good version:
// an error when its file is gone while it is published, or now holds another valid act
// (other), else a note beside the file's own errors (or a warning, once the act has
// expired).
func lastGood(site *load.Site, a *act.Act, k *known, other *act.Act, today civil.Date) *diag.Problem {
	t := site.Config.Tipi[a.Tipo]
	_, _, al, _ := schedule.Window(t, a, site.Interruzioni)
	until := "fino al " + al.Italian()
	if today.After(al) {
		until = "in archivio: la pubblicazione è terminata il " + al.Italian()
	}
	if other != nil {
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
