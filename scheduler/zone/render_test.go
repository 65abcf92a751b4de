package zone

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// TestRender: the expected texts are Node's Intl.DateTimeFormat (ICU 78.2, CLDR 48) for the
// same instant, zone and locale (dateStyle full + timeStyle short; weekday/month short, day,
// hour and minute), with Plenary's offset appended; TestIntlGolden covers many more.
func TestRender(t *testing.T) {
	at := time.Date(2022, 12, 6, 15, 30, 0, 0, time.UTC)
	paris := MustParse("Europe/Paris").Location
	sydney := MustParse("Australia/Sydney").Location
	tests := []struct {
		loc, venue            *time.Location
		lang                  string
		text, shortText, date string
		shift                 int
		shiftText             string
		usedLang, timeText    string
	}{
		{paris, paris, "fr", "mardi 6 décembre 2022 à 16:30 (UTC+01:00)", "mar. 6 déc., 16:30", "2022-12-06", 0, "", "fr", "16:30"},
		{paris, nil, "en", "Tuesday, December 6, 2022 at 4:30 PM (UTC+01:00)", "Tue, Dec 6, 4:30 PM", "2022-12-06", 0, "", "en", "4:30 PM"},
		{sydney, paris, "en", "Wednesday, December 7, 2022 at 2:30 AM (UTC+11:00)", "Wed, Dec 7, 2:30 AM", "2022-12-07", 1, "+1 day", "en", "2:30 AM"},
		{sydney, paris, "fr-CA", "mercredi 7 décembre 2022 à 02 h 30 (UTC+11:00)", "mer. 7 déc., 2 h 30", "2022-12-07", 1, "+1 jour", "fr-CA", "02 h 30"},
		{sydney, paris, "es", "miércoles, 7 de diciembre de 2022, 2:30 (UTC+11:00)", "mié, 7 dic, 2:30", "2022-12-07", 1, "+1 día", "es", "2:30"},
		{sydney, paris, "es-419", "miércoles, 7 de diciembre de 2022, 2:30 a.m. (UTC+11:00)", "mié, 7 dic, 2:30 a.m.", "2022-12-07", 1, "+1 día", "es-419", "2:30 a.m."},
		// CLDR 42 and later: "ar" writes Latin digits, "ar-EG" Arabic-Indic ones.
		{sydney, paris, "ar", "الأربعاء، 7 ديسمبر 2022 في 2:30 ص (UTC+11:00)", "الأربعاء، 7 ديسمبر، 2:30 ص", "2022-12-07", 1, "+1 يوم", "ar", "2:30 ص"},
		{sydney, paris, "ar-EG", "الأربعاء، ٧ ديسمبر ٢٠٢٢ في ٢:٣٠ ص (UTC+11:00)", "الأربعاء، ٧ ديسمبر، ٢:٣٠ ص", "2022-12-07", 1, "+١ يوم", "ar-EG", "٢:٣٠ ص"},
		{sydney, paris, "ar-MA", "الأربعاء، 7 دجنبر 2022 في 02:30 (UTC+11:00)", "الأربعاء، 7 دجنبر، 2:30", "2022-12-07", 1, "+1 يوم", "ar-MA", "02:30"},
		// Languages Plenary does not render are written in English.
		{sydney, paris, "de", "Wednesday, December 7, 2022 at 2:30 AM (UTC+11:00)", "Wed, Dec 7, 2:30 AM", "2022-12-07", 1, "+1 day", "en", "2:30 AM"},
		{sydney, paris, "not a tag!", "Wednesday, December 7, 2022 at 2:30 AM (UTC+11:00)", "Wed, Dec 7, 2:30 AM", "2022-12-07", 1, "+1 day", "en", "2:30 AM"},
		{time.UTC, sydney, "en", "Tuesday, December 6, 2022 at 3:30 PM (UTC)", "Tue, Dec 6, 3:30 PM", "2022-12-06", -1, "-1 day", "en", "3:30 PM"},
		{time.UTC, sydney, "ru", "вторник, 6 декабря 2022 г. в 15:30 (UTC)", "вт, 6 дек., 15:30", "2022-12-06", -1, "-1 день", "ru", "15:30"},
	}
	for _, tt := range tests {
		r := Render(at, tt.loc, tt.lang, tt.venue)
		if r.Text != tt.text || r.Short != tt.shortText || r.Date != tt.date || r.DayShift != tt.shift || r.DayShiftText != tt.shiftText || r.Lang != tt.usedLang || r.TimeText != tt.timeText {
			t.Errorf("Render(%s, %s) =\n %q %q %q %d %q %q %q\nwant\n %q %q %q %d %q %q %q", tt.loc, tt.lang,
				r.Text, r.Short, r.Date, r.DayShift, r.DayShiftText, r.Lang, r.TimeText, tt.text, tt.shortText, tt.date, tt.shift, tt.shiftText, tt.usedLang, tt.timeText)
		}
		if got := FormatDateTime(at, tt.loc, tt.lang); got != tt.text {
			t.Errorf("FormatDateTime = %q, want %q", got, tt.text)
		}
		if got := FormatTime(at, tt.loc, tt.lang); got != tt.timeText {
			t.Errorf("FormatTime(%s) = %q, want %q", tt.lang, got, tt.timeText)
		}
	}
	r := Render(at, paris, "fr", nil)
	if r.Zone != "Europe/Paris" || r.Time != "16:30" || r.Offset != "+01:00" || r.Abbrev != "CET" || r.Weekday != "mardi" || r.LongDate != "mardi 6 décembre 2022" || r.Lang != "fr" {
		t.Errorf("fields %+v", r)
	}
	// Two days apart: 23:30 on the 5th in Pago Pago is 00:30 on the 7th in Kiritimati.
	far := time.Date(2022, 12, 6, 10, 30, 0, 0, time.UTC)
	if r := Render(far, MustParse("Pacific/Kiritimati").Location, "en", MustParse("Pacific/Pago_Pago").Location); r.DayShift != 2 || r.DayShiftText != "+2 days" {
		t.Errorf("Kiritimati vs Pago Pago: %d %q", r.DayShift, r.DayShiftText)
	}
	if r := Render(far, MustParse("Pacific/Kiritimati").Location, "ar-EG", MustParse("Pacific/Pago_Pago").Location); r.DayShiftText != "+٢ يومان" {
		t.Errorf("Arabic dual: %q", r.DayShiftText)
	}
}

