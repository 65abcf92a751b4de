package icaljstest

import (
	"fmt"
	"strings"
	"testing"
)

// recorder keeps the errors Check reports instead of failing the test.
type recorder struct {
	*testing.T
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Error(args ...any) { r.errs = append(r.errs, fmt.Sprint(args...)) }

func object(method string, seq int, extra string) []byte {
	return []byte(strings.ReplaceAll(`BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//test//EN
METHOD:`+method+`
BEGIN:VEVENT
UID:u1@test
DTSTAMP:20261123T090000Z
DTSTART:20261201T100000Z
DTEND:20261201T120000Z
SEQUENCE:`+fmt.Sprint(seq)+`
ORGANIZER:mailto:org@example.org
ATTENDEE;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:a@example.org
`+extra+`END:VEVENT
END:VCALENDAR
`, "\n", "\r\n"))
}

// TestCheckCatches proves the blanket check can fail: a SEQUENCE that goes back for a UID,
// a floating start time, and text ical.js cannot parse are each reported.
func TestCheckCatches(t *testing.T) {
	Parse(t) // skips (or fails under CI) without node and ical.js
	for name, c := range map[string]struct {
		objs [][]byte
		want string
	}{
		"sequence back": {[][]byte{object("REQUEST", 3, ""), object("REQUEST", 2, "")}, "SEQUENCE 2 after 3"},
		"floating":      {[][]byte{[]byte(strings.Replace(string(object("REQUEST", 0, "")), "DTSTART:20261201T100000Z", "DTSTART:20261201T100000", 1))}, "DTSTART not a UTC date-time"},
		"unparsable":    {[][]byte{[]byte("BEGIN:VCALENDAR\r\nnot a content line\r\nEND:VCALENDAR\r\n")}, "parse error"},
		"two attendees": {[][]byte{object("CANCEL", 1, "ATTENDEE:mailto:b@example.org\r\n")}, "2 attendees"},
	} {
		rec := &recorder{T: t}
		Check(rec, c.objs...)
		if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], c.want) {
			t.Errorf("%s: errors %q, want one with %q", name, rec.errs, c.want)
		}
	}
	rec := &recorder{T: t}
	if Check(rec, object("REQUEST", 0, ""), object("REQUEST", 1, ""), object("CANCEL", 1, "")); len(rec.errs) != 0 {
		t.Errorf("a valid series is reported: %q", rec.errs)
	}
}
