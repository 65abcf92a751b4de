// Package contracts is Plenary's wire: the event envelope, the event types and the NATS
// subjects they travel on. It imports only the standard library so that any consumer, in
// this repository or outside it, can depend on it without pulling in the services.
//
// Subjects are versioned (plenary.v1.<type>). A breaking change to a payload is a new
// version of the subject, never an edit of an existing one.
package contracts

import (
	"encoding/json"
	"fmt"
	"time"
)

// Stream is the JetStream stream that carries every Plenary event.
const Stream = "PLENARY"

// SubjectPrefix is the prefix of every v1 subject; StreamSubjects is the stream's filter.
const (
	SubjectPrefix  = "plenary.v1."
	StreamSubjects = "plenary.v1.>"
)

// Event types. The subject of an event is SubjectPrefix + type.
const (
	MeetingCreated      = "meeting.created"
	MeetingUpdated      = "meeting.updated"
	MeetingDeleted      = "meeting.deleted"
	SessionScheduled    = "session.scheduled"
	SessionUpdated      = "session.updated"
	SessionRescheduled  = "session.rescheduled"
	SessionCancelled    = "session.cancelled"
	AgendaChanged       = "agenda.changed"
	RegistrationCreated = "registration.created"
	RegistrationUpdated = "registration.updated"
	RegistrationDeleted = "registration.deleted"
	AssignmentOffered   = "assignment.offered"
	AssignmentAccepted  = "assignment.accepted"
	AssignmentDeclined  = "assignment.declined"
	AssignmentWithdrawn = "assignment.withdrawn"
	// AssignmentExpired: an offer was not answered by its deadline.
	AssignmentExpired = "assignment.expired"
	// InterpretationSeatsOpen: a set time before a meeting's first session ahead, seats
	// are still open; the secretariat is told once per meeting and notice time.
	InterpretationSeatsOpen = "interpretation.seats_open"
)

// Subject returns the NATS subject an event type is published on.
func Subject(eventType string) string { return SubjectPrefix + eventType }

// Event is the envelope of every message: a UUIDv7 id (also the JetStream Nats-Msg-Id, so a
// publish repeated by the outbox relay is stored once), the type, the producing service,
// when the change happened, and the payload.
type Event struct {
	ID         string          `json:"id"`
	Type       string          `json:"type"`
	Source     string          `json:"source"`
	OccurredAt time.Time       `json:"occurred_at"`
	Data       json.RawMessage `json:"data"`
}

// Decode unmarshals the event's payload into v, naming the event on failure.
func (e Event) Decode(v any) error {
	if err := json.Unmarshal(e.Data, v); err != nil {
		return fmt.Errorf("decode %s event %s: %w", e.Type, e.ID, err)
	}
	return nil
}

// Text is a multilingual field: one value per language (ISO 639-1 or BCP 47 tag).
type Text map[string]string

// Meeting is the state of a meeting carried by meeting.* events.
type Meeting struct {
	ID          string `json:"id"`
	Title       Text   `json:"title"`
	VenueTZ     string `json:"venue_tz"`
	Format      string `json:"format"`
	DefaultLang string `json:"default_lang"`
	Platform    string `json:"platform"`
	// SecretariatEmail is where notices for the secretariat go (seats still open); empty
	// when the meeting names none.
	SecretariatEmail string `json:"secretariat_email,omitempty"`
	Version          int64  `json:"version"`
}

// MeetingEvent is the payload of meeting.created, meeting.updated and meeting.deleted.
type MeetingEvent struct {
	Meeting Meeting `json:"meeting"`
}

// Session is the state of a session carried by session.* events. StartUTC and EndUTC are
// the instants; TZ is the zone the secretariat planned it in (for display).
// ScheduleVersion rises each time the session's times change; Version on every change.
type Session struct {
	ID              string    `json:"id"`
	MeetingID       string    `json:"meeting_id"`
	Title           Text      `json:"title"`
	StartUTC        time.Time `json:"start_utc"`
	EndUTC          time.Time `json:"end_utc"`
	TZ              string    `json:"tz"`
	FloorLanguages  []string  `json:"floor_languages"`
	OutputLanguages []string  `json:"output_languages"`
	Audience        []string  `json:"audience"`
	// StaffedChannels are output channels a delegation or partner staffs with its own
	// interpreters (the organiser does not staff them).
	StaffedChannels []StaffedChannel `json:"staffed_channels"`
	Status          string           `json:"status"`
	ScheduleVersion int64            `json:"schedule_version"`
	Version         int64            `json:"version"`
}

// StaffedChannel is an output channel of a session staffed by others: StaffedBy is
// "delegation" or "partner"; Interpreters are theirs, when given (the platform exports
// invite those with an email onto the channel).
type StaffedChannel struct {
	Language     string               `json:"language"`
	StaffedBy    string               `json:"staffed_by"`
	Interpreters []ChannelInterpreter `json:"interpreters"`
}

// ChannelInterpreter is an interpreter of a channel staffed by others.
type ChannelInterpreter struct {
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
}

// SessionEvent is the payload of session.scheduled, session.updated and session.cancelled.
type SessionEvent struct {
	Session Session `json:"session"`
	// Reason is set on session.cancelled when the secretariat gave one.
	Reason string `json:"reason,omitempty"`
}

// Interval is a UTC time range.
type Interval struct {
	StartUTC time.Time `json:"start_utc"`
	EndUTC   time.Time `json:"end_utc"`
}

