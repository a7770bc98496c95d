package check

import (
	"strings"
	"testing"

	"github.com/borgoesempio/albo/generator/act"
	"github.com/borgoesempio/albo/generator/civil"
	"github.com/borgoesempio/albo/generator/config"
	"github.com/borgoesempio/albo/generator/privacy"
)

func day(s string) civil.Date {
	d, err := civil.Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

func cfg(t *testing.T, extra string) *config.Config {
	t.Helper()
	c, err := config.Parse([]byte("ente: Comune di Prova\nurl: https://albo.prova.it/\n" + extra))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestLateWorkingDays: the terms of delivery (1 working day) and of the Giunta and the
// Council (10 and 20 from the act's date), late by 0, 1 and 2 working days across a
// weekend, Easter and 4 October 2026, for an office open six days and one open five.
func TestLateWorkingDays(t *testing.T) {
	six, five := cfg(t, ""), cfg(t, "calendario: {sabato: festivo, patrono: \"06-13\"}\n")
	for _, c := range []struct {
		name     string
		cfg      *config.Config
		tipo     string
		data     string // the act's date, or its delivery with consegna
		consegna bool
		dal      string
		want     string // "" for no warning
	}{
		{"delivered Friday, out Saturday", six, "avviso", "2026-11-20", true, "2026-11-21", ""},
		{"delivered Friday, out Monday", six, "avviso", "2026-11-20", true, "2026-11-23", "con 1 giorno lavorativo di ritardo: consegnato all'albo il 20/11/2026, andava pubblicato entro il 21/11/2026"},
		{"delivered Friday, out Tuesday", six, "avviso", "2026-11-20", true, "2026-11-24", "con 2 giorni lavorativi di ritardo"},
		{"five days: Friday to Monday", five, "avviso", "2026-11-20", true, "2026-11-23", ""},
		{"five days: Friday to Tuesday", five, "avviso", "2026-11-20", true, "2026-11-24", "con 1 giorno lavorativo di ritardo: consegnato all'albo il 20/11/2026, andava pubblicato entro il 23/11/2026"},
		{"five days: Friday to Wednesday", five, "avviso", "2026-11-20", true, "2026-11-25", "con 2 giorni lavorativi di ritardo"},
		{"Easter: Saturday to Tuesday", six, "avviso", "2026-04-04", true, "2026-04-07", ""},
		{"Easter: Saturday to Wednesday", six, "avviso", "2026-04-04", true, "2026-04-08", "con 1 giorno lavorativo di ritardo"},
		{"Easter: Saturday to Thursday", six, "avviso", "2026-04-04", true, "2026-04-09", "con 2 giorni lavorativi di ritardo"},
		{"4 October: Saturday to Monday", six, "avviso", "2026-10-03", true, "2026-10-05", ""},
		{"4 October: Saturday to Tuesday", six, "avviso", "2026-10-03", true, "2026-10-06", "con 1 giorno lavorativo di ritardo"},
		// 4 October 2026 is a Sunday: the holiday first moves a term in 2027, a Monday.
		{"4 October 2027: Saturday to Tuesday", six, "avviso", "2027-10-02", true, "2027-10-05", ""},
		{"4 October 2027: Saturday to Wednesday", six, "avviso", "2027-10-02", true, "2027-10-06", "con 1 giorno lavorativo di ritardo: consegnato all'albo il 02/10/2027, andava pubblicato entro il 05/10/2027"},
		{"patron saint: five days, Friday 12 June 2026 to Tuesday", five, "avviso", "2026-06-12", true, "2026-06-16", "con 1 giorno lavorativo di ritardo"},
		{"Giunta, 10 working days: on time", six, "delibera-giunta", "2026-11-18", false, "2026-11-30", ""},
		{"Giunta, 10 working days: 1 late", six, "delibera-giunta", "2026-11-18", false, "2026-12-01", "con 1 giorno lavorativo di ritardo: adottato il 18/11/2026, andava pubblicato entro il 30/11/2026"},
		{"Giunta, 10 working days: 2 late, over a Sunday", six, "delibera-giunta", "2026-11-20", false, "2026-12-04", "con 2 giorni lavorativi di ritardo"},
		{"Council, 20 working days over 8 December: on time", five, "delibera-consiglio", "2026-11-18", false, "2026-12-17", ""},
		{"Council, 20 working days over 8 December: 1 late", five, "delibera-consiglio", "2026-11-18", false, "2026-12-18", "con 1 giorno lavorativo di ritardo"},
		{"no term for a determinazione's date", six, "determinazione", "2026-01-01", false, "2026-11-23", ""},
	} {
		a := &act.Act{Path: "content/a.md", Tipo: c.tipo, Registro: act.Registro{Anno: 2026, Numero: 7}}
		if c.consegna {
			a.Consegna = day(c.data)
		} else {
			a.Data = day(c.data)
		}
		probs := late(c.cfg, a, day(c.dal))
		switch {
		case c.want == "" && len(probs) > 0:
			t.Errorf("%s: warned %v", c.name, probs)
		case c.want != "" && (len(probs) != 1 || !strings.Contains(probs[0].Msg, c.want)):
			t.Errorf("%s: got %v, want one warning with %q", c.name, probs, c.want)
		}
	}
}

// TestTender: a tender without CIG and legal-publicity link is warned; with either, not.
func TestTender(t *testing.T) {
	c := cfg(t, "")
	for _, tt := range []struct {
		a    act.Act
		warn bool
	}{
		{act.Act{Tipo: "bando", Oggetto: "Bando di gara per l'affidamento del servizio di trasporto scolastico"}, true},
		{act.Act{Tipo: "bando", Oggetto: "Concorso pubblico per un posto di istruttore amministrativo"}, true},
		{act.Act{Tipo: "bando", Oggetto: "Bando per i contributi alle associazioni sportive"}, false},
		{act.Act{Tipo: "esito-gara"}, true},
		{act.Act{Tipo: "esito-gara", CIG: "A0123456789"[:10]}, false},
		{act.Act{Tipo: "bando", PubblicitaLegale: "https://www.inpa.gov.it/bandi-e-avvisi/dettaglio-bando-avviso/?concorso_id=1"}, false},
		{act.Act{Tipo: "avviso"}, false},
	} {
		if got := tender(c, &tt.a) != nil; got != tt.warn {
			t.Errorf("tender(%+v) warned %v, want %v", tt.a, got, tt.warn)
		}
	}
}

// TestReplacements: sostituisce must name an act of the site, and an annulled one.
func TestReplacements(t *testing.T) {
	old := &act.Act{Path: "content/old.md", Registro: act.Registro{Anno: 2026, Numero: 26}}
	fix := &act.Act{Path: "content/fix.md", Registro: act.Registro{Anno: 2026, Numero: 30}, Sostituisce: old.Registro}
	lost := &act.Act{Path: "content/lost.md", Registro: act.Registro{Anno: 2026, Numero: 31}, Sostituisce: act.Registro{Anno: 2025, Numero: 9}}
	probs := replacements([]*act.Act{old, fix, lost})
	if len(probs) != 2 || !strings.Contains(probs[0].Msg, "sostituisce 26/2026, che non è annullato") || !strings.Contains(probs[1].Msg, "sostituisce 9/2025: nessun atto del sito ha questo numero") {
		t.Errorf("got %v", probs)
	}
	old.Annullamento = &act.Annullamento{Data: day("2026-11-25"), Motivo: "Errore materiale"}
	if probs := replacements([]*act.Act{old, fix}); len(probs) != 0 {
		t.Errorf("an annulled act replaced: %v", probs)
	}
}

// TestPersonalInNewKeys: the keys that reach the page since 01/12/2026 are scanned for
// personal data like the others: the requester, the protocol number, who ordered an
// annulment and by which decision.
func TestPersonalInNewKeys(t *testing.T) {
	scan := privacy.NewScanner(nil, nil)
	a := &act.Act{Path: "content/a.md", Richiedente: "Mario Rossi RSSMRA85T10A562S", Protocollo: &act.Protocollo{Numero: "mario.rossi@gmail.com"},
		Annullamento: &act.Annullamento{Motivo: "errore", DispostoDa: "tel. 333 1234567", Provvedimento: "IBAN IT60X0542811101000000123456"}}
	var all []string
	for _, p := range personal(scan, a) {
		all = append(all, p.Msg)
	}
	got := strings.Join(all, "\n")
	for _, w := range []string{"in richiedente", "in protocollo.numero", "in annullamento.disposto_da", "in annullamento.provvedimento"} {
		if !strings.Contains(got, w) {
			t.Errorf("no warning %s in:\n%s", w, got)
		}
	}
}

// TestSignedFileWanted: marriage banns and changes of name (the types whose rules say
// Firmato), and a site's types of their kinds, are warned without a signed file; other
// types are not.
func TestSignedFileWanted(t *testing.T) {
	c := cfg(t, "tipi:\n  cambio-cognome: {nome: Cambio del cognome, giorni: 30}\n  matrimonio-civile: {nome: Matrimonio civile, giorni: 8, sezione: matrimoni}\n")
	scan := privacy.NewScanner(nil, nil)
	for _, tt := range []struct {
		tipo string
		warn bool
	}{{"matrimonio", true}, {"cambio-nome", true}, {"cambio-cognome", true}, {"matrimonio-civile", true}, {"avviso", false}, {"delibera-giunta", false}} {
		a := &act.Act{Tipo: tt.tipo, Path: "content/x.md", Allegati: []act.Allegato{{File: "testo.txt"}}}
		got := false
		for _, p := range attachments(c, scan, a) {
			got = got || (p.Code == CodeSignature && strings.Contains(p.Error(), "senza un documento firmato digitalmente"))
		}
		if got != tt.warn {
			t.Errorf("%s without a signed file: warned %v, want %v", tt.tipo, got, tt.warn)
		}
	}
}
