// Package csvsafe writes CSV that no spreadsheet can take for formulas ("CSV injection",
// OWASP): a cell that begins with =, +, -, @, a tab or a carriage return gets a single
// quote before it, which spreadsheets show as text and readers of the data can strip.
package csvsafe

import (
	"bytes"
	"encoding/csv"
	"sync"
)

// Cell returns s as a cell no spreadsheet evaluates.
func Cell(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}

// Row encodes one RFC 4180 record, with CRLF, of cells made safe.
func Row(fields []string) []byte {
	r := rows.Get().(*rowWriter)
	defer rows.Put(r)
	r.safe = r.safe[:0]
	for _, f := range fields {
		r.safe = append(r.safe, Cell(f))
	}
	r.w.Write(r.safe)
	r.w.Flush()
	clear(r.safe) // the pool holds no cells alive
	out := bytes.Clone(r.b.Bytes())
	r.b.Reset()
	return out
}

// rowWriter is a CSV writer and its buffer, used again from row to row: encoding/csv's
// writer holds a 4 KB buffer of its own (40 MB for the rows of 10,000 acts).
type rowWriter struct {
	b    bytes.Buffer
	w    *csv.Writer
	safe []string
}

var rows = sync.Pool{New: func() any {
	r := &rowWriter{}
	r.w = csv.NewWriter(&r.b)
	r.w.UseCRLF = true
	return r
}}
