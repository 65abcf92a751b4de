// Package ics builds the iCalendar objects Plenary sends: RFC 5546 invitations
// (METHOD:REQUEST) and cancellations (METHOD:CANCEL) for one session and one recipient, and
// personal calendar feeds (METHOD:PUBLISH) with many sessions.
//
// Objects are modelled and encoded with github.com/emersion/go-ical. Its encoder writes
// correct properties, parameters and escaping but does not fold long lines, does not escape
// CR, and does not reject CR/LF in parameter values; this package therefore normalises every
// text and parameter value before handing it over, and folds the encoded output at 75 octets
// on UTF-8 boundaries (RFC 5545 section 3.1).
package ics

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	ical "github.com/emersion/go-ical"
)

// ProductID identifies Plenary as the producer of every calendar object (PRODID).
const ProductID = "-//Plenary//Plenary notifier//EN"

// MIMEType is the media type of a calendar object; mail parts add "; method=...".
const MIMEType = "text/calendar"

// Method is an iTIP method (RFC 5546 section 1.4).
type Method string

// The methods Plenary uses.
const (
	MethodRequest Method = "REQUEST"
	MethodCancel  Method = "CANCEL"
	MethodPublish Method = "PUBLISH"
)

// PartStat is an attendee's participation status (RFC 5545 section 3.2.12).
type PartStat string

// Participation statuses of an event attendee.
const (
	NeedsAction PartStat = "NEEDS-ACTION"
	Accepted    PartStat = "ACCEPTED"
	Declined    PartStat = "DECLINED"
	Tentative   PartStat = "TENTATIVE"
)

// Person is a calendar user: a display name and an email address.
type Person struct {
	Name  string
	Email string
}

// Attendee is the recipient of an invitation.
type Attendee struct {
	Person
	PartStat PartStat // NEEDS-ACTION when empty
	RSVP     bool     // ask the calendar client to reply
}

// Status is an event's STATUS (RFC 5545 section 3.8.1.11).
type Status string

// Statuses of an event.
const (
	// StatusConfirmed is a seat accepted, or a session a registrant attends.
	StatusConfirmed Status = "CONFIRMED"
	// StatusTentative is a seat offered and not yet answered: the calendar shows it as
	// provisional until the interpreter accepts.
	StatusTentative Status = "TENTATIVE"
	// StatusCancelled is a session cancelled or a seat withdrawn; CANCEL objects always are.
	StatusCancelled Status = "CANCELLED"
)

// Event is one session as one recipient sees it in their calendar.
type Event struct {
	// SessionID and RecipientID make the UID: the same pair always gives the same UID, so
	// a later REQUEST updates the event and a CANCEL removes it.
	SessionID   string
	RecipientID string
	// Sequence is the RFC 5545 SEQUENCE; the caller raises it on every change.
	Sequence   int64
	Start, End time.Time
	// Summary, Description and Location are plain text; each is tagged (LANGUAGE) with
	// the BCP 47 tag of the language it is written in, or not at all when its tag is
	// empty (a text that mixes languages has none: no tag is better than a wrong one).
	Summary, SummaryLang         string
	Description, DescriptionLang string
	Location, LocationLang       string
	URL                          string // the recipient's page about the event, absolute
	Organizer                    Person
	Attendee                     Attendee // ignored in feeds, where RFC 5546 PUBLISH has no attendees
	// Status is CONFIRMED when empty; a CANCEL object is always CANCELLED.
	Status Status
}

// Title is the SUMMARY of a session's event: the meeting's title, then the session's
// (the meeting's alone when the session has no title of its own or repeats it), with the
// language both are in, or "" when they are in different languages.
func Title(meeting, meetingLang, session, sessionLang string) (string, string) {
	switch {
	case meeting == "" || meeting == session:
		return session, sessionLang
	case session == "":
		return meeting, meetingLang
	}
	lang := meetingLang
	if !strings.EqualFold(meetingLang, sessionLang) {
		lang = ""
	}
	return meeting + " — " + session, lang
}

// UID returns the stable UID of the event of sessionID for recipientID. It is a digest so
// that it carries no personal data and no characters a calendar client might mangle.
func UID(sessionID, recipientID string) string {
	sum := sha256.Sum256([]byte(sessionID + "\x00" + recipientID))
	return hex.EncodeToString(sum[:16]) + "@plenary"
}

// Request returns a METHOD:REQUEST object inviting ev.Attendee to ev, stamped at stamp
// (DTSTAMP, from the caller's clock).
func Request(ev Event, stamp time.Time) ([]byte, error) {
	return single(MethodRequest, ev, stamp)
}

