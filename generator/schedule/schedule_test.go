package schedule

import (
	"crypto/sha256"
	"fmt"
	"math/rand"
	"slices"
	"testing"
	"time"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/load"
)

func mustConfig(t *testing.T, extra string) *config.Config {
	t.Helper()
	c, err := config.Parse([]byte("ente: Comune di Prova\nurl: https://albo.example.it/\n" + extra))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func d(s string) civil.Date {
	x, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return x
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestWindowAndState(t *testing.T) {
	tests := []struct {
		name      string
		config    string
		act       act.Act
		now       string
		wantAl    string
		wantState State
	}{
		{"first day at midnight", "", act.Act{Tipo: "avviso", Dal: d("2026-11-20")}, "2026-11-20T00:00:00+01:00", "2026-12-04", InPubblicazione},
		{"the instant before the first day", "", act.Act{Tipo: "avviso", Dal: d("2026-11-20")}, "2026-11-19T23:59:59+01:00", "2026-12-04", Programmato},
		{"last day, last second", "", act.Act{Tipo: "avviso", Dal: d("2026-11-20")}, "2026-12-04T23:59:59+01:00", "2026-12-04", InPubblicazione},
		{"midnight after the last day", "", act.Act{Tipo: "avviso", Dal: d("2026-11-20")}, "2026-12-05T00:00:00+01:00", "2026-12-04", Scaduto},
		{"now in UTC is already tomorrow in Rome", "", act.Act{Tipo: "avviso", Dal: d("2026-11-20")}, "2026-12-04T23:30:00Z", "2026-12-04", Scaduto},
		{"explicit al", "", act.Act{Tipo: "bando", Dal: d("2026-11-01"), Al: d("2026-11-30")}, "2026-11-30T12:00:00+01:00", "2026-11-30", InPubblicazione},
		{"giorni", "", act.Act{Tipo: "atto-esterno", Dal: d("2026-11-01"), Giorni: 30}, "2026-11-30T12:00:00+01:00", "2026-11-30", InPubblicazione},
		{"conteggio escluso for the site", "conteggio: escluso\n", act.Act{Tipo: "avviso", Dal: d("2026-11-20")}, "2026-12-05T12:00:00+01:00", "2026-12-05", InPubblicazione},
		{"matrimonio: 8 days, first excluded", "", act.Act{Tipo: "matrimonio", Dal: d("2026-11-20")}, "2026-11-28T23:00:00+01:00", "2026-11-28", InPubblicazione},
		{"cambio-nome: 30 days", "", act.Act{Tipo: "cambio-nome", Dal: d("2026-11-01")}, "2026-12-01T00:00:00+01:00", "2026-11-30", Scaduto},
		{"proroga extends", "", act.Act{Tipo: "avviso", Dal: d("2026-11-20"), Proroga: &act.Proroga{Al: d("2026-12-10")}}, "2026-12-07T00:00:00+01:00", "2026-12-10", InPubblicazione},
		{"type override", "tipi:\n  avviso: {giorni: 30}\n", act.Act{Tipo: "avviso", Dal: d("2026-11-01")}, "2026-11-30T12:00:00+01:00", "2026-11-30", InPubblicazione},
		// Daylight saving time in Europe/Rome, 2026: starts 29 March at 02:00, ends 25 October at 03:00.
		{"DST start: last day before the change", "", act.Act{Tipo: "avviso", Dal: d("2026-03-14")}, "2026-03-28T23:59:59+01:00", "2026-03-28", InPubblicazione},
		{"DST start: midnight of the change", "", act.Act{Tipo: "avviso", Dal: d("2026-03-14")}, "2026-03-29T00:00:00+01:00", "2026-03-28", Scaduto},
		{"DST start: first day on the change", "", act.Act{Tipo: "avviso", Dal: d("2026-03-29")}, "2026-03-29T00:00:00+01:00", "2026-04-12", InPubblicazione},
		{"DST end: last second of summer time day", "", act.Act{Tipo: "avviso", Dal: d("2026-10-10")}, "2026-10-24T23:59:59+02:00", "2026-10-24", InPubblicazione},
		{"DST end: midnight in summer time", "", act.Act{Tipo: "avviso", Dal: d("2026-10-10")}, "2026-10-25T00:00:00+02:00", "2026-10-24", Scaduto},
		{"DST end: the repeated hour is still the same day", "", act.Act{Tipo: "avviso", Dal: d("2026-10-11")}, "2026-10-25T02:30:00+01:00", "2026-10-25", InPubblicazione},
		{"29 February 2028, incluso", "", act.Act{Tipo: "avviso", Dal: d("2028-02-15")}, "2028-02-29T23:00:00+01:00", "2028-02-29", InPubblicazione},
		{"29 February 2028, escluso", "", act.Act{Tipo: "matrimonio", Dal: d("2028-02-21")}, "2028-03-01T00:00:00+01:00", "2028-02-29", Scaduto},
		{"turn of the year", "", act.Act{Tipo: "avviso", Dal: d("2026-12-20")}, "2027-01-03T23:59:59+01:00", "2027-01-03", InPubblicazione},
		{"turn of the year, after", "", act.Act{Tipo: "avviso", Dal: d("2026-12-20")}, "2027-01-04T00:00:00+01:00", "2027-01-03", Scaduto},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := mustConfig(t, tt.config)
			a := tt.act
			a.Registro = act.Registro{Anno: a.Dal.Year(), Numero: 1}
			p := Schedule(&load.Site{Config: cfg, Acts: []*act.Act{&a}}, at(tt.now))
			e := p.Entries[0]
			if e.Al.String() != tt.wantAl || e.State != tt.wantState {
				t.Errorf("al %s, %s; want al %s, %s", e.Al, e.State, tt.wantAl, tt.wantState)
			}
		})
	}
}

