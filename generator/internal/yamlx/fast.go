package yamlx

import (
	"bytes"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// read reads the shape nearly every act's front matter has, without the YAML parser: keys
// in blocks, one a line, each with a value on the same line (plain, or in single or double
// quotes without escapes) or with a block below it, indented with spaces: keys again
// (annullamento) or a list of values or of keys (allegati). It returns the mapping node
// yaml.v3 makes of such a text, field for field; for any other text (comments, tabs,
// escapes, values over several lines, flow collections, YAML's reserved characters) it
// returns nil, and the YAML parser reads it. On gen.py's 10,000 acts the parser took 42 µs
// and 10 KB of garbage an act. The nodes are made in the memory p made them in for the
// text before, which they replace.
func (p *fastParser) read(src []byte) *yaml.Node {
	if !plainBytes(src) {
		return nil
	}
	p.lines, p.at, p.nodes, p.stack, p.content = p.lines[:0], 0, p.nodes[:0], p.stack[:0], p.content[:0]
	if n := bytes.Count(src, []byte("\n"))*2 + 4; cap(p.nodes) < n {
		p.nodes = make([]yaml.Node, 0, n)
	}
	for ln := 1; len(src) > 0; ln++ {
		line, rest, _ := bytes.Cut(src, []byte("\n"))
		src = rest
		line = bytes.TrimSuffix(line, []byte("\r")) // CRLF: a bare CR is refused before
		indent := len(line) - len(bytes.TrimLeft(line, " "))
		if indent < len(line) { // blank lines are skipped, as YAML does
			p.lines = append(p.lines, fastLine{text: line, n: ln, indent: indent})
		}
	}
	if len(p.lines) == 0 || p.lines[0].indent != 0 {
		return nil
	}
	root := p.mapping(0, 0)
	if root == nil || p.at != len(p.lines) {
		return nil
	}
	return root
}

type fastLine struct {
	text      []byte
	n, indent int // 1-based line; spaces before the text
}

type fastParser struct {
	lines   []fastLine
	at      int          // the next line to read
	nodes   []yaml.Node  // the nodes, made in one allocation while it lasts
	stack   []*yaml.Node // the children of the blocks being read, the innermost last
	content []*yaml.Node // the children of the blocks read, each block's side by side
	keys    map[string]string
}

// key returns the key k as a string: the same string as the last texts' same key, up to
// maxKeys different keys (an act's keys are kept with it, by name: 16 MB for 100,000 acts
// when each was a string of its own).
func (p *fastParser) key(k []byte) string {
	if s, ok := p.keys[string(k)]; ok {
		return s
	}
	s := string(k)
	if len(p.keys) < maxKeys {
		if p.keys == nil {
			p.keys = map[string]string{}
		}
		p.keys[s] = s
	}
	return s
}

// maxKeys is how many different keys a parser keeps (key): more than albo's files have.
const maxKeys = 256

// children ends the block whose children are on the stack from start: they go to the
// content slice, and the block's Content is their part of it (nil for none, as append
// to nil leaves it).
func (p *fastParser) children(start int) []*yaml.Node {
	kids := p.stack[start:]
	p.stack = p.stack[:start]
	if len(kids) == 0 {
		return nil
	}
	at := len(p.content)
	p.content = append(p.content, kids...) // into a new array when full: the blocks ended before keep theirs
	return p.content[at:len(p.content):len(p.content)]
}

func (p *fastParser) node(n yaml.Node) *yaml.Node {
	p.nodes = append(p.nodes, n) // a new array when full: the nodes given before stay where they are
	return &p.nodes[len(p.nodes)-1]
}

// mapping reads the keys of a block mapping whose keys are at column col of their lines,
// the first one starting at byte from of the current line (after "- " in a list), or nil.
func (p *fastParser) mapping(col, from int) *yaml.Node {
	m := p.node(yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: p.lines[p.at].n, Column: col + 1})
	start := len(p.stack)
	for p.at < len(p.lines) {
		l := p.lines[p.at]
		if len(p.stack) > start {
			if l.indent < col {
				break // the block is over
			}
			if l.indent != col {
				return nil
			}
			from = col
		}
		text := l.text[from:]
		k := keyLen(text)
		if k == 0 || k > 64 || k == len(text) || text[k] != ':' || (k+1 < len(text) && text[k+1] != ' ') {
			return nil
		}
		key := yaml.Node{Kind: yaml.ScalarNode, Value: p.key(text[:k]), Line: l.n, Column: from + 1}
		key.Tag = plainTag(key.Value)
		at := k + 1
		for at < len(text) && text[at] == ' ' {
			at++
		}
		p.at++
		var value *yaml.Node
		ok := true
		if at < len(text) {
			var v yaml.Node
			if v, ok = scalar(text[at:]); ok {
				v.Line, v.Column = l.n, from+at+1
				value = p.node(v)
			}
		} else if value, ok = p.below(col); ok && value == nil { // an empty value: a block below it, or null
			value = p.node(yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: l.n, Column: from + k + 2})
		}
		if !ok {
			return nil
		}
		p.stack = append(p.stack, p.node(key), value)
	}
	m.Content = p.children(start)
	return m
}

