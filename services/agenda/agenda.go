// Package agenda is the secretariat's planning service: meetings, their sessions (each
// timed in a zone the secretariat typed, stored as UTC instants beside that zone), agenda
// items with speakers, and the localized agenda. Every change commits together with its
// event in the outbox.
package agenda

import (
	"fmt"
	"github.com/plenary/plenary/scheduler/planner"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/platform/problem"
)

// Source is the event source of this service.
const Source = "plenary/agenda"

// Meeting formats and platforms.
var (
	Formats   = []string{"in_person", "virtual", "hybrid"}
	Platforms = []string{"zoom", "webex", "none"}
	Policies  = []string{"aiic", "un"}
)

// Session statuses.
const (
	StatusScheduled = "scheduled"
	StatusCancelled = "cancelled"
)

// Limits on what one request may hold.
const (
	maxTitleLen     = 300
	maxLanguages    = 24
	maxAudience     = 20
	maxSpeakers     = 50
	maxNameLen      = 200
	maxSessionHours = 12
	maxDescLen      = 4000
)

// Meeting is a meeting of the secretariat.
type Meeting struct {
	ID          string
	Title       contracts.Text
	VenueTZ     string // canonical zone name
	Format      string
	DefaultLang string
	Platform    string
	// InterpretationPolicy names the team-size rules for its booths (aiic or un).
	InterpretationPolicy string
	Public               bool
	// Regions are the meeting's own audience regions, looked up before the UN regional
	// groups by sessions, the agenda and the slot planner.
	Regions []planner.Region
	// SecretariatEmail is where the secretariat is told of seats still open; empty: nobody.
	SecretariatEmail string
	// OpenSeatsNoticeHours is how long before the meeting's first session ahead that
	// notice goes; 0: the staffing policy's default.
	OpenSeatsNoticeHours int
	// AgendaRevision rises with every change to the meeting, its sessions or its items;
	// it keys the rendered-agenda cache and the agenda's ETag.
	AgendaRevision int64
	Version        int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Session is one sitting of a meeting.
type Session struct {
	ID        string
	MeetingID string
	Title     contracts.Text
	// StartUTC and EndUTC are the resolved instants.
	StartUTC time.Time
	EndUTC   time.Time
	// TZ is the canonical zone; TZInput, StartInput and EndInput are kept as typed.
	TZ         string
	TZInput    string
	StartInput string
	EndInput   string
	Floor      []string
	Outputs    []string
	Audience   []string
	// StaffedChannels are outputs a delegation or partner staffs with its own
	// interpreters: listed, exported, never staffed by the organiser.
	StaffedChannels []StaffedChannel
	Status          string
	CancelReason    string
	ScheduleVersion int64
	Version         int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
	// Findings are not stored: they flag, on the write that produced them, what was
	// accepted but looks wrong (a summer-time abbreviation on a winter date).
	Findings []zone.Finding
}

// Duration is the session's length.
func (s Session) Duration() time.Duration { return s.EndUTC.Sub(s.StartUTC) }

// Speaker is a speaker on an agenda item.
type Speaker = contracts.Speaker

// StaffedChannel is an output channel staffed by a delegation or partner.
type StaffedChannel = contracts.StaffedChannel

// Item is an agenda item of a session.
type Item struct {
	ID         string
	SessionID  string
	Position   int
	Title      contracts.Text
	StartUTC   *time.Time
	EndUTC     *time.Time
	StartInput string
	EndInput   string
	Speakers   []Speaker
	Language   string
	Version    int64
}

// RegionalGroups are the five UN regional groups a speaker may belong to.
var RegionalGroups = []string{"African Group", "Asia-Pacific Group", "Eastern European Group", "Latin American and Caribbean Group", "Western European and Others Group"}

var tagRe = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)

