package zone

import (
	"strings"
	"testing"
	"time"
)

// TestParseNoticeLineAsPrinted: lines in the forms real notices print (issue 16's list:
// the second time in parentheses, a place beside or instead of a zone, 12-hour times,
// "noon"), read into times with their zones and places.
func TestParseNoticeLineAsPrinted(t *testing.T) {
	tests := []struct{ line, want string }{ // want: time zone [place] joined by "; "
		{"09:30 EST (14:30 GMT)", "09:30 EST; 14:30 GMT"},
		{"7 p.m. (Bangkok time)", "19:00 [Bangkok time]"},
		{"10:00 CET (Vienna time)", "10:00 CET [Vienna time]"},
		{"8 a.m. local time in Chile (GMT -4)", "08:00 GMT -4 [local time in Chile]"},
		{"10:00 AM (GMT +5:45/Nepal Time)", "10:00 GMT +5:45 [Nepal Time]"},
		{"2.15pm SGT | 8.15am CEST", "14:15 SGT; 08:15 CEST"},
		{"noon EST / 17:00 UTC", "12:00 EST; 17:00 UTC"},
		{"12 noon CET (11:00 GMT)", "12:00 CET; 11:00 GMT"},
		{"midnight UTC (9 a.m. Tokyo)", "00:00 UTC; 09:00 [Tokyo]"},
		{"10 h 30 Europe/Paris (9 h 30 UTC)", "10:30 Europe/Paris; 09:30 UTC"},
		{"3 p.m. CEST [Geneva]", "15:00 CEST [Geneva]"},
		{"(Bangkok time) 7 p.m.", CodeInvalidNotice},
		{"7 p.m. (Atlantis time)", CodeInvalidNotice},
		{"7 p.m. (CET) (CEST)", CodeInvalidNotice},
		{"13 p.m. UTC", CodeInvalidNotice},
		{"11 noon UTC", CodeInvalidNotice},
	}
	for _, tt := range tests {
		n, err := ParseNoticeLine(tt.line, "2026-07-01")
		var got string
		if err != nil {
			got = code(err)
			if e, ok := err.(*Error); ok && !strings.HasSuffix(e.Message, ")") && !strings.Contains(e.Message, ";") && !strings.Contains(e.Message, ":") {
				t.Errorf("%q: the message %q does not say what to do", tt.line, e.Message)
			}
		} else {
			var parts []string
			for _, x := range n.Times {
				s := x.Time
				if x.Zone != "" {
					s += " " + x.Zone
				}
				if x.Place != "" {
					s += " [" + x.Place + "]"
				}
				parts = append(parts, s)
			}
			got = strings.Join(parts, "; ")
		}
		if got != tt.want {
			t.Errorf("ParseNoticeLine(%q) = %q (%v), want %q", tt.line, got, err, tt.want)
		}
	}
}

