package ics

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ical "github.com/emersion/go-ical"

	"github.com/plenary/plenary/notifier/ics/icaljstest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// stamp is the fixed clock of every test.
var stamp = time.Date(2025, 11, 20, 9, 30, 0, 0, time.UTC)

func sampleEvent() Event {
	paris, _ := time.LoadLocation("Europe/Paris")
	return Event{
		SessionID:   "019a0000-0000-7000-8000-000000000001",
		RecipientID: "019a0000-0000-7000-8000-0000000000aa",
		Sequence:    3,
		Start:       time.Date(2025, 12, 6, 16, 30, 0, 0, paris), // 15:30 UTC
		End:         time.Date(2025, 12, 6, 18, 30, 0, 0, paris),
		Summary:     "Plenary; session 2, Africa, Europe and the Americas",
		Description: "Booth: FR\nTeam: Anne Martin, Karim Haddad\r\nJoin: see link",
		Location:    "Geneva, Room XVII",
		SummaryLang: "en", DescriptionLang: "en", LocationLang: "en",
		URL:       "https://meet.example.org/j/123?pwd=a,b",
		Organizer: Person{Name: "Conference Secretariat", Email: "secretariat@plenary.example"},
		Attendee:  Attendee{Person: Person{Name: "Anne Martin", Email: "anne@example.org"}, RSVP: true},
	}
}

func parse(t *testing.T, b []byte) *ical.Calendar {
	t.Helper()
	cal, err := ical.NewDecoder(bytes.NewReader(b)).Decode()
	if err != nil {
		t.Fatalf("parse back: %v\n%s", err, b)
	}
	return cal
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// checkLines asserts the wire form: CRLF endings only, at most 75 octets a line, valid UTF-8.
func checkLines(t *testing.T, b []byte) {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Error("output does not end with CRLF")
	}
	for i, line := range bytes.Split(bytes.TrimSuffix(b, []byte("\r\n")), []byte("\r\n")) {
		if bytes.ContainsAny(line, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i, line)
		}
		if len(line) > 75 {
			t.Errorf("line %d is %d octets: %q", i, len(line), line)
		}
		if !utf8.Valid(line) {
			t.Errorf("line %d is folded inside a UTF-8 sequence: %q", i, line)
		}
	}
}

func onlyEvent(t *testing.T, cal *ical.Calendar) ical.Event {
	t.Helper()
	evs := cal.Events()
	if len(evs) != 1 {
		t.Fatalf("got %d events, want 1", len(evs))
	}
	return evs[0]
}

