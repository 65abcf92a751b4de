package interp

import (
	"fmt"
	"time"
)

// Session is a sitting of a meeting with interpretation.
type Session struct {
	ID        string    `json:"id"`
	MeetingID string    `json:"meeting_id"`
	Start     time.Time `json:"start"`   // UTC
	End       time.Time `json:"end"`     // UTC
	Floor     []Lang    `json:"floor"`   // languages spoken by the speakers
	Outputs   []Lang    `json:"outputs"` // channels offered to listeners
	Cancelled bool      `json:"cancelled"`
}

// Minutes is the session's duration in whole minutes (booth time per member).
func (s Session) Minutes() int { return int(s.End.Sub(s.Start) / time.Minute) }

// Validate lists the field errors of a session; nil when valid.
func (s Session) Validate() []FieldError {
	var fe []FieldError
	add := func(field, code, msg string) { fe = append(fe, FieldError{Field: field, Code: code, Message: msg}) }
	if s.ID == "" {
		add("id", "required", "a session needs an id")
	}
	if !s.Start.Before(s.End) {
		add("end", "invalid_interval", "a session must end after it starts")
	}
	for i, l := range s.Floor {
		if !l.Valid() {
			add(fmt.Sprintf("floor[%d]", i), "invalid_language", fmt.Sprintf("%q is not an ISO 639-1 code", l))
		}
	}
	for i, l := range s.Outputs {
		if !l.Valid() {
			add(fmt.Sprintf("outputs[%d]", i), "invalid_language", fmt.Sprintf("%q is not an ISO 639-1 code", l))
		}
	}
	return fe
}
