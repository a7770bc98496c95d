package diag

import "testing"

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"Avviso \x1b[31mrosso\x1b[0m": "Avviso \uFFFD[31mrosso\uFFFD[0m",
		"titolo\x1b]0;pwned\x07":      "titolo\uFFFD]0;pwned\uFFFD",
		"riga 1\nriga 2\ttab":         "riga 1\nriga 2\ttab",
		"sopra\rscritto":              "sopra\uFFFDscritto",
		"c1 \u009b2J":                 "c1 \uFFFD2J",
		"àèìòù":                       "àèìòù",
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
	p := &Problem{Path: "content/x.md", Line: 3, Msg: "valore \x1b[2J"}
	if got := p.Error(); got != "content/x.md:3: valore \uFFFD[2J" {
		t.Errorf("a problem prints %q", got)
	}
}
