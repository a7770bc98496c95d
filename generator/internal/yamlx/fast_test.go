package yamlx

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// fastTaken are front matters the fast reading takes; fastLeft, some it leaves to YAML.
var fastTaken = []string{
	"tipo: decreto\noggetto: \"Comunale pubblico regolamento\"\nregistro: 2026/2\ndal: 2026-02-06\nal: 2027-12-31\nnumero: \"113\"\ndata: 2026-02-03\nufficio: Ufficio Tecnico - Lavori Pubblici\n",
	"tipo: avviso\r\noggetto: 'L''ufficio è chiuso'\r\n\r\nregistro:\r\ndal:   \r\ngiorni: 15\r\narchivio: true\r\nimpronta: ~\r\n",
	"oggetto: Lavori [lotto 1], via {Roma} \"sud\" 100% @casa\ncig: 0123456789\nx: null\ny: 0x1F\nz: 1e3\nw: .inf\n",
	"oggetto: Perché è così\u00a0— «sì» ☃\n",
	"a:\n",
	"a: b\n\n\n",
	"a: b",
	"a: b\nb: c\na: d\n",
	"true: x\nnull: y\n",
	"tipo: bando\nallegati:\n  - file: bando.pdf\n    titolo: Bando e modulo\n  - file: b.pdf\n\n    titolo: 'B'\nimpronta: sha256:a9\n",
	"annullamento:\n    data: 2026-11-20\n    motivo: \"errore\"\nproroga:\n  al:\n  motivo: x\n",
	"allegati:\n -   file: a.pdf\n     titolo: b\n - c.pdf\n - 'd'\ne:\n",
	"a:\n  b:\n    - c\n    - d: e\n      f:\n  g: h\n",
}

var fastLeft = []string{
	"a: b # commento\n",
	"# commento\na: b\n",
	"allegati:\n- file: a.pdf\n",
	"allegati:\n  - file: a.pdf\n   titolo: b\n",
	"allegati:\n  - file: a.pdf\n      titolo: b\n",
	"allegati:\n  - file: a.pdf\n  titolo: b\n",
	"allegati:\n  -\n  - a\n",
	"allegati:\n  - a\n - b\n",
	"a:\n  b: c\n d: e\n",
	"a:\n  b\n",
	"a:\n  - b\n  c: d\n",
	"a: b\n  c\n",
	"a: \"b\\n\"\n",
	"a:\tb\n",
	"a: b: c\n",
	"a: b:\n",
	"a: - b\n",
	"a: &x b\n",
	"a: *x\n",
	"a: |\n  b\n",
	"a: <<\n",
	"- a\n",
	"a : b\n",
	"a:b\n",
	"\"a\": b\n",
	"a: 'b' c\n",
	"a: \"b\" c\n",
	"a: \"b\n",
	"a: 'b\n",
	"a: b\u2028c\n",
	"a: b\u0085c\n",
	"a: \U0001F600\n",
	"a: \ufeffb\n",
	"",
	"\n\n",
	" a: b\n",
}

func TestFastMatchesYAML(t *testing.T) {
	for _, src := range fastTaken {
		if !sameAsYAML(t, []byte(src)) {
			t.Errorf("the fast reading left %q to YAML", src)
		}
	}
	for _, src := range fastLeft {
		if new(fastParser).read([]byte(src)) != nil {
			t.Errorf("the fast reading took %q", src)
		}
	}
}

// TestFastTakesTheSample: the sample albo's acts and the synthetic corpus's are read fast,
// but for those with nested keys or lists.
func TestFastTakesTheSample(t *testing.T) {
	files, _ := filepath.Glob("../../../content/**/*.md")
	more, _ := filepath.Glob("../../../content/*/*/*.md")
	files = append(files, more...)
	if len(files) == 0 {
		t.Skip("no sample acts")
	}
	took := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		parts := bytes.SplitN(src, []byte("---\n"), 3)
		if len(parts) < 3 {
			continue
		}
		if sameAsYAML(t, parts[1]) {
			took++
		}
	}
	t.Logf("fast reading of %d of %d sample acts", took, len(files))
	if took == 0 {
		t.Error("the fast reading took none of the sample acts")
	}
}

// FuzzFast: whatever the fast reading takes, yaml.v3 reads to the same tree.
func FuzzFast(f *testing.F) {
	for _, c := range append(fastTaken, fastLeft...) {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if BareCR(src) > 0 || Marker(src) > 0 {
			return // refused before either reading
		}
		sameAsYAML(t, src)
	})
}

// reused reads every text sameAsYAML is given, one after the other, as a Reader does:
// each tree is made in the memory of those before, taken or left.
var reused fastParser

// sameAsYAML checks that the fast reading of src, if it takes it, is what yaml.v3 makes
// of it, and reports whether it took it.
func sameAsYAML(t *testing.T, src []byte) bool {
	t.Helper()
	got := reused.read(src)
	if got == nil {
		return false
	}
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(src)).Decode(&doc); err != nil {
		t.Errorf("fast reading took %q, which YAML refuses: %v", src, err)
		return true
	}
	if len(doc.Content) != 1 {
		t.Errorf("fast reading took %q, which YAML reads as %d nodes", src, len(doc.Content))
		return true
	}
	if d := diffNode(got, doc.Content[0], "root"); d != "" {
		t.Errorf("fast reading of %q differs from YAML's: %s", src, d)
	}
	return true
}

