// Package render writes Plenary's notification emails: for one recipient and one kind of
// notice it picks the language (recipient's locale, its base language, the meeting's
// default, English), the title in that language, and renders subject, plain text and
// HTML with times in the recipient's zone and the venue's.
//
// Sentences live in Plenary's one message catalogue (services/platform/i18n, shared with
// the pages), with plural forms chosen by x/text's CLDR rules; two layout templates (text/template for the plain-text
// part, html/template for HTML, which escapes every value) turn them into an email.
// Dates and times come from scheduler/zone, so emails and the API show the same forms.
package render

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"slices"
	"strings"
	texttemplate "text/template"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/platform/i18n"
)

// Kind is the kind of notice.
type Kind string

// Kinds of notices.
const (
	// RegistrationPending asks a self-registered reader to open the confirmation link
	// (double opt-in); nothing else is sent before.
	RegistrationPending   Kind = "registration_pending"
	RegistrationConfirmed Kind = "registration_confirmed"
	Reminder              Kind = "reminder"
	SessionChanged        Kind = "session_changed"
	SessionCancelled      Kind = "session_cancelled"
	AssignmentOffered     Kind = "assignment_offered"
	AssignmentChanged     Kind = "assignment_changed"
	AssignmentWithdrawn   Kind = "assignment_withdrawn"
	// AssignmentExpired tells an interpreter that an offer they did not answer by its
	// deadline has lapsed and the seat has gone to someone else.
	AssignmentExpired Kind = "assignment_expired"
	// OfferReminder reminds an interpreter, before the deadline, of an offer they have not
	// answered yet.
	OfferReminder Kind = "offer_reminder"
	// OpenSeats tells a meeting's secretariat of interpretation seats still open before
	// its first session ahead (in the meeting's language and the venue's zone).
	OpenSeats Kind = "open_seats"
)

// Kinds lists every kind, for tests and previews.
var Kinds = []Kind{RegistrationPending, RegistrationConfirmed, Reminder, SessionChanged, SessionCancelled,
	AssignmentOffered, AssignmentChanged, AssignmentWithdrawn, AssignmentExpired, OfferReminder, OpenSeats}

// Interval is a session's start and end.
type Interval struct {
	Start, End time.Time
}

// Links are the absolute URLs a notice may carry (signed links made by the caller).
type Links struct {
	Join        string // online meeting
	Manage      string // registration management
	Unsubscribe string
	Confirm     string // the double opt-in link (RegistrationPending)
	Accept      string // assignment
	Decline     string
}

// Input is everything a notice needs, as plain values.
type Input struct {
	Kind          Kind
	RecipientName string
	Locale        string         // BCP 47, e.g. fr-CA
	Zone          *time.Location // recipient's zone; UTC when nil
	// DefaultLang is the meeting's default language, the fallback after the locale.
	DefaultLang  string
	MeetingTitle contracts.Text
	SessionTitle contracts.Text
	VenueZone    *time.Location // the zone the session is planned in; nil: not shown
	Venue        string         // place, free text
	Session      Interval
	// Previous is the former time of a rescheduled session (SessionChanged,
	// AssignmentChanged when the times moved).
	Previous *Interval
	// Now is the caller's clock: reminders say "in 24 hours" from it.
	Now time.Time
	// Sessions is the number of sessions of a registration (RegistrationConfirmed).
	Sessions int
	Booth    string   // output language of the booth, e.g. "FR"
	Team     []string // colleagues in the booth
	Reason   string   // cancellation reason as the secretariat wrote it
	// Deadline is when an offer lapses unanswered (AssignmentOffered, OfferReminder); an
	// offer without one says nothing of a deadline.
	Deadline time.Time
	// OpenSeats are the booths still short of interpreters (OpenSeats).
	OpenSeats []OpenSeat
	Links     Links
}

