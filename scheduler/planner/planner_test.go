package planner

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/plenary/plenary/scheduler/zone"
)

var paris = zone.MustParse("Europe/Paris").Location

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02T15:04", s, paris)
	if err != nil {
		panic(err)
	}
	return t
}

func code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var ze *zone.Error
	if errors.As(err, &ze) {
		return ze.Code
	}
	return ""
}

func zoneFit(t *testing.T, fits []AudienceFit, name string) ZoneFit {
	t.Helper()
	for _, a := range fits {
		for _, z := range a.Zones {
			if z.Zone == name {
				return z
			}
		}
	}
	t.Fatalf("no zone %s in %+v", name, fits)
	return ZoneFit{}
}

// The two sessions of a parliamentary meeting held twice on one day (6 Dec 2022, CET).
func TestFitRealSessions(t *testing.T) {
	morning, err := Fit(at("2022-12-06T07:00"), at("2022-12-06T09:00"), []string{"Asia/Pacific"})
	if err != nil {
		t.Fatal(err)
	}
	if morning.MostlyOutside {
		t.Errorf("07:00-09:00 Paris should suit Asia/Pacific: %+v", morning)
	}
	if z := zoneFit(t, morning.Audiences, "Asia/Tokyo"); !z.Inside || z.LocalStart != "2022-12-06T15:00" || z.Offset != "+09:00" {
		t.Errorf("Tokyo %+v", z)
	}
	// Auckland is on NZDT: 19:00-21:00, one hour past 20:00.
	if z := zoneFit(t, morning.Audiences, "Pacific/Auckland"); z.Inside || z.OutsideMinutes != 60 || z.LocalEnd != "2022-12-06T21:00" {
		t.Errorf("Auckland %+v", z)
	}
	afternoon, err := Fit(at("2022-12-06T16:30"), at("2022-12-06T18:30"), []string{"africa, europe and the americas"})
	if err != nil {
		t.Fatal(err)
	}
	if afternoon.MostlyOutside || !afternoon.Inside {
		t.Errorf("16:30-18:30 Paris should suit Africa, Europe and the Americas: %+v", afternoon)
	}
	// The other way round, each session is mostly outside.
	swapped, _ := Fit(at("2022-12-06T16:30"), at("2022-12-06T18:30"), []string{"Asia/Pacific"})
	if !swapped.MostlyOutside {
		t.Errorf("16:30 Paris is night in Asia/Pacific: %+v", swapped)
	}
	night, _ := Fit(at("2022-12-06T07:00"), at("2022-12-06T09:00"), []string{"Latin American and Caribbean Group"})
	if !night.MostlyOutside {
		t.Errorf("07:00 Paris is night in GRULAC: %+v", night)
	}
}

func TestFitWeekend(t *testing.T) {
	// Friday 9 Dec 2022, 10:00 in Riyadh: a weekend day there, a working day in Paris.
	start := time.Date(2022, 12, 9, 7, 0, 0, 0, time.UTC)
	r, err := Fit(start, start.Add(time.Hour), []string{"Asia-Pacific Group"})
	if err != nil {
		t.Fatal(err)
	}
	if z := zoneFit(t, r.Audiences, "Asia/Riyadh"); !z.Weekend || z.Inside {
		t.Errorf("Riyadh on Friday %+v", z)
	}
	if z := zoneFit(t, r.Audiences, "Asia/Kolkata"); z.Weekend {
		t.Errorf("Kolkata on Friday %+v", z)
	}
	if z := zoneFit(t, r.Audiences, "Asia/Tehran"); !z.Weekend {
		t.Errorf("Tehran on Friday %+v", z)
	}
	sat := time.Date(2022, 12, 10, 7, 0, 0, 0, time.UTC)
	r, _ = Fit(sat, sat.Add(time.Hour), []string{"Asia-Pacific Group"})
	if z := zoneFit(t, r.Audiences, "Asia/Tehran"); z.Weekend {
		t.Errorf("Tehran works on Saturday %+v", z)
	}
}

