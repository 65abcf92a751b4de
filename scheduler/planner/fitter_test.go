package planner

import (
	"testing"
	"time"
)

// TestFitterAcrossDST: a Fitter over March 2027 sees New York's summer time begin on
// 14 March and Paris's on 28 March (hand-computed from the tz rules, default hours
// 08:00-20:00, each zone half the weight).
func TestFitterAcrossDST(t *testing.T) {
	utc := func(s string) time.Time { t, _ := time.Parse("2006-01-02T15:04", s); return t }
	f, err := NewFitter(utc("2027-03-01T00:00"), utc("2027-04-01T00:00"), []string{"Europe/Paris", "America/New_York"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		start, end string
		share      float64
		why        string
	}{
		{"2027-03-12T12:00", "2027-03-12T13:00", 0.5, "Fri: New York on EST, 07:00-08:00; Paris 13:00"},
		{"2027-03-16T12:00", "2027-03-16T13:00", 0, "Tue: New York on EDT, 08:00-09:00; Paris CET 13:00"},
		{"2027-03-26T06:30", "2027-03-26T07:30", 1, "Fri: Paris CET 07:30, New York 02:30"},
		{"2027-03-30T06:30", "2027-03-30T07:30", 0.5, "Tue: Paris CEST 08:30; New York 02:30"},
		{"2027-03-27T13:00", "2027-03-27T14:00", 1, "Saturday in both"},
	} {
		share, most, err := f.Share(utc(c.start), utc(c.end))
		if err != nil || share != c.share || most != (c.share > 0.5) {
			t.Errorf("%s (%s): share %v mostly %v err %v, want %v", c.start, c.why, share, most, err, c.share)
		}
	}
	if _, _, err := f.Share(utc("2027-03-12T12:00"), utc("2027-03-12T12:00")); code(err) != CodeInvalidDuration {
		t.Errorf("empty session: %v, want %s", err, CodeInvalidDuration)
	}
}

// TestFitterIsFit: for every two hours of 2027, in regions and zones on both
// hemispheres, a Fitter over the year answers what Fit answers per session, including
// outside its span.
func TestFitterIsFit(t *testing.T) {
	from := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(1, 0, 0)
	for _, auds := range [][]string{
		{"African Group", "Western European and Others Group"},
		{"Asia-Pacific Group"},
		{"Latin American and Caribbean Group", "Australia/Sydney"},
		{"Africa, Europe and the Americas"},
	} {
		f, err := NewFitter(from, to, auds)
		if err != nil {
			t.Fatalf("%v: %v", auds, err)
		}
		for s := from.Add(-72 * time.Hour); s.Before(to.Add(72 * time.Hour)); s = s.Add(2*time.Hour + 7*time.Minute) {
			e := s.Add(90 * time.Minute)
			want, err := Fit(s, e, auds)
			if err != nil {
				t.Fatal(err)
			}
			share, most, err := f.Share(s, e)
			if err != nil || share != want.OutsideShare || most != want.MostlyOutside {
				t.Fatalf("%v at %s: %v %v %v, Fit says %v %v", auds, s, share, most, err, want.OutsideShare, want.MostlyOutside)
			}
		}
	}
}