func TestDerivedDates(t *testing.T) {
	tests := []struct {
		name, config                 string
		act                          act.Act
		esecutiva, matrDal, matrLast string
	}{
		{"esecutivita inizio: dal + 10", "", act.Act{Tipo: "delibera-giunta", Dal: d("2026-11-20"), Data: d("2026-11-18")}, "2026-11-30", "", ""},
		{"esecutivita fine: the day after al", "esecutivita: fine\n", act.Act{Tipo: "delibera-consiglio", Dal: d("2026-11-20"), Data: d("2026-11-18")}, "2026-12-05", "", ""},
		{"esecutivita fine follows a proroga", "esecutivita: fine\n", act.Act{Tipo: "delibera-consiglio", Dal: d("2026-11-20"), Proroga: &act.Proroga{Al: d("2026-12-10")}}, "2026-12-11", "", ""},
		{"immediately executable: from its date", "", act.Act{Tipo: "delibera-giunta", Dal: d("2026-11-20"), Data: d("2026-11-18"), ImmediatamenteEseguibile: true}, "2026-11-18", "", ""},
		{"not a deliberation", "", act.Act{Tipo: "ordinanza", Dal: d("2026-11-20")}, "", "", ""},
		{"marriage: 4th day after al, lapse after 180", "", act.Act{Tipo: "matrimonio", Dal: d("2026-11-20")}, "", "2026-12-02", "2027-05-27"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := mustConfig(t, tt.config)
			a := tt.act
			a.Registro = act.Registro{Anno: 2026, Numero: 1}
			e := Schedule(&load.Site{Config: cfg, Acts: []*act.Act{&a}}, at("2026-11-23T10:00:00+01:00")).Entries[0]
			if got := [3]string{e.Esecutiva.String(), e.MatrimonioDal.String(), e.MatrimonioEntro.String()}; got != [3]string{tt.esecutiva, tt.matrDal, tt.matrLast} {
				t.Errorf("got %v, want %v", got, [3]string{tt.esecutiva, tt.matrDal, tt.matrLast})
			}
		})
	}
}

func TestNextBoundary(t *testing.T) {
	cfg := mustConfig(t, "")
	acts := []*act.Act{
		{Tipo: "avviso", Registro: act.Registro{Anno: 2026, Numero: 1}, Dal: d("2026-10-11")},                      // ends 2026-10-25
		{Tipo: "avviso", Registro: act.Registro{Anno: 2026, Numero: 2}, Dal: d("2026-11-01"), Al: d("2026-11-30")}, // starts later
		{Tipo: "avviso", Dal: d("2026-10-20")},                                                                     // a draft never counts
	}
	s := &load.Site{Config: cfg, Acts: acts}
	tests := []struct{ now, want string }{
		{"2026-10-20T12:00:00+02:00", "2026-10-26T00:00:00+01:00"}, // across the DST change
		{"2026-10-26T00:00:00+01:00", "2026-11-01T00:00:00+01:00"}, // a start
		{"2026-11-05T08:00:00+01:00", "2026-12-01T00:00:00+01:00"}, // an end, nothing due in between
		{"2026-12-01T00:00:00+01:00", ""},                          // nothing will change again
	}
	for _, tt := range tests {
		p := Schedule(s, at(tt.now))
		got := ""
		if !p.Next.IsZero() {
			got = p.Next.Format(time.RFC3339)
		}
		if got != tt.want {
			t.Errorf("at %s: next %q, want %q", tt.now, got, tt.want)
		}
	}
}

