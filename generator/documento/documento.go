// Package documento looks inside a PDF attachment before it is sealed: the text of each
// page, for the personal-data checks; whether it has any text at all (a scan without a
// text layer is not accessible, EN 301 549); and whether it declares itself PDF/A, the
// format ANAC and the AgID guidelines prefer for publication.
package documento

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strings"

	"github.com/ledongthuc/pdf"
)

// PDF is what albo reads of a PDF.
type PDF struct {
	Pages []string // the text of each page, as a reader extracts it
	PDFA  string   // the PDF/A part and conformance it declares ("2B"), or ""
}

// HasText reports whether any page has text.
func (p *PDF) HasText() bool {
	for _, t := range p.Pages {
		if strings.TrimSpace(t) != "" {
			return true
		}
	}
	return false
}

// ErrUnreadable is the error of a file that is not a PDF albo can read.
var ErrUnreadable = errors.New("il PDF non si può leggere")

// MaxPages is how many pages are read: enough for any act; a longer PDF is read in its
// first MaxPages pages.
const MaxPages = 500

// pageTree reports whether the page tree under v is a tree a reader can walk: no deeper
// than 32 levels, with fewer nodes than the budget (a node that lists itself among its
// kids, or an ancestor, makes an endless tree and exhausts both).
func pageTree(v pdf.Value, depth int, budget *int) bool {
	if depth > 32 || *budget <= 0 {
		return false
	}
	*budget--
	kids := v.Key("Kids")
	for i := range kids.Len() {
		if k := kids.Index(i); k.Key("Type").Name() == "Pages" || k.Key("Kids").Kind() == pdf.Array {
			if !pageTree(k, depth+1, budget) {
				return false
			}
		} else {
			*budget--
		}
	}
	return *budget > 0
}

var pdfaPart = regexp.MustCompile(`pdfaid:part(?:>|=")\s*(\d)`)
var pdfaConf = regexp.MustCompile(`pdfaid:conformance(?:>|=")\s*([ABUabu])`)

// Read reads a PDF's text, page by page, and its PDF/A declaration. A file it cannot read
// (broken, encrypted, hostile) gives ErrUnreadable, never a panic.
func Read(data []byte) (doc *PDF, err error) {
	defer func() {
		if recover() != nil {
			doc, err = nil, ErrUnreadable
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, ErrUnreadable
	}
	root := r.Trailer().Key("Root").Key("Pages")
	budget := 4 * MaxPages
	if !pageTree(root, 0, &budget) {
		return nil, ErrUnreadable // a page tree that loops, or far too deep, would never end
	}
	doc = &PDF{}
	for i := 1; i <= min(r.NumPage(), MaxPages); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			doc.Pages = append(doc.Pages, "")
			continue
		}
		text, err := p.GetPlainText(nil)
		if err != nil {
			text = ""
		}
		doc.Pages = append(doc.Pages, text)
	}
	if m := r.Trailer().Key("Root").Key("Metadata"); m.Kind() == pdf.Stream {
		if b, err := io.ReadAll(io.LimitReader(m.Reader(), 1<<20)); err == nil {
			if p := pdfaPart.FindSubmatch(b); p != nil {
				doc.PDFA = string(p[1])
				if c := pdfaConf.FindSubmatch(b); c != nil {
					doc.PDFA += strings.ToUpper(string(c[1]))
				}
			}
		}
	}
	return doc, nil
}
