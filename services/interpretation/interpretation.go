// Package interpretation is the service that staffs interpretation booths: the interpreter
// pool, the plan of a meeting (scheduler/interp's allocator over the meeting's live
// sessions, the pool and everyone's commitments elsewhere), assignments with their life
// (proposed, offered, accepted, declined, withdrawn, expired; each transition an event in the same
// transaction), the independent checker re-run after every change, and the exports Zoom
// and Webex take.
//
// No double booking is enforced by the database: an assignment is written in a
// transaction that first looks for an active assignment of the same interpreter
// overlapping the session. On PostgreSQL that transaction is SERIALIZABLE, so of two
// concurrent writers one commits and the other fails with a serialization error, is
// retried, sees the winner and answers 409; SQLite has a single writer.
package interpretation

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/platform/contact"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/problem"
)

// Source is the event source of this service.
const Source = "plenary/interpretation"

// Assignment states.
const (
	StateProposed  = "proposed"
	StateOffered   = "offered"
	StateAccepted  = "accepted"
	StateDeclined  = "declined"
	StateWithdrawn = "withdrawn"
	// StateExpired is an offer nobody answered by its deadline: the seat is open again.
	StateExpired = "expired"
)

// activeStates hold a seat: they block the interpreter's time and fill the booth.
var activeStates = []string{StateProposed, StateOffered, StateAccepted}

// transitions lists the states each state may move to.
var transitions = map[string][]string{
	StateProposed: {StateOffered, StateWithdrawn},
	StateOffered:  {StateAccepted, StateDeclined, StateWithdrawn, StateExpired},
	StateAccepted: {StateWithdrawn},
}

// Active reports whether an assignment in state holds its seat.
func Active(state string) bool { return slices.Contains(activeStates, state) }

// Limits on one interpreter's profile.
const (
	maxNameLen     = 200
	maxLanguages   = 12
	maxUnavailable = 200
	maxPrefs       = 100
)

// Interpreter is a member of the pool as the service stores it: the allocator's view
// (interp.Interpreter) plus what notifications need (locale, home zone by name).
type Interpreter struct {
	interp.Interpreter
	Locale    string
	TZ        string // canonical zone name
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Assignment is one interpreter in one booth of one session.
type Assignment struct {
	ID            string
	MeetingID     string
	SessionID     string
	Booth         string
	InterpreterID string
	Role          string
	State         string
	StartUTC      time.Time
	EndUTC        time.Time
	Live          bool  // false once the session is cancelled
	Sequence      int64 // rises at every step of the lifecycle and when a held seat's session moves: orders the assignment's events
	Version       int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (a Assignment) pure() interp.Assignment {
	return interp.Assignment{SessionID: a.SessionID, Booth: interp.Lang(a.Booth), InterpreterID: a.InterpreterID, Role: interp.Role(a.Role)}
}

// HoursJSON is a working day in the interpreter's own zone, "08:00" to "20:00".
type HoursJSON struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// CapsJSON are an interpreter's own limits; zero means the policy default.
type CapsJSON struct {
	BoothMinutesPerDay  int `json:"booth_minutes_per_day"`
	BoothMinutesPerWeek int `json:"booth_minutes_per_week"`
	SessionsPerDay      int `json:"sessions_per_day"`
	MinRestMinutes      int `json:"min_rest_minutes"`
}

// IntervalJSON is a period off, RFC 3339 instants.
type IntervalJSON struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// InterpreterInput creates an interpreter or, with nil fields unchanged, updates one.
type InterpreterInput struct {
	Name         *string             `json:"name"`
	Email        *string             `json:"email"`
	Locale       *string             `json:"locale"`
	TZ           *string             `json:"tz"`
	Languages    []interp.LangSkill  `json:"languages"`
	Retour       *bool               `json:"retour"`
	Remote       *bool               `json:"remote"`
	WorkingHours *HoursJSON          `json:"working_hours"`
	Caps         *CapsJSON           `json:"caps"`
	Unavailable  []IntervalJSON      `json:"unavailable"`
	Preferences  *interp.Preferences `json:"preferences"`
}

// parseClock reads "HH:MM" as minutes of the day; "24:00" is the end of the day.
func parseClock(s string) (int, bool) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) != 2 || len(m) != 2 || strings.Trim(h+m, "0123456789") != "" {
		return 0, false // Atoi alone would take "+1" and "-0"
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, false
	}
	return hh*60 + mm, true
}

