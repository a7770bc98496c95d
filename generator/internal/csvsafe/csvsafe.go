// Package csvsafe writes CSV that no spreadsheet can take for formulas ("CSV injection",
// OWASP): a cell that begins with =, +, -, @, a tab or a carriage return gets a single
// quote before it, which spreadsheets show as text and readers of the data can strip.
package csvsafe

import (
	"bytes"
	"encoding/csv"
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
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	safe := make([]string, len(fields))
	for i, f := range fields {
		safe[i] = Cell(f)
	}
	w.Write(safe)
	w.Flush()
	return b.Bytes()
}
