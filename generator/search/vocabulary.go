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
	ids := TermSet(Numbers(terms))
	slices.Sort(ids)
	return slices.Clip(slices.Compact(ids))
}

// Numbers numbers terms in the vocabulary, in their order: how a memo written by another
// process, with the vocabulary it had, finds its terms in this one's.
func Numbers(terms []string) []uint32 {
	ids := make([]uint32, len(terms))
	vocab.mu.Lock()
	for i, t := range terms {
		id, ok := vocab.ids[t]
		if !ok {
			id = uint32(len(vocab.terms))
			vocab.ids[t] = id
			vocab.terms = append(vocab.terms, t)
		}
		ids[i] = id
	}
	vocab.mu.Unlock()
	return ids
}

// Vocabulary returns the terms by their number, as far as every TermSet made so far.
func Vocabulary() []string { return words() }

// DocTermSet returns the terms a document is found by, numbered.
func DocTermSet(d Doc) TermSet { return NewTermSet(DocTerms(d)) }

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