func text(t *testing.T, p ical.Props, name string) string {
	t.Helper()
	v, err := p.Text(name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

func TestRequest(t *testing.T) {
	ev := sampleEvent()
	b, err := Request(ev, stamp)
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, b)
	golden(t, "request.ics", b)

	cal := parse(t, b)
	if got := text(t, cal.Props, ical.PropMethod); got != "REQUEST" {
		t.Errorf("METHOD = %q", got)
	}
	e := onlyEvent(t, cal)
	if got := text(t, e.Props, ical.PropUID); got != UID(ev.SessionID, ev.RecipientID) {
		t.Errorf("UID = %q", got)
	}
	if got := e.Props.Get(ical.PropSequence).Value; got != "3" {
		t.Errorf("SEQUENCE = %q, want 3", got)
	}
	start, err := e.DateTimeStart(nil)
	if err != nil || !start.Equal(time.Date(2025, 12, 6, 15, 30, 0, 0, time.UTC)) {
		t.Errorf("DTSTART = %v, %v", start, err)
	}
	if v := e.Props.Get(ical.PropDateTimeStart).Value; !strings.HasSuffix(v, "Z") {
		t.Errorf("DTSTART %q is not in UTC form", v)
	}
	end, _ := e.DateTimeEnd(nil)
	if !end.Equal(time.Date(2025, 12, 6, 17, 30, 0, 0, time.UTC)) {
		t.Errorf("DTEND = %v", end)
	}
	ds, _ := e.Props.DateTime(ical.PropDateTimeStamp, nil)
	if !ds.Equal(stamp) {
		t.Errorf("DTSTAMP = %v", ds)
	}
	if got := text(t, e.Props, ical.PropSummary); got != ev.Summary {
		t.Errorf("SUMMARY = %q", got)
	}
	if got, want := text(t, e.Props, ical.PropDescription), "Booth: FR\nTeam: Anne Martin, Karim Haddad\nJoin: see link"; got != want {
		t.Errorf("DESCRIPTION = %q, want %q", got, want)
	}
	if got := text(t, e.Props, ical.PropStatus); got != "CONFIRMED" {
		t.Errorf("STATUS = %q", got)
	}
	u, err := e.Props.URI(ical.PropURL)
	if err != nil || u.String() != ev.URL {
		t.Errorf("URL = %v, %v", u, err)
	}
	att := e.Props.Get(ical.PropAttendee)
	if att == nil || att.Value != "mailto:anne@example.org" || att.Params.Get("PARTSTAT") != "NEEDS-ACTION" ||
		att.Params.Get("RSVP") != "TRUE" || att.Params.Get("CN") != "Anne Martin" {
		t.Errorf("ATTENDEE = %+v", att)
	}
	org := e.Props.Get(ical.PropOrganizer)
	if org == nil || org.Value != "mailto:secretariat@plenary.example" || org.Params.Get("CN") != "Conference Secretariat" {
		t.Errorf("ORGANIZER = %+v", org)
	}
}

func TestSequenceIsTheCallers(t *testing.T) {
	for _, seq := range []int64{0, 1, 7, 1 << 40} {
		ev := sampleEvent()
		ev.Sequence = seq
		b, err := Request(ev, stamp)
		if err != nil {
			t.Fatal(err)
		}
		e := onlyEvent(t, parse(t, b))
		n, err := e.Props.Get(ical.PropSequence).Int()
		if err != nil || int64(n) != seq {
			t.Errorf("SEQUENCE = %d, %v; want %d", n, err, seq)
		}
	}
	ev := sampleEvent()
	ev.Sequence = -1
	if _, err := Request(ev, stamp); err == nil {
		t.Error("negative SEQUENCE accepted")
	}
}

func TestUIDStablePerSessionAndRecipient(t *testing.T) {
	a := UID("s1", "r1")
	if a != UID("s1", "r1") {
		t.Error("UID not stable")
	}
	if a == UID("s1", "r2") || a == UID("s2", "r1") {
		t.Error("UID does not depend on both session and recipient")
	}
	if UID("s1", "1r") == UID("s11", "r") {
		t.Error("UID concatenation is ambiguous")
	}
	if !strings.HasSuffix(a, "@plenary") {
		t.Errorf("UID %q", a)
	}
	// A REQUEST and the CANCEL that follows it share the UID.
	ev := sampleEvent()
	req, _ := Request(ev, stamp)
	ev.Sequence++
	cnl, err := Cancel(ev, stamp.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	r, c := onlyEvent(t, parse(t, req)), onlyEvent(t, parse(t, cnl))
	if text(t, r.Props, ical.PropUID) != text(t, c.Props, ical.PropUID) {
		t.Error("CANCEL has another UID than the REQUEST")
	}
}

func TestCancel(t *testing.T) {
	ev := sampleEvent()
	ev.Sequence = 4
	b, err := Cancel(ev, stamp)
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, b)
	golden(t, "cancel.ics", b)
	cal := parse(t, b)
	if got := text(t, cal.Props, ical.PropMethod); got != "CANCEL" {
		t.Errorf("METHOD = %q", got)
	}
	e := onlyEvent(t, cal)
	if st, err := e.Status(); err != nil || st != ical.EventCancelled {
		t.Errorf("STATUS = %q, %v", st, err)
	}
	if got := e.Props.Get(ical.PropSequence).Value; got != "4" {
		t.Errorf("SEQUENCE = %q", got)
	}
	if e.Props.Get(ical.PropAttendee) == nil || e.Props.Get(ical.PropOrganizer) == nil {
		t.Error("CANCEL needs ORGANIZER and ATTENDEE (RFC 5546 3.2.5)")
	}
}

func TestPublishFeed(t *testing.T) {
	a := sampleEvent()
	b := sampleEvent()
	b.SessionID = "019a0000-0000-7000-8000-000000000002"
	b.Start = b.Start.Add(24 * time.Hour)
	b.End = b.End.Add(24 * time.Hour)
	b.Summary = "Séance 3 : région Asie-Pacifique"
	b.SummaryLang, b.DescriptionLang, b.LocationLang = "fr", "fr", "fr"
	b.Status = StatusCancelled
	out, err := Publish(Feed{Name: "Plenary — Anne Martin", Events: []Event{a, b}}, stamp)
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, out)
	golden(t, "feed.ics", out)
	cal := parse(t, out)
	if got := text(t, cal.Props, ical.PropMethod); got != "PUBLISH" {
		t.Errorf("METHOD = %q", got)
	}
	evs := cal.Events()
	if len(evs) != 2 {
		t.Fatalf("got %d events", len(evs))
	}
	if text(t, evs[0].Props, ical.PropUID) == text(t, evs[1].Props, ical.PropUID) {
		t.Error("two sessions share a UID")
	}
	for _, e := range evs {
		if e.Props.Get(ical.PropAttendee) != nil {
			t.Error("PUBLISH must not carry ATTENDEE (RFC 5546 3.2.1)")
		}
	}
	if st, _ := evs[1].Status(); st != ical.EventCancelled {
		t.Errorf("cancelled session has STATUS %q", st)
	}
	if got := text(t, evs[1].Props, ical.PropSummary); got != b.Summary {
		t.Errorf("SUMMARY = %q", got)
	}
	if got := evs[1].Props.Get(ical.PropSummary).Params.Get("LANGUAGE"); got != "fr" {
		t.Errorf("LANGUAGE = %q", got)
	}

	empty, err := Publish(Feed{Name: "nothing yet"}, stamp)
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, empty)
	if cal := parse(t, empty); len(cal.Children) != 0 {
		t.Errorf("empty feed has %d components", len(cal.Children))
	}
}