// TestSchedulerReusesEntries: a session's Scheduler gives the same entries for the same
// acts on the same day, and decides them again on another day or for a changed act.
func TestSchedulerReusesEntries(t *testing.T) {
	cfg := mustConfig(t, "")
	a := &act.Act{Tipo: "avviso", Registro: act.Registro{Anno: 2026, Numero: 1}, Dal: d("2026-11-20"), Al: d("2026-11-23")}
	b := &act.Act{Tipo: "avviso", Registro: act.Registro{Anno: 2026, Numero: 2}, Dal: d("2026-11-21"), Al: d("2026-11-30")}
	var sc Scheduler
	first := sc.Schedule(&load.Site{Config: cfg, Acts: []*act.Act{a, b}}, at("2026-11-23T10:00:00+01:00"))
	again := sc.Schedule(&load.Site{Config: cfg, Acts: []*act.Act{a, b}}, at("2026-11-23T18:00:00+01:00"))
	for i := range first.Entries {
		if first.Entries[i] != again.Entries[i] {
			t.Errorf("entry %d decided again on the same day", i)
		}
	}
	b2 := *b
	b2.Al = d("2026-11-22")
	changed := sc.Schedule(&load.Site{Config: cfg, Acts: []*act.Act{a, &b2}}, at("2026-11-23T18:00:00+01:00"))
	if changed.Entries[1].Act != a || changed.Entries[0].State != Scaduto {
		t.Errorf("a changed act kept its old entry: %v", changed.Entries[0].State)
	}
	next := sc.Schedule(&load.Site{Config: cfg, Acts: []*act.Act{a, &b2}}, at("2026-11-24T00:00:00+01:00"))
	for _, e := range next.Entries {
		if e.State != Scaduto {
			t.Errorf("on the next day %s is %v, want scaduto", e.Registro, e.State)
		}
	}
}

// TestAnnulmentTakesEffectOnItsDate: built before the date of an annulment the act is not
// annulled, and the next rebuild is due at 00:00 of that date; an annulment dated before
// the first day is a withdrawal, at every date.
func TestAnnulmentTakesEffectOnItsDate(t *testing.T) {
	cfg := mustConfig(t, "")
	a := &act.Act{Path: "a.md", Tipo: "avviso", Registro: act.Registro{Anno: 2026, Numero: 1}, Dal: d("2026-11-20"), Al: d("2026-12-31"),
		Annullamento: &act.Annullamento{Data: d("2026-12-05"), Motivo: "errore"}}
	w := &act.Act{Path: "w.md", Tipo: "avviso", Registro: act.Registro{Anno: 2026, Numero: 2}, Dal: d("2026-12-10"),
		Annullamento: &act.Annullamento{Data: d("2026-12-01"), Motivo: "ritiro"}}
	site := &load.Site{Config: cfg, Acts: []*act.Act{a, w}}
	before := Schedule(site, at("2026-12-04T12:00:00+01:00"))
	if e := before.Entries[1]; e.Annullato != nil || e.State != InPubblicazione {
		t.Errorf("before its date the act is annulled: %+v", e)
	}
	if want := at("2026-12-05T00:00:00+01:00"); !before.Next.Equal(want) {
		t.Errorf("next rebuild %v, want %v", before.Next, want)
	}
	if e := Schedule(site, at("2026-12-05T00:00:00+01:00")).Entries[1]; e.Annullato == nil {
		t.Error("from its date the act is not annulled")
	}
	for _, now := range []string{"2026-11-30T12:00:00+01:00", "2026-12-12T12:00:00+01:00", "2027-02-01T12:00:00+01:00"} {
		if e := Schedule(site, at(now)).Entries[0]; e.State != Ritirato || e.Annullato != nil {
			t.Errorf("%s: the withdrawn act is %v", now, e.State)
		}
	}
}

