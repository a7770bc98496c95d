package search

import (
	"slices"
	"strings"
	"sync"
)

// TermSet is the terms of a document as numbers of the vocabulary, sorted, each once: a
// session keeps one per act, and numbers take a quarter of the room of strings, with
// nothing in them for the garbage collector to follow.
type TermSet []uint32

// NewTermSet numbers terms in the vocabulary.
func NewTermSet(terms []string) TermSet {
	s := getScratch()
	defer putScratch(s)
	s.ids = numbers(s.ids[:0], terms)
	return s.set()
}

// set is the term set of the numbers in s.ids.
func (s *scratchSpace) set() TermSet {
	slices.Sort(s.ids)
	return slices.Clone(TermSet(slices.Compact(s.ids))) // the room of the set, not of every word
}

// scratchSpace is what making a term set uses and gives back: the numbers of a
// document's words, most of them repeated (a cold build of 10,000 acts allocated 75 MB of
// them for the collector), and the numbers of the terms each word of a text gives, as it
// is written ("Comunale", "2026"): the analysis of a word (folded, stemmed, numbered) is
// made once, and an act's 300 words are each one look-up in a map no other goroutine
// touches.
type scratchSpace struct {
	ids   []uint32
	words map[string][]uint32
	// seen[id] is doc when the document being analysed has given the term id already: each
	// term goes into ids once, and the set is made by sorting a third of the numbers.
	seen []uint32
	doc  uint32
}

// add appends to s.ids those of ids the current document has not given before.
func (s *scratchSpace) add(ids []uint32) {
	for _, id := range ids {
		if int(id) >= len(s.seen) {
			s.seen = slices.Grow(s.seen, int(id)+1-len(s.seen))
			s.seen = s.seen[:cap(s.seen)]
		}
		if s.seen[id] != s.doc {
			s.seen[id] = s.doc
			s.ids = append(s.ids, id)
		}
	}
}

// next starts the analysis of a document.
func (s *scratchSpace) next() {
	s.ids = s.ids[:0]
	if s.doc++; s.doc == 0 { // once in 4 billion documents: what seen says is no longer true
		clear(s.seen)
		s.doc = 1
	}
}

// maxWords bounds the words a scratch space remembers (a long albo watch meets new ones
// at every save): past it, it forgets them all.
const maxWords = 1 << 17

// scratches are the scratch spaces not in use: as many as were ever used at once (one a
// core), kept whatever the collector does, with the words they know.
var scratches struct {
	mu   sync.Mutex
	free []*scratchSpace
}

func getScratch() *scratchSpace {
	scratches.mu.Lock()
	defer scratches.mu.Unlock()
	if n := len(scratches.free); n > 0 {
		s := scratches.free[n-1]
		scratches.free = scratches.free[:n-1]
		return s
	}
	return &scratchSpace{words: map[string][]uint32{}}
}

func putScratch(s *scratchSpace) {
	if len(s.words) > maxWords {
		clear(s.words)
	}
	scratches.mu.Lock()
	defer scratches.mu.Unlock()
	scratches.free = append(scratches.free, s)
}

// Numbers numbers terms in the vocabulary, in their order: how a memo written by another
// process, with the vocabulary it had, finds its terms in this one's.
func Numbers(terms []string) []uint32 { return numbers(make([]uint32, 0, len(terms)), terms) }

// numbers appends to ids the numbers of terms.
func numbers(ids []uint32, terms []string) []uint32 {
	ids = slices.Grow(ids, len(terms))[:len(ids)+len(terms)]
	at := ids[len(ids)-len(terms):]
	vocab.mu.Lock()
	for i, t := range terms {
		id, ok := vocab.ids[t]
		if !ok {
			// A term of its own, not a piece of the text it was met in (a word already in
			// lower case, or its stem), which the vocabulary would keep to the end of the
			// process: a cold build of 100,000 acts kept 135 MB of them, every act's file.
			t = strings.Clone(t)
			id = uint32(len(vocab.terms))
			vocab.ids[t] = id
			vocab.terms = append(vocab.terms, t)
		}
		at[i] = id
	}
	vocab.mu.Unlock()
	return ids
}

// Vocabulary returns the terms by their number, as far as every TermSet made so far.
func Vocabulary() []string { return words() }

// DocTermSet returns the terms a document is found by, numbered: those of DocTerms.
func DocTermSet(d Doc) TermSet {
	s := getScratch()
	defer putScratch(s)
	s.next()
	for _, text := range d.texts() {
		eachWord(text, func(w string) {
			ids, ok := s.words[w]
			if !ok {
				ids = numbers(nil, appendTerms(nil, w))
				s.words[strings.Clone(w)] = ids // not a piece of the act's text, which it would keep
			}
			s.add(ids)
		})
	}
	return s.set()
}

// vocab numbers every term met by the process. Its terms are never removed: an albo's
// vocabulary is small next to the number of words it holds.
var vocab = struct {
	mu    sync.Mutex
	ids   map[string]uint32
	terms []string // by number
}{ids: map[string]uint32{}}

// words returns the terms by their number, at least as far as every TermSet made so far:
// the slice is never changed, only grown, so it may be read without a lock.
func words() []string {
	vocab.mu.Lock()
	defer vocab.mu.Unlock()
	return vocab.terms
}
