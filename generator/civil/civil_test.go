package civil

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	for _, ok := range []string{"2026-11-23", "2028-02-29", "2026-12-31"} {
		if d, err := Parse(ok); err != nil || d.String() != ok {
			t.Errorf("Parse(%q) = %v, %v", ok, d, err)
		}
	}
	for _, bad := range []string{"2026-02-29", "2026-02-30", "2026-13-01", "23/11/2026", "", "2026-1-1"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted an invalid date", bad)
		}
	}
}

func TestArithmetic(t *testing.T) {
	d := New(2026, 12, 20)
	if got := d.AddDays(15).String(); got != "2027-01-04" {
		t.Errorf("AddDays across the year: %s", got)
	}
	if got := New(2028, 2, 28).AddDays(1).Italian(); got != "29/02/2028" {
		t.Errorf("leap day: %s", got)
	}
	if New(2027, 1, 4).Sub(d) != 15 || !d.Before(d.AddDays(1)) || (Date{}).String() != "" || !(Date{}).IsZero() {
		t.Error("Sub/Before/zero")
	}
}

func TestStartAndIn(t *testing.T) {
	rome, _ := time.LoadLocation("Europe/Rome")
	// 25 October 2026 has 25 hours in Rome; its midnight is still +02:00.
	if got := New(2026, 10, 25).Start(rome).Format(time.RFC3339); got != "2026-10-25T00:00:00+02:00" {
		t.Errorf("Start: %s", got)
	}
	if got := New(2026, 10, 26).Start(rome).Format(time.RFC3339); got != "2026-10-26T00:00:00+01:00" {
		t.Errorf("Start: %s", got)
	}
	// Midnight does not exist in America/Santiago on 6 September 2026 (clocks jump to 01:00).
	santiago, _ := time.LoadLocation("America/Santiago")
	if s := New(2026, 9, 6).Start(santiago); In(s, santiago) != New(2026, 9, 6) {
		t.Errorf("Start on a day without midnight: %s", s)
	}
	if In(time.Date(2026, 11, 22, 23, 30, 0, 0, time.UTC), rome) != New(2026, 11, 23) {
		t.Error("In: 23:30 UTC is already the next day in Rome")
	}
}

func TestParseNow(t *testing.T) {
	rome, _ := time.LoadLocation("Europe/Rome")
	if n, err := ParseNow("2026-11-23", rome); err != nil || n.Format(time.RFC3339) != "2026-11-23T00:00:00+01:00" {
		t.Errorf("ParseNow date: %v %v", n, err)
	}
	if n, err := ParseNow("2026-11-30T23:59:58+01:00", rome); err != nil || n.Unix() != time.Date(2026, 11, 30, 22, 59, 58, 0, time.UTC).Unix() {
		t.Errorf("ParseNow instant: %v %v", n, err)
	}
	if _, err := ParseNow("domani", rome); err == nil {
		t.Error("ParseNow accepted nonsense")
	}
}

func FuzzParse(f *testing.F) {
	f.Add("2026-11-23")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Parse(s)
		if err == nil && d.String() != s {
			t.Fatalf("Parse(%q) round-trips to %q", s, d)
		}
	})
}

// TestFormsAreTimes: String and Italian write what time.Format writes for the same day,
// every day from 1800 to 2200 and at the ends of the range (years before 1000, after 9999,
// before year 1), and nothing for the zero date.
func TestFormsAreTimes(t *testing.T) {
	check := func(d Date) {
		t.Helper()
		u := d.utc()
		if got, want := d.String(), u.Format("2006-01-02"); got != want {
			t.Fatalf("String() = %q, time.Format %q", got, want)
		}
		if got, want := d.Italian(), u.Format("02/01/2006"); got != want {
			t.Fatalf("Italian() = %q, time.Format %q", got, want)
		}
	}
	for d, end := New(1800, 1, 1), New(2200, 1, 1); d.Before(end); d = d.AddDays(1) {
		check(d)
	}
	for _, y := range []int{-44, -1, 0, 1, 9, 99, 999, 9999, 10000, 123456} {
		check(New(y, time.March, 7))
	}
	if (Date{}).String() != "" || (Date{}).Italian() != "" {
		t.Fatal("the zero date is written")
	}
}