// TestCorrections: a correction and the act it corrects name each other once the
// correction is published, not while it is scheduled; a scheduler that kept the old act's
// entry links it again, with a new key, and unlinks it when the correction goes.
func TestCorrections(t *testing.T) {
	cfg := mustConfig(t, "")
	old := &act.Act{Path: "old.md", Tipo: "avviso", Registro: act.Registro{Anno: 2026, Numero: 26}, Dal: d("2026-11-18"), Al: d("2026-12-02"),
		Annullamento: &act.Annullamento{Data: d("2026-11-20"), Motivo: "errore"}, Digest: [32]byte{1}}
	fix := &act.Act{Path: "fix.md", Tipo: "avviso", Registro: act.Registro{Anno: 2026, Numero: 35}, Dal: d("2026-11-21"), Al: d("2026-12-05"),
		Sostituisce: old.Registro, Digest: [32]byte{2}}
	var sc Scheduler
	find := func(p *Plan, r int) *Entry {
		for _, e := range p.Entries {
			if e.Registro.Numero == r {
				return e
			}
		}
		t.Fatalf("no entry %d", r)
		return nil
	}
	site := &load.Site{Config: cfg, Acts: []*act.Act{old, fix}}
	before := sc.Schedule(site, at("2026-11-20T10:00:00+01:00"))
	if e := find(before, 26); e.SostituitoDa != nil {
		t.Errorf("the old act names a correction still scheduled: %v", e.SostituitoDa.Registro)
	}
	if e := find(before, 35); e.Sostituisce != find(before, 26) {
		t.Errorf("the correction does not link the act it corrects")
	}
	keyBefore := find(before, 26).Key
	after := sc.Schedule(site, at("2026-11-21T10:00:00+01:00"))
	if e := find(after, 26); e.SostituitoDa != find(after, 35) {
		t.Errorf("the old act does not name its published correction")
	}
	if find(after, 26).Key == keyBefore {
		t.Errorf("the old act's key did not change with its link")
	}
	later := sc.Schedule(site, at("2026-11-21T18:00:00+01:00"))
	linked := find(later, 26).Key
	gone := sc.Schedule(&load.Site{Config: cfg, Acts: []*act.Act{old}}, at("2026-11-21T19:00:00+01:00"))
	if e := find(gone, 26); e.SostituitoDa != nil || e.Key == linked {
		t.Errorf("the old act still names a correction no longer on the site")
	}
}

// TestInVigore: a regolamento is in force from the day after its last day, after the
// extensions; other types have no such date.
func TestInVigore(t *testing.T) {
	cfg := mustConfig(t, "")
	r := &act.Act{Path: "r.md", Tipo: "regolamento", Registro: act.Registro{Anno: 2026, Numero: 1}, Dal: d("2026-11-16")}
	o := &act.Act{Path: "o.md", Tipo: "ordinanza", Registro: act.Registro{Anno: 2026, Numero: 2}, Dal: d("2026-11-16")}
	site := &load.Site{Config: cfg, Acts: []*act.Act{r, o}, Interruzioni: []act.Interruzione{{Dal: d("2026-11-16"), Al: d("2026-11-16"), Motivo: "guasto"}}}
	for _, e := range Schedule(site, at("2026-11-20T10:00:00+01:00")).Entries {
		want := ""
		if e.Tipo == "regolamento" {
			want = "2026-12-02" // 16/11 + 15 days = 30/11, one more for the interruption
		}
		if got := e.InVigore.String(); got != want {
			t.Errorf("%s: in force from %q, want %q", e.Tipo, got, want)
		}
	}
}

// TestSchedulerOrder: a session's Scheduler, which gives the last plan's order again when
// every entry sorts as the one in its place did, orders every plan as a fresh Schedule
// does, through edits that keep the order, move an act, add and remove acts.
func TestSchedulerOrder(t *testing.T) {
	cfg := mustConfig(t, "")
	r := rand.New(rand.NewSource(1))
	var acts []*act.Act
	for i := range 60 {
		acts = append(acts, &act.Act{Path: fmt.Sprintf("content/%03d.md", i), Tipo: "avviso", Registro: act.Registro{Anno: 2026, Numero: 1 + r.Intn(40)},
			Dal: d("2026-11-01").AddDays(r.Intn(20)), Al: d("2026-12-31"), Digest: [32]byte{byte(i)}})
	}
	var sc Scheduler
	for step := range 200 {
		i := r.Intn(len(acts))
		switch c := *acts[i]; step % 4 {
		case 0: // an edit of the text: a new act, sorting as before
			c.Digest[1]++
			acts[i] = &c
		case 1: // another first day
			c.Dal = c.Dal.AddDays(r.Intn(5) - 2)
			acts[i] = &c
		case 2: // an act removed, another added
			acts = slices.Delete(acts, i, i+1)
			c.Path = fmt.Sprintf("content/n%03d.md", step)
			acts = append(acts, &c)
		}
		site := &load.Site{Config: cfg, Acts: slices.Clone(acts)}
		got := sc.Schedule(site, at("2026-11-23T10:00:00+01:00")).Entries
		want := Schedule(site, at("2026-11-23T10:00:00+01:00")).Entries
		for k := range want {
			if got[k].Path != want[k].Path {
				t.Fatalf("step %d, place %d: %s, a fresh schedule has %s", step, k, got[k].Path, want[k].Path)
			}
		}
	}
}