func TestSlotsSplit(t *testing.T) {
	// Auckland's 08:00-20:00 is Paris's night, so one slot cannot serve Auckland, Mexico
	// City and Paris: split. (Auckland and Mexico City alone share 13:00-20:00 Mexico time.)
	req := Request{From: at("2022-12-05T00:00"), To: at("2022-12-08T00:00"), Duration: 2 * time.Hour,
		Audiences:   []Audience{{Name: "Pacific/Auckland"}, {Name: "America/Mexico_City"}},
		Constraints: Constraints{Venue: "Europe/Paris"}}
	if res, err := Slots(req); err != nil || !res.Slots[0].Inside || res.Split != nil {
		t.Fatalf("Auckland and Mexico City share working hours: %+v %v", res.Slots[0], err)
	}
	req.Audiences = []Audience{{Name: "Pacific/Auckland"}, {Name: "America/Mexico_City"}, {Name: "Europe/Paris"}}
	res, err := Slots(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Slots) == 0 || res.Slots[0].Inside {
		t.Fatalf("a single slot serving both: %+v", res.Slots)
	}
	if res.Split == nil || len(res.Split.Sessions) != 2 || !res.Split.Inside || res.Split.Score != 0 || res.Slots[0].Score <= 0 {
		t.Fatalf("split %+v", res.Split)
	}
	if res.Split.Day != "2022-12-05" {
		t.Errorf("split day %s, want the first day", res.Split.Day)
	}
	for _, s := range res.Split.Sessions {
		if !s.Slot.Inside || s.Slot.End.Sub(s.Slot.Start) != 2*time.Hour {
			t.Errorf("session %+v", s)
		}
	}
	// Delhi and Mexico City have no working hour in common either.
	req.Audiences = []Audience{{Name: "Asia/Kolkata"}, {Name: "America/Mexico_City"}}
	if r2, err := Slots(req); err != nil || r2.Slots[0].Inside || r2.Split == nil || len(r2.Split.Sessions) != 2 || !r2.Split.Inside {
		t.Errorf("Delhi and Mexico City: %+v %v", r2.Split, err)
	}
	req.Audiences = []Audience{{Name: "Pacific/Auckland"}, {Name: "America/Mexico_City"}, {Name: "Europe/Paris"}}
	// Deterministic.
	again, _ := Slots(req)
	if again.Slots[0].Start != res.Slots[0].Start || again.Split.Sessions[0].Slot.Start != res.Split.Sessions[0].Slot.Start {
		t.Error("two runs differ")
	}
}