// below reads the block under a key at column col with an empty value: nil, true when
// there is none (the value is null); false when there is one the fast reading does not
// take.
func (p *fastParser) below(col int) (*yaml.Node, bool) {
	if p.at == len(p.lines) || p.lines[p.at].indent <= col {
		return nil, true // a list at the key's own column (YAML's value) is not a key: mapping leaves it
	}
	l := p.lines[p.at]
	var n *yaml.Node
	if bytes.HasPrefix(l.text[l.indent:], []byte("- ")) {
		n = p.sequence(l.indent)
	} else {
		n = p.mapping(l.indent, l.indent)
	}
	return n, n != nil
}

// sequence reads a block list whose dashes are at column col: of values, or of keys
// ("- file: a.pdf" and "titolo: ..." below, aligned with file).
func (p *fastParser) sequence(col int) *yaml.Node {
	s := p.node(yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: p.lines[p.at].n, Column: col + 1})
	start := len(p.stack)
	for p.at < len(p.lines) {
		l := p.lines[p.at]
		if l.indent < col {
			break
		}
		if l.indent != col || !bytes.HasPrefix(l.text[col:], []byte("- ")) {
			return nil
		}
		at := col + 2
		for at < len(l.text) && l.text[at] == ' ' {
			at++
		}
		rest := l.text[at:]
		var item *yaml.Node
		if k := keyLen(rest); k > 0 && k < len(rest) && rest[k] == ':' {
			item = p.mapping(at, at) // keys, the first on the dash's line
		} else {
			v, ok := scalar(rest)
			if !ok || v.Tag == "!!null" {
				return nil
			}
			v.Line, v.Column = l.n, at+1
			item = p.node(v)
			p.at++
		}
		if item == nil {
			return nil
		}
		p.stack = append(p.stack, item)
	}
	s.Content = p.children(start)
	return s
}

// scalar reads the value of a key, s: the rest of its line after the colon and the spaces.
func scalar(s []byte) (yaml.Node, bool) {
	s = bytes.TrimRight(s, " ")
	n := yaml.Node{Kind: yaml.ScalarNode}
	switch {
	case len(s) == 0:
		n.Tag = "!!null"
		return n, true
	case s[0] == '"':
		end := bytes.IndexByte(s[1:], '"') + 1
		if end == 0 || end != len(s)-1 || bytes.IndexByte(s, '\\') >= 0 {
			return n, false
		}
		n.Tag, n.Style, n.Value = "!!str", yaml.DoubleQuotedStyle, string(s[1:end])
		return n, true
	case s[0] == '\'':
		var v []byte
		i := 1
		for ; i < len(s); i++ {
			if s[i] == '\'' {
				if i+1 < len(s) && s[i+1] == '\'' {
					v = append(v, '\'')
					i++
					continue
				}
				break
			}
			v = append(v, s[i])
		}
		if i != len(s)-1 {
			return n, false
		}
		n.Tag, n.Style, n.Value = "!!str", yaml.SingleQuotedStyle, string(v)
		return n, true
	}
	// A plain value: none of YAML's indicators first, no comment, no ": " or final colon
	// (a nested key), not the merge key.
	if bytes.IndexByte([]byte("-?:,[]{}#&*!|>'\"%@`"), s[0]) >= 0 || bytes.IndexByte(s, '#') >= 0 ||
		bytes.Contains(s, []byte(": ")) || s[len(s)-1] == ':' || string(s) == "<<" {
		return n, false
	}
	n.Value = string(s)
	n.Tag = plainTag(n.Value)
	return n, true
}

