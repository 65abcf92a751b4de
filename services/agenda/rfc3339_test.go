package agenda

import (
	"testing"
	"time"

	"github.com/plenary/plenary/scheduler/zone"
)

// TestFormatRFC3339IsFormat: the agenda's RFC 3339 writer is time.Format's, in zones on
// both sides of UTC, with DST gaps and overlaps, half-hour and 45-minute offsets, zero
// offsets that are not UTC (London in winter), local mean times of seconds (Zurich and
// Kolkata before their standard times), and years at the ends of the range and beyond it.
func TestFormatRFC3339IsFormat(t *testing.T) {
	zones := []string{"UTC", "Europe/London", "Europe/Zurich", "America/New_York", "America/Mexico_City", "America/St_Johns",
		"Asia/Kolkata", "Asia/Kathmandu", "Pacific/Chatham", "Australia/Lord_Howe", "America/Santiago", "Pacific/Apia"}
	var instants []time.Time
	for at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); at.Year() < 2028; at = at.Add(13*time.Hour + 17*time.Minute + 11*time.Second) {
		instants = append(instants, at)
	}
	instants = append(instants, time.Date(1850, 6, 1, 12, 0, 0, 0, time.UTC), time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-5, 3, 1, 0, 0, 0, 0, time.UTC))
	for _, zn := range zones {
		loc := zone.MustParse(zn).Location
		for _, at := range instants {
			if got, want := formatRFC3339(at, loc), at.In(loc).Format(time.RFC3339); got != want {
				t.Fatalf("%s %s: %s, Format %s", zn, at, got, want)
			}
		}
	}
}
