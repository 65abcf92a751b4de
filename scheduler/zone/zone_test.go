package zone

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err != nil {
		return "?" + err.Error()
	}
	return ""
}

func TestParse(t *testing.T) {
	tests := []struct {
		in, name, abbrev, code string
		fixed                  bool
		offset                 int // checked for fixed zones
	}{
		{in: "Europe/Paris", name: "Europe/Paris"},
		{in: "europe/paris", name: "Europe/Paris"},
		{in: " America/New York ", name: "America/New_York"},
		{in: "america/argentina/buenos_aires", name: "America/Argentina/Buenos_Aires"},
		{in: "UTC", name: "UTC", fixed: true},
		{in: "Z", name: "UTC", fixed: true},
		{in: "gmt", name: "UTC", fixed: true},
		{in: "Etc/UTC", name: "UTC", fixed: true},
		{in: "+01:00", name: "UTC+01:00", fixed: true, offset: 3600},
		{in: "-0330", name: "UTC-03:30", fixed: true, offset: -12600},
		{in: "+05", name: "UTC+05:00", fixed: true, offset: 18000},
		{in: "+0545", name: "UTC+05:45", fixed: true, offset: 20700},
		{in: "\u221203:00", name: "UTC-03:00", fixed: true, offset: -10800},
		{in: "+00:00", name: "UTC", fixed: true},
		// The human sign: GMT-3 is three hours behind UTC.
		{in: "GMT-3", name: "UTC-03:00", fixed: true, offset: -3 * 3600},
		{in: "GMT+1", name: "UTC+01:00", fixed: true, offset: 3600},
		{in: "GMT\u22123", name: "UTC-03:00", fixed: true, offset: -3 * 3600},
		{in: "GMT 3", code: CodeInvalidOffset},
		{in: "UTC+5:30", name: "UTC+05:30", fixed: true, offset: 19800},
		{in: "utc-09:30", name: "UTC-09:30", fixed: true, offset: -34200},
		{in: "UTC+14", name: "UTC+14:00", fixed: true, offset: 14 * 3600},
		// Etc/GMT-3 is an IANA name with the POSIX sign: +03:00. Taken as the IANA name.
		{in: "Etc/GMT-3", name: "Etc/GMT-3", fixed: true, offset: 3 * 3600},
		{in: "CET", name: "Europe/Paris", abbrev: "CET"},
		{in: "cest", name: "Europe/Paris", abbrev: "CEST"},
		{in: "EDT", name: "America/New_York", abbrev: "EDT"},
		{in: "BST", name: "Europe/London", abbrev: "BST"},
		{in: "SAST", name: "Africa/Johannesburg", abbrev: "SAST"},
		{in: "AEDT", name: "Australia/Sydney", abbrev: "AEDT"},
		{in: "NPT", name: "Asia/Kathmandu", abbrev: "NPT"},
		{in: "CST", code: CodeAmbiguousAbbreviation},
		{in: "IST", code: CodeAmbiguousAbbreviation},
		{in: "AST", code: CodeAmbiguousAbbreviation},
		// Places as notices print them (places.tsv; tz city names).
		{in: "Paris", name: "Europe/Paris"},
		{in: "Vienna time", name: "Europe/Vienna"},
		{in: "Bangkok time", name: "Asia/Bangkok"},
		{in: "local time in Chile", name: "America/Santiago"},
		{in: "Nepal Time", name: "Asia/Kathmandu"},
		{in: "Geneva", name: "Europe/Zurich"},
		{in: "São Paulo", name: "America/Sao_Paulo"},
		{in: "the Hague", name: "Europe/Amsterdam"},
		{in: "United Kingdom", name: "Europe/London"},
		{in: "Atlantis", code: CodeUnknownZone},
		{in: "Europe/Pariss", code: CodeUnknownZone},
		{in: "", code: CodeUnknownZone},
		{in: "Mars/Olympus", code: CodeUnknownZone},
		{in: "UTC+15", code: CodeInvalidOffset},
		{in: "+01:60", code: CodeInvalidOffset},
		{in: "+1:0", code: CodeInvalidOffset},
		{in: "GMT+abc", code: CodeInvalidOffset},
		{in: "+123456", code: CodeInvalidOffset},
	}
	at := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			z, err := Parse(tt.in)
			if got := code(err); got != tt.code {
				t.Fatalf("Parse(%q) code = %q (%v), want %q", tt.in, got, err, tt.code)
			}
			if err != nil {
				if !strings.Contains(err.Error(), strings.TrimSpace(tt.in)) {
					t.Errorf("message %q does not quote the input", err)
				}
				return
			}
			if z.Name != tt.name || z.Abbrev != tt.abbrev || z.Fixed != tt.fixed || z.Location == nil {
				t.Fatalf("Parse(%q) = %+v, want name %q abbrev %q fixed %v", tt.in, z, tt.name, tt.abbrev, tt.fixed)
			}
			if tt.fixed {
				if off := z.OffsetAt(at); off != tt.offset {
					t.Errorf("offset = %d, want %d", off, tt.offset)
				}
			}
		})
	}
}

