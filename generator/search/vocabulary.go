package search

import (
	"slices"
	"sync"
)

// TermSet is the terms of a document as numbers of the vocabulary, sorted, each once: a
// session keeps one per act, and numbers take a quarter of the room of strings, with
// nothing in them for the garbage collector to follow.
type TermSet []uint32

// NewTermSet numbers terms in the vocabulary.
func NewTermSet(terms []string) TermSet {
	s := scratch.Get().(*scratchSpace)
	defer scratch.Put(s)
	return s.termSet(terms)
}

// termSet numbers terms, in the space of s.
func (s *scratchSpace) termSet(terms []string) TermSet {
	s.ids = numbers(s.ids[:0], terms)
	slices.Sort(s.ids)
	return slices.Clone(TermSet(slices.Compact(s.ids))) // the room of the set, not of every word
}

// scratchSpace is what making a term set uses and gives back: the words of a document and
// their numbers, most of them repeated (a cold build of 10,000 acts allocated 75 MB of
// them for the collector).
type scratchSpace struct {
	terms []string
	ids   []uint32
}

var scratch = sync.Pool{New: func() any { return new(scratchSpace) }}

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

// DocTermSet returns the terms a document is found by, numbered.
func DocTermSet(d Doc) TermSet {
	s := scratch.Get().(*scratchSpace)
	defer scratch.Put(s)
	s.terms = appendDocTerms(s.terms[:0], d)
	set := s.termSet(s.terms)
	clear(s.terms) // the pool holds no words alive
	return set
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
