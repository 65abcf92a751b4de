package interpretation

import (
	"testing"
	"time"

	"github.com/plenary/plenary/services/platform/problem"
)

func TestParseRange(t *testing.T) {
	cases := []struct {
		in       RangeInput
		from, to string // RFC 3339, when valid
		code     string
	}{
		{RangeInput{From: "2026-12-01", To: "2026-12-15"}, "2026-12-01T00:00:00Z", "2026-12-15T00:00:00Z", ""},
		{RangeInput{From: "2026-12-01", To: "2026-12-02", TZ: "GMT-3"}, "2026-12-01T03:00:00Z", "2026-12-02T03:00:00Z", ""},
		{RangeInput{From: "2026-12-08T18:15", To: "2026-12-08T19:00", TZ: "Asia/Tokyo"}, "2026-12-08T09:15:00Z", "2026-12-08T10:00:00Z", ""},
		{RangeInput{From: "2026-12-08T10:00+01:00", To: "2026-12-08T12:00Z"}, "2026-12-08T09:00:00Z", "2026-12-08T12:00:00Z", ""},
		// Santiago moves its clocks at midnight: the day starts at the first minute it has.
		{RangeInput{From: "2026-09-06", To: "2026-09-07", TZ: "America/Santiago"}, "2026-09-06T04:00:00Z", "2026-09-07T03:00:00Z", ""},
		{RangeInput{From: "2026-12-15", To: "2026-12-01"}, "", "", "invalid_range"},
		{RangeInput{From: "2026-01-01", To: "2026-06-01"}, "", "", "range_too_large"},
		{RangeInput{From: "2026-02-30", To: "2026-03-01"}, "", "", "invalid_range"},
		{RangeInput{To: "2026-03-01"}, "", "", "invalid_range"},
		{RangeInput{From: "2026-12-01", To: "2026-12-02", TZ: "Nowhere/City"}, "", "", "unknown_zone"},
	}
	for _, c := range cases {
		from, to, err := ParseRange(c.in)
		if c.code != "" {
			if pe := problem.From(err); err == nil || pe.Code != c.code || pe.Kind == problem.KindInternal {
				t.Errorf("ParseRange(%+v) = %v, want %s", c.in, err, c.code)
			}
			continue
		}
		if err != nil || from.Format(time.RFC3339) != c.from || to.Format(time.RFC3339) != c.to {
			t.Errorf("ParseRange(%+v) = %s, %s, %v; want %s, %s", c.in, from.Format(time.RFC3339), to.Format(time.RFC3339), err, c.from, c.to)
		}
	}
}

// Whatever a client sends as a range, the answer is a range within the bounds or a 4xx
// problem with a code, never a panic or an internal error.
func FuzzParseRange(f *testing.F) {
	for _, s := range [][3]string{
		{"2026-12-01", "2026-12-15", "Europe/Paris"}, {"2026-12-08T18:15", "2026-12-08T19:00", "Asia/Tokyo"},
		{"2026-09-06", "2026-09-07", "America/Santiago"}, {"2026-03-29T02:30", "2026-03-30", "CET"},
		{"2026-12-01T00:00+14:00", "2026-12-01T00:00-12:00", "GMT-3"}, {"0001-01-01", "9999-12-31", ""},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, from, to, tz string) {
		a, b, err := ParseRange(RangeInput{From: from, To: to, TZ: tz})
		if err != nil {
			if pe := problem.From(err); pe.Kind == problem.KindInternal || pe.Code == "" || pe.Kind.Status() >= 500 {
				t.Fatalf("ParseRange(%q, %q, %q): %v is not a client error", from, to, tz, err)
			}
			return
		}
		if !b.After(a) || b.Sub(a) > maxRangeDays*24*time.Hour || a.Location() != time.UTC || b.Location() != time.UTC {
			t.Fatalf("ParseRange(%q, %q, %q) = %s, %s", from, to, tz, a, b)
		}
	})
}

func TestRangeBoundInAGap(t *testing.T) {
	// Paris skips 02:00-03:00 on 2027-03-28: 02:30 bounds a range at the jump, 01:00Z.
	from, _, err := ParseRange(RangeInput{From: "2027-03-28T02:30", To: "2027-03-29", TZ: "Europe/Paris"})
	if err != nil || !from.Equal(time.Date(2027, 3, 28, 1, 0, 0, 0, time.UTC)) {
		t.Fatalf("from %s, %v", from, err)
	}
}
