// Package frontmatter edits the front matter of an act file in place: it sets or replaces
// top-level keys and leaves everything else as the author wrote it, byte for byte: other
// keys and their order, comments, blank lines, and the whole body.
package frontmatter

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/borgoesempio/albo/generator/msg"
	"strings"
	"unicode/utf8"

	"github.com/borgoesempio/albo/generator/internal/yamlx"
	"go.yaml.in/yaml/v3"
)

// Value is a value to write: a single value, or nested keys in order (for annullamento
// and proroga).
type Value struct {
	Scalar string
	Fields []Field
}

// Field is one nested key.
type Field struct {
	Key   string
	Value string
}

// Text returns a single value.
func Text(s string) Value { return Value{Scalar: s} }

// Map returns nested keys.
func Map(fields ...Field) Value { return Value{Fields: fields} }

type span struct {
	key        string
	start, end int // line indexes of the front matter (0 = first line after "---"), end exclusive
}

// doc is a file split into lines, with the front matter's position.
type doc struct {
	lines      []string // every line, with its line ending
	first, end int      // front matter lines are lines[first:end]; lines[end] is the closing ---
	eol        string
	keys       []span
}

// Split separates the YAML front matter from the body. It returns the front
// matter, the body and the 1-based line where the body starts.
func Split(src []byte) (front, body []byte, bodyLine int, err error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	if string(bytes.TrimRight(first, " \t\r")) != "---" {
		return nil, nil, 0, errors.New(msg.T("il file deve cominciare con una riga '---', poi l'intestazione (tipo, oggetto, …), poi un'altra riga '---'"))
	}
	line := 2
	for off := 0; off <= len(rest); {
		end := bytes.IndexByte(rest[off:], '\n')
		next := len(rest) + 1
		l := rest[off:]
		if end >= 0 {
			l, next = rest[off:off+end], off+end+1
		}
		if string(bytes.TrimRight(l, " \t\r")) == "---" {
			if next > len(rest) {
				next = len(rest)
			}
			return rest[:off], rest[next:], line + 1, nil
		}
		off = next
		line++
	}
	return nil, nil, 0, errors.New(msg.T("l'intestazione non è chiusa: aggiungi una riga '---' dopo la sua ultima chiave"))
}

func parse(src []byte) (*doc, error) {
	d := &doc{eol: "\n"}
	rest := src
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			d.lines = append(d.lines, string(rest))
			break
		}
		d.lines = append(d.lines, string(rest[:i+1]))
		rest = rest[i+1:]
	}
	_, _, bodyLine, err := Split(src)
	if err != nil {
		return nil, err
	}
	if strings.HasSuffix(d.lines[0], "\r\n") {
		d.eol = "\r\n"
	}
	d.first, d.end = 1, bodyLine-2 // lines[end] is the closing "---"
	var root yaml.Node
	front := strings.Join(d.lines[d.first:d.end], "")
	if yamlx.BareCR([]byte(front)) > 0 {
		return nil, errors.New(msg.T("l'intestazione ha un ritorno a capo (CR) senza a capo (LF)"))
	}
	if yamlx.Marker([]byte(front)) > 0 {
		return nil, errors.New(msg.T("l'intestazione ha più di un documento YAML (una riga che comincia con '---' o '...')"))
	}
	if err := yaml.Unmarshal([]byte(front), &root); err != nil {
		return nil, fmt.Errorf("%s: %w", msg.T("l'intestazione non è YAML valido"), err)
	}
	if len(root.Content) == 0 {
		return d, nil
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, errors.New(msg.T("l'intestazione non è un elenco di chiavi"))
	}
	if m.Style&yaml.FlowStyle != 0 {
		return nil, errors.New(msg.T("l'intestazione è scritta tra {…}: scrivi una chiave: valore per riga"))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if k.Kind != yaml.ScalarNode {
			return nil, errors.New(msg.T("una chiave dell'intestazione non è una parola"))
		}
		if seen[k.Value] {
			return nil, errors.New(msg.T("la chiave %q compare due volte nell'intestazione", k.Value))
		}
		seen[k.Value] = true
		if k.Column != 1 {
			return nil, errors.New(msg.T("le chiavi dell'intestazione cominciano all'inizio della riga"))
		}
		d.keys = append(d.keys, span{key: k.Value, start: k.Line - 1})
	}
	for i := range d.keys {
		end := d.end - d.first
		if i+1 < len(d.keys) {
			end = d.keys[i+1].start
		}
		// Comments and blank lines just before the next key belong to it.
		for end > d.keys[i].start+1 {
			t := strings.TrimSpace(d.lines[d.first+end-1])
			if t != "" && !strings.HasPrefix(t, "#") {
				break
			}
			end--
		}
		d.keys[i].end = end
	}
	return d, nil
}

