// Package yamlx reads YAML mappings strictly: every key must be known, and an unknown one
// is reported with its line and the closest valid key.
package yamlx

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/borgoesempio/albo/generator/diag"
	"github.com/borgoesempio/albo/generator/msg"
	"go.yaml.in/yaml/v3"
)

// Parse parses one YAML document and returns its top-level mapping node. Errors carry the
// 1-based line within src, or 0 when YAML does not say; a *KeyError is a problem of the
// text's shape with its own hint, any other error a syntax error of YAML.
func Parse(src []byte) (*yaml.Node, int, error) { return new(Reader).Parse(src) }

// A Reader parses texts one after another, each in the memory of the nodes it made of
// the one before: a tree it returns is valid until its next Parse. Reading gen.py's
// 10,000 acts, each with its own tree, made 30 MB of garbage.
type Reader struct{ fast fastParser }

// Parse is Parse, in r's memory.
func (r *Reader) Parse(src []byte) (*yaml.Node, int, error) {
	if line := BareCR(src); line > 0 {
		return nil, line, &KeyError{Line: line, Msg: msg.T("la riga finisce con un ritorno a capo (CR) senza a capo (LF)"), Hint: msg.T("salva il file con fine riga LF o CRLF")}
	}
	if line := Marker(src); line > 0 {
		return nil, line, &KeyError{Line: line, Msg: msg.T("il testo ha più di un documento YAML (una riga che comincia con '---' o '...'): ciò che segue non sarebbe letto"), Hint: msg.T("togli quella riga")}
	}
	if root := r.fast.read(src); root != nil {
		return root, 0, nil
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(src))
	if err := dec.Decode(&doc); err != nil {
		if err.Error() == "EOF" {
			return nil, 1, fmt.Errorf("%s", msg.T("è vuoto: non ha nessuna chiave"))
		}
		line, text := SplitLine(err)
		if n := bytes.Count(bytes.TrimRight(src, "\n"), []byte("\n")) + 1; line > n {
			line = n // an error at the end of the text belongs to its last line
		}
		what, hint := italian(text)
		if hint != "" {
			return nil, line, &KeyError{Line: line, Msg: msg.T("YAML non valido: %s", what), Hint: hint}
		}
		return nil, line, fmt.Errorf("%s", msg.T("YAML non valido: %s", what))
	}
	if len(doc.Content) == 0 {
		return nil, 1, fmt.Errorf("%s", msg.T("è vuoto: non ha nessuna chiave"))
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, root.Line, fmt.Errorf("%s", msg.T("servono chiavi e valori (chiave: valore), c'è %s", kindName(root)))
	}
	if n := aliased(root); n != nil {
		return nil, n.Line, &KeyError{Line: n.Line, Msg: msg.T("ancore e riferimenti YAML (&nome, *nome) non sono ammessi"), Hint: msg.T("scrivi ogni valore per esteso")}
	}
	return root, 0, nil
}

// aliased returns the first node of the tree at n that is an anchor or an alias, or nil.
// albo's files need neither, and an alias repeated in aliases ("billion laughs") would make
// whatever walks the values (the impronta's canonical form) grow without bound.
func aliased(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return n
	}
	for _, c := range n.Content {
		if a := aliased(c); a != nil {
			return a
		}
	}
	return nil
}

// BareCR returns the 1-based line of the first carriage return not followed by a line
// feed, or 0: YAML counts it as a line break, the rest of albo does not.
func BareCR(src []byte) int {
	for i, c := range src {
		if c == '\r' && (i+1 == len(src) || src[i+1] != '\n') {
			return bytes.Count(src[:i], []byte("\n")) + 1
		}
	}
	return 0
}

// Marker returns the 1-based line of the first YAML document marker in src ("---" or
// "..." at the start of a line, alone or followed by a space), or 0: albo's files are one
// document each, and whatever follows a marker would not be read.
func Marker(src []byte) int {
	for i, l := range bytes.Split(src, []byte("\n")) {
		l = bytes.TrimRight(l, "\r")
		for _, m := range [][]byte{[]byte("---"), []byte("...")} {
			if rest, ok := bytes.CutPrefix(l, m); ok && (len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t') {
				return i + 1
			}
		}
	}
	return 0
}