func formatClock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// apply validates the input onto it. Field errors of the pure rules (ISO 639-1 codes, an
// A language, retour needs a B, hours, caps) come from interp.Interpreter.Validate.
func (in InterpreterInput) apply(it *Interpreter, creating bool) error {
	var errs []problem.FieldError
	add := func(field, code, msg string) {
		errs = append(errs, problem.FieldError{Field: field, Code: code, Message: msg})
	}
	if in.Name != nil {
		// Line breaks and invisible characters would reach the From/To display names and
		// the pages: the shared rule normalises them (contact.Name).
		name, clean := contact.Name(*in.Name)
		it.Name = name
		switch {
		case !clean:
			add("name", "invalid_name", "a name without control characters")
		case len([]rune(it.Name)) > maxNameLen:
			add("name", "too_long", fmt.Sprintf("at most %d characters", maxNameLen))
		}
	}
	if in.Email != nil {
		// The registrants' rule (contact.Email): an address with a bidi control or an
		// invisible character reads like another and must never reach To:.
		e, ok := contact.Email(*in.Email)
		it.Email = e
		if !ok {
			it.Email = strings.TrimSpace(*in.Email)
			add("email", "invalid_email", "an email address such as name@example.org, without a display name")
		}
	} else if creating {
		add("email", "required", "an interpreter needs an email address for offers")
	}
	if in.Locale != nil {
		it.Locale = *in.Locale
		if _, err := language.Parse(it.Locale); err != nil || it.Locale == "" || len(it.Locale) > 35 {
			add("locale", "invalid_locale", "a BCP 47 language tag such as fr, es-419 or ar")
		}
	} else if creating {
		it.Locale = "en"
	}
	if in.TZ != nil {
		z, err := zone.Parse(*in.TZ)
		if err != nil {
			add("tz", "invalid_zone", err.Error())
		} else {
			it.TZ, it.Location = z.Name, z.Location
		}
	} else if creating {
		add("tz", "required", "the interpreter's home zone, e.g. Europe/Madrid")
	}
	in.applyWork(it, creating, add)
	if len(errs) == 0 {
		for _, fe := range it.Validate() {
			errs = append(errs, problem.FieldError{Field: fe.Field, Code: fe.Code, Message: fe.Message})
		}
		for i, b := range it.Preferences.Booths {
			if !b.Valid() {
				add(fmt.Sprintf("preferences.booths[%d]", i), "invalid_language", "an ISO 639-1 code")
			}
		}
	}
	if len(errs) > 0 {
		return problem.Unprocessable(interp.CodeInvalidInterpreter, "the interpreter is not valid; see errors", errs...)
	}
	return nil
}

// applyWork validates the interpreter's languages, hours, caps, absences and
// preferences onto it, reporting field errors through add.
func (in InterpreterInput) applyWork(it *Interpreter, creating bool, add func(field, code, msg string)) {
	if in.Languages != nil || creating {
		if len(in.Languages) > maxLanguages {
			add("languages", "too_many", fmt.Sprintf("at most %d languages", maxLanguages))
		}
		it.Languages = in.Languages
	}
	if in.Retour != nil {
		it.Retour = *in.Retour
	}
	if in.Remote != nil {
		it.Remote = *in.Remote
	}
	if in.WorkingHours != nil {
		s, ok1 := parseClock(in.WorkingHours.Start)
		e, ok2 := parseClock(in.WorkingHours.End)
		if !ok1 {
			add("working_hours.start", "invalid_time", `a local time such as "08:00"`)
		}
		if !ok2 {
			add("working_hours.end", "invalid_time", `a local time such as "20:00" (24:00 is midnight)`)
		}
		if ok1 && ok2 {
			it.Hours = interp.WorkingHours{Start: s, End: e}
		}
	} else if creating {
		it.Hours = interp.DefaultWorkingHours
	}
	if in.Caps != nil {
		it.Caps = interp.Caps{BoothMinutesPerDay: in.Caps.BoothMinutesPerDay, BoothMinutesPerWeek: in.Caps.BoothMinutesPerWeek,
			SessionsPerDay: in.Caps.SessionsPerDay, MinRest: time.Duration(in.Caps.MinRestMinutes) * time.Minute}
	}
	if in.Unavailable != nil {
		if len(in.Unavailable) > maxUnavailable {
			add("unavailable", "too_many", fmt.Sprintf("at most %d periods", maxUnavailable))
		}
		it.Unavailable = make([]interp.Interval, 0, len(in.Unavailable))
		for i, u := range in.Unavailable {
			s, err1 := time.Parse(time.RFC3339, u.Start)
			e, err2 := time.Parse(time.RFC3339, u.End)
			if err1 != nil {
				add(fmt.Sprintf("unavailable[%d].start", i), "invalid_instant", "an RFC 3339 instant such as 2026-12-01T09:00:00Z")
			}
			if err2 != nil {
				add(fmt.Sprintf("unavailable[%d].end", i), "invalid_instant", "an RFC 3339 instant such as 2026-12-01T18:00:00Z")
			}
			if (err1 == nil && !db.StorableTime(s)) || (err2 == nil && !db.StorableTime(e)) {
				add(fmt.Sprintf("unavailable[%d]", i), "instant_out_of_range", db.TimeRange)
			}
			it.Unavailable = append(it.Unavailable, interp.Interval{Start: s.UTC(), End: e.UTC()})
		}
	}
	if in.Preferences != nil {
		p := *in.Preferences
		if len(p.Booths)+len(p.Sessions)+len(p.AvoidSessions)+len(p.AvoidMeetings) > maxPrefs {
			add("preferences", "too_many", fmt.Sprintf("at most %d preferences in all", maxPrefs))
		}
		it.Preferences = p
	}
}

// checkTransition says whether an assignment may move from one state to another.
func checkTransition(id, from, to string) error {
	if !slices.Contains([]string{StateProposed, StateOffered, StateAccepted, StateDeclined, StateWithdrawn, StateExpired}, to) {
		return problem.Unprocessable("invalid_state", fmt.Sprintf("state %q is not one of proposed, offered, accepted, declined, withdrawn, expired", to),
			problem.FieldError{Field: "state", Code: "invalid_state", Message: "offered, accepted, declined or withdrawn"})
	}
	allowed := transitions[from]
	if !slices.Contains(allowed, to) {
		return problem.New(problem.KindConflict, "invalid_transition",
			"assignment %s is %s and cannot become %s", id, from, to).
			WithExtra("state", from).WithExtra("allowed", append([]string{}, allowed...))
	}
	return nil
}
