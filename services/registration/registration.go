// Package registration is the registrants' side of a meeting: a person registers for some
// or all of a meeting's sessions with their language, time zone and consent to reminders,
// and later reads, changes, deletes or unsubscribes through signed links (no account).
// Every change is written with its event (registration.created, .updated, .deleted) in one
// transaction, so the notifier learns of it through the stream.
package registration

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/platform/contact"
	"github.com/plenary/plenary/services/platform/problem"
)

// Source names this service in the events it emits.
const Source = "registration"

// Limits on input.
const (
	maxNameLen   = 200
	maxSessions  = 500
	maxLocaleLen = 35
)

// Registration is a registrant's subscription to a meeting's sessions.
type Registration struct {
	ID        string
	MeetingID string
	Name      string
	// Email is stored lower-cased: one registration per address and meeting.
	Email  string
	Locale string // canonical BCP 47 tag
	TZ     string // canonical IANA zone name
	// Sessions empty means every session of the meeting, present and future.
	Sessions         []string
	ConsentReminders bool
	Unsubscribed     bool
	// Pending is a self-registration waiting for its confirmation link (double opt-in).
	Pending   bool
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Input is what a registrant gives on registration, or (nil fields unchanged) on update.
type Input struct {
	Name             *string   `json:"name"`
	Email            *string   `json:"email"`
	Locale           *string   `json:"locale"`
	TZ               *string   `json:"tz"`
	Sessions         *[]string `json:"sessions"`
	ConsentReminders *bool     `json:"consent_reminders"`
	// Unsubscribed may only be set on update (false subscribes again).
	Unsubscribed *bool `json:"unsubscribed"`
}

// apply validates in and writes it into r. meetingSessions are the ids of the meeting's
// sessions, against which the chosen sessions are checked.
func (in Input) apply(r *Registration, meetingSessions []string, creating bool) error {
	var errs fieldErrors
	in.applyPerson(r, creating, &errs)
	in.applyReading(r, creating, &errs)
	if in.Sessions != nil {
		applySessions(r, *in.Sessions, meetingSessions, &errs)
	}
	if in.ConsentReminders != nil {
		r.ConsentReminders = *in.ConsentReminders
	}
	if in.Unsubscribed != nil {
		if creating {
			errs.add("unsubscribed", "not_allowed", "set only on an existing registration")
		} else {
			r.Unsubscribed = *in.Unsubscribed
		}
	}
	if len(errs) > 0 {
		return problem.Unprocessable("validation_failed", "some fields are not valid; see errors", errs...)
	}
	return nil
}

// fieldErrors gathers the problems of an input, field by field.
type fieldErrors []problem.FieldError

func (e *fieldErrors) add(field, code, msg string) {
	*e = append(*e, problem.FieldError{Field: field, Code: code, Message: msg})
}

// applyPerson applies who registers: the name and the address (both required on a new
// registration).
func (in Input) applyPerson(r *Registration, creating bool, errs *fieldErrors) {
	if in.Name != nil || creating {
		name, clean := "", true
		if in.Name != nil {
			name, clean = contact.Name(*in.Name)
		}
		switch {
		case name == "":
			errs.add("name", "required", "the registrant's name")
		case utf8.RuneCountInString(name) > maxNameLen || !clean:
			errs.add("name", "invalid_name", "at most 200 characters, without control characters")
		default:
			r.Name = name
		}
	}
	if in.Email != nil || creating {
		email, ok := "", false
		if in.Email != nil {
			email, ok = ValidEmail(*in.Email)
		}
		switch {
		case in.Email == nil || strings.TrimSpace(*in.Email) == "":
			errs.add("email", "required", "an email address such as name@example.org")
		case !ok:
			errs.add("email", "invalid_email", "an email address such as name@example.org, without a display name")
		default:
			r.Email = email
		}
	}
}

// applyReading applies how the registrant reads their emails and pages: the language and
// the time zone (both required on a new registration).
func (in Input) applyReading(r *Registration, creating bool, errs *fieldErrors) {
	if in.Locale != nil || creating {
		switch {
		case in.Locale == nil || *in.Locale == "":
			errs.add("locale", "required", "a BCP 47 language tag such as fr-CA, ar or en")
		default:
			tag, ok := ValidLocale(*in.Locale)
			if !ok {
				errs.add("locale", "invalid_locale", "a BCP 47 language tag such as fr-CA, ar or en")
			} else {
				r.Locale = tag
			}
		}
	}
	if in.TZ != nil || creating {
		switch {
		case in.TZ == nil || *in.TZ == "":
			errs.add("tz", "required", "your time zone, e.g. America/Montreal")
		default:
			z, err := zone.Parse(*in.TZ)
			if err != nil {
				*errs = append(*errs, zoneFieldError("tz", err))
			} else {
				r.TZ = z.Name
			}
		}
	}
}

// applySessions applies the sessions chosen (empty: every session of the meeting), each
// a session of the meeting, once.
func applySessions(r *Registration, ids, meetingSessions []string, errs *fieldErrors) {
	if len(ids) > maxSessions {
		errs.add("sessions", "too_many", "at most 500 sessions")
		return
	}
	var chosen []string
	for i, id := range ids {
		switch {
		case !slices.Contains(meetingSessions, id):
			errs.add(fieldIndex("sessions", i), "unknown_session", "not a session of this meeting")
		case slices.Contains(chosen, id):
			errs.add(fieldIndex("sessions", i), "duplicate", "the session is listed twice")
		default:
			chosen = append(chosen, id)
		}
	}
	slices.Sort(chosen)
	r.Sessions = chosen
}

func fieldIndex(field string, i int) string { return field + "/" + strconv.Itoa(i) }

// ValidEmail checks an address by the shared rule (contact.Email: no display name, no
// invisible or bidi characters) and returns it lower-cased.
func ValidEmail(s string) (string, bool) {
	e, ok := contact.Email(s)
	return strings.ToLower(e), ok
}

// ValidLocale parses a BCP 47 tag and returns its canonical form.
func ValidLocale(s string) (string, bool) {
	if len(s) > maxLocaleLen {
		return "", false
	}
	tag, err := language.Parse(s)
	if err != nil || tag == language.Und {
		return "", false
	}
	return tag.String(), true
}

func zoneFieldError(field string, err error) problem.FieldError {
	var ze *zone.Error
	if errors.As(err, &ze) {
		return problem.FieldError{Field: field, Code: ze.Code, Message: ze.Message}
	}
	return problem.FieldError{Field: field, Code: "invalid_zone", Message: "a time zone such as America/Montreal"}
}

func contract(r Registration) contracts.Registration {
	s := r.Sessions
	if s == nil {
		s = []string{}
	}
	return contracts.Registration{ID: r.ID, MeetingID: r.MeetingID, Name: r.Name, Email: r.Email,
		Locale: r.Locale, TZ: r.TZ, Sessions: s, ConsentReminders: r.ConsentReminders,
		Unsubscribed: r.Unsubscribed, Pending: r.Pending, Version: r.Version}
}