func diffNode(a, b *yaml.Node, at string) string {
	fa := fmt.Sprintf("kind=%v style=%v tag=%q value=%q anchor=%q line=%d col=%d head=%q line=%q foot=%q n=%d",
		a.Kind, a.Style, a.Tag, a.Value, a.Anchor, a.Line, a.Column, a.HeadComment, a.LineComment, a.FootComment, len(a.Content))
	fb := fmt.Sprintf("kind=%v style=%v tag=%q value=%q anchor=%q line=%d col=%d head=%q line=%q foot=%q n=%d",
		b.Kind, b.Style, b.Tag, b.Value, b.Anchor, b.Line, b.Column, b.HeadComment, b.LineComment, b.FootComment, len(b.Content))
	if fa != fb {
		return at + ": fast " + fa + "; YAML " + fb
	}
	if (a.Alias == nil) != (b.Alias == nil) {
		return at + ": alias"
	}
	for i := range a.Content {
		if d := diffNode(a.Content[i], b.Content[i], at+"/"+strings.TrimSpace(fmt.Sprint(i))); d != "" {
			return d
		}
	}
	return ""
}

// TestFastMatchesYAMLOnMixes: documents put together from values near the edges of what
// the fast reading takes (numbers, dates, YAML's words, quotes, colons, Unicode) read the
// same both ways; random bytes rarely make a document it takes.
func TestFastMatchesYAMLOnMixes(t *testing.T) {
	values := []string{"", " ", "x", "2026/2", "2026-02-06", "2026-2-6", "2026-02-06T10:00:00Z", "15", "-15", "+1", "0o17", "0x_1", "1_000", "1.5", ".5", "1e3",
		".nan", ".Inf", "true", "True", "TRUE", "yes", "no", "on", "~", "null", "Null", "NULL", "=", "<<", "<", "a<<", "a:b", "a: b", "a :b", "a:", "http://x.it/a?b=c#d",
		"\"\"", "''", "\"a'b\"", "'a\"b'", "'a''b'", "'a'''", "\"a\" ", "'a' ", "a \"b\"", "a 'b'", "a#b", "a #b", "#", "%x", "@x", "`x`", "!x", "&x", "*x", "|", ">", "-", "- a", "-a", "?a", "? a",
		"[a]", "a [b]", "a, b", "2026/15", "2026-02-30", "2026-13-01", "2026-1-2", "0001-01-01", "9999-12-31", "2026-02-06  ", "1/2", "12:30", "1:20:30", "0b101", "-0b1", "0o", "0x", "+.inf", "-.inf", "2026-02-06t10:00:00z", "2026-02-06 10:00:00", "1e", "1_", "-", "+", "0.", "12-34-5678", "2026-02-06x", "2026_02_06", "Ab", "DEADBEEF", "0xDEADBEEF", "{a}", "a}", "è", "«sì»", "\u00a0x", "x\u00a0", "€ 1.200,00", "a  b", "a\\b", "\"a\\b\"", "'a\\b'", "...", "a ... b", "--- a", "a --- b"}
	keys := []string{"a", "tipo", "oggetto_archivio", "A1", "x_", "true", "null", "y"}
	seps := []string{": ", ":", ":  ", ": \t"}
	ends := []string{"\n", "\r\n", "  \n", "\n\n", "\n  \n"}
	r := uint64(1)
	next := func(n int) int { r = r*6364136223846793005 + 1442695040888963407; return int(r>>33) % n }
	took := 0
	for range 20000 {
		var b strings.Builder
		for range 1 + next(5) {
			b.WriteString(keys[next(len(keys))] + seps[next(len(seps))] + values[next(len(values))] + ends[next(len(ends))])
		}
		if sameAsYAML(t, []byte(b.String())) {
			took++
		}
		if t.Failed() {
			return
		}
	}
	t.Logf("the fast reading took %d of 20000 mixes", took)
	// Blocks under keys, at random depths and indentations.
	took = 0
	var block func(b *strings.Builder, col, depth int)
	block = func(b *strings.Builder, col, depth int) {
		pad := strings.Repeat(" ", max(col, 0))
		list := depth > 0 && next(2) == 0
		for i := range 1 + next(3) {
			lead := pad
			if list {
				lead = pad + "-" + strings.Repeat(" ", 1+next(2))
				if next(3) == 0 {
					b.WriteString(lead + values[next(len(values))] + ends[next(len(ends))])
					continue
				}
			}
			inner := len(lead)
			for j := range 1 + next(3) {
				if j > 0 {
					lead = strings.Repeat(" ", inner+next(5)/4) // now and then misaligned
				}
				b.WriteString(lead + keys[next(len(keys))] + ":")
				if depth < 3 && next(3) == 0 {
					b.WriteString(ends[next(len(ends))])
					block(b, inner+next(4)-next(2), depth+1) // now and then not deeper
					continue
				}
				b.WriteString(seps[next(len(seps))][1:] + values[next(len(values))] + ends[next(len(ends))])
			}
			_ = i
		}
	}
	for range 20000 {
		var b strings.Builder
		block(&b, 0, 0)
		if sameAsYAML(t, []byte(b.String())) {
			took++
		}
		if t.Failed() {
			return
		}
	}
	t.Logf("the fast reading took %d of 20000 nested mixes", took)
}

// BenchmarkParse reads an act's front matter as gen.py writes it, with an attachment, as
// the acts are read: one Reader after another.
func BenchmarkParse(b *testing.B) {
	src := []byte(fastTaken[0] + "allegati:\n  - file: atto-1.pdf\n    titolo: Testo dell'atto\n")
	var r Reader
	for b.Loop() {
		if _, _, err := r.Parse(src); err != nil {
			b.Fatal(err)
		}
	}
}
