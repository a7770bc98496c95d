package e2e

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestSearch types queries into the search page of the sample albo on 23/11/2026.
func TestSearch(t *testing.T) {
	url := site(t, filepath.Join("..", ".."), "2026-11-23")
	ctx := browser(t, 1280, 900)
	tests := []struct {
		name, query  string
		setup        string // JavaScript run before typing: filters
		status       string
		want, absent []string
	}{
		{name: "a word, Italian forms", query: "ordinanze", status: "atti trovati",
			want: []string{"Nuova regolamentazione dell'accesso dei cittadini agli uffici comunali", "Chiusura del ponte sul torrente Gravina per verifiche strutturali"}},
		{name: "accents folded", query: "viabilita", status: "trovat", want: []string{"Disciplina temporanea della viabilità in corso Vittorio Emanuele per lavori all'acquedotto"}},
		{name: "prefix of the word being typed", query: "illumin", status: "Un atto trovato.", want: []string{"Esito della gara per la riqualificazione dell'illuminazione pubblica a LED"}},
		{name: "two words", query: "mensa tariffe", status: "Un atto trovato.", want: []string{"Determinazione delle tariffe del servizio di mensa scolastica per l'anno scolastico 2026/2027"}},
		{name: "register number", query: "15/2026", status: "Un atto trovato.", want: []string{"Nuova regolamentazione dell'accesso dei cittadini agli uffici comunali"}},
		{name: "register number, year first", query: "2026/15", status: "Un atto trovato.", want: []string{"Nuova regolamentazione dell'accesso dei cittadini agli uffici comunali"}},
		{name: "act number", query: "470", status: "trovat", want: []string{"Liquidazione della fattura per il servizio di pulizia degli uffici, ottobre 2026 (sostituisce la n. 463)"}},
		{name: "filter by type", query: "comunali", setup: `sel("tipo", "Decreto")`, status: "Un atto trovato.",
			want: []string{"Orari di apertura al pubblico degli uffici comunali dal 1° dicembre 2026"}, absent: []string{"Nuova regolamentazione dell'accesso dei cittadini agli uffici comunali"}},
		{name: "filter by office", query: "", setup: `sel("ufficio", "Polizia Locale")`, status: "2 atti trovati.",
			want: []string{"Ordinanza di cessazione di attività rumorosa in via delle Mura", "Disciplina temporanea della viabilità in corso Vittorio Emanuele per lavori all'acquedotto"}},
		{name: "filter by office and word", query: "rumorosa", setup: `sel("ufficio", "Polizia Locale")`, status: "Un atto trovato.",
			want: []string{"Ordinanza di cessazione di attività rumorosa in via delle Mura"}},
		{name: "filter by date", query: "", setup: `document.getElementById("dal").value = "2026-11-23"; document.getElementById("al").value = "2026-11-23"`, status: "2 atti trovati.",
			want: []string{"TARI 2026: scadenza della seconda rata il 16 dicembre", "Approvazione del piano neve e ghiaccio per l'inverno 2026/2027"}},
		{name: "the responsible officer", query: "Verdi", status: "trovat", want: []string{"Regolamento per la concessione in uso delle sale civiche comunali"}},
		{name: "the reason of an annulment", query: "rifare", status: "trovat", want: []string{"Concessione di loculi cimiteriali: approvazione della graduatoria delle domande"}},
		{name: "the decision of an annulment", query: "autotutela", status: "Un atto trovato.", want: []string{"Concessione di loculi cimiteriali: approvazione della graduatoria delle domande"}},
		{name: "the reason of an extension", query: "manutenzione", status: "trovat", want: []string{"Raccolta differenziata: nuovo calendario di ritiro nelle frazioni"}},
		{name: "a number is never a prefix", query: "202", status: "Nessun atto in pubblicazione corrisponde alla ricerca."}, // not 2026, of every act
		{name: "two letters that no act has", query: "qz", status: "Nessun atto in pubblicazione corrisponde alla ricerca."},
		{name: "nothing unpublished: scheduled", query: "convocazione", status: "Nessun atto in pubblicazione corrisponde alla ricerca."},
		{name: "nothing unpublished: omissis", query: "carbone", status: "Nessun atto in pubblicazione corrisponde alla ricerca."},
		{name: "no result", query: "astronave", status: "Nessun atto in pubblicazione corrisponde alla ricerca."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			setup := tt.setup
			if setup == "" {
				setup = "0"
			}
			do(t, ctx, chromedp.Navigate(url+"/cerca/"), chromedp.WaitVisible(chromedp.ID("q")))
			waitFor(t, ctx, `document.getElementById("tipo").options.length > 1`)
			run(t, ctx, chromedp.Evaluate[bool](`function sel(id, label) { const s = document.getElementById(id); for (const o of s.options) if (o.text === label) s.value = o.value; s.dispatchEvent(new Event("input")); }; `+setup+`; true`))
			do(t, ctx, chromedp.SendKeys(chromedp.ID("q"), tt.query))
			run(t, ctx, chromedp.Evaluate[bool](`document.getElementById("q").dispatchEvent(new Event("input")); true`))
			waitFor(t, ctx, `document.getElementById("stato").textContent.length > 0 && !document.getElementById("stato").textContent.startsWith("Scrivi")`)
			do(t, ctx, chromedp.Sleep(400*time.Millisecond))
			status := run(t, ctx, chromedp.Text(chromedp.ID("stato")))
			subjects := run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#risultati a")].map(a => a.textContent)`))
			if !strings.Contains(status, tt.status) {
				t.Errorf("status %q, want it to contain %q (results: %q)", status, tt.status, subjects)
			}
			has := map[string]bool{}
			for _, s := range subjects {
				has[s] = true
			}
			for _, w := range tt.want {
				if !has[w] {
					t.Errorf("%q not among the results %q", w, subjects)
				}
			}
			for _, w := range tt.absent {
				if has[w] {
					t.Errorf("%q among the results, it should not be", w)
				}
			}
		})
	}
}

