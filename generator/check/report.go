package check

import "github.com/borgoesempio/albo/generator/diag"

// Report is the output of albo check --format json. Its fields are a stable, versioned
// format (documented in the README): add fields only, and change Versione if one must change.
type Report struct {
	Versione int       `json:"versione"` // 1
	Data     string    `json:"data"`     // the day checked, YYYY-MM-DD
	Errori   int       `json:"errori"`
	Avvisi   int       `json:"avvisi"`
	Problemi []Finding `json:"problemi"`
}

// Finding is one problem in a Report.
type Finding struct {
	File         string `json:"file"`                   // relative to the site
	Riga         int    `json:"riga"`                   // 0 when it concerns the whole file
	Livello      string `json:"livello"`                // "errore", "avviso" or "informazione"
	Codice       string `json:"codice"`                 // one of the Code… constants
	Messaggio    string `json:"messaggio"`              // what is wrong
	Suggerimento string `json:"suggerimento,omitempty"` // what to do
}

// NewReport builds the report of the problems found on day (YYYY-MM-DD).
func NewReport(probs diag.List, day string) Report {
	r := Report{Versione: 1, Data: day, Problemi: []Finding{}}
	for _, p := range probs {
		f := Finding{File: p.Path, Riga: p.Line, Livello: p.Level.String(), Codice: p.Code, Messaggio: p.Msg, Suggerimento: p.Hint}
		switch p.Level {
		case diag.Errore:
			r.Errori++
		case diag.Avviso:
			r.Avvisi++
		}
		r.Problemi = append(r.Problemi, f)
	}
	return r
}
