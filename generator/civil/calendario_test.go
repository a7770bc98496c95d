package civil

import (
	"testing"
	"time"
)

func d(s string) Date {
	x, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return x
}

// TestEaster: the computus against the dates of the Roman calendar.
func TestEaster(t *testing.T) {
	for y, want := range map[int]string{
		1961: "1961-04-02", 2000: "2000-04-23", 2008: "2008-03-23", 2011: "2011-04-24",
		2019: "2019-04-21", 2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05",
		2027: "2027-03-28", 2028: "2028-04-16", 2038: "2038-04-25", 2285: "2285-03-22",
	} {
		if got := Easter(y).String(); got != want {
			t.Errorf("Easter(%d) = %s, want %s", y, got, want)
		}
	}
}

// TestHoliday: every national holiday, Easter Monday of the years around 2026, 4 October
// from 2026 only, the patron saint, Sundays and, for a five-day office, Saturdays.
func TestHoliday(t *testing.T) {
	patrono := Calendar{Patrono: Giorno{time.June, 13}}
	five := Calendar{SabatoFestivo: true}
	for _, c := range []struct {
		cal  Calendar
		day  string
		want string
	}{
		{Calendar{}, "2026-01-01", "Capodanno"},
		{Calendar{}, "2026-01-06", "Epifania"},
		{Calendar{}, "2026-04-25", "Festa della Liberazione"},
		{Calendar{}, "2026-05-01", "Festa del lavoro"},
		{Calendar{}, "2026-06-02", "Festa della Repubblica"},
		{Calendar{}, "2026-08-15", "Assunzione (Ferragosto)"},
		{Calendar{}, "2026-11-01", "Ognissanti"},
		{Calendar{}, "2026-12-08", "Immacolata Concezione"},
		{Calendar{}, "2026-12-25", "Natale"},
		{Calendar{}, "2026-12-26", "Santo Stefano"},
		{Calendar{}, "2025-04-21", "Lunedì dell'Angelo"},
		{Calendar{}, "2026-04-06", "Lunedì dell'Angelo"},
		{Calendar{}, "2027-03-29", "Lunedì dell'Angelo"},
		{Calendar{}, "2026-04-07", ""},         // the Tuesday after Easter
		{Calendar{}, "2026-04-05", "domenica"}, // Easter itself is a Sunday
		{Calendar{}, "2026-10-04", "San Francesco d'Assisi"},
		{Calendar{}, "2027-10-04", "San Francesco d'Assisi"},
		{Calendar{}, "2025-10-04", ""},                     // a Saturday of 2025, before the law
		{Calendar{}, "2024-10-04", ""},                     // a Friday
		{Calendar{}, "2026-06-13", ""},                     // a Saturday
		{patrono, "2027-06-13", "festa del santo patrono"}, // a Sunday too
		{patrono, "2028-06-13", "festa del santo patrono"}, // a Tuesday
		{Calendar{}, "2028-06-13", ""},
		{Calendar{}, "2026-11-29", "domenica"},
		{Calendar{}, "2026-11-28", ""},
		{five, "2026-11-28", "sabato"},
		{five, "2026-11-30", ""},
	} {
		if got := c.cal.Holiday(d(c.day)); got != c.want {
			t.Errorf("%+v.Holiday(%s) = %q, want %q", c.cal, c.day, got, c.want)
		}
	}
}

// TestWorkingTerms: terms of working days across a weekend, Easter and 4 October 2026, and
// by how many working days a day is past one.
func TestWorkingTerms(t *testing.T) {
	five := Calendar{SabatoFestivo: true}
	for _, c := range []struct {
		cal  Calendar
		from string
		n    int
		due  string
	}{
		{Calendar{}, "2026-11-20", 1, "2026-11-21"}, // Friday → Saturday
		{five, "2026-11-20", 1, "2026-11-23"},       // Friday → Monday
		{Calendar{}, "2026-11-21", 1, "2026-11-23"}, // Saturday → Monday, over Sunday
		{Calendar{}, "2026-04-03", 1, "2026-04-04"}, // Good Friday → Saturday
		{Calendar{}, "2026-04-04", 1, "2026-04-07"}, // over Easter and its Monday
		{Calendar{}, "2026-10-02", 1, "2026-10-03"},
		{five, "2026-10-02", 1, "2026-10-05"}, // 3 Saturday, 4 Sunday and San Francesco
		{Calendar{}, "2026-10-03", 1, "2026-10-05"},
		{Calendar{}, "2026-11-18", 10, "2026-11-30"},
		{five, "2026-11-18", 10, "2026-12-02"},
		{five, "2026-11-18", 20, "2026-12-17"}, // 8 December skipped
		{Calendar{}, "2026-12-23", 2, "2026-12-28"},
		{Calendar{}, "2026-11-20", 0, "2026-11-20"},
	} {
		if got := c.cal.AddWorking(d(c.from), c.n).String(); got != c.due {
			t.Errorf("%+v.AddWorking(%s, %d) = %s, want %s", c.cal, c.from, c.n, got, c.due)
		}
	}
	for _, c := range []struct {
		cal       Calendar
		due, done string
		late      int
	}{
		{Calendar{}, "2026-11-20", "2026-11-19", 0},
		{Calendar{}, "2026-11-20", "2026-11-20", 0},
		{Calendar{}, "2026-11-20", "2026-11-21", 1},
		{Calendar{}, "2026-11-20", "2026-11-23", 2}, // Saturday and Monday
		{five, "2026-11-20", "2026-11-23", 1},       // Monday only
		{five, "2026-11-20", "2026-11-21", 1},       // a Saturday counts as the Monday after it
		{five, "2026-11-20", "2026-11-24", 2},
		{Calendar{}, "2026-04-04", "2026-04-07", 1}, // Easter and its Monday do not count
		{Calendar{}, "2026-04-04", "2026-04-08", 2},
		{Calendar{}, "2026-10-03", "2026-10-05", 1}, // 4 October 2026 does not count
		{Calendar{}, "2025-10-03", "2025-10-06", 2}, // 4 October 2025, a Saturday, did
	} {
		if got := c.cal.Late(d(c.due), d(c.done)); got != c.late {
			t.Errorf("%+v.Late(%s, %s) = %d, want %d", c.cal, c.due, c.done, got, c.late)
		}
	}
}

func TestParseGiorno(t *testing.T) {
	for s, ok := range map[string]bool{"06-13": true, "12-31": true, "01-01": true, "02-28": true,
		"02-29": false, "02-30": false, "13-01": false, "6-13": false, "06/13": false, "": false, "2026-06-13": false} {
		g, err := ParseGiorno(s)
		if (err == nil) != ok {
			t.Errorf("ParseGiorno(%q) = %v, %v", s, g, err)
		}
		if ok && g.String() != s {
			t.Errorf("ParseGiorno(%q).String() = %q", s, g.String())
		}
	}
}