// TestCheckNoticePlaces: a time printed with a place is read as the place's clock, and a
// zone printed beside it that the place does not keep on that date is a finding with the
// right reading. The expected offsets are the tz database's: Vienna keeps CEST from the
// last Sunday of March, Chile (mainland) is at UTC-3 from the first Sunday of September to
// the first Sunday of April, Nepal at UTC+5:45 all year, Singapore at UTC+8.
func TestCheckNoticePlaces(t *testing.T) {
	tests := []struct {
		line, date, venue string
		ref               string
		findings          string // index:reason:should say
	}{
		{"7 p.m. (Bangkok time)", "2026-01-15", "", "2026-01-15T12:00:00Z", ""},
		{"10:00 CET (Vienna time)", "2026-01-15", "", "2026-01-15T09:00:00Z", ""},
		{"10:00 CET (Vienna time)", "2026-07-01", "", "2026-07-01T08:00:00Z", "0:zone_contradicts_place:10:00 CEST (Vienna time)"},
		{"8 a.m. local time in Chile (GMT -4)", "2026-07-01", "", "2026-07-01T12:00:00Z", ""},
		{"8 a.m. local time in Chile (GMT -4)", "2026-11-10", "", "2026-11-10T11:00:00Z", "0:zone_contradicts_place:08:00 GMT-3 (local time in Chile)"},
		{"10:00 AM (GMT +5:45/Nepal Time)", "2026-05-05", "", "2026-05-05T04:15:00Z", ""},
		{"10:00 AM (GMT +5:30/Nepal Time)", "2026-05-05", "", "2026-05-05T04:15:00Z", "0:zone_contradicts_place:10:00 GMT+5:45 (Nepal Time)"},
		{"2.15pm SGT | 8.15am CEST", "2026-06-10", "", "2026-06-10T06:15:00Z", ""},
		{"2.15pm SGT | 8.15am CEST", "2026-12-10", "", "2026-12-10T06:15:00Z", "1:abbreviation_not_in_effect:07:15 CET"},
		{"09:30 EST (14:30 GMT)", "2026-01-15", "", "2026-01-15T14:30:00Z", ""},
		{"09:30 EST (14:30 GMT)", "2026-07-15", "", "2026-07-15T14:30:00Z", "0:abbreviation_not_in_effect:10:30 EDT"},
		// One time for a meeting in Geneva: its zone must be Geneva's on that date.
		{"10:00 CEST", "2026-12-01", "Europe/Zurich", "2026-12-01T09:00:00Z", "0:zone_contradicts_place:10:00 CET"},
		{"10:00 CET", "2026-12-01", "Europe/Zurich", "2026-12-01T09:00:00Z", ""},
		{"noon (Geneva time)", "2026-12-01", "", "2026-12-01T11:00:00Z", ""},
	}
	for _, tt := range tests {
		n, err := ParseNoticeLine(tt.line, tt.date)
		if err != nil {
			t.Fatalf("ParseNoticeLine(%q): %v", tt.line, err)
		}
		n.Venue = tt.venue
		res, err := CheckNotice(n)
		if err != nil {
			t.Errorf("CheckNotice(%q, %s): %v", tt.line, tt.date, err)
			continue
		}
		var got []string
		for _, f := range res.Findings {
			got = append(got, itoa(f.Index)+":"+f.Reason+":"+f.ShouldSay)
			if !strings.HasPrefix(f.Message, "The notice prints ") || !strings.HasSuffix(f.Message, ".") && !strings.HasSuffix(f.Message, ".)") {
				t.Errorf("%q: message %q is not a sentence saying what to print", tt.line, f.Message)
			}
		}
		if strings.Join(got, "; ") != tt.findings || res.Reference.Format(time.RFC3339) != tt.ref || res.Consistent != (tt.findings == "") {
			t.Errorf("CheckNotice(%q, %s) = %v ref %s, want %q ref %s", tt.line, tt.date, got, res.Reference.Format(time.RFC3339), tt.findings, tt.ref)
		}
	}
	// One time and nothing to check it against is refused, saying what to add.
	n, _ := ParseNoticeLine("10:00 CET", "2026-12-01")
	if _, err := CheckNotice(n); code(err) != CodeInvalidNotice || !strings.Contains(err.Error(), "Vienna time") {
		t.Errorf("one time, no place: %v", err)
	}
}

// TestNoticeMessagesAreSentences: the issue's example answered "16:00 UTC is 16:00 UTC in
// UTC, not 15:00 UTC (15:00 UTC is 15:00 UTC)"; a message now says what is printed, what
// the other times give, and what to print.
func TestNoticeMessagesAreSentences(t *testing.T) {
	tests := []struct{ line, date, msg string }{
		{"16:00 UTC / 15:00 UTC", "2026-12-01", "The notice prints 15:00 UTC, but its other times give 16:00 UTC. Print 16:00 UTC."},
		{"16:30 CET / 15:00 UTC", "2022-12-06", "The notice prints 16:30 CET, but its other times give 15:00 UTC, which is 16:00 CET in Europe/Paris. Print 16:00 CET."},
		{"10:00 CET (Vienna time)", "2026-07-01", "The notice prints 10:00 CET for Vienna, but on 1 July 2026 Vienna is on CEST (UTC+02:00), not CET (UTC+01:00). " +
			"If 10:00 in Vienna is meant, print 10:00 CEST; if 10:00 CET is meant, that is 11:00 in Vienna."},
	}
	for _, tt := range tests {
		n, _ := ParseNoticeLine(tt.line, tt.date)
		res, err := CheckNotice(n)
		if err != nil || len(res.Findings) != 1 || res.Findings[0].Message != tt.msg {
			t.Errorf("%q: %v %+v\nwant %q", tt.line, err, res.Findings, tt.msg)
		}
	}
}
