// Package search builds the albo's client-side search index: Italian analysis (lower case,
// accents folded, elisions split, stop words dropped, Snowball stemming) of the acts in
// publication, split into small files so that the browser fetches only what a query needs.
package search

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

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

// Fold lowers a text and removes its accents: "Viabilità" → "viabilita".
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii { // nothing to unaccent: most of an act's words
		return strings.ToLower(s)
	}
	out, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), strings.ToLower(s))
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

// folded remembers how each word with letters beyond ASCII folds.
var folded sync.Map

// stems remembers the stem of every word met: an albo's vocabulary is small next to the
// number of words it holds. Each word and stem is its own string, never a piece of the
// text it was met in: a word already in lower case kept, as a key, the whole file of the
// act that brought it, for the life of the process (a cold build of 10,000 acts ended
// holding 3,004 of their files, 100,000 acts about 72 MB).
var stems sync.Map

// Stem returns the Snowball Italian stem of a folded word.
func Stem(word string) string {
	if s, ok := stems.Load(word); ok {
		return s.(string)
	}
	env := snowballstem.NewEnv(word)
	italian.Stem(env)
	s := strings.Clone(env.Current())
	stems.Store(strings.Clone(word), s)
	return s
}

// Terms analyses a text into the stems the index holds: folded, split, without stop
// words and one-letter words, stemmed. It gives what Words(Fold(text)) would, faster:
// it splits first (keeping combining accents inside words) and folds word by word.
func Terms(text string) []string { return appendTerms(nil, text) }

// appendTerms appends the terms of text to out.
func appendTerms(out []string, text string) []string {
	add := func(w string) {
		if len(w) < 2 || (len(w) < 4 && utf8.RuneCountInString(w) < 2) || stop[w] {
			return
		}
		out = append(out, Stem(w))
	}
	eachWord(text, func(w string) {
		if ascii(w) {
			add(lowerASCII(w))
		} else if f, ok := folded.Load(w); ok {
			for _, x := range f.([]string) {
				add(x)
			}
		} else {
			f := Words(Fold(w))               // of a string Fold made
			folded.Store(strings.Clone(w), f) // not a piece of the text: the map keeps it
			for _, x := range f {
				add(x)
			}
		}
	})
	return out
}

// eachWord calls f with each word of text as it is written: each run of letters, digits
// and combining marks (accents written apart), which analysis then lowers, folds and
// may split.
func eachWord(text string, f func(w string)) {
	start := -1
	for i := 0; i < len(text); {
		var inWord bool
		size := 1
		if c := text[i]; c < utf8.RuneSelf {
			inWord = asciiWord[c] // most of an act's text: no rune to decode
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			inWord = unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		}
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			f(text[start:i])
			start = -1
		}
		i += size
	}
	if start >= 0 {
		f(text[start:])
	}
}

// asciiWord tells the ASCII bytes that are part of words: letters and digits.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	return t
}()

// ascii reports whether w is ASCII.
func ascii(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// lowerASCII lowers an ASCII word, without allocating when it is already lower case.
func lowerASCII(w string) string {
	for i := 0; i < len(w); i++ {
		if w[i] >= 'A' && w[i] <= 'Z' {
			return strings.ToLower(w)
		}
	}
	return w
}