func TestTextCannotInjectProperties(t *testing.T) {
	ev := sampleEvent()
	ev.Summary = "Budget\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\nATTACH:http://x; a\\b, c"
	ev.Description = "ligne 1\rligne 2\x00\x1b[31m"
	ev.Location = "Genève\nSTATUS:CANCELLED"
	ev.Organizer.Name = "Evil\r\nATTENDEE:mailto:x@y.z"
	ev.Attendee.Name = `Anne "the boss": Martin; Jr, \x`
	b, err := Request(ev, stamp)
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, b)
	cal := parse(t, b)
	e := onlyEvent(t, cal)
	if n := len(cal.Children); n != 1 {
		t.Fatalf("%d components", n)
	}
	for _, name := range []string{ical.PropUID, ical.PropStatus, ical.PropAttendee, "ATTACH"} {
		want := 1
		if name == "ATTACH" {
			want = 0
		}
		if got := len(e.Props.Values(name)); got != want {
			t.Errorf("%d %s properties, want %d", got, name, want)
		}
	}
	if got := text(t, e.Props, ical.PropSummary); got != "Budget\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil\nATTACH:http://x; a\\b, c" {
		t.Errorf("SUMMARY = %q", got)
	}
	if got := text(t, e.Props, ical.PropDescription); got != "ligne 1\nligne 2[31m" {
		t.Errorf("DESCRIPTION = %q", got)
	}
	if got := text(t, e.Props, ical.PropStatus); got != "CONFIRMED" {
		t.Errorf("STATUS = %q", got)
	}
	if got := e.Props.Get(ical.PropOrganizer).Params.Get("CN"); got != "Evil ATTENDEE:mailto:x@y.z" {
		t.Errorf("ORGANIZER CN = %q", got)
	}
	if got := e.Props.Get(ical.PropAttendee).Params.Get("CN"); got != `Anne 'the boss': Martin; Jr, \x` {
		t.Errorf("ATTENDEE CN = %q", got)
	}
}

