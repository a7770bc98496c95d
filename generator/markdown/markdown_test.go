package markdown

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/yuin/goldmark/testutil"
)

func TestCases(t *testing.T) {
	testutil.DoTestCaseFile(New(), "testdata/omissis.txt", t, testutil.ParseCliCaseArg()...)
}

func TestRedact(t *testing.T) {
	tests := []struct {
		name, in, want string
		errLine        int
	}{
		{"none", "testo semplice\n", "testo semplice\n", 0},
		{"one", "il sig. ||Mario Rossi|| residente", "il sig. ||omissis|| residente", 0},
		{"two lines", "nato a ||Bari\nil 1/1/1970|| ok", "nato a ||omissis|| ok", 0},
		{"in code", "`||segreto||`", "`||omissis||`", 0},
		{"table empty cell", "| a || b |\n", "| a || b |\n", 0},
		{"unclosed", "riga\nil sig. ||Mario Rossi\n\naltro", "", 2},
		{"unclosed at end", "||Mario", "", 1},
		{"closer with space", "||Mario ||", "", 1},
		{"three bars", "riga\nil sig. |||Mario Rossi|| residente", "", 2},
		{"four bars", "||||Mario||", "", 1},
		{"closer of none", "||a||Mario Rossi||", "", 1},
		{"three in a row", "||x||y||z||", "||omissis||y||omissis||", 0},
		{"three bars after", "||Mario Rossi|||", "", 1},
		{"three bars around", "|||Mario Rossi|||", "", 1},
		{"empty cells without spaces", "|||a|\n", "", 1},
		{"empty cells with spaces", "| | |a|\n", "| | |a|\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Redact([]byte(tt.in))
			if tt.errLine > 0 {
				var re *RedactError
				if !errors.As(err, &re) || re.Line != tt.errLine {
					t.Fatalf("Redact(%q) error = %v, want one at line %d", tt.in, err, tt.errLine)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Fatalf("Redact(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

// FuzzRedact checks that no text of a closed omissis survives redaction and rendering.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"a ||SEGRETO|| b", "||x||y||z||", "| a || b |", "`||SEGRETO||`", "||SEG\nRETO||", "[||SEGRETO||](u)", "|||SEGRETO||", "||0||SEGRETO||", "|||SEGRETO|||", "||SEGRETO||SEGRETO"} {
		f.Add(s)
	}
	c := NewConverter()
	f.Fuzz(func(t *testing.T, s string) {
		out, err := Redact([]byte(s))
		if err != nil {
			return
		}
		var b bytes.Buffer
		if err := c.Write(&b, out); err != nil {
			t.Fatal(err)
		}
		html := b.String()
		// SEGRETO written once, between bars: written again outside them ("||SEGRETO||SEGRETO")
		// it is text the clerk published.
		if strings.Count(s, "SEGRETO") == 1 && bytes.Contains([]byte(s), []byte("||SEGRETO||")) && strings.Contains(html, "SEGRETO") {
			t.Fatalf("omissis text leaked: %q -> %q", s, html)
		}
	})
}