// TestLocaleKeywords: BCP 47 -u-hc and -u-nu keywords (UTS #35) choose the clock and the
// digits; the expected texts are Intl.DateTimeFormat's for the same tags.
func TestLocaleKeywords(t *testing.T) {
	at := time.Date(2022, 12, 6, 15, 30, 0, 0, time.UTC)
	paris := MustParse("Europe/Paris").Location
	tests := []struct{ lang, text string }{
		{"en-u-hc-h23", "Tuesday, December 6, 2022 at 16:30 (UTC+01:00)"},
		{"en-GB", "Tuesday, 6 December 2022 at 16:30 (UTC+01:00)"},
		{"en-GB-u-hc-h12", "Tuesday, 6 December 2022 at 4:30 pm (UTC+01:00)"},
		{"fr-CA-u-hc-h12", "mardi 6 décembre 2022 à 4 h 30 p.m. (UTC+01:00)"},
		{"es-419-u-hc-h23", "martes, 6 de diciembre de 2022, 16:30 (UTC+01:00)"},
		{"ar-EG-u-nu-latn", "الثلاثاء، 6 ديسمبر 2022 في 4:30 م (UTC+01:00)"},
		{"ar-u-nu-arab", "الثلاثاء، ٦ ديسمبر ٢٠٢٢ في ٤:٣٠ م (UTC+01:00)"},
		{"de-u-hc-h23", "Tuesday, December 6, 2022 at 16:30 (UTC+01:00)"},
	}
	for _, tt := range tests {
		if got := FormatDateTime(at, paris, tt.lang); got != tt.text {
			t.Errorf("FormatDateTime(%s) = %q, want %q", tt.lang, got, tt.text)
		}
	}
}

func TestConvert(t *testing.T) {
	at := time.Date(2021, 11, 10, 16, 0, 0, 0, time.UTC)
	zs := []Zone{MustParse("EDT"), MustParse("UTC"), MustParse("Asia/Kathmandu"), MustParse("GMT-3")}
	rs := Convert(at, zs, "en", MustParse("America/New_York").Location)
	want := []string{"America/New_York 11:00 -05:00", "UTC 16:00 +00:00", "Asia/Kathmandu 21:45 +05:45", "UTC-03:00 13:00 -03:00"}
	for i, r := range rs {
		if got := r.Zone + " " + r.Time + " " + r.Offset; got != want[i] {
			t.Errorf("Convert[%d] = %q, want %q", i, got, want[i])
		}
	}
	if len(rs[0].Findings) != 1 || rs[0].Findings[0].Suggestion != "EST" {
		t.Errorf("EDT after US summer time: findings %+v", rs[0].Findings)
	}
	if len(rs[1].Findings) != 0 {
		t.Errorf("UTC findings %+v", rs[1].Findings)
	}
}