// TestSearchWithoutJavaScript checks what the search page says when JavaScript is off.
func TestSearchWithoutJavaScript(t *testing.T) {
	url := site(t, filepath.Join("..", ".."), "2026-11-23")
	ctx := browser(t, 1280, 900)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Navigate(url+"/cerca/"))
	message := run(t, ctx, chromedp.Text(chromedp.ID("nojs")))
	var formHidden bool
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
		t.Fatal(err)
	}
	// The form carries the hidden attribute in the HTML: without scripts nobody removes it.
	formHidden = run(t, ctx, chromedp.Evaluate[bool](`document.getElementById("cerca").hasAttribute("hidden")`))
	if !strings.Contains(message, "La ricerca richiede JavaScript") || !formHidden {
		t.Errorf("without JavaScript: message %q, form hidden %v", message, formHidden)
	}
}

// TestSearchInTheAddress: a search with filters opened from its address shows the same
// results; a filter chosen on the page goes into the address; the back button brings back
// the search before, with its results.
func TestSearchInTheAddress(t *testing.T) {
	url := site(t, filepath.Join("..", ".."), "2026-11-23")
	ctx := browser(t, 1280, 900)
	status := func() string {
		waitFor(t, ctx, `document.getElementById("stato").textContent.length > 0 && !document.getElementById("stato").textContent.startsWith("Scrivi")`)
		do(t, ctx, chromedp.Sleep(400*time.Millisecond))
		return run(t, ctx, chromedp.Text(chromedp.ID("stato")))
	}
	do(t, ctx, chromedp.Navigate(url+"/cerca/?q=comunali&tipo=decreto"), chromedp.WaitVisible(chromedp.ID("q")))
	if s := status(); !strings.Contains(s, "Un atto trovato.") {
		t.Errorf("opened from its address: %q", s)
	}
	if q := run(t, ctx, chromedp.Evaluate[string](`document.getElementById("q").value + "|" + document.getElementById("tipo").selectedOptions[0].text`)); q != "comunali|Decreto" {
		t.Errorf("the form shows %q", q)
	}
	run(t, ctx, chromedp.Evaluate[bool](`const s = document.getElementById("tipo"); s.value = ""; s.dispatchEvent(new Event("input")); true`))
	if s := status(); !strings.Contains(s, "atti trovati") {
		t.Errorf("without the filter: %q", s)
	}
	if loc := run(t, ctx, chromedp.Evaluate[string](`location.search`)); loc != "?q=comunali" {
		t.Errorf("the address after removing the filter is %q", loc)
	}
	run(t, ctx, chromedp.Evaluate[bool](`history.back(); true`))
	do(t, ctx, chromedp.Sleep(300*time.Millisecond))
	if s := status(); !strings.Contains(s, "Un atto trovato.") {
		t.Errorf("after the back button: %q", s)
	}
	if loc := run(t, ctx, chromedp.Evaluate[string](`location.search`)); loc != "?q=comunali&tipo=decreto" {
		t.Errorf("the address after the back button is %q", loc)
	}
}

// TestArchiveSearch: the archive is searched by the words of its subjects (as the archive
// shows them), filtered by year and type, and its results link nowhere (the acts have no
// page any more); the text of an expired act is not searchable.
func TestArchiveSearch(t *testing.T) {
	url := site(t, filepath.Join("..", ".."), "2026-11-23")
	ctx := browser(t, 1280, 900)
	for _, c := range []struct{ query, status, first string }{
		{"?q=mercato", "Un atto trovato.", "Spostamento temporaneo del mercato settimanale"},
		{"?anno=2026", "8 atti trovati.", ""},
		{"?q=corruzione&tipo=decreto", "Un atto trovato.", "Nomina del responsabile della prevenzione della corruzione e della trasparenza"},
		{"?q=astronave", "Nessun atto dell'archivio corrisponde alla ricerca.", ""},
	} {
		do(t, ctx, chromedp.Navigate(url+"/archivio/cerca/"+c.query), chromedp.WaitVisible(chromedp.ID("q")))
		waitFor(t, ctx, `document.getElementById("stato").textContent.length > 0`)
		do(t, ctx, chromedp.Sleep(300*time.Millisecond))
		status := run(t, ctx, chromedp.Text(chromedp.ID("stato")))
		first := run(t, ctx, chromedp.Evaluate[string](`(document.querySelector("#risultati .oggetto") || {}).textContent || ""`))
		links := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#risultati a").length`))
		if !strings.Contains(status, c.status) || c.first != "" && first != c.first || links != 0 {
			t.Errorf("%s: status %q, first %q, %d links", c.query, status, first, links)
		}
	}
}