// OpenSeat is a booth of a session with fewer accepted interpreters than it needs, and
// where its seats stand.
type OpenSeat struct {
	SessionTitle contracts.Text
	Session      Interval
	Booth        string
	Needed       int
	Accepted     int
	Offered      int
	Proposed     int
	Unstaffed    int
	// Lapsed are the offers declined or expired so far.
	Lapsed int
	// NextDeadline is the earliest answer deadline of the offered seats.
	NextDeadline time.Time
}

// Rendered is a notice ready for a mail.Message.
type Rendered struct {
	Subject string
	Text    string
	HTML    string
	Lang    string // the language used (one of i18n.Languages)
	Dir     string // ltr or rtl
}

//go:embed templates
var templateFS embed.FS

// Renderer renders notices. It is safe for concurrent use.
type Renderer struct {
	text *texttemplate.Template
	html *htmltemplate.Template
}

// New parses the templates.
func New() (*Renderer, error) {
	text, err := texttemplate.ParseFS(templateFS, "templates/email.txt.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse text template: %w", err)
	}
	html, err := htmltemplate.ParseFS(templateFS, "templates/email.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("parse html template: %w", err)
	}
	return &Renderer{text: text, html: html}, nil
}

// Language picks the email language for a locale with the one chain of i18n: the locale
// or its base language when Plenary writes it, else the meeting's default language, else
// English.
func (r *Renderer) Language(locale, defaultLang string) language.Tag {
	return i18n.Choose(locale, defaultLang)
}

// pickText chooses a multilingual value with i18n.Pick and returns it with its language.
func pickText(t contracts.Text, locale string, defaultLang string) (string, language.Tag) {
	l := i18n.Pick(t, locale, defaultLang)
	tag, _ := language.Parse(l.Lang)
	return l.Text, tag
}

// row is a labelled value; link is a labelled URL.
type row struct{ Label, Value string }
type link struct{ Label, URL string }

// view is what the layout templates show.
type view struct {
	Lang, Dir string
	Sep       string // between a label and its value
	Subject   string
	Greeting  string
	Lead      []string
	Rows      []row
	Notes     []string
	Links     []link
	Footer    string
}

// ErrInvalidInput marks input no notice can be made from.
var ErrInvalidInput = errors.New("invalid notice input")