// Cancel returns a METHOD:CANCEL object (STATUS:CANCELLED) that removes ev from
// ev.Attendee's calendar. ev.Sequence must be higher than that of the last REQUEST.
func Cancel(ev Event, stamp time.Time) ([]byte, error) {
	ev.Status = StatusCancelled
	return single(MethodCancel, ev, stamp)
}

func single(m Method, ev Event, stamp time.Time) ([]byte, error) {
	cal := newCalendar(m)
	comp, err := vevent(m, ev, stamp)
	if err != nil {
		return nil, fmt.Errorf("build %s for session %s: %w", m, ev.SessionID, err)
	}
	cal.Children = append(cal.Children, comp)
	return encode(cal)
}

// Feed is a personal calendar feed.
type Feed struct {
	Name    string        // calendar name shown by clients (NAME, X-WR-CALNAME)
	Refresh time.Duration // suggested polling interval; one hour when zero
	Events  []Event
}

// Publish returns the feed as one METHOD:PUBLISH object with one VEVENT per event.
// An empty feed is valid: it holds a calendar with no events.
func Publish(f Feed, stamp time.Time) ([]byte, error) {
	cal := newCalendar(MethodPublish)
	if f.Name != "" {
		name := cleanText(f.Name)
		for _, prop := range []string{"NAME", "X-WR-CALNAME"} {
			p := ical.NewProp(prop)
			p.SetText(name)
			p.Params.Del(ical.ParamValue) // TEXT is the default; Outlook expects no VALUE here
			cal.Props.Set(p)
		}
	}
	refresh := f.Refresh
	if refresh <= 0 {
		refresh = time.Hour
	}
	ri := ical.NewProp(ical.PropRefreshInterval)
	ri.SetDuration(refresh)
	ri.Params.Set(ical.ParamValue, string(ical.ValueDuration))
	cal.Props.Set(ri)
	ttl := ical.NewProp("X-PUBLISHED-TTL")
	ttl.SetDuration(refresh)
	ttl.Params.Del(ical.ParamValue)
	cal.Props.Set(ttl)
	for _, ev := range f.Events {
		comp, err := vevent(MethodPublish, ev, stamp)
		if err != nil {
			return nil, fmt.Errorf("build feed event for session %s: %w", ev.SessionID, err)
		}
		cal.Children = append(cal.Children, comp)
	}
	if len(cal.Children) == 0 {
		// go-ical refuses an empty VCALENDAR; write the empty feed by hand.
		return emptyCalendar(cal)
	}
	return encode(cal)
}

func newCalendar(m Method) *ical.Calendar {
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropProductID, ProductID)
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropCalendarScale, "GREGORIAN")
	cal.Props.SetText(ical.PropMethod, string(m))
	return cal
}

func vevent(m Method, ev Event, stamp time.Time) (*ical.Component, error) {
	if ev.SessionID == "" || ev.RecipientID == "" {
		return nil, errors.New("session id and recipient id are required for the UID")
	}
	if ev.Sequence < 0 {
		return nil, fmt.Errorf("negative sequence %d", ev.Sequence)
	}
	if ev.Start.IsZero() || !ev.End.After(ev.Start) {
		return nil, fmt.Errorf("invalid times %s - %s", ev.Start, ev.End)
	}
	if stamp.IsZero() {
		return nil, errors.New("DTSTAMP is required")
	}
	e := ical.NewEvent()
	p := e.Props
	p.SetText(ical.PropUID, UID(ev.SessionID, ev.RecipientID))
	p.SetDateTime(ical.PropDateTimeStamp, utc(stamp))
	p.SetDateTime(ical.PropDateTimeStart, utc(ev.Start))
	p.SetDateTime(ical.PropDateTimeEnd, utc(ev.End))
	seq := ical.NewProp(ical.PropSequence)
	seq.Value = strconv.FormatInt(ev.Sequence, 10)
	p.Set(seq)
	setText := func(name, value, lang string) {
		if value == "" {
			return
		}
		prop := ical.NewProp(name)
		prop.SetText(cleanText(value))
		if lang = cleanParam(lang); lang != "" {
			prop.Params.Set(ical.ParamLanguage, lang)
		}
		p.Set(prop)
	}
	setText(ical.PropSummary, ev.Summary, ev.SummaryLang)
	setText(ical.PropDescription, ev.Description, ev.DescriptionLang)
	setText(ical.PropLocation, ev.Location, ev.LocationLang)
	if ev.URL != "" {
		u, err := url.Parse(ev.URL)
		if err != nil || !u.IsAbs() || strings.ContainsAny(ev.URL, "\r\n") {
			return nil, fmt.Errorf("invalid URL %q", ev.URL)
		}
		p.SetURI(ical.PropURL, u)
	}
	status := ev.Status
	switch {
	case m == MethodCancel:
		status = StatusCancelled
	case status == "":
		status = StatusConfirmed
	case status != StatusConfirmed && status != StatusTentative && status != StatusCancelled:
		return nil, fmt.Errorf("unknown STATUS %q", status)
	}
	p.SetText(ical.PropStatus, string(status))
	p.SetText(ical.PropTransparency, "OPAQUE")

	org, err := calAddress(ical.PropOrganizer, ev.Organizer)
	if err != nil {
		return nil, fmt.Errorf("organizer: %w", err)
	}
	p.Set(org)
	if m != MethodPublish {
		att, err := attendee(ev.Attendee)
		if err != nil {
			return nil, err
		}
		p.Set(att)
	}
	return e.Component, nil
}