// ValidateText checks a multilingual field: at least one language, valid BCP 47 tags,
// non-empty values within the length limit.
func ValidateText(field string, t contracts.Text, required bool, maxLen int) []problem.FieldError {
	var errs []problem.FieldError
	if len(t) == 0 {
		if required {
			errs = append(errs, problem.FieldError{Field: field, Code: "required", Message: `give at least one language, e.g. {"en": "..."}`})
		}
		return errs
	}
	if len(t) > maxLanguages {
		errs = append(errs, problem.FieldError{Field: field, Code: "too_many", Message: fmt.Sprintf("at most %d languages", maxLanguages)})
	}
	for _, k := range sortedKeys(t) {
		v := t[k]
		if !tagRe.MatchString(k) {
			errs = append(errs, problem.FieldError{Field: field + "/" + k, Code: "invalid_language", Message: "not a BCP 47 language tag such as en, fr or fr-CA"})
		} else if _, err := language.Parse(k); err != nil {
			errs = append(errs, problem.FieldError{Field: field + "/" + k, Code: "invalid_language", Message: "not a BCP 47 language tag such as en, fr or fr-CA"})
		}
		if strings.TrimSpace(v) == "" {
			errs = append(errs, problem.FieldError{Field: field + "/" + k, Code: "required", Message: "must not be empty"})
		}
		if utf8.RuneCountInString(v) > maxLen {
			errs = append(errs, problem.FieldError{Field: field + "/" + k, Code: "too_long", Message: fmt.Sprintf("at most %d characters", maxLen)})
		}
		if !utf8.ValidString(v) {
			errs = append(errs, problem.FieldError{Field: field + "/" + k, Code: "invalid_text", Message: "not valid UTF-8"})
		} else if strings.IndexFunc(v, breaksALine) >= 0 {
			errs = append(errs, problem.FieldError{Field: field + "/" + k, Code: "invalid_text",
				Message: "a title is one line: no line breaks, tabs or other control characters"})
		}
	}
	return errs
}

// breaksALine reports the characters a one-line text (a title, shown in mail subjects,
// calendar SUMMARY lines and page headings) must not hold: C0 and C1 controls (CR, LF,
// tab, NUL...) and the Unicode line and paragraph separators. Bidi marks stay: a title
// mixing Arabic and Latin script may need them.
func breaksALine(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}

// ValidLang reports whether s is an ISO 639-1 language code.
func ValidLang(s string) bool {
	if len(s) != 2 || s[0] < 'a' || s[0] > 'z' || s[1] < 'a' || s[1] > 'z' {
		return false
	}
	b, err := language.ParseBase(s)
	return err == nil && b.String() == s
}

// ValidateLangs checks a list of ISO 639-1 codes: valid, no duplicates, within limits.
func ValidateLangs(field string, langs []string, required bool) []problem.FieldError {
	var errs []problem.FieldError
	if len(langs) == 0 && required {
		return []problem.FieldError{{Field: field, Code: "required", Message: "give at least one ISO 639-1 language code"}}
	}
	if len(langs) > maxLanguages {
		errs = append(errs, problem.FieldError{Field: field, Code: "too_many", Message: fmt.Sprintf("at most %d languages", maxLanguages)})
	}
	seen := map[string]bool{}
	for i, l := range langs {
		f := fmt.Sprintf("%s/%d", field, i)
		switch {
		case !ValidLang(l):
			errs = append(errs, problem.FieldError{Field: f, Code: "invalid_language", Message: fmt.Sprintf("%q is not an ISO 639-1 code (two lowercase letters such as en, fr, es, ar)", l)})
		case seen[l]:
			errs = append(errs, problem.FieldError{Field: f, Code: "duplicate", Message: fmt.Sprintf("%q appears twice", l)})
		}
		seen[l] = true
	}
	return errs
}

func oneOf(field, v string, allowed []string) []problem.FieldError {
	if slices.Contains(allowed, v) {
		return nil
	}
	return []problem.FieldError{{Field: field, Code: "invalid_value", Message: fmt.Sprintf("must be one of %s", strings.Join(allowed, ", "))}}
}

func sortedKeys(t contracts.Text) []string {
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// invalid returns a validation problem when errs is not empty.
func invalid(errs []problem.FieldError) error {
	if len(errs) == 0 {
		return nil
	}
	return problem.Unprocessable("validation_failed", "some fields are not valid; see errors", errs...)
}
