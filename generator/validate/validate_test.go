package validate

import (
	"testing"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/load"
)

// TestCheckerRemembersValidActs: a session's Checker does not check a valid act again,
// but always reports an invalid one, checks a new act, and applies the rules across acts.
func TestCheckerRemembersValidActs(t *testing.T) {
	cfg, err := config.Parse([]byte("ente: Comune di Prova\nurl: https://albo.example.it/\n"))
	if err != nil {
		t.Fatal(err)
	}
	dal, _ := civil.Parse("2026-11-20")
	good := &act.Act{Path: "content/a.md", Tipo: "avviso", Oggetto: "Avviso", Registro: act.Registro{Anno: 2026, Numero: 1}, Dal: dal}
	bad := &act.Act{Path: "content/b.md", Tipo: "avvisso", Oggetto: "Avviso", Registro: act.Registro{Anno: 2026, Numero: 2}, Dal: dal}
	var c Checker
	knows := func(a *act.Act) bool { _, ok := c.valid.Get(a); return ok }
	if err := c.Site(&load.Site{Config: cfg, Acts: []*act.Act{good}}); err != nil {
		t.Fatal(err)
	}
	if !knows(good) {
		t.Fatal("a valid act was not remembered")
	}
	for range 2 {
		if err := c.Site(&load.Site{Config: cfg, Acts: []*act.Act{good, bad}}); err == nil {
			t.Fatal("an unknown type was accepted")
		}
	}
	if knows(bad) {
		t.Error("an invalid act was remembered as valid")
	}
	dup := &act.Act{Path: "content/c.md", Tipo: "avviso", Oggetto: "Altro", Registro: act.Registro{Anno: 2026, Numero: 1}, Dal: dal}
	if err := c.Site(&load.Site{Config: cfg, Acts: []*act.Act{good, dup}}); err == nil {
		t.Error("a register number used twice was accepted")
	}
	other, _ := config.Parse([]byte("ente: Comune di Prova\nurl: https://albo.example.it/\n"))
	if c.Site(&load.Site{Config: other, Acts: []*act.Act{good}}); !knows(good) || knows(bad) || c.cfg != other {
		t.Error("another configuration did not check the acts again")
	}
}

// TestRequestDates: an act cannot reach the albo office, nor be requested, after its first
// day of publication, and cannot correct itself.
func TestRequestDates(t *testing.T) {
	cfg, err := config.Parse([]byte("ente: Comune di Prova\nurl: https://albo.example.it/\n"))
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) civil.Date { d, _ := civil.Parse(s); return d }
	base := func() *act.Act {
		return &act.Act{Path: "content/a.md", Tipo: "avviso", Oggetto: "Avviso", Registro: act.Registro{Anno: 2026, Numero: 5}, Dal: day("2026-11-20")}
	}
	site := &load.Site{Config: cfg}
	for _, c := range []struct {
		name string
		edit func(*act.Act)
		want string
	}{
		{"delivered after dal", func(a *act.Act) { a.Consegna = day("2026-11-21") }, "consegna (21/11/2026) è dopo dal (20/11/2026)"},
		{"requested after dal", func(a *act.Act) { a.Protocollo = &act.Protocollo{Numero: "1", Data: day("2026-11-22")} }, "protocollo.data (22/11/2026) è dopo dal (20/11/2026)"},
		{"corrects itself", func(a *act.Act) { a.Sostituisce = a.Registro }, "sostituisce 5/2026: è il numero di questo stesso atto"},
		{"all well", func(a *act.Act) {
			a.Consegna, a.Protocollo, a.Sostituisce = day("2026-11-19"), &act.Protocollo{Numero: "1", Data: day("2026-11-18")}, act.Registro{Anno: 2026, Numero: 4}
		}, ""},
	} {
		a := base()
		c.edit(a)
		probs := Act(site, a)
		switch {
		case c.want == "" && len(probs) > 0:
			t.Errorf("%s: %v", c.name, probs)
		case c.want != "" && (len(probs) != 1 || probs[0].Msg != c.want):
			t.Errorf("%s: %v, want %q", c.name, probs, c.want)
		}
	}
}
