// Package search builds the albo's client-side search index: Italian analysis (lower case,
// accents folded, elisions split, stop words dropped, Snowball stemming) of the acts in
// publication, split into small files so that the browser fetches only what a query needs.
package search

import (
	"strings"
	"unicode"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/italian"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// StopWords are the Italian words not indexed (after folding accents): articles,
// prepositions and their elided forms, pronouns, conjunctions, forms of essere and avere.
// The browser receives the same list in the index, so both sides drop the same words.
var StopWords = strings.Fields(`a ad al allo ai agli all agl alla alle con col coi da dal dallo dai dagli dall dagl
dalla dalle di del dello dei degli dell degl della delle in nel nello nei negli nell negl nella nelle su sul sullo
sui sugli sull sugl sulla sulle per tra fra il lo la i gli le un uno una un quest quell e ed o od ma se che chi cui
non ne ci vi si mi ti lui lei noi voi loro suo sua suoi sue nostro nostra nostri nostre questo questa questi queste
quello quella quelli quelle come anche piu gia ha hanno ho hai abbiamo avete sono sei siamo siete era erano essere
stato stata stati state`)

var stop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range StopWords {
		m[w] = true
	}
	return m
}()

var folder = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// Fold lowers a text and removes its accents: "Viabilità" → "viabilita".
func Fold(s string) string {
	out, _, err := transform.String(folder, strings.ToLower(s))
	if err != nil {
		return strings.ToLower(s)
	}
	return out
}

// Words splits a folded text into words: runs of letters and digits. An apostrophe
// separates an elided article or preposition from its word ("dell'accesso" → "dell",
// "accesso"), so it splits like any other separator.
func Words(folded string) []string {
	return strings.FieldsFunc(folded, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// Stem returns the Snowball Italian stem of a folded word.
func Stem(word string) string {
	env := snowballstem.NewEnv(word)
	italian.Stem(env)
	return env.Current()
}

// Terms analyses a text into the stems the index holds: folded, split, without stop
// words and one-letter words, stemmed.
func Terms(text string) []string {
	var out []string
	for _, w := range Words(Fold(text)) {
		if len([]rune(w)) < 2 || stop[w] {
			continue
		}
		out = append(out, Stem(w))
	}
	return out
}