// Set gives key (lower-case letters and '_') the value v. An existing key is replaced where it stands; a new one is
// put after the key named after (or, if that is absent, at the end of the front matter).
func Set(src []byte, key string, v Value, after string) ([]byte, error) {
	if !plainKey(key) {
		return nil, fmt.Errorf("%q is not a front matter key", key)
	}
	d, err := parse(src)
	if err != nil {
		return nil, err
	}
	text, err := render(key, v, d.eol)
	if err != nil {
		return nil, err
	}
	at, drop := d.end-d.first, 0
	for _, k := range d.keys {
		if k.key == key {
			at, drop = k.start, k.end-k.start
			break
		}
		if k.key == after {
			at = k.end
		}
	}
	pos := d.first + at
	var b bytes.Buffer
	for _, l := range d.lines[:pos] {
		b.WriteString(l)
	}
	if pos > 0 && !strings.HasSuffix(d.lines[pos-1], "\n") {
		b.WriteString(d.eol)
	}
	b.WriteString(text)
	for _, l := range d.lines[pos+drop:] {
		b.WriteString(l)
	}
	return b.Bytes(), nil
}

// Delete removes key, with its value, from the front matter; a missing key is no error.
func Delete(src []byte, key string) ([]byte, error) {
	d, err := parse(src)
	if err != nil {
		return nil, err
	}
	for _, k := range d.keys {
		if k.key == key {
			var b bytes.Buffer
			for i, l := range d.lines {
				if i < d.first+k.start || i >= d.first+k.end {
					b.WriteString(l)
				}
			}
			return b.Bytes(), nil
		}
	}
	return src, nil
}

// plainKey reports whether k is a key of albo's kind: lower-case letters and '_', and
// short (YAML writes a key of 1024 characters or more in another form).
func plainKey(k string) bool {
	if len(k) > 64 {
		return false
	}
	for _, r := range k {
		if (r < 'a' || r > 'z') && r != '_' {
			return false
		}
	}
	return k != ""
}

// render writes key: v as YAML lines, quoting values only when YAML needs it.
func render(key string, v Value, eol string) (string, error) {
	texts := []string{key, v.Scalar}
	for _, f := range v.Fields {
		texts = append(texts, f.Key, f.Value)
	}
	for _, t := range texts {
		if !utf8.ValidString(t) {
			return "", fmt.Errorf("%q is not valid UTF-8 text", t)
		}
	}
	m := &yaml.Node{Kind: yaml.MappingNode}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key})
	if v.Fields == nil {
		m.Content = append(m.Content, scalar(v.Scalar))
	} else {
		inner := &yaml.Node{Kind: yaml.MappingNode}
		for _, f := range v.Fields {
			inner.Content = append(inner.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: f.Key}, scalar(f.Value))
		}
		m.Content = append(m.Content, inner)
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return "", err
	}
	if err := enc.Close(); err != nil {
		return "", err
	}
	out := b.String()
	if eol != "\n" {
		out = strings.ReplaceAll(out, "\n", eol)
	}
	return out, nil
}

// scalar is a value written plain when YAML reads it back as the same text (dates, register
// numbers, words), and quoted otherwise.
func scalar(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: s}
	if !plainRoundTrip(s) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// plainRoundTrip reports whether s written plain reads back as a string equal to s, or as
// a date (which albo reads as text anyway).
func plainRoundTrip(s string) bool {
	if s == "" || strings.ContainsAny(s, "\n\r\t") {
		return false
	}
	var v map[string]yaml.Node
	if err := yaml.Unmarshal([]byte("k: "+s), &v); err != nil {
		return false
	}
	n := v["k"]
	return n.Kind == yaml.ScalarNode && n.Value == s && (n.Tag == "!!str" || n.Tag == "!!timestamp") && n.Style == 0
}