// SessionRescheduled is the payload of session.rescheduled: the session as it is now (its
// ScheduleVersion is the new one) and the times it had before.
type SessionRescheduledEvent struct {
	Session         Session  `json:"session"`
	Previous        Interval `json:"previous"`
	PreviousVersion int64    `json:"previous_schedule_version"`
}

// Speaker is a speaker on an agenda item.
type Speaker struct {
	Name             string `json:"name"`
	Affiliation      string `json:"affiliation,omitempty"`
	StakeholderGroup string `json:"stakeholder_group,omitempty"`
	RegionalGroup    string `json:"regional_group,omitempty"`
	Language         string `json:"language,omitempty"`
}

// AgendaItem is one item of a session's agenda.
type AgendaItem struct {
	ID       string     `json:"id"`
	Position int        `json:"position"`
	Title    Text       `json:"title"`
	StartUTC *time.Time `json:"start_utc,omitempty"`
	EndUTC   *time.Time `json:"end_utc,omitempty"`
	Speakers []Speaker  `json:"speakers"`
	Language string     `json:"language,omitempty"`
}

// AgendaChangedEvent is the payload of agenda.changed: a session's whole agenda after the
// change, so a consumer never needs an earlier event to know the current agenda.
type AgendaChangedEvent struct {
	MeetingID string       `json:"meeting_id"`
	SessionID string       `json:"session_id"`
	Items     []AgendaItem `json:"items"`
}

// Registration is a registrant's subscription to a meeting's sessions.
// Sessions empty means every session of the meeting.
type Registration struct {
	ID               string   `json:"id"`
	MeetingID        string   `json:"meeting_id"`
	Name             string   `json:"name"`
	Email            string   `json:"email"`
	Locale           string   `json:"locale"`
	TZ               string   `json:"tz"`
	Sessions         []string `json:"sessions"`
	ConsentReminders bool     `json:"consent_reminders"`
	Unsubscribed     bool     `json:"unsubscribed"`
	// Pending is a self-registration whose confirmation link has not been opened yet
	// (double opt-in): it is sent the confirmation request and nothing else.
	Pending bool  `json:"pending,omitempty"`
	Version int64 `json:"version"`
}

// RegistrationEvent is the payload of registration.created, .updated and .deleted.
type RegistrationEvent struct {
	Registration Registration `json:"registration"`
}

// Interpreter is the part of an interpreter's profile a notification needs.
type Interpreter struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Email  string `json:"email"`
	Locale string `json:"locale"`
	TZ     string `json:"tz"`
}

// TeamMember names a colleague in the same booth.
type TeamMember struct {
	// InterpreterID names the colleague's profile, so that a consumer can blank an erased
	// colleague in the teams it keeps.
	InterpreterID string `json:"interpreter_id,omitempty"`
	Name          string `json:"name"`
	Role          string `json:"role"`
}

// Assignment is an interpreter's assignment to a booth of a session. Sequence rises at
// every step of the assignment's lifecycle (and when the session of an offered or accepted
// seat moves), so that a consumer can order its events; it is
// not the SEQUENCE of a calendar invite, which the notifier alone numbers (per UID: one
// session and one interpreter, over all their assignments).
type Assignment struct {
	ID          string       `json:"id"`
	MeetingID   string       `json:"meeting_id"`
	SessionID   string       `json:"session_id"`
	Booth       string       `json:"booth"`
	Role        string       `json:"role"`
	State       string       `json:"state"`
	Sequence    int64        `json:"sequence"`
	Interpreter Interpreter  `json:"interpreter"`
	Team        []TeamMember `json:"team"`
	Session     Session      `json:"session"`
	// Deadline is when an offer expires unanswered (assignment.offered only).
	Deadline *time.Time `json:"deadline,omitempty"`
}

// AssignmentEvent is the payload of assignment.offered, .accepted, .declined, .withdrawn,
// .expired.
type AssignmentEvent struct {
	Assignment Assignment `json:"assignment"`
}

// OpenSeat is a booth of a session with fewer accepted interpreters than the policy needs,
// and where its other seats stand: offered and not answered yet (the earliest answer
// deadline), proposed and not offered, declined or expired with no one in their place.
type OpenSeat struct {
	SessionID    string    `json:"session_id"`
	SessionTitle Text      `json:"session_title"`
	StartUTC     time.Time `json:"start_utc"`
	EndUTC       time.Time `json:"end_utc"`
	Booth        string    `json:"booth"`
	// Needed is the booth's team size under the policy; Accepted the seats confirmed.
	Needed   int `json:"needed"`
	Accepted int `json:"accepted"`
	Offered  int `json:"offered"`
	Proposed int `json:"proposed"`
	// Unstaffed are the missing seats nobody holds, not even as an offer or a proposal.
	Unstaffed    int        `json:"unstaffed"`
	Declined     int        `json:"declined"`
	Expired      int        `json:"expired"`
	NextDeadline *time.Time `json:"next_deadline,omitempty"`
}

// SeatsOpenEvent is the payload of interpretation.seats_open: the meeting's open seats
// NoticeMinutes before its first session ahead, as they stood at CheckedAt.
type SeatsOpenEvent struct {
	MeetingID     string     `json:"meeting_id"`
	NoticeMinutes int        `json:"notice_minutes"`
	CheckedAt     time.Time  `json:"checked_at"`
	Seats         []OpenSeat `json:"seats"`
}

// Subject is the NATS subject the event travels on.
func (e Event) Subject() string { return Subject(e.Type) }