// TestResolveRenderRoundTrip is the property: for random instants and zones, resolving the
// wall clock a rendering shows gives back the instant, with the offset or with the fold
// that offset implies.
func TestResolveRenderRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2026))
	names := Names()
	lo := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC).Unix() / 60
	hi := time.Date(2037, 12, 31, 0, 0, 0, 0, time.UTC).Unix() / 60
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for i := 0; i < n; i++ {
		name := names[rng.IntN(len(names))]
		z, err := Parse(name)
		if err != nil {
			t.Fatalf("Parse(%s): %v", name, err)
		}
		at := time.Unix((lo+rng.Int64N(hi-lo))*60, 0).UTC()
		r := Render(at, z.Location, "en", nil)
		w, err := ParseWallClock(r.Date + "T" + r.Time + r.Offset)
		if err != nil {
			t.Fatalf("%s at %s: %v", name, at, err)
		}
		res, err := Resolve(w, z, FoldNone)
		if err != nil || !res.Instant.Equal(at) {
			t.Fatalf("%s at %s: with offset resolved to %v, %v", name, at, res.Instant, err)
		}
		w.HasOffset, w.Offset = false, 0
		res, err = Resolve(w, z, FoldEarlier)
		if err == nil && res.Offset != r.Offset {
			res, err = Resolve(w, z, FoldLater)
		}
		if err != nil || !res.Instant.Equal(at) {
			t.Fatalf("%s at %s: with fold resolved to %v, %v", name, at, res.Instant, err)
		}
	}
}

func TestParseNoticeLine(t *testing.T) {
	tests := []struct {
		line, want string // want: entries joined by "; ", or the error code
	}{
		{"11:00 EDT / 15:00 UTC / 17:00 CEST", "11:00 EDT; 15:00 UTC; 17:00 CEST"},
		{"  11:00 EDT|15:00 UTC | 17:00 CEST ", "11:00 EDT; 15:00 UTC; 17:00 CEST"},
		{"11:00 EDT, 15:00 UTC, 17:00 CEST", "11:00 EDT; 15:00 UTC; 17:00 CEST"},
		{"11:00 EDT - 15:00 UTC - 12:00 GMT-3", "11:00 EDT; 15:00 UTC; 12:00 GMT-3"},
		{"11:00 EDT/15:00 UTC", "11:00 EDT; 15:00 UTC"},
		{"16:30 Europe/Paris / 10:30 America/New_York", "16:30 Europe/Paris; 10:30 America/New_York"},
		{"3pm CET; 9 am EST; 14h00 UTC", "15:00 CET; 09:00 EST; 14:00 UTC"},
		{"12:00 a.m. UTC / 12:30 p.m. IST", "00:00 UTC; 12:30 IST"},
		{"11:00 EDT – 15:00 UTC", "11:00 EDT; 15:00 UTC"},
		{"", CodeInvalidNotice},
		{"EDT 11:00", CodeInvalidNotice},
		{"11:00 / 15:00 UTC", CodeInvalidNotice},
		{"25:00 UTC", CodeInvalidNotice},
		{"13pm UTC", CodeInvalidNotice},
		{strings.Repeat("11:00 UTC / ", 100), CodeInvalidNotice},
	}
	for _, tt := range tests {
		n, err := ParseNoticeLine(tt.line, "2021-11-03")
		var got string
		if err != nil {
			got = code(err)
		} else {
			var parts []string
			for _, x := range n.Times {
				parts = append(parts, x.Time+" "+x.Zone)
			}
			got = strings.Join(parts, "; ")
		}
		if got != tt.want {
			t.Errorf("ParseNoticeLine(%q) = %q (%v), want %q", tt.line, got, err, tt.want)
		}
	}
	if _, err := ParseNoticeLine("11:00 UTC / 12:00 CET", "2021-02-30"); code(err) != CodeInvalidDate {
		t.Errorf("bad date: %v", err)
	}
}

