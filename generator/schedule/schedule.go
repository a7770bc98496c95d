// Package schedule decides, for a given instant, the state of every act: its effective
// window, whether it is shown, archived or hidden, and its derived legal dates. It also
// finds the next instant at which that answer changes.
package schedule

import (
	"crypto/sha256"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/internal/memo"
	"github.com/borgoesempio/albo/generator/load"
)

// State is where an act is in its life.
type State int

// The states of SPEC §4.
const (
	Bozza State = iota
	Programmato
	InPubblicazione
	Scaduto
	Ritirato // withdrawn before its first day (SPEC §4): never on the site
)

// String returns the Italian name of the state, as in `albo list --stato`.
func (s State) String() string {
	return [...]string{"bozza", "programmato", "in pubblicazione", "scaduto", "ritirato"}[s]
}

// MarriageWait is the day after al on which a wedding may first take place: the 4th day
// after the publication is complete (codice civile, art. 99).
const MarriageWait = 4

// MarriageValidity is the number of days after the publication within which the wedding
// must take place, or the publication lapses (art. 99).
const MarriageValidity = 180

// DeliberationWait is the number of days after dal from which a deliberation is
// executable under esecutivita: inizio (TUEL art. 134 c. 3).
const DeliberationWait = 10

// Entry is an act with everything decided about it at the plan's instant.
type Entry struct {
	*act.Act
	Type *config.Type

	Dal, Al     civil.Date // effective window; Al includes any proroga and interruption
	AlOriginale civil.Date // last day before any proroga or interruption
	AlProroga   civil.Date // last day after the proroga, before interruptions; zero without proroga
	State       State
	InArchivio  bool // scaduto and listed, metadata only, in the archive

	// Annullato is the annulment in effect on the plan's day: an annulment takes effect
	// on its date, and before it the act is not annulled anywhere. Nil for a withdrawal.
	Annullato *act.Annullamento
	// Ritiro is the withdrawal of an act whose first day had not come (an annulment dated
	// before dal): the act is never on the site.
	Ritiro *act.Annullamento
	// Interruzioni are the interruptions of service that extended the window, each with
	// the days it added.
	Interruzioni []Estensione

	Esecutiva       civil.Date // deliberations: the day they take effect
	InVigore        civil.Date // regolamenti: the day after the last day (seed 003 art. 28)
	MatrimonioDal   civil.Date // marriage banns: the first day a wedding may take place
	MatrimonioEntro civil.Date // marriage banns: the last day before the publication lapses

	// Sostituisce is the entry of the act this one corrects (its sostituisce), when the
	// site has it; SostituitoDa the entry of the act that corrects this one, once that is
	// published (a correction still scheduled or withdrawn is named nowhere). Schedule sets
	// both, from the whole site.
	Sostituisce, SostituitoDa *Entry

	// Key is the digest of the act (its file and attachments, Digest) and of everything
	// above: what the act's page, its row in the lists, its search entry and its lines of
	// open data are made from, besides the site. The same file on another day may have
	// another state (annulled from its date, extended by an interruption, expired), and
	// so another key.
	Key [32]byte
}

// Estensione is an interruption of service within an act's window, and the days by which
// it moved the act's last day.
type Estensione struct {
	act.Interruzione
	Giorni int
}

// Plan is the albo at one instant.
type Plan struct {
	Config  *config.Config
	Now     time.Time
	Today   civil.Date
	Entries []*Entry // every act, newest first (dal, then register number, descending)

	// Next is the next instant after Now at which some act starts or ends; zero when no
	// act will ever change state again.
	Next time.Time
}

// Today returns the local date of now in the site's time zone.
func Today(cfg *config.Config, now time.Time) civil.Date { return civil.In(now, cfg.Location) }

// Schedule decides the state of every act of a valid site at now.
func Schedule(s *load.Site, now time.Time) *Plan { return (*Scheduler)(nil).Schedule(s, now) }

// Window returns the window of a published act of type t: its first day, its last day
// before and after the proroga, and its last day after the interruptions of service that
// fall in it (taken by first day; each moves the last day by its days inside the window,
// the window as the earlier ones left it).
func Window(t *config.Type, a *act.Act, interruzioni []act.Interruzione) (orig, proroga, al civil.Date, ext []Estensione) {
	orig = a.Al
	if orig.IsZero() {
		orig, _ = t.LastDay(a.Dal, a.Giorni)
	}
	al = orig
	if a.Proroga != nil {
		proroga, al = a.Proroga.Al, a.Proroga.Al
	}
	for _, i := range interruzioni {
		if n := i.Giorni(a.Dal, al); n > 0 {
			ext = append(ext, Estensione{Interruzione: i, Giorni: n})
			al = al.AddDays(n)
		}
	}
	return
}

