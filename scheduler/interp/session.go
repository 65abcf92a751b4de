package interp

import (
	"fmt"
	"slices"
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
	// StaffedChannels are outputs whose interpreters the organiser does not provide (a
	// delegation's own team, a partner's): they are listed with the session's booths
	// and exported to the platform, but never staffed, counted, costed or reported as a
	// gap, and never used as a pivot (see Session.staffedByOthers).
	StaffedChannels []StaffedChannel `json:"staffed_channels,omitempty"`
}

// Who staffs a channel the organiser does not.
const (
	StaffedByDelegation = "delegation" // a delegation brings its own interpreters
	StaffedByPartner    = "partner"    // a partner organisation provides the booth
)

// StaffedByValues are the accepted values of StaffedChannel.StaffedBy.
var StaffedByValues = []string{StaffedByDelegation, StaffedByPartner}

// StaffedChannel is an output channel staffed by others. Interpreters are the
// delegation's or partner's interpreters, when given: the platform exports list them on
// the channel so that they can speak on it.
type StaffedChannel struct {
	Lang         Lang                 `json:"language"`
	StaffedBy    string               `json:"staffed_by"`
	Interpreters []ChannelInterpreter `json:"interpreters,omitempty"`
}

// ChannelInterpreter is an interpreter of a channel staffed by others: a name, and an
// email the platform invites (optional).
type ChannelInterpreter struct {
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
}

// StaffedBy says who staffs output l when the organiser does not: "" when the organiser
// staffs it.
func (s Session) StaffedBy(l Lang) string {
	for _, c := range s.StaffedChannels {
		if c.Lang == l {
			return c.StaffedBy
		}
	}
	return ""
}

// staffedOutputs are the outputs the organiser staffs: a channel staffed by others is
// not the organiser's booth, so it is neither staffed nor a pivot. Conference practice
// takes relay only from a booth whose team the organiser knows and has checked (two
// givers who hear the language, a two-way booth at RetourPivotSize); a delegation's team
// is neither known nor bound by the organiser's policy, and it serves its own
// delegation, so it is never a pivot and never a channel a pivot works retour into.
// Listeners of such a channel get whatever the delegation's team provides.
func (s Session) staffedOutputs() []Lang {
	if len(s.StaffedChannels) == 0 {
		return s.Outputs
	}
	out := make([]Lang, 0, len(s.Outputs))
	for _, o := range s.Outputs {
		if s.StaffedBy(o) == "" {
			out = append(out, o)
		}
	}
	return out
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
	seen := map[Lang]bool{}
	for i, c := range s.StaffedChannels {
		switch {
		case !slices.Contains(s.Outputs, c.Lang):
			add(fmt.Sprintf("staffed_channels[%d].language", i), "not_an_output", fmt.Sprintf("%q is not one of the session's output channels", c.Lang))
		case seen[c.Lang]:
			add(fmt.Sprintf("staffed_channels[%d].language", i), "duplicate", fmt.Sprintf("the %s channel is listed twice", c.Lang.Upper()))
		}
		seen[c.Lang] = true
		if !slices.Contains(StaffedByValues, c.StaffedBy) {
			add(fmt.Sprintf("staffed_channels[%d].staffed_by", i), "invalid_value", fmt.Sprintf("%q is not delegation or partner", c.StaffedBy))
		}
	}
	return fe
}
