package zone

import (
	"strings"
	"time"
)

// Stable error codes. The services map any error carrying a ProblemCode to a 422
// problem+json with that code, so these strings are part of the API contract.
const (
	CodeUnknownZone             = "unknown_zone"
	CodeAmbiguousAbbreviation   = "ambiguous_abbreviation"
	CodeAbbreviationNotInEffect = "abbreviation_not_in_effect"
	CodeNonexistentLocalTime    = "nonexistent_local_time"
	CodeAmbiguousLocalTime      = "ambiguous_local_time"
	CodeOffsetNotInZone         = "offset_not_in_zone"
	CodeInvalidWallClock        = "invalid_wall_clock"
	CodeInvalidOffset           = "invalid_offset"
	CodeInvalidFold             = "invalid_fold"
	CodeInvalidNotice           = "invalid_notice"
	CodeInvalidDate             = "invalid_date"
)

// Error is the one error type of the zone package. Message is written for a secretariat
// officer; Suggestions and Candidates help them correct the input.
type Error struct {
	Code        string
	Message     string
	Input       string
	Suggestions []string    // e.g. IANA names for an ambiguous abbreviation
	Candidates  []time.Time // e.g. both instants of an ambiguous local time (UTC)
}

func (e *Error) Error() string { return e.Message }

// ProblemCode is the stable snake_case code of the rule the input broke.
func (e *Error) ProblemCode() string { return e.Code }

// ProblemDetails are the structured details shown beside the message.
func (e *Error) ProblemDetails() map[string]any {
	d := map[string]any{}
	if e.Input != "" {
		d["input"] = e.Input
	}
	if len(e.Suggestions) > 0 {
		d["suggestions"] = append([]string(nil), e.Suggestions...)
	}
	if len(e.Candidates) > 0 {
		c := make([]string, len(e.Candidates))
		for i, t := range e.Candidates {
			c[i] = t.UTC().Format(time.RFC3339)
		}
		d["candidates"] = c
	}
	return d
}

// Finding is a problem that does not stop resolution but must be shown, such as a summer
// abbreviation printed on a winter date.
type Finding struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Suggestion is the corrected form, e.g. "EST".
	Suggestion string `json:"suggestion,omitempty"`
}

// Err turns the finding into an Error, for callers that reject rather than flag.
func (f *Finding) Err() *Error {
	var s []string
	if f.Suggestion != "" {
		s = []string{f.Suggestion}
	}
	return &Error{Code: f.Code, Message: f.Message, Suggestions: s}
}

func quoteList(xs []string) string {
	return strings.Join(xs, ", ")
}