// yamlMessages are the messages of the YAML parser staff meet most: what is wrong, in
// Italian, and what to do.
var yamlMessages = []struct{ en, it, hint string }{
	{"did not find expected key", "manca una chiave dove era attesa", "controlla il rientro delle righe"},
	{"did not find expected ',' or ']'", "manca una virgola o la parentesi ] che chiude l'elenco", "chiudi l'elenco con ], o metti il valore tra virgolette se non è un elenco"},
	{"did not find expected ',' or '}'", "manca una virgola o la parentesi } che chiude il gruppo", "chiudi il gruppo con }, o metti il valore tra virgolette"},
	{"did not find expected node content", "manca un valore", "scrivi il valore dopo i due punti, o togli la riga"},
	{"did not find expected '-' indicator", "manca il trattino (-) di una voce dell'elenco", "comincia ogni voce dell'elenco con '- ', allineata alle altre"},
	{"did not find expected comment or line break", "dopo il valore c'è altro testo", "metti il valore tra virgolette"},
	{"mapping values are not allowed in this context", "un ':' dove non può stare", "metti tra virgolette il valore che contiene ': '"},
	{"block sequence entries are not allowed in this context", "una voce di elenco (- …) dove non può stare", "controlla il rientro delle righe"},
	{"could not find expected ':'", "manca il ':' dopo la chiave", "scrivi chiave: valore"},
	{"found character that cannot start any token", "un carattere che non può cominciare un valore (una tabulazione, @ o `)", "metti il valore tra virgolette"},
	{"found unexpected end of stream", "il testo finisce prima del previsto", "chiudi le virgolette o le parentesi aperte"},
	{"found a tab character that violates indentation", "una tabulazione nel rientro", "rientra le righe con gli spazi"},
	{"found a tab character where an indentation space is expected", "una tabulazione nel rientro", "rientra le righe con gli spazi"},
	{"found unknown escape character", "una sequenza con \\ sconosciuta tra virgolette doppie", "usa le virgolette semplici, o scrivi \\\\"},
	{"found unexpected ':'", "un ':' inatteso", "metti il valore tra virgolette"},
	{"control characters are not allowed", "caratteri di controllo non ammessi", "togli i caratteri invisibili, spesso copiati da un altro programma"},
	{"invalid trailing UTF-8 octet", "testo non UTF-8", "salva il file con la codifica UTF-8"},
	{"invalid leading UTF-8 octet", "testo non UTF-8", "salva il file con la codifica UTF-8"},
	{"incomplete UTF-8 octet sequence", "testo non UTF-8", "salva il file con la codifica UTF-8"},
	{"did not find the expected alphabetic or numeric character", "manca un carattere alfabetico o numerico", "metti il valore tra virgolette"},
	{"found undefined tag handle", "un'etichetta YAML (!) sconosciuta", "metti il valore tra virgolette"},
}

// Describe returns an error of the YAML parser in Italian: "riga 3: manca un valore;
// scrivi il valore dopo i due punti, o togli la riga".
func Describe(err error) string {
	line, text := SplitLine(err)
	what, hint := italian(text)
	if hint != "" {
		what += "; " + hint
	}
	if line > 0 {
		return msg.T("riga %d: %s", line, what)
	}
	return what
}

// italian returns a message of the YAML parser in Italian with what to do, or, for one it
// does not know, as it is, between «».
func italian(text string) (string, string) {
	for _, m := range yamlMessages {
		if strings.Contains(text, m.en) {
			return msg.T(m.it), msg.T(m.hint)
		}
	}
	return "«" + text + "»", ""
}

var lineRE = regexp.MustCompile(`^yaml: (?:unmarshal errors:\n\s*)?line (\d+): (.*)$`)