func TestParseSuggestions(t *testing.T) {
	tests := map[string]string{
		"CST":              "Asia/Shanghai",
		"IST":              "Asia/Kolkata",
		"Europe/Pariss":    "Europe/Paris",
		"Tokio":            "Asia/Tokyo",
		"america/new-york": "America/New_York",
	}
	for in, want := range tests {
		_, err := Parse(in)
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("Parse(%q) = %v, want an *Error", in, err)
		}
		found := false
		for _, s := range e.Suggestions {
			found = found || s == want
		}
		if !found {
			t.Errorf("Parse(%q) suggestions %v lack %q", in, e.Suggestions, want)
		}
		if d := e.ProblemDetails(); d["suggestions"] == nil {
			t.Errorf("ProblemDetails of %q has no suggestions: %v", in, d)
		}
	}
}

func TestCheckAt(t *testing.T) {
	tests := []struct {
		abbrev string
		at     time.Time
		want   string // "" for no finding, else the suggested abbreviation
		msg    string
	}{
		{"EDT", time.Date(2021, 11, 10, 15, 0, 0, 0, time.UTC), "EST", "EDT is not in effect on 10 Nov 2021 in America/New_York; it is EST (UTC-05:00)"},
		{"EDT", time.Date(2021, 11, 3, 15, 0, 0, 0, time.UTC), "", ""},
		{"EST", time.Date(2021, 7, 1, 15, 0, 0, 0, time.UTC), "EDT", ""},
		{"CEST", time.Date(2021, 11, 3, 15, 0, 0, 0, time.UTC), "CET", ""},
		{"CET", time.Date(2021, 11, 3, 15, 0, 0, 0, time.UTC), "", ""},
		{"BST", time.Date(2022, 12, 6, 15, 0, 0, 0, time.UTC), "GMT", ""},
		{"AEST", time.Date(2022, 12, 6, 15, 0, 0, 0, time.UTC), "AEDT", ""},
		{"AEDT", time.Date(2022, 7, 6, 15, 0, 0, 0, time.UTC), "AEST", ""},
		{"SAST", time.Date(2022, 7, 6, 15, 0, 0, 0, time.UTC), "", ""},
		{"NZDT", time.Date(2022, 7, 6, 15, 0, 0, 0, time.UTC), "NZST", ""},
	}
	for _, tt := range tests {
		f := MustParse(tt.abbrev).CheckAt(tt.at)
		switch {
		case tt.want == "" && f != nil:
			t.Errorf("%s at %s: unexpected finding %q", tt.abbrev, tt.at, f.Message)
		case tt.want != "" && f == nil:
			t.Errorf("%s at %s: no finding, want %s", tt.abbrev, tt.at, tt.want)
		case f != nil:
			if f.Suggestion != tt.want || f.Code != CodeAbbreviationNotInEffect {
				t.Errorf("%s at %s: finding %+v, want suggestion %s", tt.abbrev, tt.at, f, tt.want)
			}
			if tt.msg != "" && f.Message != tt.msg {
				t.Errorf("message %q, want %q", f.Message, tt.msg)
			}
		}
	}
	if f := MustParse("America/New_York").CheckAt(time.Date(2021, 11, 10, 15, 0, 0, 0, time.UTC)); f != nil {
		t.Errorf("an IANA zone has no abbreviation to check, got %v", f)
	}
}