// Render renders one notice. It is long because it is one view filled in reading order
// (titles, times, the kind's subject, lead and rows, links) and the kinds differ by a few
// lines each, side by side in one switch; split per kind, what they share would be
// spread over every piece.
func (r *Renderer) Render(in Input) (Rendered, error) {
	if err := validate(in); err != nil {
		return Rendered{}, err
	}
	lang := r.Language(in.Locale, in.DefaultLang)
	// Dates follow the recipient's own locale when it is of the notice's language, so that
	// its region's clock and digits apply (fr-CA "16 h 30"; ar-EG Arabic-Indic digits, ar
	// Latin ones, as CLDR says), the same as the API writes them for that locale; numbers
	// in the text use the same digits.
	dateLang := lang.String()
	if tag, err := language.Parse(in.Locale); err == nil {
		if b, _ := tag.Base(); b.String() == dateLang {
			dateLang = tag.String()
		}
	}
	ptag := lang
	if t, err := lang.SetTypeForKey("nu", zone.NumberingSystem(dateLang)); err == nil {
		ptag = t
	}
	p := i18n.Printer(ptag)
	langName := func(t language.Tag) string { return i18n.Name(t, lang) }
	v := view{Lang: lang.String(), Dir: i18n.Dir(lang), Sep: p.Sprintf("sep.label")}

	meeting, meetingLang := pickText(in.MeetingTitle, in.Locale, in.DefaultLang)
	session, sessionLang := pickText(in.SessionTitle, in.Locale, in.DefaultLang)
	if session == "" {
		session, sessionLang = meeting, meetingLang
	}
	for _, tl := range []language.Tag{meetingLang, sessionLang} {
		if base, _ := tl.Base(); base.String() != lang.String() {
			note := p.Sprintf("note.title_language", langName(lang), langName(tl))
			if len(v.Notes) == 0 || v.Notes[0] != note {
				v.Notes = append(v.Notes, note)
			}
		}
	}

	loc := in.Zone
	if loc == nil {
		loc = time.UTC
	}
	when := func(iv Interval, z *time.Location) string {
		s := zone.FormatDateTime(iv.Start, z, dateLang)
		if !iv.End.IsZero() {
			// Arabic text runs right to left; the en dash reads correctly in both.
			s += " – " + zone.FormatTime(iv.End, z, dateLang)
		}
		return s
	}
	timeRows := func(iv Interval, prefix string) []row {
		label := func(key string, z *time.Location) string {
			l := p.Sprintf(key, z.String())
			if prefix != "" {
				l = prefix + " · " + l
			}
			return l
		}
		rows := []row{{label("label.your_time", loc), when(iv, loc)}}
		if in.VenueZone != nil && in.VenueZone.String() != loc.String() {
			rows = append(rows, row{label("label.venue_time", in.VenueZone), when(iv, in.VenueZone)})
		}
		return rows
	}

	v.Greeting = p.Sprintf("greeting", oneLine(in.RecipientName))
	v.Rows = append(v.Rows, row{p.Sprintf("label.meeting"), meeting})
	if session != meeting {
		v.Rows = append(v.Rows, row{p.Sprintf("label.session"), session})
	}
	footer := "footer.registrant"
	booth := strings.ToUpper(oneLine(in.Booth))

	switch in.Kind {
	case RegistrationPending:
		footer = "footer.pending"
		v.Subject = p.Sprintf("pending.subject", meeting)
		v.Lead = append(v.Lead, p.Sprintf("pending.lead", meeting))
	case RegistrationConfirmed:
		v.Subject = p.Sprintf("confirmation.subject", meeting)
		v.Lead = append(v.Lead, p.Sprintf("confirmation.lead", meeting))
		if in.Sessions > 0 {
			v.Lead = append(v.Lead, p.Sprintf("confirmation.sessions", in.Sessions))
		}
		if !in.Session.Start.IsZero() {
			v.Rows = append(v.Rows, timeRows(in.Session, "")...)
		}
	case Reminder:
		rel := relative(p, in.Session.Start.Sub(in.Now))
		v.Subject = p.Sprintf("reminder.subject", session, rel)
		v.Lead = append(v.Lead, p.Sprintf("reminder.lead", session, rel))
		v.Rows = append(v.Rows, timeRows(in.Session, "")...)
	case SessionChanged:
		v.Subject = p.Sprintf("change.subject", session)
		v.Lead = append(v.Lead, p.Sprintf("change.lead", session))
		v.Rows = append(v.Rows, timeRows(in.Session, p.Sprintf("label.new_time"))...)
		v.Rows = append(v.Rows, timeRows(*in.Previous, p.Sprintf("label.old_time"))...)
	case SessionCancelled:
		v.Subject = p.Sprintf("cancel.subject", session)
		v.Lead = append(v.Lead, p.Sprintf("cancel.lead", session))
		v.Rows = append(v.Rows, timeRows(in.Session, "")...)
		if reason := strings.TrimSpace(in.Reason); reason != "" {
			v.Rows = append(v.Rows, row{p.Sprintf("label.reason"), reason})
		}
	case OpenSeats:
		footer = "footer.secretariat"
		v.Greeting = p.Sprintf("greeting.secretariat")
		v.Subject = p.Sprintf("open_seats.subject", meeting)
		v.Lead = append(v.Lead, p.Sprintf("open_seats.lead", meeting))
		list := p.Sprintf("sep.list")
		for _, st := range in.OpenSeats {
			title, tl := pickText(st.SessionTitle, in.Locale, in.DefaultLang)
			if title == "" {
				title, tl = meeting, meetingLang
			}
			// A session titled in another language says so, as the other notices do.
			if base, _ := tl.Base(); base.String() != lang.String() {
				if note := p.Sprintf("note.title_language", langName(lang), langName(tl)); !slices.Contains(v.Notes, note) {
					v.Notes = append(v.Notes, note)
				}
			}
			parts := []string{p.Sprintf("open_seats.missing", st.Needed-st.Accepted, st.Needed)}
			if st.Offered > 0 {
				parts = append(parts, p.Sprintf("open_seats.offered", st.Offered, zone.FormatDateTime(st.NextDeadline, loc, dateLang)))
			}
			if st.Proposed > 0 {
				parts = append(parts, p.Sprintf("open_seats.proposed", st.Proposed))
			}
			if st.Unstaffed > 0 {
				parts = append(parts, p.Sprintf("open_seats.unstaffed", st.Unstaffed))
			}
			if st.Lapsed > 0 {
				parts = append(parts, p.Sprintf("open_seats.declined", st.Lapsed))
			}
			v.Rows = append(v.Rows, row{oneLine(title) + " · " + p.Sprintf("label.booth") + " " + strings.ToUpper(oneLine(st.Booth)),
				when(st.Session, loc) + " — " + strings.Join(parts, list)})
		}
	case AssignmentOffered, AssignmentChanged, AssignmentWithdrawn, AssignmentExpired, OfferReminder:
		footer = "footer.interpreter"
		key := map[Kind]string{AssignmentOffered: "offer", AssignmentChanged: "assignment_changed", AssignmentWithdrawn: "withdrawn",
			AssignmentExpired: "expired", OfferReminder: "offer_reminder"}[in.Kind]
		v.Subject = p.Sprintf(key+".subject", session, booth)
		if in.Kind == OfferReminder {
			v.Lead = append(v.Lead, p.Sprintf(key+".lead", session, booth, relative(p, in.Deadline.Sub(in.Now))))
		} else {
			v.Lead = append(v.Lead, p.Sprintf(key+".lead", session, booth))
		}
		v.Rows = append(v.Rows, row{p.Sprintf("label.booth"), booth})
		if (in.Kind == AssignmentOffered || in.Kind == OfferReminder) && !in.Deadline.IsZero() {
			// The deadline in the interpreter's own zone, in the forms of their locale.
			v.Rows = append(v.Rows, row{p.Sprintf("label.answer_by", loc.String()), zone.FormatDateTime(in.Deadline, loc, dateLang)})
			if in.Kind == AssignmentOffered {
				v.Lead = append(v.Lead, p.Sprintf("offer.deadline_note"))
			}
		}
		if len(in.Team) > 0 {
			v.Rows = append(v.Rows, row{p.Sprintf("label.team"), strings.Join(in.Team, p.Sprintf("sep.list"))})
		}
		if in.Kind == AssignmentChanged && in.Previous != nil {
			v.Rows = append(v.Rows, timeRows(in.Session, p.Sprintf("label.new_time"))...)
			v.Rows = append(v.Rows, timeRows(*in.Previous, p.Sprintf("label.old_time"))...)
		} else {
			v.Rows = append(v.Rows, timeRows(in.Session, "")...)
		}
	}
	if venue := strings.TrimSpace(in.Venue); venue != "" {
		v.Rows = append(v.Rows, row{p.Sprintf("label.venue"), venue})
	}
	v.Links = links(p, in)
	v.Footer = p.Sprintf(footer, meeting)
	v.Subject = oneLine(v.Subject)

	var text, html bytes.Buffer
	if err := r.text.ExecuteTemplate(&text, "email.txt.tmpl", v); err != nil {
		return Rendered{}, fmt.Errorf("render %s text: %w", in.Kind, err)
	}
	if err := r.html.ExecuteTemplate(&html, "email.html.tmpl", v); err != nil {
		return Rendered{}, fmt.Errorf("render %s html: %w", in.Kind, err)
	}
	return Rendered{Subject: v.Subject, Text: text.String(), HTML: html.String(), Lang: v.Lang, Dir: v.Dir}, nil
}