// plainTag is the tag yaml.v3 resolves a plain value to (Node.ShortTag), without its
// attempts at a time, an integer and a float, one after the other, for the values that
// begin with a digit but are none of them: the register number (2026/15). A date, which
// it tries last of four layouts, is tried first. A value that begins with a letter is a
// string but for YAML's words for true, false and null (yaml.v3 looks no further, but
// for 8 bytes of garbage each time: 29 MB for 10,000 acts, with the keys).
func plainTag(v string) string {
	switch c := v[0]; {
	case c >= '0' && c <= '9' || c == '+' || c == '-':
		if len(v) == 10 && v[4] == '-' && v[7] == '-' {
			if _, err := time.Parse("2006-1-2", v); err == nil {
				return "!!timestamp"
			}
		}
		if strings.Trim(v, "0123456789+-._:TtZzEeXxOoBbAaCcDdFfIiNn ") != "" {
			return "!!str" // a character no number or time has
		}
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		switch v {
		case "true", "True", "TRUE", "false", "False", "FALSE":
			return "!!bool"
		case "null", "Null", "NULL":
			return "!!null"
		}
		return "!!str"
	}
	return (&yaml.Node{Kind: yaml.ScalarNode, Value: v}).ShortTag()
}

// keyLen is the length of the key text begins with, as the fast reading takes keys: a
// letter first, then letters, digits and underscores.
func keyLen(text []byte) int {
	k := 0
	for ; k < len(text); k++ {
		c := text[k]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || k > 0 && (c >= '0' && c <= '9' || c == '_')) {
			break
		}
	}
	return k
}

// plainBytes reports whether src holds only what the fast reading takes for what YAML
// also takes as it looks: printable ASCII, LF and the CR of a CRLF, and the two- and
// three-byte UTF-8 characters YAML prints that are not a line break (U+0085, U+2028,
// U+2029), a byte order mark or a noncharacter. No tab: YAML refuses it in places.
func plainBytes(src []byte) bool {
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c >= 0x20 && c < 0x7f, c == '\n':
		case c == '\r':
			if i+1 >= len(src) || src[i+1] != '\n' {
				return false
			}
		case c == 0xc2:
			if i+1 >= len(src) || src[i+1] < 0xa0 || src[i+1] > 0xbf {
				return false
			}
			i++
		case c >= 0xc3 && c <= 0xdf:
			if i+1 >= len(src) || !cont(src[i+1]) {
				return false
			}
			i++
		case c >= 0xe0 && c <= 0xef:
			if i+2 >= len(src) || !cont(src[i+1]) || !cont(src[i+2]) {
				return false
			}
			b1, b2 := src[i+1], src[i+2]
			if c == 0xe0 && b1 < 0xa0 || c == 0xed && b1 >= 0xa0 || // overlong, surrogates
				c == 0xe2 && b1 == 0x80 && (b2 == 0xa8 || b2 == 0xa9) || // line and paragraph separators
				c == 0xef && (b1 == 0xbb && b2 == 0xbf || b1 == 0xbf && b2 >= 0xbe) { // BOM, U+FFFE, U+FFFF
				return false
			}
			i += 2
		default:
			return false
		}
	}
	return true
}

func cont(c byte) bool { return c >= 0x80 && c <= 0xbf }