func TestParseWallClock(t *testing.T) {
	tests := []struct {
		in, want string // want is String(); "" means an error
	}{
		{"2022-12-06T16:30", "2022-12-06T16:30"},
		{"2022-12-06 16:30", "2022-12-06T16:30"},
		{"2022-12-06T16:30:15", "2022-12-06T16:30:15"},
		{"2022-12-06T16:30:00", "2022-12-06T16:30"},
		{"2022-12-06T16:30+01:00", "2022-12-06T16:30+01:00"},
		{"2022-12-06T16:30:05-0330", "2022-12-06T16:30:05-03:30"},
		{"2022-12-06T16:30Z", "2022-12-06T16:30+00:00"},
		{"2024-02-29T00:00", "2024-02-29T00:00"},
		{"2023-02-29T00:00", ""},
		{"2022-13-06T16:30", ""},
		{"2022-12-06T24:00", ""},
		{"2022-12-06T16:60", ""},
		{"2022-12-06T16", ""},
		{"2022-12-06", ""},
		{"06/12/2022 16:30", ""},
		{"2022-12-06T16:30+1", "2022-12-06T16:30+01:00"},
		{"2022-12-06T16:30 CET", ""},
		{"2022-12-06T16:30+15:00", ""},
		{"0000-01-01T00:00", ""},
		{"garbage", ""},
		{"", ""},
	}
	for _, tt := range tests {
		w, err := ParseWallClock(tt.in)
		if tt.want == "" {
			if code(err) != CodeInvalidWallClock {
				t.Errorf("ParseWallClock(%q) = %v, %v; want invalid_wall_clock", tt.in, w, err)
			}
			continue
		}
		if err != nil || w.String() != tt.want {
			t.Errorf("ParseWallClock(%q) = %q, %v; want %q", tt.in, w, err, tt.want)
		}
	}
}