// attendee is the ATTENDEE of an invite: its answer (NEEDS-ACTION when none yet), a
// required individual, and whether an answer is asked for.
func attendee(a Attendee) (*ical.Prop, error) {
	att, err := calAddress(ical.PropAttendee, a.Person)
	if err != nil {
		return nil, fmt.Errorf("attendee: %w", err)
	}
	ps := a.PartStat
	if ps == "" {
		ps = NeedsAction
	}
	switch ps {
	case NeedsAction, Accepted, Declined, Tentative:
	default:
		return nil, fmt.Errorf("attendee: unknown PARTSTAT %q", ps)
	}
	att.Params.Set(ical.ParamParticipationStatus, string(ps))
	att.Params.Set(ical.ParamRole, "REQ-PARTICIPANT")
	att.Params.Set(ical.ParamCalendarUserType, "INDIVIDUAL")
	att.Params.Set(ical.ParamRSVP, strings.ToUpper(strconv.FormatBool(a.RSVP)))
	return att, nil
}

// calAddress builds an ORGANIZER or ATTENDEE property: mailto: value, CN parameter.
func calAddress(name string, who Person) (*ical.Prop, error) {
	addr, err := mail.ParseAddress(who.Email)
	if err != nil || addr.Address != who.Email {
		return nil, fmt.Errorf("invalid email address %q", who.Email)
	}
	prop := ical.NewProp(name)
	prop.Value = "mailto:" + addr.Address
	if cn := cleanParam(who.Name); cn != "" {
		prop.Params.Set(ical.ParamCommonName, cn)
	}
	return prop, nil
}

func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// cleanText prepares a TEXT value: line breaks of any convention become LF (which the
// encoder escapes as \n), other control characters are dropped, invalid UTF-8 is replaced.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return -1
		}
		return r
	}, s)
}

// cleanParam prepares a parameter value (a CN, a LANGUAGE): RFC 5545 allows neither
// control characters nor DQUOTE there, so line breaks become spaces, other control
// characters are dropped and double quotes become single ones.
func cleanParam(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '"':
			return '\''
		case r == '\r' || r == '\n' || r == '\t' || r == '\u2028' || r == '\u2029':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func encode(cal *ical.Calendar) ([]byte, error) {
	var buf bytes.Buffer
	if err := ical.NewEncoder(&buf).Encode(cal); err != nil {
		return nil, fmt.Errorf("encode calendar: %w", err)
	}
	return fold(buf.Bytes()), nil
}

// emptyCalendar writes a VCALENDAR without components, which go-ical will not encode.
func emptyCalendar(cal *ical.Calendar) ([]byte, error) {
	cal.Children = []*ical.Component{ical.NewComponent("X-PLENARY-EMPTY")}
	b, err := encode(cal)
	if err != nil {
		return nil, err
	}
	return bytes.Replace(b, []byte("BEGIN:X-PLENARY-EMPTY\r\nEND:X-PLENARY-EMPTY\r\n"), nil, 1), nil
}

// maxLine is the longest a content line may be, in octets, without its CRLF.
const maxLine = 75

// fold splits every content line longer than 75 octets into a first line and
// continuation lines starting with a space, never inside a UTF-8 sequence.
func fold(in []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(in) + len(in)/maxLine*3)
	for len(in) > 0 {
		i := bytes.Index(in, []byte("\r\n"))
		var line []byte
		if i < 0 {
			line, in = in, nil
		} else {
			line, in = in[:i], in[i+2:]
		}
		limit := maxLine
		for len(line) > limit {
			cut := limit
			for cut > 0 && !utf8.RuneStart(line[cut]) {
				cut--
			}
			out.Write(line[:cut])
			out.WriteString("\r\n ")
			line = line[cut:]
			limit = maxLine - 1 // the leading space counts
		}
		out.Write(line)
		out.WriteString("\r\n")
	}
	return out.Bytes()
}
