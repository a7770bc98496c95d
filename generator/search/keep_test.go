package search

import (
	"strings"
	"testing"
	"unsafe"
)

// TestVocabularyKeepsNoText: the terms the vocabulary learns from a text, and the words
// the analysis folds, are strings of their own, not pieces of the text: an act's body is a
// piece of its file, read whole, which they would keep to the end of the process (a cold
// build of 100,000 acts kept every act's file, 135 MB).
func TestVocabularyKeepsNoText(t *testing.T) {
	// Words no other test meets: in lower case, with capitals, and to be folded.
	b := []byte("zqvelomandrino Zqtarantolato zqcittàdella zqperequazionè")
	text := unsafe.String(&b[0], len(b))
	DocTermSet(Doc{Source: func() []string { return []string{text} }})
	lo, hi := uintptr(unsafe.Pointer(&b[0])), uintptr(unsafe.Pointer(&b[0]))+uintptr(len(b))
	inText := func(s string) bool {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		return len(s) > 0 && p >= lo && p < hi
	}
	learnt := 0
	for _, w := range Vocabulary() {
		if strings.HasPrefix(w, "zq") {
			learnt++
		}
		if inText(w) {
			t.Errorf("the vocabulary's term %.40q is a piece of the text", w)
		}
	}
	if learnt < 4 {
		t.Errorf("the vocabulary learnt %d of the text's 4 words", learnt)
	}
	stems.Range(func(k, v any) bool {
		if inText(k.(string)) || inText(v.(string)) {
			t.Errorf("the stem %q of %q is kept with a piece of the text", v, k)
		}
		return true
	})
	folded.Range(func(k, v any) bool {
		if inText(k.(string)) {
			t.Errorf("the folded word %q is a piece of the text", k)
		}
		for _, x := range v.([]string) {
			if inText(x) {
				t.Errorf("%q folded to %q, a piece of the text", k, x)
			}
		}
		return true
	})
}