func TestSlotsParliamentaryPattern(t *testing.T) {
	req := Request{From: at("2022-12-06T00:00"), To: at("2022-12-07T00:00"), Duration: 2 * time.Hour,
		Audiences:   []Audience{{Name: "Asia/Pacific"}, {Name: "Africa, Europe and the Americas"}},
		Constraints: Constraints{Venue: "Europe/Paris"}}
	res, err := Slots(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Split == nil || len(res.Split.Sessions) != 2 {
		t.Fatalf("split %+v", res.Split)
	}
	first, second := res.Split.Sessions[0], res.Split.Sessions[1]
	if first.Audiences[0] != "Asia/Pacific" || second.Audiences[0] != "Africa, Europe and the Americas" {
		t.Errorf("sessions %v then %v", first.Audiences, second.Audiences)
	}
	// Asia/Pacific in the Paris morning, the rest in the Paris afternoon.
	if h := first.Slot.Start.In(paris).Hour(); h > 9 {
		t.Errorf("Asia/Pacific session at %s Paris", first.Slot.Start.In(paris))
	}
	if h := second.Slot.Start.In(paris).Hour(); h < 13 || h > 18 {
		t.Errorf("second session at %s Paris", second.Slot.Start.In(paris))
	}
	if !second.Slot.Inside {
		t.Errorf("Africa, Europe and the Americas session not inside: %+v", second.Slot)
	}
}

func TestSlotsSingle(t *testing.T) {
	// Paris and Nairobi share a working day: the best slot is inside for both, no split.
	req := Request{From: time.Date(2022, 12, 5, 0, 0, 0, 0, time.UTC), To: time.Date(2022, 12, 6, 0, 0, 0, 0, time.UTC), Duration: 90 * time.Minute,
		Audiences: []Audience{{Name: "Europe/Paris", Weight: 2}, {Name: "Africa/Nairobi"}}, Limit: 3}
	res, err := Slots(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Slots) != 3 || !res.Slots[0].Inside || res.Slots[0].Score != 0 || res.Split != nil {
		t.Fatalf("%+v", res)
	}
	// Earliest inside slot: 08:00 Paris is 07:00 UTC (Nairobi 10:00).
	if got := res.Slots[0].Start.Format(time.RFC3339); got != "2022-12-05T07:00:00Z" {
		t.Errorf("first slot %s", got)
	}
	for i := 1; i < len(res.Slots); i++ {
		a, b := res.Slots[i-1], res.Slots[i]
		if a.Score > b.Score {
			t.Errorf("not ranked: %v then %v", a.Score, b.Score)
		}
		if b.Start.Before(a.End) && a.Start.Before(b.End) {
			t.Errorf("overlapping slots %v and %v", a.Start, b.Start)
		}
	}
}

func TestSlotsConstraints(t *testing.T) {
	// Venue hours 09:00-18:00 in Paris, Tuesdays only.
	req := Request{From: at("2022-12-05T00:00"), To: at("2022-12-12T00:00"), Duration: time.Hour,
		Audiences:   []Audience{{Name: "Asia/Tokyo"}},
		Constraints: Constraints{Venue: "Europe/Paris", VenueHours: Hours{9 * 60, 18 * 60}, Weekdays: []time.Weekday{time.Tuesday}}}
	res, err := Slots(req)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range res.Slots {
		l := s.Start.In(paris)
		if l.Weekday() != time.Tuesday || l.Hour() < 9 || s.End.In(paris).Hour()*60+s.End.In(paris).Minute() > 18*60 {
			t.Errorf("slot %s breaks the constraints", l)
		}
	}
	// Tokyo working hours end at 20:00 JST = 12:00 CET; 09:00-11:00 Paris is inside.
	if got := res.Slots[0].Start.In(paris).Format("2006-01-02 15:04"); got != "2022-12-06 09:00" || !res.Slots[0].Inside {
		t.Errorf("best slot %s", got)
	}
	// Custom regions and hours.
	req.Regions = []Region{{Name: "Pacific islands", Zones: []RefZone{{Zone: "Pacific/Fiji", Country: "FJ"}, {Zone: "Pacific/Apia", Country: "WS", Hours: Hours{9 * 60, 17 * 60}}}}}
	req.Audiences = []Audience{{Name: "pacific islands"}}
	req.Constraints = Constraints{}
	if res, err = Slots(req); err != nil || !res.Slots[0].Inside {
		t.Fatalf("custom region: %+v %v", res.Slots, err)
	}
}

func TestSlotsErrors(t *testing.T) {
	base := Request{From: at("2022-12-05T00:00"), To: at("2022-12-06T00:00"), Duration: time.Hour, Audiences: []Audience{{Name: "WEOG"}}}
	tests := []struct {
		name string
		edit func(*Request)
		code string
		msg  string
	}{
		{"ok", func(r *Request) {}, "", ""},
		{"reversed range", func(r *Request) { r.From, r.To = r.To, r.From }, CodeInvalidRange, ""},
		{"range too long", func(r *Request) { r.To = r.From.AddDate(0, 3, 0) }, CodeRangeTooLong, "at most 62 days"},
		{"duration over a day", func(r *Request) { r.To = r.From.AddDate(0, 0, 3); r.Duration = 25 * time.Hour }, CodeInvalidDuration, ""},
		{"zero duration", func(r *Request) { r.Duration = 0 }, CodeInvalidDuration, ""},
		{"bad step", func(r *Request) { r.Step = time.Second }, CodeInvalidStep, ""},
		{"no audience", func(r *Request) { r.Audiences = nil }, CodeNoAudience, ""},
		{"unknown region", func(r *Request) { r.Audiences = []Audience{{Name: "African"}, {Name: "Eastern Europ"}} }, CodeUnknownRegion, "Eastern Europ"},
		{"negative weight", func(r *Request) { r.Audiences[0].Weight = -1 }, CodeInvalidWeight, ""},
		{"bad hours", func(r *Request) { r.Hours = Hours{20 * 60, 20 * 60} }, CodeInvalidHours, ""},
		{"bad venue", func(r *Request) { r.Constraints.Venue = "CST" }, zone.CodeAmbiguousAbbreviation, ""},
		{"no candidate", func(r *Request) {
			r.Constraints = Constraints{Venue: "Europe/Paris", Weekdays: []time.Weekday{time.Sunday}}
		}, CodeNoCandidateSlot, ""},
		{"empty custom region", func(r *Request) { r.Regions = []Region{{Name: "X"}} }, CodeInvalidRegion, ""},
	}
	for _, tt := range tests {
		r := base
		r.Audiences = append([]Audience(nil), base.Audiences...)
		tt.edit(&r)
		_, err := Slots(r)
		if code(err) != tt.code {
			t.Errorf("%s: error %v, want code %q", tt.name, err, tt.code)
			continue
		}
		if tt.msg != "" && !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: message %q lacks %q", tt.name, err, tt.msg)
		}
	}
	_, err := Slots(Request{From: base.From, To: base.To, Duration: time.Hour, Audiences: []Audience{{Name: "Eastern Europe Group"}}})
	var e *Error
	if !errors.As(err, &e) || len(e.Suggestions) == 0 || e.ProblemDetails()["suggestions"] == nil {
		t.Errorf("suggestions for a misspelt region: %v", err)
	}
}

