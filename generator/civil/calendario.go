package civil

import (
	"fmt"
	"time"

	"github.com/borgoesempio/albo/generator/msg"
)

// Calendar says which days count in a term of the law: seed 003 art. 10, "nel computo dei
// termini non si tiene conto dei giorni festivi secondo il calendario e, per gli uffici che
// effettuano servizio su cinque giorni settimanali, del giorno di sabato". A holiday is a
// Sunday, a national holiday (L. 260/1949 and later laws), the patron saint's day of the
// comune, and a Saturday where the office is open five days a week.
type Calendar struct {
	Patrono       Giorno // the patron saint's day; zero: none
	SabatoFestivo bool   // the office works five days a week
}

// Giorno is a day of every year, as month and day (the patron saint's day, 13 June).
type Giorno struct {
	Mese   time.Month
	Giorno int
}

// IsZero reports whether g is no day.
func (g Giorno) IsZero() bool { return g.Mese == 0 }

// ParseGiorno reads a day of every year written MM-DD ("06-13"), refusing a day that no
// year has; 02-29 is refused too, as a holiday must come every year.
func ParseGiorno(s string) (Giorno, error) {
	t, err := time.Parse("01-02", s)
	if err != nil || len(s) != 5 || s == "02-29" {
		return Giorno{}, fmt.Errorf("%s", msg.T("%q non è un giorno dell'anno: scrivilo MM-GG, per esempio \"06-13\" per il 13 giugno", s))
	}
	return Giorno{t.Month(), t.Day()}, nil
}

// String returns the form of albo.yaml, 06-13.
func (g Giorno) String() string { return fmt.Sprintf("%02d-%02d", int(g.Mese), g.Giorno) }

// nationalHolidays are the national holidays on a fixed day, with the year they began to
// be one (or 0) and their name. 4 October, San Francesco d'Assisi, is a holiday again from
// 2026 (L. 151/2025).
var nationalHolidays = []struct {
	day  Giorno
	from int
	nome string
}{
	{Giorno{time.January, 1}, 0, "Capodanno"},
	{Giorno{time.January, 6}, 0, "Epifania"},
	{Giorno{time.April, 25}, 0, "Festa della Liberazione"},
	{Giorno{time.May, 1}, 0, "Festa del lavoro"},
	{Giorno{time.June, 2}, 0, "Festa della Repubblica"},
	{Giorno{time.August, 15}, 0, "Assunzione (Ferragosto)"},
	{Giorno{time.October, 4}, 2026, "San Francesco d'Assisi"},
	{Giorno{time.November, 1}, 0, "Ognissanti"},
	{Giorno{time.December, 8}, 0, "Immacolata Concezione"},
	{Giorno{time.December, 25}, 0, "Natale"},
	{Giorno{time.December, 26}, 0, "Santo Stefano"},
}

// Easter returns Easter Sunday of year y in the Gregorian calendar (the anonymous
// Gregorian computus, Meeus/Jones/Butcher).
func Easter(y int) Date {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return New(y, time.Month(month), day)
}

// Holiday returns why d does not count in a term ("domenica", "Natale", "festa del santo
// patrono", "sabato"), or "" for a working day.
func (c Calendar) Holiday(d Date) string {
	y, m, day := d.Date()
	g := Giorno{m, day}
	for _, h := range nationalHolidays {
		if h.day == g && y >= h.from {
			return h.nome
		}
	}
	if d == Easter(y).AddDays(1) {
		return "Lunedì dell'Angelo"
	}
	if !c.Patrono.IsZero() && g == c.Patrono {
		return "festa del santo patrono"
	}
	switch d.utc().Weekday() {
	case time.Sunday:
		return "domenica"
	case time.Saturday:
		if c.SabatoFestivo {
			return "sabato"
		}
	}
	return ""
}

// Working reports whether d counts in a term.
func (c Calendar) Working(d Date) bool { return c.Holiday(d) == "" }

// AddWorking returns the day on which a term of n working days from d ends: the nth
// working day after d (d itself, the day of the event, is not counted).
func (c Calendar) AddWorking(d Date, n int) Date {
	for n > 0 {
		d = d.AddDays(1)
		if c.Working(d) {
			n--
		}
	}
	return d
}

// Late returns by how many working days something done on day done is past a term that
// ended on due: 0 when done is not after due. A day that does not count is as the next
// one that does, so a term missed by a Saturday of a five-day office is missed by one day.
func (c Calendar) Late(due, done Date) int {
	if !done.After(due) {
		return 0
	}
	for !c.Working(done) {
		done = done.AddDays(1)
	}
	n := 0
	for d := due.AddDays(1); !d.After(done); d = d.AddDays(1) {
		if c.Working(d) {
			n++
		}
	}
	return n
}