// TestResolve covers every kind of transition: gaps, overlaps, the southern hemisphere,
// zones without DST, half-hour and 45-minute offsets and zones whose rules changed.
func TestResolve(t *testing.T) {
	tests := []struct {
		name, zone, wall string
		fold             Fold
		want             string // RFC 3339 UTC instant, or "" when code is set
		code             string
		candidates       []string
		msg              string // substring of the error message
	}{
		// Europe/Paris: gap and overlap.
		{name: "paris gap", zone: "Europe/Paris", wall: "2026-03-29T02:30", code: CodeNonexistentLocalTime,
			msg: "2026-03-29T02:30 does not exist in Europe/Paris: clocks jump from 02:00 to 03:00 (UTC+01:00 to UTC+02:00)"},
		{name: "paris gap start", zone: "Europe/Paris", wall: "2026-03-29T02:00", code: CodeNonexistentLocalTime},
		{name: "paris after gap", zone: "Europe/Paris", wall: "2026-03-29T03:00", want: "2026-03-29T01:00:00Z"},
		{name: "paris before gap", zone: "Europe/Paris", wall: "2026-03-29T01:59:59", want: "2026-03-29T00:59:59Z"},
		{name: "paris overlap", zone: "Europe/Paris", wall: "2026-10-25T02:30", code: CodeAmbiguousLocalTime,
			candidates: []string{"2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"}, msg: "occurs twice in Europe/Paris"},
		{name: "paris overlap earlier", zone: "Europe/Paris", wall: "2026-10-25T02:30", fold: FoldEarlier, want: "2026-10-25T00:30:00Z"},
		{name: "paris overlap later", zone: "Europe/Paris", wall: "2026-10-25T02:30", fold: FoldLater, want: "2026-10-25T01:30:00Z"},
		{name: "paris overlap offset +02", zone: "Europe/Paris", wall: "2026-10-25T02:30+02:00", want: "2026-10-25T00:30:00Z"},
		{name: "paris overlap offset +01", zone: "Europe/Paris", wall: "2026-10-25T02:30+01:00", fold: FoldEarlier, want: "2026-10-25T01:30:00Z"},
		{name: "paris overlap wrong offset", zone: "Europe/Paris", wall: "2026-10-25T02:30+03:00", code: CodeOffsetNotInZone},
		{name: "paris winter", zone: "Europe/Paris", wall: "2022-12-06T16:30", want: "2022-12-06T15:30:00Z"},
		{name: "paris winter offset", zone: "Europe/Paris", wall: "2022-12-06T16:30+01:00", want: "2022-12-06T15:30:00Z"},
		{name: "paris winter summer offset", zone: "Europe/Paris", wall: "2022-12-06T16:30+02:00", code: CodeOffsetNotInZone,
			msg: "Europe/Paris is at UTC+01:00 at that time, not UTC+02:00"},
		{name: "bad fold", zone: "Europe/Paris", wall: "2022-12-06T16:30", fold: "first", code: CodeInvalidFold},
		// America/New_York.
		{name: "new york gap", zone: "America/New_York", wall: "2026-03-08T02:30", code: CodeNonexistentLocalTime, msg: "(UTC-05:00 to UTC-04:00)"},
		{name: "new york overlap", zone: "America/New_York", wall: "2026-11-01T01:30", code: CodeAmbiguousLocalTime,
			candidates: []string{"2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z"}},
		{name: "new york overlap later", zone: "America/New_York", wall: "2026-11-01T01:30", fold: FoldLater, want: "2026-11-01T06:30:00Z"},
		{name: "new york overlap -05", zone: "America/New_York", wall: "2026-11-01T01:30-05:00", want: "2026-11-01T06:30:00Z"},
		// Southern hemisphere: summer time from October to April.
		{name: "sydney gap", zone: "Australia/Sydney", wall: "2026-10-04T02:30", code: CodeNonexistentLocalTime, msg: "(UTC+10:00 to UTC+11:00)"},
		{name: "sydney overlap", zone: "Australia/Sydney", wall: "2026-04-05T02:30", code: CodeAmbiguousLocalTime,
			candidates: []string{"2026-04-04T15:30:00Z", "2026-04-04T16:30:00Z"}},
		{name: "sydney summer", zone: "Australia/Sydney", wall: "2022-12-07T02:30", want: "2022-12-06T15:30:00Z"},
		{name: "sydney winter", zone: "Australia/Sydney", wall: "2022-07-07T02:30", want: "2022-07-06T16:30:00Z"},
		{name: "santiago gap at midnight", zone: "America/Santiago", wall: "2026-09-06T00:30", code: CodeNonexistentLocalTime},
		{name: "santiago overlap", zone: "America/Santiago", wall: "2026-04-04T23:30", code: CodeAmbiguousLocalTime,
			candidates: []string{"2026-04-05T02:30:00Z", "2026-04-05T03:30:00Z"}},
		// No DST at all.
		{name: "tokyo", zone: "Asia/Tokyo", wall: "2026-03-29T02:30", want: "2026-03-28T17:30:00Z"},
		{name: "tokyo offset", zone: "Asia/Tokyo", wall: "2026-10-25T02:30+09:00", want: "2026-10-24T17:30:00Z"},
		{name: "johannesburg", zone: "Africa/Johannesburg", wall: "2026-07-01T09:00", want: "2026-07-01T07:00:00Z"},
		// Half-hour and 45-minute offsets.
		{name: "kolkata", zone: "Asia/Kolkata", wall: "2026-01-15T10:00", want: "2026-01-15T04:30:00Z"},
		{name: "kathmandu", zone: "Asia/Kathmandu", wall: "2026-01-15T10:00", want: "2026-01-15T04:15:00Z"},
		{name: "eucla", zone: "Australia/Eucla", wall: "2026-01-15T10:00", want: "2026-01-15T01:15:00Z"},
		{name: "chatham summer", zone: "Pacific/Chatham", wall: "2026-01-15T10:00", want: "2026-01-14T20:15:00Z"},
		{name: "chatham winter", zone: "Pacific/Chatham", wall: "2026-07-15T10:00", want: "2026-07-14T21:15:00Z"},
		{name: "chatham gap", zone: "Pacific/Chatham", wall: "2026-09-27T03:00", code: CodeNonexistentLocalTime, msg: "(UTC+12:45 to UTC+13:45)"},
		{name: "chatham overlap", zone: "Pacific/Chatham", wall: "2026-04-05T03:00", code: CodeAmbiguousLocalTime,
			candidates: []string{"2026-04-04T13:15:00Z", "2026-04-04T14:15:00Z"}},
		{name: "adelaide half hour dst", zone: "Australia/Adelaide", wall: "2026-01-15T10:00", want: "2026-01-14T23:30:00Z"},
		// Rules that changed: Moscow on permanent +04 from 2011 to 2014, then +03.
		{name: "moscow 2011 gap", zone: "Europe/Moscow", wall: "2011-03-27T02:30", code: CodeNonexistentLocalTime},
		{name: "moscow 2012", zone: "Europe/Moscow", wall: "2012-07-01T12:00", want: "2012-07-01T08:00:00Z"},
		{name: "moscow 2012 winter", zone: "Europe/Moscow", wall: "2012-12-01T12:00", want: "2012-12-01T08:00:00Z"},
		{name: "moscow 2014 overlap", zone: "Europe/Moscow", wall: "2014-10-26T01:30", code: CodeAmbiguousLocalTime,
			candidates: []string{"2014-10-25T21:30:00Z", "2014-10-25T22:30:00Z"}},
		{name: "moscow 2015", zone: "Europe/Moscow", wall: "2015-07-01T12:00", want: "2015-07-01T09:00:00Z"},
		{name: "sao paulo 2018 gap", zone: "America/Sao_Paulo", wall: "2018-11-04T00:30", code: CodeNonexistentLocalTime},
		{name: "sao paulo 2019 no dst", zone: "America/Sao_Paulo", wall: "2019-11-03T00:30", want: "2019-11-03T03:30:00Z"},
		{name: "casablanca 2026 summer", zone: "Africa/Casablanca", wall: "2026-07-01T12:00", want: "2026-07-01T11:00:00Z"},
		{name: "casablanca 2015 winter", zone: "Africa/Casablanca", wall: "2015-01-15T12:00", want: "2015-01-15T12:00:00Z"},
		{name: "samoa skipped a day", zone: "Pacific/Apia", wall: "2011-12-30T12:00", code: CodeNonexistentLocalTime,
			msg: "clocks jump from 2011-12-30 00:00 to 2011-12-31 00:00 (UTC-10:00 to UTC+14:00)"},
		// Fixed offsets and abbreviations.
		{name: "gmt-3", zone: "GMT-3", wall: "2026-05-20T10:00", want: "2026-05-20T13:00:00Z"},
		{name: "fixed with other offset", zone: "UTC+01:00", wall: "2026-05-20T10:00+02:00", code: CodeOffsetNotInZone},
		{name: "cest in summer", zone: "CEST", wall: "2026-05-20T10:00", want: "2026-05-20T08:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z := MustParse(tt.zone)
			w, err := ParseWallClock(tt.wall)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Resolve(w, z, tt.fold)
			if got := code(err); got != tt.code {
				t.Fatalf("Resolve(%s, %s) = %v, code %q (%v); want code %q", tt.wall, tt.zone, r.Instant, got, err, tt.code)
			}
			if err != nil {
				if tt.msg != "" && !strings.Contains(err.Error(), tt.msg) {
					t.Errorf("message %q lacks %q", err, tt.msg)
				}
				if tt.candidates != nil {
					e := err.(*Error)
					var got []string
					for _, c := range e.Candidates {
						got = append(got, c.UTC().Format(time.RFC3339))
					}
					if strings.Join(got, " ") != strings.Join(tt.candidates, " ") {
						t.Errorf("candidates %v, want %v", got, tt.candidates)
					}
					for _, c := range tt.candidates {
						c2, _ := time.Parse(time.RFC3339, c)
						if !strings.Contains(e.Message, c2.In(z.Location).Format(time.RFC3339)) {
							t.Errorf("message %q does not name candidate %s", e.Message, c)
						}
					}
				}
				return
			}
			if got := r.Instant.Format(time.RFC3339); got != tt.want {
				t.Fatalf("Resolve(%s, %s) = %s, want %s", tt.wall, tt.zone, got, tt.want)
			}
			if r.Instant.Location() != time.UTC {
				t.Errorf("instant not in UTC: %v", r.Instant)
			}
			// Converting back must give the wall clock typed.
			if back := WallClockOf(r.Instant.In(z.Location)); back.String() != (WallClock{Year: w.Year, Month: w.Month, Day: w.Day, Hour: w.Hour, Minute: w.Minute, Second: w.Second}).String() {
				t.Errorf("round trip %s -> %s", tt.wall, back)
			}
		})
	}
}

