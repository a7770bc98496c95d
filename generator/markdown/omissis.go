package markdown

import (
	"bytes"
	"fmt"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// OmissisWord is what replaces redacted text everywhere.
const OmissisWord = "omissis"

// RedactError is an omissis that cannot be read safely: its text would be published.
type RedactError struct {
	Line int // 1-based line of src
	Msg  string
}

func (e *RedactError) Error() string { return fmt.Sprintf("riga %d: %s", e.Line, e.Msg) }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// opener reports whether src[i:] starts an omissis: "||" not preceded by '|' and followed
// by a character that is neither a bar nor a space (so empty table cells, "| a || b |",
// are not omissis).
func opener(src []byte, i int) bool {
	return i+2 < len(src) && src[i] == '|' && src[i+1] == '|' &&
		(i == 0 || src[i-1] != '|') && !isSpace(src[i+2]) && src[i+2] != '|'
}

// closer reports whether src[i:] closes an omissis: "||" preceded by a non-space and not
// followed by another bar.
func closer(src []byte, i int) bool {
	return i+1 < len(src) && src[i] == '|' && src[i+1] == '|' &&
		i > 0 && !isSpace(src[i-1]) && src[i-1] != '|' && (i+2 == len(src) || src[i+2] != '|')
}

// Redact replaces the text of every omissis, ||like this||, with the word omissis, so that
// no later stage ever holds it. An omissis may span lines but not paragraphs; one that is
// not closed is an error, since its text would otherwise be published.
func Redact(src []byte) ([]byte, error) {
	if !bytes.Contains(src, []byte("||")) {
		return src, nil
	}
	out := make([]byte, 0, len(src))
	line := 1
	for i := 0; i < len(src); {
		if n := bars(src, i); n >= 3 && (i > 0 && !isSpace(src[i-1]) || i+n < len(src) && !isSpace(src[i+n])) {
			// More than two bars against a text: an omissis the rules of opener and
			// closer do not read ("|||Mario Rossi|||"), whose text would be published.
			return nil, &RedactError{Line: line, Msg: "più di due barre (|||) accanto a un testo: se è un omissis il suo testo sarebbe pubblicato; scrivi due barre prima e due dopo il testo da nascondere, ||così||, e nelle tabelle separa le celle vuote con uno spazio, | |"}
		}
		if !opener(src, i) && closer(src, i) {
			// Two bars that close an omissis where none is open: the bars do not pair up
			// ("|||Mario Rossi||", "||a||Mario Rossi||"), and the text before them, meant
			// to be hidden, would be published.
			return nil, &RedactError{Line: line, Msg: "due barre || chiudono un omissis che non è aperto: il testo prima sarebbe pubblicato; scrivi due barre prima e due dopo il testo da nascondere, ||così||"}
		}
		if !opener(src, i) {
			if src[i] == '\n' {
				line++
			}
			out = append(out, src[i])
			i++
			continue
		}
		startLine := line
		j := i + 2
		for ; j < len(src); j++ {
			if src[j] == '\n' {
				line++
				if k := skipBlank(src, j+1); k == len(src) || src[k] == '\n' {
					j = len(src) // a blank line ends the paragraph
					break
				}
			}
			if closer(src, j) {
				break
			}
		}
		if j >= len(src) {
			return nil, &RedactError{Line: startLine, Msg: "l'omissis aperto con || non è chiuso: il suo testo sarebbe pubblicato; chiudilo con || nello stesso paragrafo"}
		}
		out = append(out, "||"+OmissisWord+"||"...)
		i = j + 2
	}
	return out, nil
}

// bars is the length of the run of bars that starts at src[i], or 0 when src[i] is not a
// bar or the bar before it begins the run.
func bars(src []byte, i int) int {
	if i > 0 && src[i-1] == '|' {
		return 0
	}
	n := 0
	for i+n < len(src) && src[i+n] == '|' {
		n++
	}
	return n
}

// skipBlank returns the index of the first byte at or after i that is not a space or tab.
func skipBlank(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\r') {
		i++
	}
	return i
}

// KindOmissis is the node kind of an omissis.
var KindOmissis = ast.NewNodeKind("Omissis")

// Omissis is an inline node standing for redacted text. It holds none of that text.
type Omissis struct{ ast.BaseInline }

// Kind implements ast.Node.
func (n *Omissis) Kind() ast.NodeKind { return KindOmissis }

// Dump implements ast.Node.
func (n *Omissis) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

type omissisParser struct{}

func (omissisParser) Trigger() []byte { return []byte{'|'} }

func (omissisParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if block.PrecendingCharacter() == '|' || !opener(line, 0) {
		return nil
	}
	for j := 2; j < len(line); j++ {
		if closer(line, j) {
			block.Advance(j + 2)
			return &Omissis{}
		}
	}
	return nil
}

type omissisRenderer struct{}

func (omissisRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindOmissis, func(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(`<span class="omissis">` + OmissisWord + `</span>`)
		}
		return ast.WalkSkipChildren, nil
	})
}

type omissisExtension struct{}

// OmissisExtension renders ||text|| as the word omissis and drops the text. Use it on
// text that went through Redact, which also catches omissis that span lines or are left
// open.
var OmissisExtension goldmark.Extender = omissisExtension{}

func (omissisExtension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(util.Prioritized(omissisParser{}, 50)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(omissisRenderer{}, 50)))
}