// SplitLine extracts the line number yaml.v3 puts in its messages.
func SplitLine(err error) (int, string) {
	m := lineRE.FindStringSubmatch(err.Error())
	if m == nil {
		return 0, err.Error()
	}
	n, _ := strconv.Atoi(m[1])
	if strings.HasPrefix(m[2], "did not find expected") {
		// yaml.v3 counts lines from 0 in its parser errors (but not in its scanner
		// errors): there the line is where the unfinished construct began.
		n++
	}
	return n, m[2]
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return msg.T("un elenco")
	case yaml.ScalarNode:
		return msg.T("un valore solo")
	}
	return msg.T("altro")
}

// Pair is one key of a mapping with its value node.
type Pair struct {
	Key   string
	Line  int
	Value *yaml.Node
}

// Pairs returns the entries of a mapping node in order. It reports a duplicate key.
func Pairs(m *yaml.Node) ([]Pair, *KeyError) {
	out := make([]Pair, 0, len(m.Content)/2)
	seen := make(map[string]bool, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if k.Kind != yaml.ScalarNode {
			return out, &KeyError{Line: k.Line, Msg: msg.T("una chiave non è una parola (è un elenco o un gruppo di chiavi)"), Hint: msg.T("scrivi chiave: valore")}
		}
		if seen[k.Value] {
			return out, &KeyError{Line: k.Line, Msg: msg.T("la chiave %q compare due volte", k.Value), Hint: msg.T("tienine una sola")}
		}
		seen[k.Value] = true
		out = append(out, Pair{Key: k.Value, Line: k.Line, Value: m.Content[i+1]})
	}
	return out, nil
}

// KeyError is a problem with a key, at a line.
type KeyError struct {
	Line      int
	Msg, Hint string
}

// Unknown returns the error for a key not in valid, suggesting the closest valid key, or
// listing them and naming the help topic (albo help where) that explains them.
func Unknown(p Pair, where string, valid []string) *KeyError {
	hint := msg.T("le chiavi ammesse sono %s (albo help %s)", strings.Join(valid, ", "), where)
	if s := Closest(p.Key, valid); s != "" {
		hint = msg.T("forse intendevi %q?", s)
	}
	return &KeyError{Line: p.Line, Msg: msg.T("chiave %q sconosciuta", p.Key), Hint: hint}
}

// Closest returns the word of options nearest to w, if it is near enough to be a typo.
func Closest(w string, options []string) string { return diag.Closest(w, options) }

// String returns a scalar's text, or an error when the node is not a single value.
func String(n *yaml.Node) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", fmt.Errorf("%s", msg.T("serve un valore solo, c'è %s", kindName(n)))
	}
	return n.Value, nil
}

// Int returns a scalar's whole number.
func Int(n *yaml.Node) (int, error) {
	s, err := String(n)
	if err != nil {
		return 0, err
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%s", msg.T("%q non è un numero intero", s))
	}
	return v, nil
}

// Bool returns a scalar's true or false.
func Bool(n *yaml.Node) (bool, error) {
	s, err := String(n)
	if err != nil {
		return false, err
	}
	switch s {
	case "true", "sì", "si", "yes":
		return true, nil
	case "false", "no":
		return false, nil
	}
	return false, fmt.Errorf("%s", msg.T("%q non è true (sì) o false (no)", s))
}

// Mapping checks that n is a mapping and returns its pairs.
func Mapping(n *yaml.Node) ([]Pair, *KeyError) {
	if n.Kind != yaml.MappingNode {
		return nil, &KeyError{Line: n.Line, Msg: msg.T("servono chiavi e valori, c'è %s", kindName(n)), Hint: msg.T("scrivilo come righe chiave: valore")}
	}
	return Pairs(n)
}

func (e *KeyError) Error() string {
	if e.Hint == "" {
		return msg.T("riga %d: %s", e.Line, e.Msg)
	}
	return msg.T("riga %d: %s; %s", e.Line, e.Msg, e.Hint)
}
