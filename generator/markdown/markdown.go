// Package markdown turns the body of an act into HTML: CommonMark with tables, raw HTML
// never rendered, and the omissis extension that keeps redacted text out of every output.
package markdown

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// New returns the Markdown converter of albo. It is safe for concurrent use.
func New() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, OmissisExtension),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(headingShift{}, 100))),
	)
}

// headingShift moves every heading of a body one level down: the page's own title is the
// only h1, so screen-reader users get a sound outline.
type headingShift struct{}

func (headingShift) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering && h.Level < 6 {
			h.Level++
		}
		return ast.WalkContinue, nil
	})
}

// Converter renders act bodies.
type Converter struct{ md goldmark.Markdown }

// NewConverter returns a converter.
func NewConverter() *Converter { return &Converter{md: New()} }

// Write renders a redacted body to HTML at the end of out.
func (c *Converter) Write(out *bytes.Buffer, body []byte) error {
	out.Grow(len(body) * 3 / 2)
	return c.md.Convert(body, buffer{out})
}

// buffer is a bytes.Buffer that goldmark writes into directly: it is the util.BufWriter
// goldmark would otherwise wrap it in (a 4 KB bufio.Writer made for every act).
type buffer struct{ *bytes.Buffer }

func (buffer) Buffered() int { return 0 }
func (buffer) Flush() error  { return nil }

var _ util.BufWriter = buffer{}