// Scheduler schedules the sites of a session (albo watch and serve) again and again: an
// act's entry is decided once for each act, configuration and day, and the same entry is
// given again while none of them changes. Its zero value is ready; a nil Scheduler
// decides every entry anew.
type Scheduler struct {
	cfg     *config.Config
	today   civil.Date
	breaks  []act.Interruzione
	entries memo.Memo[*act.Act, *Entry]
	in      []*Entry // the last plan's entries, in the site's order
	at      []int    // where each of in is in the last plan, newest first
}

// Schedule decides the state of every act of a valid site at now.
func (sc *Scheduler) Schedule(s *load.Site, now time.Time) *Plan {
	cfg := s.Config
	p := &Plan{Config: cfg, Now: now, Today: Today(cfg, now), Entries: make([]*Entry, 0, len(s.Acts))}
	var known *memo.Memo[*act.Act, *Entry] // nil remembers nothing
	if sc != nil {
		if sc.cfg != cfg || sc.today != p.Today || !slices.Equal(sc.breaks, s.Interruzioni) {
			sc.cfg, sc.today, sc.breaks = cfg, p.Today, s.Interruzioni
			sc.entries.Reset()
		}
		known = &sc.entries
	}
	var nextDay civil.Date
	consider := func(d civil.Date) {
		if d.After(p.Today) && (nextDay.IsZero() || d.Before(nextDay)) {
			nextDay = d
		}
	}
	for _, a := range s.Acts {
		e, ok := known.Get(a)
		if !ok {
			e = entry(cfg, a, p.Today, s.Interruzioni)
		}
		known.Keep(a, e)
		p.Entries = append(p.Entries, e)
		if e.State == Programmato || e.State == InPubblicazione {
			consider(e.Dal)
			consider(e.Al.AddDays(1))
			if n := e.Act.Annullamento; n != nil && e.Ritiro == nil {
				consider(n.Data)
			}
		}
	}
	known.Next()
	link(p.Entries)
	p.Entries = sc.sorted(p.Entries)
	if !nextDay.IsZero() {
		p.Next = nextDay.Start(cfg.Location)
	}
	return p
}

// newestFirst orders entries by first day, then register number, descending; paths are
// unique, so the order is total and the same whatever the sort.
func newestFirst(a, b *Entry) int {
	switch {
	case a.Dal != b.Dal:
		return b.Dal.Sub(a.Dal)
	case a.Registro != b.Registro && b.Registro.Less(a.Registro):
		return -1
	case a.Registro != b.Registro:
		return 1
	}
	return strings.Compare(a.Path, b.Path)
}

// sorted returns entries, in the site's order, sorted newest first. A session's scheduler
// gives the last plan's order again when each entry sorts as the one in its place did
// (the same entry, or one of the same first day, number and path: an edited act): in
// albo watch, sorting 10,000 entries again took 2.5 ms of a rebuild for the order it had.
func (sc *Scheduler) sorted(entries []*Entry) []*Entry {
	if sc == nil {
		slices.SortFunc(entries, newestFirst)
		return entries
	}
	same := len(entries) == len(sc.in)
	for i := 0; same && i < len(entries); i++ {
		a, b := entries[i], sc.in[i]
		same = a == b || (a.Dal == b.Dal && a.Registro == b.Registro && a.Path == b.Path)
	}
	if !same {
		order := make([]int, len(entries)) // the site's places, newest first
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(i, j int) int { return newestFirst(entries[i], entries[j]) })
		sc.at = make([]int, len(entries))
		for k, i := range order {
			sc.at[i] = k
		}
	}
	out := make([]*Entry, len(entries))
	for i, e := range entries {
		out[sc.at[i]] = e
	}
	sc.in = entries
	return out
}

// link sets the corrections of entries, both ways (Entry.Sostituisce, SostituitoDa), and
// the key of every entry whose links changed: an entry kept from an earlier plan may link
// to an entry that is gone.
func link(entries []*Entry) {
	if !slices.ContainsFunc(entries, func(e *Entry) bool {
		return !e.Act.Sostituisce.IsZero() || e.Sostituisce != nil || e.SostituitoDa != nil
	}) {
		return // no correction, and no link left from an earlier plan: the usual case
	}
	byReg := make(map[act.Registro]*Entry, len(entries))
	for _, e := range entries {
		if !e.Draft() {
			byReg[e.Registro] = e
		}
	}
	type links struct{ to, by *Entry }
	want := map[*Entry]*links{}
	for _, e := range entries {
		if e.Draft() || e.Act.Sostituisce.IsZero() {
			continue
		}
		old := byReg[e.Act.Sostituisce]
		if old == nil || old == e {
			continue
		}
		l := want[e]
		if l == nil {
			l = &links{}
			want[e] = l
		}
		l.to = old
		if e.State == InPubblicazione || e.State == Scaduto {
			lo := want[old]
			if lo == nil {
				lo = &links{}
				want[old] = lo
			}
			if lo.by == nil || lo.by.Registro.Less(e.Registro) { // the latest correction
				lo.by = e
			}
		}
	}
	for _, e := range entries {
		l := want[e]
		if l == nil {
			l = &links{}
		}
		if e.Sostituisce != l.to || e.SostituitoDa != l.by {
			e.Sostituisce, e.SostituitoDa = l.to, l.by
			e.Key = e.key()
		}
	}
}

