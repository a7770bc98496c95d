package config

import (
	"slices"
	"strings"
)

// Durata says how the last day of publication of an act of a type is found.
type Durata int

const (
	// DurataTipo: from the type's days (giorni), unless the act gives al or giorni.
	DurataTipo Durata = iota
	// DurataScadenza: al is required, and is the deadline (a call for tenders).
	DurataScadenza
	// DurataRichiesta: al or giorni is required, as the requesting body asks (another
	// body's act).
	DurataRichiesta
)

// Regole are the rules of a kind of act: what it must say to be published, how its last
// day is found, whether it is a deliberation, and the draft albo new writes for it. They
// are the one place that knows each kind's rules: load, validate, publish and new read
// them here.
type Regole struct {
	// Tipo is the built-in type these rules are of; "" for the strict default that a site
	// type of no known kind gets.
	Tipo string
	// Requisiti are the keys an act must have to be published (art. 21: the notice shows
	// the organ, the number and the date of the act).
	Requisiti []string
	// Deliberazione: the act is a deliberation, with an executability date, and may be
	// immediately executable.
	Deliberazione bool
	Durata        Durata
	// InVigore: the act enters into force the day after its last day of publication
	// (regolamenti, seed 003 art. 28).
	InVigore bool
	// Gara: a tender's act, whose legal publicity is the national database of public
	// contracts (D.Lgs. 36/2023 art. 27): albo check wants its cig or pubblicita_legale.
	Gara bool
	// Firmato: the act is published as a digitally signed file (marriage banns and changes
	// of name, Ministry of the Interior circ. 13/2011): albo check wants one.
	Firmato bool
	// Bozza are the keys of the draft albo new writes, in order, after tipo and oggetto.
	Bozza []Voce
}

// Voce is one key of a draft: its value ("" leaves it to fill in) and the comment that
// says what to write.
type Voce struct {
	Chiave, Valore, Commento string
}

// Builtin is a built-in type (SPEC §2).
type Builtin struct {
	Key  string
	Type Type
}

var (
	atto = []string{"numero", "data", "ufficio"}

	bozzaAtto = []Voce{
		{"numero", "", "numero dell'atto, tra virgolette"},
		{"data", "", "data dell'atto, AAAA-MM-GG"},
		{"ufficio", "", "ufficio che lo emana"},
		{"responsabile", "", "responsabile del procedimento"},
	}

	// strict is the default of a site type of no known kind: no fewer checks than any
	// built-in type of the acts section.
	strict = &Regole{Requisiti: atto, Bozza: bozzaAtto}
)

func bozzaDelibera(organo string) []Voce {
	return []Voce{
		{"numero", "", "numero della deliberazione, tra virgolette: \"45\""},
		{"data", "", "data di adozione, AAAA-MM-GG"},
		{"ufficio", organo, "organo che l'ha adottata"},
		{"responsabile", "", "responsabile del procedimento"},
		{"immediatamente_eseguibile", "false", "true se dichiarata immediatamente eseguibile"},
	}
}

func regole(tipo string, r Regole) *Regole {
	r.Tipo = tipo
	return &r
}

func builtin(key, nome string, giorni int, r Regole) Builtin {
	return Builtin{Key: key, Type: Type{Key: key, Nome: nome, Giorni: giorni, Sezione: SezioneAtti, Feed: true, Archivio: true, Regole: regole(key, r)}}
}