// links are the links of a notice, in the order the email lists them.
func links(p *message.Printer, in Input) []link {
	var out []link
	if in.Links.Join != "" && in.Kind != SessionCancelled && in.Kind != AssignmentWithdrawn && in.Kind != AssignmentExpired {
		out = append(out, link{p.Sprintf("label.join"), in.Links.Join})
	}
	if in.Kind == RegistrationPending {
		// Only the confirmation link: managing or unsubscribing a registration that is
		// not active yet means nothing.
		out = []link{{p.Sprintf("link.confirm"), in.Links.Confirm}}
		in.Links.Manage, in.Links.Unsubscribe = "", ""
	}
	if in.Kind == AssignmentOffered || in.Kind == OfferReminder {
		out = append(out, link{p.Sprintf("link.accept"), in.Links.Accept}, link{p.Sprintf("link.decline"), in.Links.Decline})
	}
	if in.Links.Manage != "" {
		out = append(out, link{p.Sprintf("link.manage"), in.Links.Manage})
	}
	if in.Links.Unsubscribe != "" {
		out = append(out, link{p.Sprintf("link.unsubscribe"), in.Links.Unsubscribe})
	}
	return out
}

// relative says how far ahead a start is: whole hours, or minutes under an hour.
func relative(p *message.Printer, d time.Duration) string {
	if d < time.Hour {
		m := max(int((d+30*time.Second)/time.Minute), 0)
		return p.Sprintf("in.minutes", m)
	}
	return p.Sprintf("in.hours", int((d+30*time.Minute)/time.Hour))
}