// entry decides one act.
func entry(cfg *config.Config, a *act.Act, today civil.Date, interruzioni []act.Interruzione) *Entry {
	t := cfg.Tipi[a.Tipo]
	e := &Entry{Act: a, Type: t, Dal: a.Dal}
	if a.Draft() {
		e.State = Bozza
		e.Key = e.key()
		return e
	}
	e.AlOriginale, e.AlProroga, e.Al, e.Interruzioni = Window(t, a, interruzioni)
	n := a.Annullamento
	switch {
	case n != nil && n.Data.Before(a.Dal):
		e.Ritiro = n
	case n != nil && !today.Before(n.Data):
		e.Annullato = n
	}
	switch {
	case e.Ritiro != nil:
		e.State = Ritirato
	case today.Before(e.Dal):
		e.State = Programmato
	case today.After(e.Al):
		e.State = Scaduto
		e.InArchivio = cfg.Archivio == config.ArchivioMetadati && t.Archivio && (a.Archivio == nil || *a.Archivio)
	default:
		e.State = InPubblicazione
	}
	if t.Deliberation() {
		switch {
		case a.ImmediatamenteEseguibile && !a.Data.IsZero():
			e.Esecutiva = a.Data
		case a.ImmediatamenteEseguibile:
			e.Esecutiva = a.Dal
		case cfg.Esecutivita == config.EsecutivitaFine:
			e.Esecutiva = e.Al.AddDays(1)
		default:
			e.Esecutiva = a.Dal.AddDays(DeliberationWait)
		}
	}
	if t.Regole.InVigore {
		e.InVigore = e.Al.AddDays(1)
	}
	if t.Marriage() {
		e.MatrimonioDal = e.Al.AddDays(MarriageWait)
		e.MatrimonioEntro = e.Al.AddDays(MarriageValidity)
	}
	e.Key = e.key()
	return e
}

// key computes Entry.Key. It is worked out for every act of every build, before anything
// is rendered: its text is appended to one buffer, not printed with fmt.
func (e *Entry) key() [32]byte {
	tipo := ""
	if e.Type != nil {
		tipo = e.Type.Key
	}
	b := make([]byte, 0, 256)
	b = append(b, e.Act.Digest[:]...)
	b = strconv.AppendInt(append(b, 0), int64(e.State), 10)
	b = append(append(b, ' '), tipo...)
	for _, d := range []civil.Date{e.Dal, e.Al, e.AlOriginale, e.AlProroga} {
		b = d.AppendISO(append(b, ' '))
	}
	b = strconv.AppendBool(append(b, ' '), e.InArchivio)
	for _, d := range []civil.Date{e.Esecutiva, e.MatrimonioDal, e.MatrimonioEntro, e.InVigore} {
		b = d.AppendISO(append(b, ' '))
	}
	b = append(b, 0)
	for _, o := range []*Entry{e.Sostituisce, e.SostituitoDa} {
		if o != nil { // its number, and whether and where it has a page
			b = o.Registro.AppendTo(b)
			b = strconv.AppendInt(append(b, ' '), int64(o.State), 10)
			b = append(append(b, ' '), o.Type.Key...)
		} else {
			b = append(b, '-')
		}
		b = append(b, 0)
	}
	for _, n := range []*act.Annullamento{e.Annullato, e.Ritiro} {
		if n != nil {
			b = strconv.AppendQuote(append(n.Data.AppendISO(b), ' '), n.Motivo)
		} else {
			b = append(b, '-')
		}
		b = append(b, 0)
	}
	for _, i := range e.Interruzioni {
		b = append(i.Al.AppendISO(append(i.Dal.AppendISO(b), ' ')), ' ')
		b = strconv.AppendInt(b, int64(i.Giorni), 10)
		b = append(strconv.AppendQuote(append(b, ' '), i.Motivo), 0)
	}
	return sha256.Sum256(b)
}