// Builtins are the built-in types of SPEC §2, with their rules.
var Builtins = []Builtin{
	builtin("delibera-consiglio", "Deliberazione del Consiglio comunale", 15, Regole{Requisiti: atto, Deliberazione: true, Bozza: bozzaDelibera("Consiglio comunale")}),
	builtin("delibera-giunta", "Deliberazione della Giunta comunale", 15, Regole{Requisiti: atto, Deliberazione: true, Bozza: bozzaDelibera("Giunta comunale")}),
	builtin("determinazione", "Determinazione dirigenziale", 15, Regole{Requisiti: atto, Bozza: bozzaAtto}),
	builtin("ordinanza", "Ordinanza", 15, Regole{Requisiti: atto, Bozza: bozzaAtto}),
	builtin("decreto", "Decreto", 15, Regole{Requisiti: atto, Bozza: bozzaAtto}),
	builtin("avviso", "Avviso", 15, Regole{Bozza: bozzaAtto}),
	builtin("avviso-deposito", "Avviso di deposito", 15, Regole{Requisiti: []string{"numero", "data", "ufficio", "deposito"}, Bozza: []Voce{
		{"numero", "", "numero dell'atto depositato, tra virgolette"},
		{"data", "", "data dell'atto depositato, AAAA-MM-GG"},
		{"ufficio", "", "organo che ha emanato l'atto"},
		{"deposito", "", "ufficio, indirizzo e orari dove l'atto è consultabile (art. 21)"},
	}}),
	builtin("bando", "Bando (concorso, gara, contributi)", 0, Regole{Durata: DurataScadenza, Gara: true, Bozza: []Voce{
		{"al", "", "scadenza: ultimo giorno di pubblicazione, AAAA-MM-GG"},
		{"numero", "", "numero del bando, tra virgolette"},
		{"data", "", "data del bando, AAAA-MM-GG"},
		{"ufficio", "", "ufficio che lo emana"},
		{"responsabile", "", "responsabile del procedimento"},
	}}),
	builtin("esito-gara", "Esito di gara", 15, Regole{Gara: true, Bozza: append(slices.Clip(bozzaAtto), Voce{"cig", "", "CIG della gara, 10 caratteri"},
		Voce{"pubblicita_legale", "", "indirizzo della scheda nella Banca dati nazionale dei contratti pubblici"})}),
	builtin("permesso-costruire", "Permesso di costruire", 15, Regole{Requisiti: atto, Bozza: bozzaAtto}),
	builtin("cambio-nome", "Cambio del nome o cognome", 30, Regole{Firmato: true, Bozza: bozzaAtto}),
	builtin("atto-esterno", "Atto di altro ente", 0, Regole{Requisiti: []string{"ente"}, Durata: DurataRichiesta, Bozza: []Voce{
		{"ente", "", "ente che chiede la pubblicazione"},
		{"numero", "", "numero dell'atto, tra virgolette"},
		{"data", "", "data dell'atto, AAAA-MM-GG"},
		{"ufficio", "", "ufficio dell'ente"},
		{"giorni", "", "giorni di pubblicazione richiesti (oppure al: AAAA-MM-GG)"},
	}}),
	{Key: "matrimonio", Type: Type{Key: "matrimonio", Nome: "Pubblicazione di matrimonio", Giorni: 8, Sezione: SezioneMatrimoni, Conteggio: Escluso,
		Regole: regole("matrimonio", Regole{Firmato: true, Bozza: []Voce{
			{"numero", "", "numero della pubblicazione nel registro dello stato civile"},
			{"data", "", "data della richiesta, AAAA-MM-GG"},
			{"ufficio", "Servizi Demografici", "ufficio"},
		}})}},
	builtin("regolamento", "Regolamento comunale", 15, Regole{Requisiti: atto, InVigore: true, Bozza: []Voce{
		{"numero", "", "numero della deliberazione di approvazione, tra virgolette"},
		{"data", "", "data della deliberazione di approvazione, AAAA-MM-GG"},
		{"ufficio", "Consiglio comunale", "organo che lo ha approvato"},
		{"responsabile", "", "responsabile del procedimento"},
	}}),
}

// RulesFor returns the rules of a type the site adds under tipi: those of its closest
// built-in kind, or the strict default. The kind is the section for the marriage section,
// else the built-in types that share the key's first word (ordinanza-sindacale is an
// ordinanza, delibera-commissario a deliberation); a type of no known kind gets the rules
// of the strictest acts (numero, data and ufficio required), never fewer checks than a
// built-in type.
func RulesFor(key, sezione string) *Regole {
	if sezione == SezioneMatrimoni {
		return builtinRules("matrimonio")
	}
	word, _, _ := strings.Cut(key, "-")
	for _, b := range Builtins {
		if w, _, _ := strings.Cut(b.Key, "-"); w == word && b.Type.Sezione == SezioneAtti {
			r := *b.Type.Regole
			if r.Deliberazione {
				r.Bozza = bozzaDelibera("") // the organ of another kind of deliberation
			}
			return &r
		}
	}
	return strict
}

func builtinRules(key string) *Regole {
	for _, b := range Builtins {
		if b.Key == key {
			return b.Type.Regole
		}
	}
	panic("config: no built-in type " + key)
}
