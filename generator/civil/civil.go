// Package civil is a calendar date without time of day or time zone: the unit in which
// the albo's law is written (first day, last day, the day after).
package civil

import (
	"fmt"
	"strconv"
	"time"

	"github.com/borgoesempio/albo/generator/msg"
)

// epochOffset shifts day numbers so that the zero Date means "no date".
const epochOffset = 1 << 22

// Date is a day of the proleptic Gregorian calendar. The zero value is no date.
type Date struct{ n int32 }

// New returns the date y-m-d, normalising out-of-range days as time.Date does.
func New(y int, m time.Month, d int) Date {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Date{int32(t.Unix()/86400) + epochOffset}
}

// Parse reads an ISO date (2026-11-23) and refuses impossible ones (2026-02-30).
func Parse(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return Date{}, fmt.Errorf("%s", msg.T("%q non è una data valida: scrivila AAAA-MM-GG, per esempio 2026-11-23", s))
	}
	return New(t.Date()), nil
}

// In returns the local date of t in loc.
func In(t time.Time, loc *time.Location) Date {
	return New(t.In(loc).Date())
}

// IsZero reports whether d is the zero value (no date).
func (d Date) IsZero() bool { return d.n == 0 }

// AddDays returns d plus n days.
func (d Date) AddDays(n int) Date { return Date{d.n + int32(n)} }

// Sub returns the number of days from e to d.
func (d Date) Sub(e Date) int { return int(d.n - e.n) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.n < e.n }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.n > e.n }

// utc is the date at 00:00 UTC, for calendar arithmetic only.
func (d Date) utc() time.Time { return time.Unix(int64(d.n-epochOffset)*86400, 0).UTC() }

// Date returns the year, month and day of d.
func (d Date) Date() (int, time.Month, int) { return d.utc().Date() }

// Year returns the year of d.
func (d Date) Year() int { return d.utc().Year() }

// Start returns 00:00 of d in loc. On a day whose midnight does not exist (a DST jump at
// 00:00) it is the first instant of the day.
func (d Date) Start(loc *time.Location) time.Time {
	y, m, dd := d.Date()
	t := time.Date(y, m, dd, 0, 0, 0, 0, loc)
	if In(t, loc) != d { // normalised into the previous day: midnight skipped
		t = time.Date(y, m, dd, 1, 0, 0, 0, loc)
	}
	return t
}

// Number returns the date as a number of days (0 for no date): how the memos albo keeps
// between builds write it. FromNumber is its inverse.
func (d Date) Number() int32 { return d.n }

// FromNumber returns the date whose Number is n.
func FromNumber(n int32) Date { return Date{n} }

// String returns the ISO form, 2026-11-23, or "" for the zero date.
func (d Date) String() string {
	var b [16]byte
	return string(d.AppendISO(b[:0]))
}

// Italian returns the form used on the albo's pages, 23/11/2026.
func (d Date) Italian() string {
	var b [16]byte
	return string(d.AppendItalian(b[:0]))
}

// AppendISO appends String's form of d to b. Dates are written on every page, row, line of
// open data and key of an act, and time.Format parses its layout each time.
func (d Date) AppendISO(b []byte) []byte { return d.appendForm(b, '-', true) }

// AppendItalian appends Italian's form of d to b.
func (d Date) AppendItalian(b []byte) []byte { return d.appendForm(b, '/', false) }

// appendForm appends d's year (4 digits at least), month and day (2 each), joined by sep,
// from the year or from the day; nothing for the zero date.
func (d Date) appendForm(b []byte, sep byte, yearFirst bool) []byte {
	if d.IsZero() {
		return b
	}
	y, m, day := d.Date()
	first, last, firstWidth, lastWidth := y, day, 4, 2
	if !yearFirst {
		first, last, firstWidth, lastWidth = day, y, 2, 4
	}
	b = appendPadded(b, first, firstWidth)
	b = appendPadded(append(b, sep), int(m), 2)
	return appendPadded(append(b, sep), last, lastWidth)
}

// appendPadded appends x in decimal with at least width digits, as time.Format writes a
// year ("2006": -0044, 10000), a month or a day ("01", "02").
func appendPadded(b []byte, x, width int) []byte {
	if x < 0 {
		b, x = append(b, '-'), -x
	}
	var buf [20]byte
	digits := strconv.AppendInt(buf[:0], int64(x), 10)
	for range width - len(digits) {
		b = append(b, '0')
	}
	return append(b, digits...)
}

// ParseNow reads the --now flag: a date, taken as 00:00 of that day in loc, or an RFC 3339
// instant.
func ParseNow(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	d, err := Parse(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s", msg.T("--now %q: scrivi una data (2026-11-23) o un istante RFC 3339 (2026-11-23T10:00:00+01:00)", s))
	}
	return d.Start(loc), nil
}
