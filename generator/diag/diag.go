// Package diag holds the problems albo finds in a site: each one names a file and a line,
// says what is wrong and what to do about it.
package diag

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/borgoesempio/albo/generator/msg"
)

// Problem is one thing wrong in a site, at a place in a file.
type Problem struct {
	Path string // slash path relative to the site, e.g. content/2026/x.md
	Line int    // 1-based; 0 when the problem concerns the whole file
	Msg  string // what is wrong
	Hint string // what to do; may be empty

	Level Level  // Errore, Avviso or Informazione
	Code  string // a stable name of the kind of problem, for albo check --format json
}

// Level is how serious a problem is.
type Level int

const (
	// Errore: something that must be corrected; exit status 1.
	Errore Level = iota
	// Avviso: something staff should look at; it stops nothing, but albo check --strict
	// counts it as an error.
	Avviso
	// Informazione: something worth knowing, never counted as a problem.
	Informazione
)

// String returns the level's name in albo check --format json: errore, avviso, informazione.
func (l Level) String() string { return [...]string{"errore", "avviso", "informazione"}[l] }

// IsError reports whether the problem is an error.
func (p *Problem) IsError() bool { return p.Level == Errore }

// Error formats the problem as path:line: msg; hint, with "avviso: " or "nota: " before the
// message of the other levels.
func (p *Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.Path)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	switch p.Level {
	case Avviso:
		b.WriteString("avviso: ")
	case Informazione:
		b.WriteString("nota: ")
	}
	b.WriteString(p.Msg)
	if p.Hint != "" {
		b.WriteString("; ")
		b.WriteString(p.Hint)
	}
	return Printable(b.String())
}

// Printable returns s with every control character but the line ending replaced by
// U+FFFD: a text from a site's files shown on a terminal cannot move its cursor, change
// its colours or its title.
func Printable(s string) string {
	bad := func(r rune) bool { return IsControl(r) || r == '\r' }
	if strings.IndexFunc(s, bad) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if bad(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// IsControl reports whether r is a control character other than tab and the line
// endings: C0, DEL, C1.
func IsControl(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f || r >= 0x80 && r <= 0x9f
}

// Warn builds a warning with its code.
func Warn(code, path string, line int, hint string, format string, args ...any) *Problem {
	p := At(path, line, hint, format, args...)
	p.Level, p.Code = Avviso, code
	return p
}

// Error builds an error with its code.
func Error(code, path string, line int, hint string, format string, args ...any) *Problem {
	p := At(path, line, hint, format, args...)
	p.Code = code
	return p
}

// Info builds an information line with its code.
func Info(code, path string, line int, hint string, format string, args ...any) *Problem {
	p := At(path, line, hint, format, args...)
	p.Level, p.Code = Informazione, code
	return p
}

// At builds a problem: format and hint are messages of the catalogue (package msg).
func At(path string, line int, hint string, format string, args ...any) *Problem {
	return &Problem{Path: path, Line: line, Msg: msg.T(format, args...), Hint: msg.T(hint)}
}

// List is every problem found in one pass, so staff fix them all at once.
type List []*Problem

// Error lists the problems one per line, in file and line order.
func (l List) Error() string {
	lines := make([]string, len(l))
	for i, p := range l {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Sort orders the list by path and line.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].Path != l[j].Path {
			return l[i].Path < l[j].Path
		}
		return l[i].Line < l[j].Line
	})
}

// Err returns the sorted list as an error, or nil when it is empty.
func (l List) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}

// Of returns the problems of the file at path.
func (l List) Of(path string) List {
	var out List
	for _, p := range l {
		if p.Path == path {
			out = append(out, p)
		}
	}
	return out
}

// Problems extracts the problems carried by err (a List, a Problem, or wrappers of them).
func Problems(err error) List {
	var l List
	if errors.As(err, &l) {
		return l
	}
	var p *Problem
	if errors.As(err, &p) {
		return List{p}
	}
	return nil
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
