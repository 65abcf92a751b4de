package zone

import (
	"testing"
	"time"
)

// TestBriefIsRender: Brief's fields are Render's, for every language Plenary renders and
// a few it does not, in zones on both sides of UTC and across their DST changes.
func TestBriefIsRender(t *testing.T) {
	venue := MustParse("Europe/Zurich").Location
	zones := []string{"UTC", "America/Mexico_City", "Asia/Tokyo", "Australia/Sydney", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"}
	langs := []string{"en", "fr", "fr-CA", "es", "ar", "ar-EG", "ru", "zh", "pt-BR", "de", "en-u-hc-h23", "ar-u-nu-latn"}
	for _, zn := range zones {
		loc := MustParse(zn).Location
		for at := time.Date(2027, 1, 1, 5, 30, 0, 0, time.UTC); at.Year() == 2027; at = at.Add(97*time.Hour + 13*time.Minute) {
			for _, lang := range langs {
				r, b := Render(at, loc, lang, venue), Brief(at, loc, lang, venue)
				if b.Zone != r.Zone || b.Offset != r.Offset || b.Abbrev != r.Abbrev || b.Lang != r.Lang || b.Text != r.Text ||
					b.DayShift != r.DayShift || b.DayShiftText != r.DayShiftText {
					t.Fatalf("%s %s %s: Brief %+v, Render %+v", zn, at, lang, b, r)
				}
			}
		}
	}
	if b := Brief(time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC), nil, "fr", nil); b.Zone != "UTC" || b.Offset != "+00:00" || b.DayShift != 0 {
		t.Fatalf("no zone: %+v", b)
	}
}