func TestResolveFindings(t *testing.T) {
	w, _ := ParseWallClock("2021-11-10T11:00")
	r, err := Resolve(w, MustParse("EDT"), "")
	if err != nil {
		t.Fatal(err)
	}
	// Read as New York time (what readers' clocks show) and flagged.
	if r.Instant.Format(time.RFC3339) != "2021-11-10T16:00:00Z" || r.Abbrev != "EST" || r.Offset != "-05:00" {
		t.Errorf("got %+v", r)
	}
	if len(r.Findings) != 1 || r.Findings[0].Code != CodeAbbreviationNotInEffect || r.Findings[0].Suggestion != "EST" {
		t.Errorf("findings %+v", r.Findings)
	}
	if e := r.Findings[0].Err(); e.ProblemCode() != CodeAbbreviationNotInEffect {
		t.Errorf("Err() code %q", e.ProblemCode())
	}
	w, _ = ParseWallClock("2021-11-03T11:00")
	if r, _ := Resolve(w, MustParse("EDT"), ""); len(r.Findings) != 0 || r.Abbrev != "EDT" {
		t.Errorf("EDT on 3 Nov 2021: %+v", r)
	}
}

func TestErrorProblem(t *testing.T) {
	w, _ := ParseWallClock("2026-10-25T02:30")
	_, err := Resolve(w, MustParse("Europe/Paris"), "")
	var coded interface {
		ProblemCode() string
		ProblemDetails() map[string]any
	}
	if !errors.As(err, &coded) {
		t.Fatalf("%T does not carry a problem code", err)
	}
	d := coded.ProblemDetails()
	c, _ := d["candidates"].([]string)
	if coded.ProblemCode() != "ambiguous_local_time" || len(c) != 2 || c[0] != "2026-10-25T00:30:00Z" {
		t.Errorf("code %q details %v", coded.ProblemCode(), d)
	}
}

