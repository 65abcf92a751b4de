package zone

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// briefsZones have DST gaps and overlaps (New York, Zurich, Santiago, Lord Howe's
// half-hour change, Chatham's at +12:45), half-hour and 45-minute offsets (Kolkata,
// St John's, Adelaide, Tehran, Kathmandu, Eucla), a zone that gave up DST (Mexico City)
// and one that skipped a whole day (Apia, 30 December 2011).
var briefsZones = []string{"UTC", "America/New_York", "Europe/Zurich", "America/Santiago", "Australia/Lord_Howe",
	"Pacific/Chatham", "Asia/Kolkata", "America/St_Johns", "Australia/Adelaide", "Asia/Tehran", "Asia/Kathmandu",
	"Australia/Eucla", "America/Mexico_City", "Pacific/Apia", "Asia/Tokyo"}

// briefsLangs are the seven languages Plenary renders, regional variants with other CLDR
// data, -u-hc and -u-nu keywords, and languages written in English.
var briefsLangs = []string{"ar", "ar-EG", "ar-MA", "ar-u-nu-latn", "ar-EG-u-hc-h23", "zh", "zh-Hant", "zh-Hans-SG",
	"en", "en-GB", "en-IN", "en-u-hc-h23", "en-GB-u-hc-h12", "fr", "fr-CA", "fr-CH", "fr-CA-u-hc-h12", "ru", "ru-UA",
	"es", "es-419", "es-MX", "pt", "pt-BR", "pt-PT", "de", "ja-u-hc-h11", "not a tag"}

// briefsInstants are a sweep of two years at an odd step (every time of day and weekday
// comes round), two instants off the minute, and every quarter hour from three hours before to three hours after each
// of loc's offset changes in that span, where the gaps and overlaps are; and the day
// Apia skipped.
func briefsInstants(loc *time.Location) []time.Time {
	var out []time.Time
	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)
	for at := from; at.Before(to); at = at.Add(157*time.Hour + 7*time.Minute) {
		out = append(out, at)
	}
	// Seconds and nanoseconds, which no agenda has but Brief takes.
	out = append(out, time.Date(2027, 3, 14, 7, 59, 59, 0, time.UTC), time.Date(2027, 3, 14, 7, 0, 0, 500, time.UTC))
	_, prev := from.In(loc).Zone()
	for at := from; at.Before(to); at = at.Add(time.Hour) {
		if _, off := at.In(loc).Zone(); off != prev {
			prev = off
			for q := at.Add(-3 * time.Hour); q.Before(at.Add(3 * time.Hour)); q = q.Add(15 * time.Minute) {
				out = append(out, q)
			}
		}
	}
	if loc.String() != "Pacific/Apia" {
		return out
	}
	for q := time.Date(2011, 12, 29, 0, 0, 0, 0, time.UTC); q.Before(time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC)); q = q.Add(45 * time.Minute) {
		out = append(out, q)
	}
	return out
}

// TestBriefsIsBrief: one Briefs per language and venue, shared by every zone and instant
// (so that its remembered days, times and offsets serve other zones), writes what Brief
// and the general Render write, the first time and again from what it remembered.
func TestBriefsIsBrief(t *testing.T) {
	venues := []*time.Location{nil, MustParse("Europe/Zurich").Location}
	instants := map[string][]time.Time{}
	for _, zn := range briefsZones {
		instants[zn] = briefsInstants(MustParse(zn).Location)
	}
	checked := 0
	for _, lang := range briefsLangs {
		for _, venue := range venues {
			b := NewBriefs(lang, venue)
			for pass := range 2 {
				for _, zn := range briefsZones {
					loc := MustParse(zn).Location
					for _, at := range instants[zn] {
						got, want := b.Brief(at, loc), Brief(at, loc, lang, venue)
						if !reflect.DeepEqual(got, want) {
							t.Fatalf("%s %s %s venue %v pass %d: Briefs %+v, Brief %+v", lang, zn, at, venue, pass, got, want)
						}
						if pass > 0 {
							continue
						}
						if r := Render(at, loc, lang, venue); got.Text != r.Text || got.Offset != r.Offset ||
							got.Abbrev != r.Abbrev || got.DayShift != r.DayShift || got.DayShiftText != r.DayShiftText {
							t.Fatalf("%s %s %s: Briefs %+v, Render %+v", lang, zn, at, got, r)
						}
						checked++
					}
				}
			}
		}
	}
	if b := NewBriefs("fr", nil).Brief(time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC), nil); b.Zone != "UTC" || b.Text != "lundi 1 mars 2027 à 12:00 (UTC)" {
		t.Fatalf("no zone: %+v", b)
	}
	t.Logf("%d renderings compared", checked)
}

// TestBriefsIntlGolden: the long text Briefs writes is ICU's (Node Intl, testdata).
func TestBriefsIntlGolden(t *testing.T) {
	g := readIntlGolden(t)
	briefs := map[string]*Briefs{}
	for _, c := range g.Cases {
		at, err := time.Parse(time.RFC3339, c.Instant)
		if err != nil {
			t.Fatal(err)
		}
		loc, err := LoadLocation(c.Zone)
		if err != nil {
			t.Fatal(err)
		}
		b := briefs[c.Locale]
		if b == nil {
			b = NewBriefs(c.Locale, nil)
			briefs[c.Locale] = b
		}
		_, off := at.In(loc).Zone()
		if got := strings.TrimSuffix(b.Brief(at, loc).Text, " ("+UTCLabel(off)+")"); got != c.Full {
			t.Errorf("%s %s %s: got %q, ICU %q", c.Locale, c.Zone, c.Instant, got, c.Full)
		}
	}
}

// TestSplitJoin: a date-time pattern is cut around its placeholders with join's literals,
// whichever comes first; a pattern without both once is left to join.
func TestSplitJoin(t *testing.T) {
	for _, c := range []struct {
		p    string
		want joinedForm
	}{
		{"{1} 'à' {0}", joinedForm{before: "", middle: " à ", after: "", dateFirst: true, ok: true}},
		{"{0} 'on' {1}", joinedForm{before: "", middle: " on ", after: "", ok: true}},
		{"'le' {1}, {0} ''x''", joinedForm{before: "le ", middle: ", ", after: " 'x'", dateFirst: true, ok: true}},
		{"'{1}' {1} {0}", joinedForm{before: "{1} ", middle: " ", after: "", dateFirst: true, ok: true}},
		{"{1} {1} {0}", joinedForm{}},
		{"{1}", joinedForm{}},
	} {
		if got := splitJoin(c.p); got != c.want {
			t.Errorf("%q: %+v, want %+v", c.p, got, c.want)
		}
	}
}