// printedKey is how Entry.Key was computed with fmt, before key appended its text itself:
// the two must give the same digest, so that no page memo is made stale by the change and
// every field still counts.
func printedKey(e *Entry) [32]byte {
	iso := func(d civil.Date) string { // as civil.Date's String was: time.Format
		if d.IsZero() {
			return ""
		}
		y, m, day := d.Date()
		return time.Date(y, m, day, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
	}
	h := sha256.New()
	h.Write(e.Act.Digest[:])
	tipo := ""
	if e.Type != nil {
		tipo = e.Type.Key
	}
	fmt.Fprintf(h, "\x00%d %s %s %s %s %s %t %s %s %s %s\x00", e.State, tipo, iso(e.Dal), iso(e.Al), iso(e.AlOriginale), iso(e.AlProroga), e.InArchivio,
		iso(e.Esecutiva), iso(e.MatrimonioDal), iso(e.MatrimonioEntro), iso(e.InVigore))
	for _, o := range []*Entry{e.Sostituisce, e.SostituitoDa} {
		if o != nil { // as act.Registro's String was
			fmt.Fprintf(h, "%d/%d %d %s\x00", o.Registro.Anno, o.Registro.Numero, o.State, o.Type.Key)
		} else {
			h.Write([]byte("-\x00"))
		}
	}
	for _, n := range []*act.Annullamento{e.Annullato, e.Ritiro} {
		if n != nil {
			fmt.Fprintf(h, "%s %q\x00", iso(n.Data), n.Motivo)
		} else {
			h.Write([]byte("-\x00"))
		}
	}
	for _, i := range e.Interruzioni {
		fmt.Fprintf(h, "%s %s %d %q\x00", iso(i.Dal), iso(i.Al), i.Giorni, i.Motivo)
	}
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// TestKeyIsPrintedKey: Entry.key gives printedKey's digest for entries with every field
// set or not, and a field changed changes the key.
func TestKeyIsPrintedKey(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	date := func() civil.Date {
		if r.Intn(3) == 0 {
			return civil.Date{}
		}
		return civil.New(2020+r.Intn(8), time.Month(1+r.Intn(12)), 1+r.Intn(28))
	}
	motivi := []string{"", "errore materiale", "«virgolette» e \"doppi\"\n a capo", "\x00\xff"}
	n := func() *act.Annullamento {
		if r.Intn(2) == 0 {
			return nil
		}
		return &act.Annullamento{Data: date(), Motivo: motivi[r.Intn(len(motivi))]}
	}
	tipi := []*config.Type{nil, {Key: "delibera-giunta"}, {Key: "ordinanza"}}
	other := func() *Entry {
		if r.Intn(2) == 0 {
			return nil
		}
		return &Entry{Act: &act.Act{Registro: act.Registro{Anno: 2026, Numero: 1 + r.Intn(999)}}, State: State(r.Intn(6)), Type: tipi[1+r.Intn(2)]}
	}
	seen := map[[32]byte]bool{}
	for range 2000 {
		a := &act.Act{}
		a.Digest[r.Intn(32)] = byte(r.Intn(256))
		e := &Entry{Act: a, Type: tipi[r.Intn(len(tipi))], Dal: date(), Al: date(), AlOriginale: date(), AlProroga: date(),
			State: State(r.Intn(6)), InArchivio: r.Intn(2) == 0, Annullato: n(), Ritiro: n(),
			Esecutiva: date(), InVigore: date(), MatrimonioDal: date(), MatrimonioEntro: date(),
			Sostituisce: other(), SostituitoDa: other()}
		for range r.Intn(3) {
			e.Interruzioni = append(e.Interruzioni, Estensione{Interruzione: act.Interruzione{Dal: date(), Al: date(), Motivo: motivi[r.Intn(len(motivi))]}, Giorni: r.Intn(9)})
		}
		k := e.key()
		if want := printedKey(e); k != want {
			t.Fatalf("key of %+v differs from the printed one", e)
		}
		seen[k] = true
	}
	if len(seen) < 1990 {
		t.Fatalf("only %d different keys of 2000 entries", len(seen))
	}
}
