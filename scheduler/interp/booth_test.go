package interp

import (
	"slices"
	"testing"
)

func TestPlanBooths(t *testing.T) {
	type want struct {
		booth   Lang
		sources string
		size    int
	}
	cases := []struct {
		name           string
		start, end     string
		floor, outputs string
		cancelled      bool
		policy         Policy
		want           []want
	}{
		{name: "english only, output en", start: "2026-12-06T10:00:00Z", end: "2026-12-06T12:00:00Z", floor: "en", outputs: "en", policy: AIIC()},
		{name: "english only, no outputs", start: "2026-12-06T10:00:00Z", end: "2026-12-06T12:00:00Z", floor: "en", outputs: "", policy: UN()},
		{name: "four languages, two hours, AIIC", start: "2026-12-06T10:00:00Z", end: "2026-12-06T12:00:00Z",
			floor: "en fr es ar", outputs: "en fr es ar", policy: AIIC(),
			want: []want{{"ar", "en es fr", 2}, {"en", "ar es fr", 2}, {"es", "ar en fr", 2}, {"fr", "ar en es", 2}}},
		{name: "four languages, UN: Arabic booth works both ways, three", start: "2026-12-06T10:00:00Z", end: "2026-12-06T12:00:00Z",
			floor: "en fr es ar", outputs: "en fr es ar", policy: UN(),
			want: []want{{"ar", "en es fr", 3}, {"en", "ar es fr", 2}, {"es", "ar en fr", 2}, {"fr", "ar en es", 2}}},
		{name: "english floor, french channel only", start: "2026-12-06T10:00:00Z", end: "2026-12-06T12:00:00Z",
			floor: "en", outputs: "en fr", policy: AIIC(), want: []want{{"fr", "en", 2}}},
		{name: "floor language that is an output still needs its booth", start: "2026-12-06T10:00:00Z", end: "2026-12-06T11:00:00Z",
			floor: "en fr", outputs: "en fr", policy: AIIC(), want: []want{{"en", "fr", 2}, {"fr", "en", 2}}},
		{name: "solo up to 40 minutes under AIIC", start: "2026-12-06T10:00:00Z", end: "2026-12-06T10:40:00Z",
			floor: "en", outputs: "fr", policy: AIIC(), want: []want{{"fr", "en", 1}}},
		{name: "41 minutes is a team", start: "2026-12-06T10:00:00Z", end: "2026-12-06T10:41:00Z",
			floor: "en", outputs: "fr", policy: AIIC(), want: []want{{"fr", "en", 2}}},
		{name: "no solo under UN", start: "2026-12-06T10:00:00Z", end: "2026-12-06T10:30:00Z",
			floor: "en", outputs: "fr", policy: UN(), want: []want{{"fr", "en", 2}}},
		{name: "four hours: a second team", start: "2026-12-06T10:00:00Z", end: "2026-12-06T14:00:00Z",
			floor: "en zh", outputs: "en zh", policy: UN(), want: []want{{"en", "zh", 4}, {"zh", "en", 6}}},
		{name: "duplicates in the language lists", start: "2026-12-06T10:00:00Z", end: "2026-12-06T11:00:00Z",
			floor: "en en fr", outputs: "fr fr", policy: AIIC(), want: []want{{"fr", "en", 2}}},
		{name: "cancelled", start: "2026-12-06T10:00:00Z", end: "2026-12-06T11:00:00Z", cancelled: true,
			floor: "en fr", outputs: "en fr", policy: AIIC()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := session(t, "s1", tc.start, tc.end, tc.floor, tc.outputs)
			s.Cancelled = tc.cancelled
			got := PlanBooths(s, tc.policy)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d booths %+v, want %d", len(got), got, len(tc.want))
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Booth != w.booth || !slices.Equal(g.Sources, langs(w.sources)) || g.Size != w.size || g.SessionID != "s1" {
					t.Errorf("booth %d: got %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

func TestLangValid(t *testing.T) {
	for _, l := range []Lang{"en", "fr", "es", "ar", "zh", "ru", "zu", "aa"} {
		if !l.Valid() {
			t.Errorf("%q should be valid", l)
		}
	}
	for _, l := range []Lang{"", "EN", "eng", "xx", "e", "bh", "qq", "En"} {
		if l.Valid() {
			t.Errorf("%q should be invalid", l)
		}
	}
	if n := len(isoCodes); n != 183 {
		t.Errorf("ISO 639-1 list has %d codes, want 183", n)
	}
}

func TestSessionValidate(t *testing.T) {
	s := session(t, "s1", "2026-12-06T10:00:00Z", "2026-12-06T12:00:00Z", "en fr", "en fr")
	if fe := s.Validate(); fe != nil {
		t.Errorf("valid session: %v", fe)
	}
	s.End = s.Start
	s.Floor = append(s.Floor, "FR")
	s.Outputs = append(s.Outputs, "xx")
	var codes []string
	for _, f := range s.Validate() {
		codes = append(codes, f.Field+":"+f.Code)
	}
	if want := []string{"end:invalid_interval", "floor[2]:invalid_language", "outputs[2]:invalid_language"}; !slices.Equal(codes, want) {
		t.Errorf("codes %v, want %v", codes, want)
	}
}