func TestNonASCIIFoldsOnRuneBoundaries(t *testing.T) {
	ev := sampleEvent()
	ev.SummaryLang, ev.DescriptionLang, ev.LocationLang = "ar", "ar", "ar"
	ev.Summary = "الجلسة العامة الثانية: أفريقيا وأوروبا والأمريكتان — الترجمة الفورية إلى العربية والإنكليزية والفرنسية والإسبانية"
	ev.Description = strings.Repeat("é", 100) + "\n" + strings.Repeat("日本", 40)
	ev.Attendee.Name = "كريم حداد"
	b, err := Request(ev, stamp)
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, b)
	golden(t, "request-ar.ics", b)
	e := onlyEvent(t, parse(t, b))
	if got := text(t, e.Props, ical.PropSummary); got != ev.Summary {
		t.Errorf("SUMMARY = %q", got)
	}
	if got := text(t, e.Props, ical.PropDescription); got != ev.Description {
		t.Errorf("DESCRIPTION = %q", got)
	}
	if got := e.Props.Get(ical.PropAttendee).Params.Get("CN"); got != "كريم حداد" {
		t.Errorf("CN = %q", got)
	}
}

func TestFold(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"ascii exactly 75", strings.Repeat("a", 75)},
		{"ascii 76", strings.Repeat("a", 76)},
		{"ascii long", strings.Repeat("abcdefghij", 40)},
		{"two-byte", strings.Repeat("é", 200)},
		{"three-byte", strings.Repeat("€", 200)},
		{"four-byte", strings.Repeat("😀", 100)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := fold([]byte("X:" + tc.in + "\r\n"))
			checkLines(t, out)
			unfolded := strings.ReplaceAll(string(out), "\r\n ", "")
			if unfolded != "X:"+tc.in+"\r\n" {
				t.Errorf("unfold(fold(x)) != x")
			}
		})
	}
}

func TestInvalidInput(t *testing.T) {
	for name, mutate := range map[string]func(*Event){
		"no session":        func(e *Event) { e.SessionID = "" },
		"no recipient":      func(e *Event) { e.RecipientID = "" },
		"end before start":  func(e *Event) { e.End = e.Start.Add(-time.Minute) },
		"bad attendee":      func(e *Event) { e.Attendee.Email = "anne@example.org\r\nX: y" },
		"display attendee":  func(e *Event) { e.Attendee.Email = "Anne <anne@example.org>" },
		"bad organizer":     func(e *Event) { e.Organizer.Email = "" },
		"relative url":      func(e *Event) { e.URL = "/join" },
		"unknown partstat":  func(e *Event) { e.Attendee.PartStat = "MAYBE" },
		"url with newline":  func(e *Event) { e.URL = "https://x.example/\r\nX:y" },
		"zero start":        func(e *Event) { e.Start = time.Time{} },
		"equal start & end": func(e *Event) { e.End = e.Start },
	} {
		t.Run(name, func(t *testing.T) {
			ev := sampleEvent()
			mutate(&ev)
			if _, err := Request(ev, stamp); err == nil {
				t.Error("accepted")
			}
		})
	}
	if _, err := Request(sampleEvent(), time.Time{}); err == nil {
		t.Error("zero DTSTAMP accepted")
	}
}

