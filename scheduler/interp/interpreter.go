package interp

import (
	"fmt"
	"time"
)

// LangSkill is one language of an interpreter with its class.
type LangSkill struct {
	Lang  Lang  `json:"lang"`
	Class Class `json:"class"`
}

// WorkingHours are minutes of the interpreter's local day, Start < End <= 1440.
// The zero value means the default, 08:00-20:00.
type WorkingHours struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// DefaultWorkingHours is 08:00-20:00 local (DOMAIN.md section 2).
var DefaultWorkingHours = WorkingHours{Start: 8 * 60, End: 20 * 60}

// Caps are an interpreter's limits. Zero means the policy default; otherwise the stricter
// of the two applies.
type Caps struct {
	BoothMinutesPerDay  int           `json:"booth_minutes_per_day,omitempty"`
	BoothMinutesPerWeek int           `json:"booth_minutes_per_week,omitempty"`
	SessionsPerDay      int           `json:"sessions_per_day,omitempty"`
	MinRest             time.Duration `json:"min_rest,omitempty"`
}

// Interval is a half-open span of time [Start, End), in UTC.
type Interval struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

func (iv Interval) overlaps(s, e time.Time) bool { return iv.Start.Before(e) && s.Before(iv.End) }

// Preferences are soft wishes; the allocator honours them when the hard rules allow.
type Preferences struct {
	Booths        []Lang   `json:"booths,omitempty"`         // booths they prefer to work in
	Sessions      []string `json:"sessions,omitempty"`       // sessions they would like
	AvoidSessions []string `json:"avoid_sessions,omitempty"` // sessions they would rather not do
	AvoidMeetings []string `json:"avoid_meetings,omitempty"`
}

// Interpreter is a member of the pool.
type Interpreter struct {
	ID        string         `json:"id"`
	Name      string         `json:"name"`
	Email     string         `json:"email"`
	Languages []LangSkill    `json:"languages"`
	Retour    bool           `json:"retour"` // works into their B language
	Remote    bool           `json:"remote"` // works from home, in Location's time
	Location  *time.Location `json:"-"`      // home zone; nil is UTC
	Hours     WorkingHours   `json:"working_hours"`
	Caps      Caps           `json:"caps"`
	// Unavailable are declared periods off (UTC).
	Unavailable []Interval  `json:"unavailable,omitempty"`
	Preferences Preferences `json:"preferences"`
}

// ClassOf is the interpreter's class in l, or "" when they do not have it.
func (in Interpreter) ClassOf(l Lang) Class {
	for _, s := range in.Languages {
		if s.Lang == l {
			return s.Class
		}
	}
	return ""
}

// WorkingHoursOrDefault is the declared working hours, or 08:00-20:00.
func (in Interpreter) WorkingHoursOrDefault() WorkingHours {
	if in.Hours == (WorkingHours{}) {
		return DefaultWorkingHours
	}
	return in.Hours
}

// Zone is the home zone, UTC when none is set.
func (in Interpreter) Zone() *time.Location {
	if in.Location == nil {
		return time.UTC
	}
	return in.Location
}

// Validate lists the field errors of an interpreter; nil when it is valid.
func (in Interpreter) Validate() []FieldError {
	var fe []FieldError
	add := func(field, code, msg string) { fe = append(fe, FieldError{Field: field, Code: code, Message: msg}) }
	if in.ID == "" {
		add("id", "required", "an interpreter needs an id")
	}
	if in.Name == "" {
		add("name", "required", "an interpreter needs a name")
	}
	if len(in.Languages) == 0 {
		add("languages", "required", "at least one language is needed")
	}
	seen := map[Lang]bool{}
	hasA := false
	for i, s := range in.Languages {
		f := fmt.Sprintf("languages[%d]", i)
		if !s.Lang.Valid() {
			add(f+".lang", "invalid_language", fmt.Sprintf("%q is not an ISO 639-1 code (two lower-case letters, e.g. \"fr\")", s.Lang))
		}
		if !s.Class.Valid() {
			add(f+".class", "invalid_class", fmt.Sprintf("class %q must be A, B or C", s.Class))
		}
		if seen[s.Lang] {
			add(f+".lang", "duplicate_language", fmt.Sprintf("%q is listed twice", s.Lang))
		}
		seen[s.Lang] = true
		if s.Class == ClassA {
			hasA = true
		}
	}
	if len(in.Languages) > 0 && !hasA {
		add("languages", "no_a_language", "at least one language must be class A")
	}
	if in.Retour {
		hasB := false
		for _, s := range in.Languages {
			hasB = hasB || s.Class == ClassB
		}
		if !hasB {
			add("retour", "retour_without_b", "retour means working into a B language; none is declared")
		}
	}
	if in.Hours != (WorkingHours{}) {
		h := in.Hours
		if h.Start < 0 || h.End > 24*60 || h.Start >= h.End {
			add("working_hours", "invalid_hours", "working hours must satisfy 00:00 <= start < end <= 24:00 in local time")
		}
	}
	if in.Caps.BoothMinutesPerDay < 0 || in.Caps.BoothMinutesPerWeek < 0 || in.Caps.SessionsPerDay < 0 || in.Caps.MinRest < 0 {
		add("caps", "negative_cap", "caps cannot be negative (zero means the policy default)")
	}
	for i, u := range in.Unavailable {
		if !u.Start.Before(u.End) {
			add(fmt.Sprintf("unavailable[%d]", i), "invalid_interval", "an unavailability period must end after it starts")
		}
	}
	return fe
}

// ValidateErr is Validate as an error (code invalid_interpreter), nil when valid.
func (in Interpreter) ValidateErr() error {
	return fieldsError(CodeInvalidInterpreter, "interpreter "+in.ID+" is invalid", in.Validate())
}