func TestRegionsData(t *testing.T) {
	seen := map[string]string{}
	for _, r := range unGroups {
		for _, c := range r.Countries {
			if len(c) != 2 || strings.ToUpper(c) != c {
				t.Errorf("%s: country %q", r.Name, c)
			}
			if g, ok := seen[c]; ok {
				t.Errorf("%s is in both %s and %s", c, g, r.Name)
			}
			seen[c] = r.Name
		}
	}
	// 54 + 53 + 23 + 33 + 28 (+ the United States, an observer of WEOG).
	if len(seen) != 193 {
		t.Errorf("%d countries in the UN regional groups, want 193", len(seen))
	}
	for _, r := range BuiltinRegions() {
		if len(r.Zones) < 3 {
			t.Errorf("%s has %d reference zones", r.Name, len(r.Zones))
		}
		for _, z := range r.Zones {
			if _, err := zone.Parse(z.Zone); err != nil {
				t.Errorf("%s: %v", r.Name, err)
			}
			if z.Country == "" {
				t.Errorf("%s: zone %s has no country", r.Name, z.Zone)
			}
		}
	}
	if w := Weekend("sa"); len(w) != 2 || w[0] != time.Friday {
		t.Errorf("Saudi weekend %v", w)
	}
	if w := Weekend("FR"); len(w) != 2 || w[0] != time.Saturday {
		t.Errorf("French weekend %v", w)
	}
}

func BenchmarkSlots(b *testing.B) {
	req := Request{From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC),
		Duration: 2 * time.Hour, Step: 15 * time.Minute,
		Audiences: []Audience{{Name: "African Group"}, {Name: "Asia-Pacific Group"}, {Name: "Eastern European Group"},
			{Name: "GRULAC"}, {Name: "WEOG"}, {Name: "America/New_York", Weight: 2}},
		Constraints: Constraints{Venue: "Europe/Paris"}}
	for b.Loop() {
		if _, err := Slots(req); err != nil {
			b.Fatal(err)
		}
	}
}

// A meeting's regions are checked as the planner reads them before they are stored.
func TestCheckRegions(t *testing.T) {
	sahel := Region{Name: "Sahel", Hours: Hours{Start: 9 * 60, End: 17 * 60},
		Zones: []RefZone{{Zone: "Africa/Bamako", Country: "ML"}, {Zone: "Africa/Niamey", Country: "NE"}, {Zone: "Africa/Ndjamena", Country: "TD"}}}
	for _, tc := range []struct {
		name string
		defs []Region
		code string
	}{
		{"none", nil, ""},
		{"sahel", []Region{sahel}, ""},
		{"twice", []Region{sahel, {Name: "sahel ", Zones: sahel.Zones}}, CodeInvalidRegion},
		{"no zones", []Region{{Name: "Empty"}}, CodeInvalidRegion},
		{"unknown zone", []Region{{Name: "Moon", Zones: []RefZone{{Zone: "Moon/Tranquility"}}}}, CodeInvalidRegion},
		{"empty hours", []Region{{Name: "Never", Hours: Hours{Start: 600, End: 600}, Zones: sahel.Zones}}, CodeInvalidHours},
		{"negative weight", []Region{{Name: "Light", Zones: []RefZone{{Zone: "Africa/Bamako", Weight: -1}}}}, CodeInvalidWeight},
	} {
		err := CheckRegions(tc.defs)
		var pe *Error
		switch {
		case tc.code == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.code != "" && (!errors.As(err, &pe) || pe.Code != tc.code):
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	// Bamako is UTC+0 all year, Niamey and N'Djamena UTC+1: 08:30 UTC is 08:30 and 09:30 local.
	start := time.Date(2026, 12, 9, 8, 30, 0, 0, time.UTC)
	f, err := Fit(start, start.Add(time.Hour), []string{"Sahel"}, sahel)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, z := range f.Audiences[0].Zones {
		got[z.Zone] = z.Inside
	}
	if got["Africa/Bamako"] || got["Africa/Niamey"] != true || got["Africa/Ndjamena"] != true {
		t.Fatalf("Sahel at 08:30 UTC: %v", got)
	}
}