// TestGoldenObjectsReadByICALJS has Mozilla's ical.js read the golden objects: the same
// UID, SEQUENCE, times, attendee and text as this package meant to write.
func TestGoldenObjectsReadByICALJS(t *testing.T) {
	var objs [][]byte
	for _, name := range []string{"request.ics", "cancel.ics", "feed.ics", "request-ar.ics"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		objs = append(objs, b)
	}
	reports := icaljstest.Parse(t, objs...)
	for i, r := range reports {
		if !r.OK {
			t.Fatalf("object %d: ical.js: %s", i, r.Error)
		}
	}
	ev := sampleEvent()
	uid := UID(ev.SessionID, ev.RecipientID)
	req := reports[0]
	if req.Method != "REQUEST" || len(req.Events) != 1 {
		t.Fatalf("request: METHOD %s, %d events", req.Method, len(req.Events))
	}
	e := req.Events[0]
	if e.UID != uid || e.Sequence == nil || *e.Sequence != 3 {
		t.Errorf("request: UID %s SEQUENCE %v, want %s 3", e.UID, e.Sequence, uid)
	}
	// 16:30-18:30 in Paris on 6 December 2025 (UTC+1) is 15:30-17:30 UTC.
	if e.DTStart.UTC != "2025-12-06T15:30:00.000Z" || e.DTEnd.UTC != "2025-12-06T17:30:00.000Z" || e.DTStart.Zone != "UTC" {
		t.Errorf("request: DTSTART %+v DTEND %+v", e.DTStart, e.DTEnd)
	}
	if e.Description == nil || e.Description.Value != "Booth: FR\nTeam: Anne Martin, Karim Haddad\nJoin: see link" {
		t.Errorf("request: DESCRIPTION %+v (CRLF inside a value must read as one line break)", e.Description)
	}
	if e.URL != "https://meet.example.org/j/123?pwd=a,b" || e.URLType != "uri" {
		t.Errorf("request: URL %q (%s)", e.URL, e.URLType)
	}
	if len(e.Attendees) != 1 || e.Attendees[0].Value != "mailto:anne@example.org" || e.Attendees[0].CN != "Anne Martin" ||
		e.Attendees[0].PartStat != "NEEDS-ACTION" || e.Attendees[0].RSVP != "TRUE" {
		t.Errorf("request: ATTENDEE %+v", e.Attendees)
	}
	if e.Organizer == nil || e.Organizer.Value != "mailto:secretariat@plenary.example" {
		t.Errorf("request: ORGANIZER %+v", e.Organizer)
	}
	if c := reports[1]; c.Method != "CANCEL" || len(c.Events) != 1 || c.Events[0].Status != "CANCELLED" || c.Events[0].UID != uid {
		t.Errorf("cancel: %+v", c)
	}
	if f := reports[2]; f.Method != "PUBLISH" || len(f.Events) != 2 || f.Calendar.RefreshInterval != "PT3600S" {
		t.Errorf("feed: METHOD %s, %d events, REFRESH-INTERVAL %q", f.Method, len(f.Events), f.Calendar.RefreshInterval)
	}
	for _, o := range objs { // independent objects: no SEQUENCE order between them
		icaljstest.Check(t, o)
	}
}

func TestTitleNamesTheMeeting(t *testing.T) {
	for _, c := range []struct{ meeting, mLang, session, sLang, want, wantLang string }{
		{"World Water Forum", "en", "Opening", "en", "World Water Forum — Opening", "en"},
		{"Forum mondial de l’eau", "fr", "Opening", "en", "Forum mondial de l’eau — Opening", ""},
		{"World Water Forum", "en", "World Water Forum", "en", "World Water Forum", "en"},
		{"World Water Forum", "en", "", "", "World Water Forum", "en"},
		{"", "", "Opening", "en", "Opening", "en"},
		{"Forum", "pt-BR", "Abertura", "pt-br", "Forum — Abertura", "pt-BR"},
	} {
		got, lang := Title(c.meeting, c.mLang, c.session, c.sLang)
		if got != c.want || lang != c.wantLang {
			t.Errorf("Title(%q %s, %q %s) = %q %q, want %q %q", c.meeting, c.mLang, c.session, c.sLang, got, lang, c.want, c.wantLang)
		}
	}
}

// Each text carries its own LANGUAGE, none when empty; STATUS is the caller's, and a
// CANCEL is CANCELLED whatever it says; ical.js reads them so.
func TestStatusAndLanguagesPerText(t *testing.T) {
	ev := sampleEvent()
	ev.SummaryLang, ev.DescriptionLang, ev.LocationLang = "", "fr", "en"
	ev.Status = StatusTentative
	req, err := Request(ev, stamp)
	if err != nil {
		t.Fatal(err)
	}
	cancel, err := Cancel(ev, stamp)
	if err != nil {
		t.Fatal(err)
	}
	r := icaljstest.Parse(t, req, cancel)
	e := r[0].Events[0]
	if e.Status != "TENTATIVE" || e.Summary.Language != "" || e.Description.Language != "fr" || e.Location.Language != "en" {
		t.Errorf("REQUEST: STATUS %s, SUMMARY %+v, DESCRIPTION %+v, LOCATION %+v", e.Status, e.Summary, e.Description, e.Location)
	}
	if st := r[1].Events[0].Status; st != "CANCELLED" {
		t.Errorf("CANCEL: STATUS %s", st)
	}
	ev.Status = "MAYBE"
	if _, err := Request(ev, stamp); err == nil {
		t.Error("an unknown STATUS is written")
	}
}
