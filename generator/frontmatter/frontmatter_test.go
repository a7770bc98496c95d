package frontmatter

import (
	"bytes"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestSplit(t *testing.T) {
	tests := []struct {
		in, front, body string
		bodyLine        int
		err             bool
	}{
		{"---\ntipo: a\n---\ncorpo\n", "tipo: a\n", "corpo\n", 4, false},
		{"\xef\xbb\xbf---\r\ntipo: a\r\n---\r\ncorpo", "tipo: a\r\n", "corpo", 4, false},
		{"---\ntipo: a\n---", "tipo: a\n", "", 4, false},
		{"tipo: a\n", "", "", 0, true},
		{"---\ntipo: a\n", "", "", 0, true},
	}
	for _, tt := range tests {
		front, body, line, err := Split([]byte(tt.in))
		if (err != nil) != tt.err || string(front) != tt.front || string(body) != tt.body || line != tt.bodyLine {
			t.Errorf("Split(%q) = %q, %q, %d, %v", tt.in, front, body, line, err)
		}
	}
}

func TestSet(t *testing.T) {
	src := `---
# Atto preparato dall'Ufficio Segreteria
tipo: avviso   # il tipo
oggetto: Chiusura degli uffici

# la data va confermata
data: 2026-11-20
---
Corpo con ||omissis|| e righe finali

`
	tests := []struct {
		name, key, after string
		v                Value
		want             string
	}{
		{"new key after oggetto", "registro", "oggetto", Text("2026/41"), "oggetto: Chiusura degli uffici\nregistro: 2026/41\n\n# la data va confermata\ndata: 2026-11-20\n"},
		{"replace keeps place and comments", "tipo", "", Text("ordinanza"), "# Atto preparato dall'Ufficio Segreteria\ntipo: ordinanza\noggetto:"},
		{"at the end", "impronta", "", Text("sha256:abc"), "data: 2026-11-20\nimpronta: sha256:abc\n---\n"},
		{"quoted when needed", "motivo", "", Text("Errore: importo # sbagliato"), `motivo: "Errore: importo # sbagliato"`},
		{"numbers stay text", "numero", "", Text("45"), `numero: "45"`},
		{"nested", "annullamento", "", Map(Field{"data", "2026-11-25"}, Field{"motivo", "Errore materiale"}), "annullamento:\n  data: 2026-11-25\n  motivo: Errore materiale\n---"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Set([]byte(src), tt.key, tt.v, tt.after)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(out), tt.want) {
				t.Fatalf("got:\n%s\nwant it to contain:\n%s", out, tt.want)
			}
			if !bytes.HasSuffix(out, []byte("---\nCorpo con ||omissis|| e righe finali\n\n")) {
				t.Fatalf("body changed:\n%s", out)
			}
		})
	}
}

func TestSetReplacesNested(t *testing.T) {
	src := "---\ntipo: avviso\nproroga:\n  al: 2026-12-01\n  motivo: vecchio\n# commento del campo dopo\ndata: 2026-11-20\n---\ntesto"
	out, err := Set([]byte(src), "proroga", Map(Field{"al", "2026-12-10"}, Field{"motivo", "nuovo"}), "")
	if err != nil {
		t.Fatal(err)
	}
	want := "---\ntipo: avviso\nproroga:\n  al: 2026-12-10\n  motivo: nuovo\n# commento del campo dopo\ndata: 2026-11-20\n---\ntesto"
	if string(out) != want {
		t.Fatalf("got:\n%q\nwant:\n%q", out, want)
	}
}

func TestDelete(t *testing.T) {
	src := "---\ntipo: avviso\ngiorni: 30   # trenta\n# nota su data\ndata: 2026-11-20\n---\ncorpo"
	out, err := Delete([]byte(src), "giorni")
	if err != nil || string(out) != "---\ntipo: avviso\n# nota su data\ndata: 2026-11-20\n---\ncorpo" {
		t.Fatalf("%q %v", out, err)
	}
	if out, _ := Delete([]byte(src), "assente"); string(out) != src {
		t.Fatal("deleting a missing key changed the file")
	}
}

func TestCRLF(t *testing.T) {
	out, err := Set([]byte("---\r\ntipo: avviso\r\n---\r\ncorpo\r\n"), "registro", Text("2026/1"), "tipo")
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "---\r\ntipo: avviso\r\nregistro: 2026/1\r\n---\r\ncorpo\r\n" {
		t.Fatalf("%q", out)
	}
}

// FuzzSet edits arbitrary files: never a panic; when it succeeds, the body is unchanged and
// the key reads back with its value.
func FuzzSet(f *testing.F) {
	f.Add("---\ntipo: avviso\noggetto: x\n---\ncorpo\n", "registro", "2026/1")
	f.Add("---\n# c\nregistro: 2025/1 # c\n\n---\n", "registro", "Motivo: \"x\" #y")
	f.Add("---\r\na: [1,\r\n  2]\r\n---", "a", "")
	f.Fuzz(func(t *testing.T, src, key, value string) {
		out, err := Set([]byte(src), key, Text(value), "oggetto")
		if err != nil {
			return
		}
		bodyOf := func(b []byte) []byte {
			d, err := parse(b)
			if err != nil {
				t.Fatalf("output no longer parses: %v\n%q", err, b)
			}
			return []byte(strings.Join(d.lines[d.end:], ""))
		}
		if !bytes.Equal(bodyOf([]byte(src)), bodyOf(out)) {
			t.Fatalf("body changed:\n%q\n->\n%q", src, out)
		}
		d, _ := parse(out)
		var m map[string]yaml.Node
		if err := yaml.Unmarshal([]byte(strings.Join(d.lines[d.first:d.end], "")), &m); err != nil {
			t.Fatalf("front matter broken: %v\n%q", err, out)
		}
		if n, ok := m[key]; !ok || n.Value != value {
			t.Fatalf("key %q reads back as %q, want %q\n%q", key, n.Value, value, out)
		}
	})
}
