// Package yamlx reads YAML mappings strictly: every key must be known, and an unknown one
// is reported with its line and the closest valid key.
package yamlx

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Parse parses one YAML document and returns its top-level mapping node. Errors carry the
// 1-based line within src, or 0 when YAML does not say.
func Parse(src []byte) (*yaml.Node, int, error) {
	if line := BareCR(src); line > 0 {
		return nil, line, fmt.Errorf("la riga finisce con un ritorno a capo (CR) senza a capo (LF): salva il file con fine riga LF o CRLF")
	}
	if line := Marker(src); line > 0 {
		return nil, line, fmt.Errorf("il testo ha più di un documento YAML (una riga che comincia con '---' o '...'): ciò che segue non sarebbe letto; togli quella riga")
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(src))
	if err := dec.Decode(&doc); err != nil {
		if err.Error() == "EOF" {
			return nil, 1, fmt.Errorf("empty: no keys")
		}
		line, msg := SplitLine(err)
		if n := bytes.Count(bytes.TrimRight(src, "\n"), []byte("\n")) + 1; line > n {
			line = n // an error at the end of the text belongs to its last line
		}
		return nil, line, fmt.Errorf("invalid YAML: %s", msg)
	}
	if len(doc.Content) == 0 {
		return nil, 1, fmt.Errorf("empty: no keys")
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, root.Line, fmt.Errorf("expected keys and values (key: value), found %s", kindName(root))
	}
	if n := aliased(root); n != nil {
		return nil, n.Line, fmt.Errorf("ancore e riferimenti YAML (&nome, *nome) non sono ammessi: scrivi ogni valore per esteso")
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
		return "a list"
	case yaml.ScalarNode:
		return "a single value"
	}
	return "something else"
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
			return out, &KeyError{Line: k.Line, Msg: "una chiave non è una parola (è un elenco o un gruppo di chiavi)", Hint: "scrivi chiave: valore"}
		}
		if seen[k.Value] {
			return out, &KeyError{Line: k.Line, Msg: fmt.Sprintf("key %q appears twice", k.Value), Hint: "keep only one"}
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

// Unknown returns the error for a key not in valid, suggesting the closest valid key.
func Unknown(p Pair, where string, valid []string) *KeyError {
	hint := "valid keys are listed in SPEC §" + where
	if s := Closest(p.Key, valid); s != "" {
		hint = fmt.Sprintf("did you mean %q?", s)
	}
	return &KeyError{Line: p.Line, Msg: fmt.Sprintf("unknown key %q", p.Key), Hint: hint}
}

// Closest returns the word of options nearest to w, if it is near enough to be a typo.
func Closest(w string, options []string) string {
	best, bestD := "", 1<<30
	for _, o := range options {
		if d := distance(w, o); d < bestD {
			best, bestD = o, d
		}
	}
	if bestD <= 2 || (bestD <= 3 && len(w) >= 8) {
		return best
	}
	return ""
}

// distance is the Levenshtein distance between a and b, counted in runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := prev[j-1]
			if ra[i-1] != rb[j-1] {
				c++
			}
			c = min(c, prev[j]+1, cur[j-1]+1)
			cur[j] = c
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// String returns a scalar's text, or an error when the node is not a single value.
func String(n *yaml.Node) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", fmt.Errorf("expected a single value, found %s", kindName(n))
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
		return 0, fmt.Errorf("%q is not a whole number", s)
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
	return false, fmt.Errorf("%q is not true or false", s)
}

// Mapping checks that n is a mapping and returns its pairs.
func Mapping(n *yaml.Node) ([]Pair, *KeyError) {
	if n.Kind != yaml.MappingNode {
		return nil, &KeyError{Line: n.Line, Msg: fmt.Sprintf("expected keys and values, found %s", kindName(n)), Hint: "write it as key: value lines"}
	}
	return Pairs(n)
}

func (e *KeyError) Error() string {
	if e.Hint == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return fmt.Sprintf("line %d: %s; %s", e.Line, e.Msg, e.Hint)
}