func validate(in Input) error {
	known := false
	for _, k := range Kinds {
		known = known || k == in.Kind
	}
	if !known {
		return fmt.Errorf("%w: unknown kind %q", ErrInvalidInput, in.Kind)
	}
	if in.Kind == OpenSeats && len(in.OpenSeats) == 0 {
		return fmt.Errorf("%w: a notice of open seats needs a seat", ErrInvalidInput)
	}
	if in.Session.Start.IsZero() && in.Kind != RegistrationConfirmed && in.Kind != RegistrationPending && in.Kind != OpenSeats {
		return fmt.Errorf("%w: %s needs the session's start", ErrInvalidInput, in.Kind)
	}
	if in.Kind == Reminder && in.Now.IsZero() {
		return fmt.Errorf("%w: a reminder needs the clock", ErrInvalidInput)
	}
	if in.Kind == SessionChanged && in.Previous == nil {
		return fmt.Errorf("%w: a change notice needs the previous time", ErrInvalidInput)
	}
	if in.Kind == RegistrationPending && in.Links.Confirm == "" {
		return fmt.Errorf("%w: a pending registration needs its confirmation link", ErrInvalidInput)
	}
	if (in.Kind == AssignmentOffered || in.Kind == OfferReminder) && (in.Links.Accept == "" || in.Links.Decline == "") {
		return fmt.Errorf("%w: an offer needs accept and decline links", ErrInvalidInput)
	}
	if in.Kind == OfferReminder && (in.Deadline.IsZero() || in.Now.IsZero()) {
		return fmt.Errorf("%w: an offer reminder needs the deadline and the clock", ErrInvalidInput)
	}
	for _, u := range []string{in.Links.Join, in.Links.Manage, in.Links.Unsubscribe, in.Links.Confirm, in.Links.Accept, in.Links.Decline} {
		if u == "" {
			continue
		}
		parsed, err := url.Parse(u)
		if err != nil || (parsed.Scheme != "https" && parsed.Scheme != "http") || parsed.Host == "" ||
			strings.ContainsAny(u, " \r\n\t") {
			return fmt.Errorf("%w: link %q is not an absolute http(s) URL", ErrInvalidInput, u)
		}
	}
	return nil
}

// oneLine keeps a name or subject on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