func TestCheckNotice(t *testing.T) {
	tests := []struct {
		line, date string
		findings   string // "index:reason:should say" joined by "; "
		ref        string
		code       string
	}{
		{line: "11:00 EDT / 15:00 UTC / 16:00 CET", date: "2021-11-03", ref: "2021-11-03T15:00:00Z"},
		// The classic: a summer abbreviation after Europe's summer time ended (31 Oct 2021).
		{line: "11:00 EDT / 15:00 UTC / 17:00 CEST", date: "2021-11-03", ref: "2021-11-03T15:00:00Z",
			findings: "2:abbreviation_not_in_effect:16:00 CET"},
		// A week after US summer time ended, EDT is wrong even with the New York time right.
		{line: "11:00 EDT / 16:00 UTC / 17:00 CET", date: "2021-11-10", ref: "2021-11-10T16:00:00Z",
			findings: "0:abbreviation_not_in_effect:11:00 EST"},
		{line: "12:00 EDT / 16:00 UTC / 17:00 CET", date: "2021-11-10", ref: "2021-11-10T16:00:00Z",
			findings: "0:abbreviation_not_in_effect:11:00 EST"},
		// GMT-3 read backwards.
		{line: "15:00 UTC / 18:00 GMT-3 / 16:00 CET", date: "2022-12-06", ref: "2022-12-06T15:00:00Z",
			findings: "1:gmt_sign_reversed:12:00 GMT-3"},
		{line: "15:00 UTC / 12:00 GMT-3", date: "2022-12-06", ref: "2022-12-06T15:00:00Z"},
		// A plain wrong conversion; the UTC entry breaks the tie.
		{line: "16:30 CET / 15:00 UTC", date: "2022-12-06", ref: "2022-12-06T15:00:00Z",
			findings: "0:wrong_conversion:16:00 CET"},
		// The day changes.
		{line: "15:30 UTC / 02:30 AEDT / 16:30 Europe/Paris / 02:30 Asia/Tokyo", date: "2022-12-06", ref: "2022-12-06T15:30:00Z",
			findings: "3:wrong_conversion:00:30 Asia/Tokyo (+1 day)"},
		{line: "02:30 AEDT / 15:30 UTC", date: "2022-12-07", ref: "2022-12-07T15:30:00Z"},
		{line: "15:00 UTC / 02:00 AEDT", date: "2022-12-06", ref: "2022-12-06T15:00:00Z"},
		{line: "15:00 UTC / 03:00 AEDT", date: "2022-12-06", ref: "2022-12-06T15:00:00Z",
			findings: "1:wrong_conversion:02:00 AEDT (+1 day)"},
		// A time in the gap.
		{line: "01:30 UTC / 02:30 Europe/Paris", date: "2026-03-29", ref: "2026-03-29T01:30:00Z",
			findings: "1:nonexistent_local_time:03:30 Europe/Paris"},
		{line: "11:00 CST / 17:00 CET", date: "2022-12-06", code: CodeAmbiguousAbbreviation},
		{line: "11:00 UTC", date: "2022-12-06", code: CodeInvalidNotice},
	}
	for _, tt := range tests {
		n, err := ParseNoticeLine(tt.line, tt.date)
		if err != nil {
			t.Fatalf("ParseNoticeLine(%q): %v", tt.line, err)
		}
		res, err := CheckNotice(n)
		if code(err) != tt.code {
			t.Errorf("CheckNotice(%q) error %v, want code %q", tt.line, err, tt.code)
			continue
		}
		if err != nil {
			continue
		}
		var got []string
		for _, f := range res.Findings {
			got = append(got, strings.Join([]string{itoa(f.Index), f.Reason, f.ShouldSay}, ":"))
			if f.Message == "" || f.Says != n.Times[f.Index].Time+" "+n.Times[f.Index].Zone {
				t.Errorf("finding %+v", f)
			}
		}
		if strings.Join(got, "; ") != tt.findings || res.Consistent != (tt.findings == "") || res.Reference.Format(time.RFC3339) != tt.ref {
			t.Errorf("CheckNotice(%q) = %v consistent=%v ref=%s, want %q ref %s", tt.line, got, res.Consistent, res.Reference.Format(time.RFC3339), tt.findings, tt.ref)
		}
	}
}

func itoa(i int) string { return string(rune('0' + i)) }

func TestCheckNoticeMessages(t *testing.T) {
	n, _ := ParseNoticeLine("11:00 EDT / 15:00 UTC / 17:00 CEST", "2021-11-03")
	res, _ := CheckNotice(n)
	if len(res.Findings) != 1 || !strings.Contains(res.Findings[0].Message, "CEST is not in effect on 3 Nov 2021 in Europe/Paris; it is CET (UTC+01:00)") {
		t.Errorf("findings %+v", res.Findings)
	}
	n, _ = ParseNoticeLine("15:00 UTC / 18:00 GMT-3", "2022-12-06")
	res, _ = CheckNotice(n)
	if len(res.Findings) != 1 || !strings.Contains(res.Findings[0].Message, "GMT-3 means UTC-03:00, 3 hours behind UTC") {
		t.Errorf("findings %+v", res.Findings)
	}
}

func BenchmarkResolve(b *testing.B) {
	z := MustParse("Europe/Paris")
	w, _ := ParseWallClock("2026-10-25T02:30")
	for b.Loop() {
		if _, err := Resolve(w, z, FoldLater); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkConvert(b *testing.B) {
	var zs []Zone
	for _, n := range []string{"Europe/Paris", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "Africa/Johannesburg", "America/Sao_Paulo", "Asia/Kolkata", "UTC"} {
		zs = append(zs, MustParse(n))
	}
	at := time.Date(2022, 12, 6, 15, 30, 0, 0, time.UTC)
	for b.Loop() {
		Convert(at, zs, "fr", zs[0].Location)
	}
}