func TestTZData(t *testing.T) {
	if v := TZDataVersion(); len(v) != 5 || v[:2] != "20" {
		t.Errorf("TZDataVersion() = %q", v)
	}
	names := Names()
	if len(names) < 400 {
		t.Fatalf("only %d zones embedded", len(names))
	}
	for _, n := range []string{"Europe/Paris", "America/Santiago", "Pacific/Chatham", "Asia/Kathmandu"} {
		if _, err := LoadLocation(n); err != nil {
			t.Errorf("LoadLocation(%s): %v", n, err)
		}
	}
	for _, a := range Abbreviations() {
		if _, err := LoadLocation(a.Zone); err != nil {
			t.Errorf("abbreviation %s: %v", a.Abbrev, err)
		}
	}
	for _, zs := range ambiguousAbbreviations {
		for _, z := range zs {
			if _, err := LoadLocation(z); err != nil {
				t.Errorf("suggestion %s: %v", z, err)
			}
		}
	}
}

// TestPlacesNameRealZones: every place of places.tsv names a zone of the embedded tz
// database, and no two spellings of one name disagree.
func TestPlacesNameRealZones(t *testing.T) {
	seen := map[string]string{}
	for _, line := range strings.Split(placesTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			t.Fatalf("places.tsv: %q is not name, zone, note", line)
		}
		if _, err := LoadLocation(f[1]); err != nil {
			t.Errorf("places.tsv: %s names %s: %v", f[0], f[1], err)
		}
		k := foldPlace(f[0])
		if z, ok := seen[k]; ok && z != f[1] {
			t.Errorf("places.tsv: %s is both %s and %s", f[0], z, f[1])
		}
		seen[k] = f[1]
	}
	if len(seen) < 250 {
		t.Errorf("only %d places", len(seen))
	}
}
