package agenda

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/scheduler/planner"
	"github.com/plenary/plenary/services/audit"
	"github.com/plenary/plenary/services/platform/contact"
	"github.com/plenary/plenary/services/platform/outbox"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/versioned"
)

// SessionInput is what the secretariat gives for a session. On update, nil fields are
// unchanged; a change to start, end, duration_min or tz re-resolves the times from the
// wall clock as typed, in the (new) zone.
type SessionInput struct {
	Title       contracts.Text `json:"title"`
	Start       *string        `json:"start"`
	End         *string        `json:"end"`
	DurationMin *int           `json:"duration_min"`
	TZ          *string        `json:"tz"`
	// Fold chooses between the two instants of a wall-clock time that occurs twice
	// (clocks going back): "earlier" or "later".
	Fold     *string  `json:"fold"`
	Floor    []string `json:"floor_languages"`
	Outputs  []string `json:"output_languages"`
	Audience []string `json:"audience"`
	// StaffedChannels replaces the channels staffed by a delegation or partner ([] clears
	// them); each names one of the output languages.
	StaffedChannels *[]StaffedChannel `json:"staffed_channels"`
}

// Limits on a session's staffed channels.
const maxChannelInterpreters = 20 // Zoom's limit for a whole meeting

// validateStaffed checks the session's staffed channels against its outputs: field is
// where a mismatch is reported (staffed_channels when they were given, output_languages
// when only the outputs changed). Names and emails follow the rule for everyone Plenary writes to (contact).
func validateStaffed(x *Session, given bool) []problem.FieldError {
	var errs []problem.FieldError
	add := func(field, code, msg string) {
		errs = append(errs, problem.FieldError{Field: field, Code: code, Message: msg})
	}
	seen := map[string]bool{}
	for i, c := range x.StaffedChannels {
		f := fmt.Sprintf("staffed_channels/%d", i)
		switch {
		case !slices.Contains(x.Outputs, c.Language) && given:
			add(f+"/language", "not_an_output", fmt.Sprintf("%q is not one of the session's output languages (%s)", c.Language, strings.Join(x.Outputs, ", ")))
		case !slices.Contains(x.Outputs, c.Language):
			add("output_languages", "staffed_channel", fmt.Sprintf("the %s channel is staffed by the %s (staffed_channels): remove it there too, in the same request", strings.ToUpper(c.Language), c.StaffedBy))
		case seen[c.Language]:
			add(f+"/language", "duplicate", fmt.Sprintf("the %s channel is listed twice", strings.ToUpper(c.Language)))
		}
		seen[c.Language] = true
		if !slices.Contains(interp.StaffedByValues, c.StaffedBy) {
			add(f+"/staffed_by", "invalid_value", "must be one of "+strings.Join(interp.StaffedByValues, ", "))
		}
		if len(c.Interpreters) > maxChannelInterpreters {
			add(f+"/interpreters", "too_many", fmt.Sprintf("at most %d interpreters", maxChannelInterpreters))
		}
		for k, it := range c.Interpreters {
			g := fmt.Sprintf("%s/interpreters/%d", f, k)
			name, ok := contact.Name(it.Name)
			if !ok || name == "" || utf8.RuneCountInString(name) > maxNameLen {
				add(g+"/name", "invalid_value", "a name of 1 to 200 characters, without control characters")
			}
			x.StaffedChannels[i].Interpreters[k].Name = name
			if it.Email == "" {
				continue
			}
			if e, ok := contact.Email(it.Email); ok {
				x.StaffedChannels[i].Interpreters[k].Email = strings.ToLower(e)
			} else {
				add(g+"/email", "invalid_email", "an email address such as name@example.org, without a display name")
			}
		}
	}
	return errs
}

func (in SessionInput) apply(x *Session, m Meeting, creating bool) (timesChanged bool, err error) {
	var errs []problem.FieldError
	if in.Title != nil || creating {
		errs = append(errs, ValidateText("title", in.Title, true, maxTitleLen)...)
		if in.Title != nil {
			x.Title = in.Title
		}
	}
	if in.Floor != nil || creating {
		errs = append(errs, ValidateLangs("floor_languages", in.Floor, true)...)
		if in.Floor != nil {
			x.Floor = in.Floor
		}
	}
	if in.Outputs != nil {
		errs = append(errs, ValidateLangs("output_languages", in.Outputs, false)...)
		x.Outputs = in.Outputs
	} else if creating {
		x.Outputs = []string{}
	}
	if in.Audience != nil {
		if len(in.Audience) > maxAudience {
			errs = append(errs, problem.FieldError{Field: "audience", Code: "too_many", Message: fmt.Sprintf("at most %d regions", maxAudience)})
		}
		for i, a := range in.Audience {
			if strings.TrimSpace(a) == "" || len(a) > maxNameLen {
				errs = append(errs, problem.FieldError{Field: fmt.Sprintf("audience/%d", i), Code: "invalid_value", Message: "a region name of 1 to 200 characters"})
			}
		}
		x.Audience = in.Audience
	} else if creating {
		x.Audience = []string{}
	}
	if in.StaffedChannels != nil {
		// A copy: validation normalises names and emails in place.
		x.StaffedChannels = make([]StaffedChannel, len(*in.StaffedChannels))
		for i, c := range *in.StaffedChannels {
			c.Interpreters = slices.Clone(c.Interpreters)
			x.StaffedChannels[i] = c
		}
	}
	if in.StaffedChannels != nil || in.Outputs != nil {
		errs = append(errs, validateStaffed(x, in.StaffedChannels != nil)...)
	}

	if creating || in.Start != nil || in.End != nil || in.DurationMin != nil || in.TZ != nil {
		if timesChanged, errs, err = in.applyTimes(x, m, creating, errs); err != nil {
			return false, err
		}
	}
	return timesChanged, invalid(errs)
}

// applyTimes re-resolves the session's times from the wall clock as typed; errs are the
// field errors found so far (times are resolved only when there are none).
func (in SessionInput) applyTimes(x *Session, m Meeting, creating bool, errs []problem.FieldError) (timesChanged bool, _ []problem.FieldError, err error) {
	tzIn := x.TZInput
	if in.TZ != nil {
		tzIn = *in.TZ
	}
	if creating && in.TZ == nil {
		tzIn = m.VenueTZ
	}
	startIn := x.StartInput
	if in.Start != nil {
		startIn = *in.Start
	}
	var endIn string
	var dur time.Duration
	switch {
	case in.End != nil && in.DurationMin != nil:
		errs = append(errs, problem.FieldError{Field: "duration_min", Code: "conflict", Message: "give end or duration_min, not both"})
	case in.End != nil:
		endIn = *in.End
	case in.DurationMin != nil:
		if *in.DurationMin < 1 || *in.DurationMin > maxSessionHours*60 {
			errs = append(errs, problem.FieldError{Field: "duration_min", Code: "out_of_range", Message: fmt.Sprintf("1 to %d minutes", maxSessionHours*60)})
		}
		dur = time.Duration(*in.DurationMin) * time.Minute
	case creating:
		errs = append(errs, problem.FieldError{Field: "end", Code: "required", Message: "give end (wall clock) or duration_min"})
	case in.Start != nil:
		// Moving the start alone moves the session: it keeps its length, whether it
		// was typed with an end or a duration. Keeping the typed end instead would
		// silently shorten or lengthen it; an explicit end or duration_min wins.
		dur = x.Duration()
	default:
		endIn = x.EndInput
		if endIn == "" {
			dur = x.Duration()
		}
	}
	if creating && in.Start == nil {
		errs = append(errs, problem.FieldError{Field: "start", Code: "required", Message: "the start as wall clock in tz, e.g. 2026-12-08T16:30"})
	}
	fold := ""
	if in.Fold != nil {
		fold = *in.Fold
	}
	if len(errs) == 0 {
		t, terr := ResolveTimes(startIn, endIn, dur, tzIn, fold)
		if terr != nil {
			return false, errs, terr
		}
		if d := t.End.Sub(t.Start); d > maxSessionHours*time.Hour {
			errs = append(errs, problem.FieldError{Field: "end", Code: "out_of_range", Message: fmt.Sprintf("a session lasts at most %d hours", maxSessionHours)})
		}
		if len(x.Audience) > 0 {
			if _, ferr := planner.Fit(t.Start, t.End, x.Audience, m.Regions...); ferr != nil {
				return false, errs, fieldProblem("audience", ferr)
			}
		}
		if in.Start != nil && in.End == nil && in.DurationMin == nil && x.EndInput != "" {
			// The end was typed as a wall clock: keep it one, at the moved end. It
			// carries its offset when the wall clock alone would name another instant
			// (a time that occurs twice when clocks go back).
			if z, zerr := ParseZone(tzIn); zerr == nil {
				endIn = t.End.In(z.Location).Format("2006-01-02T15:04")
				if at, _, werr := resolveWall(endIn, z, ""); werr != nil || !at.Equal(t.End) {
					endIn = t.End.In(z.Location).Format("2006-01-02T15:04-07:00")
				}
			}
		}
		timesChanged = !t.Start.Equal(x.StartUTC) || !t.End.Equal(x.EndUTC)
		x.StartUTC, x.EndUTC, x.TZ, x.Findings = t.Start, t.End, t.Zone, t.Findings
		x.TZInput, x.StartInput, x.EndInput = tzIn, startIn, endIn
	}
	return timesChanged, errs, nil
}

// CreateSession schedules a session in a meeting and emits session.scheduled.
func (s *Service) CreateSession(ctx context.Context, meetingID string, in SessionInput) (Session, error) {
	x, _, err := s.createSession(ctx, meetingID, in)
	return x, err
}

// maxCreateAttempts bounds how often a creation validates its session again because the
// meeting changed between the validation and the write (an edit of its zone or regions,
// here or on another replica).
const maxCreateAttempts = 5

// createSession schedules a session and returns the meeting it was validated against
// (the answer shows the session in its venue's zone and regions). The session is
// validated against the meeting as it was last seen (validator), then the session, its
// trail and its event are written, and the agenda's revision raised, only if the meeting
// is still that version (one statement on PostgreSQL): one round trip while the meeting
// is unchanged, nothing read that grows with the meeting. A meeting that changed in
// between is read and the session validated again.
func (s *Service) createSession(ctx context.Context, meetingID string, in SessionInput) (Session, Meeting, error) {
	for attempt := range maxCreateAttempts {
		m, err := s.validator(ctx, meetingID, attempt > 0)
		if err != nil {
			return Session{}, Meeting{}, err
		}
		now := s.clock()
		x := Session{ID: newID(), MeetingID: meetingID, Status: StatusScheduled, ScheduleVersion: 1, Version: 1, CreatedAt: now, UpdatedAt: now}
		if _, err := in.apply(&x, m, true); err != nil {
			return Session{}, Meeting{}, err
		}
		trail, err := audit.WrittenRows(ctx, now, audit.Change{Action: "session.create", Resource: "session", ID: x.ID, MeetingID: meetingID, After: sessionContract(x)},
			contracts.SessionScheduled, Source, contracts.SessionEvent{Session: sessionContract(x)})
		if err != nil {
			return Session{}, Meeting{}, err
		}
		written, err := s.store.createSession(ctx, m, x, trail)
		agendaWritten()
		if err != nil {
			return Session{}, Meeting{}, err
		}
		if written {
			s.committed()
			return x, m, nil
		}
	}
	return Session{}, Meeting{}, problem.New(problem.KindConflict, "meeting_changing",
		"meeting %s changed during each of %d attempts to add the session; retry", meetingID, maxCreateAttempts)
}

// validator is the meeting a new session is validated against: as a creation last saw
// it, or read (fresh: the one seen was not the current version). A stale one is never
// written against, since the write checks the version (store.createSession), so it may
// be kept without a bound in time; whoever changes the meeting here forgets it anyway.
func (s *Service) validator(ctx context.Context, meetingID string, fresh bool) (Meeting, error) {
	if m, ok := s.validators.Get(meetingID); ok && !fresh {
		return m, nil
	}
	m, err := s.store.meeting(ctx, s.db, meetingID, false)
	if err != nil {
		s.validators.Remove(meetingID)
		return Meeting{}, err
	}
	s.validators.Add(meetingID, m)
	return m, nil
}

// Session returns a session.
func (s *Service) Session(ctx context.Context, id string) (Session, error) {
	return s.store.session(ctx, s.db, id, false)
}

// Sessions lists a meeting's sessions in time order.
func (s *Service) Sessions(ctx context.Context, meetingID string) ([]Session, error) {
	if _, err := s.store.meeting(ctx, s.db, meetingID, false); err != nil {
		return nil, err
	}
	return s.store.sessionsOf(ctx, s.db, meetingID, "", 1<<30)
}

// SessionsStarting lists the scheduled sessions of every meeting that start in
// [from, to), in time order, at most limit of them.
func (s *Service) SessionsStarting(ctx context.Context, from, to time.Time, limit int) ([]Session, error) {
	return s.store.sessionsStarting(ctx, s.db, from.UTC(), to.UTC(), limit)
}

// UpdateSession applies a partial update. A change of times raises the schedule version
// and emits session.rescheduled with the old and new times; other changes emit
// session.updated.
func (s *Service) UpdateSession(ctx context.Context, id string, ifMatch int64, in SessionInput) (Session, error) {
	var out Session
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.sessionResource().Update(ctx, tx, id, ifMatch, func(x *Session) error {
			if x.Status == StatusCancelled {
				return problem.New(problem.KindConflict, "session_cancelled", "session %s is cancelled and can no longer change", id)
			}
			m, err := s.store.meeting(ctx, tx, x.MeetingID, false)
			if err != nil {
				return err
			}
			moved, err := in.apply(x, m, false)
			if err != nil {
				return err
			}
			x.UpdatedAt = s.clock()
			if moved {
				x.ScheduleVersion++
			}
			return nil
		})
		return err
	})
	return out, err
}

// sessionResource is the update of a session: written, the agenda's revision raised, in
// the trail, and session.updated, or session.rescheduled (its items moved along) when
// the times changed.
func (s *Service) sessionResource() versioned.Resource[Session] {
	return versioned.Resource[Session]{
		Name: "session",
		Get: func(ctx context.Context, tx *sql.Tx, id string) (Session, error) {
			return s.store.session(ctx, tx, id, true)
		},
		Version: func(x *Session) *int64 { return &x.Version },
		Put: func(ctx context.Context, tx *sql.Tx, x Session) error {
			if err := s.store.updateSession(ctx, tx, x); err != nil {
				return err
			}
			return s.store.bumpAgenda(ctx, tx, x.MeetingID, x.UpdatedAt)
		},
		Record: func(ctx context.Context, tx *sql.Tx, prev, x Session) error {
			now, moved := x.UpdatedAt, x.ScheduleVersion != prev.ScheduleVersion
			action := "session.update"
			if moved {
				action = "session.reschedule"
			}
			if err := audit.Record(ctx, tx, now, audit.Change{Action: action, Resource: "session", ID: x.ID, MeetingID: x.MeetingID,
				Before: sessionContract(prev), After: sessionContract(x)}); err != nil {
				return err
			}
			if !moved {
				return outbox.Emit(ctx, tx, contracts.SessionUpdated, Source, now, contracts.SessionEvent{Session: sessionContract(x)})
			}
			if err := outbox.Emit(ctx, tx, contracts.SessionRescheduled, Source, now, contracts.SessionRescheduledEvent{
				Session:         sessionContract(x),
				Previous:        contracts.Interval{StartUTC: prev.StartUTC, EndUTC: prev.EndUTC},
				PreviousVersion: prev.ScheduleVersion,
			}); err != nil {
				return err
			}
			return s.moveItems(ctx, tx, x, x.StartUTC.Sub(prev.StartUTC), now)
		},
	}
}

// CancelSession cancels a session and emits session.cancelled. Cancelling a cancelled
// session is a no-op that returns it unchanged.
func (s *Service) CancelSession(ctx context.Context, id string, ifMatch int64, reason string) (Session, error) {
	if len(reason) > maxDescLen {
		return Session{}, invalid([]problem.FieldError{{Field: "reason", Code: "too_long", Message: fmt.Sprintf("at most %d characters", maxDescLen)}})
	}
	var out Session
	err := s.tx(ctx, func(tx *sql.Tx) error {
		x, err := s.store.session(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := versioned.Check("session", ifMatch, x.Version); err != nil {
			return err
		}
		out = x
		if x.Status == StatusCancelled {
			return nil
		}
		now := s.clock()
		prev := x
		x.Status, x.CancelReason = StatusCancelled, reason
		x.Version++
		x.UpdatedAt = now
		if err := s.store.updateSession(ctx, tx, x); err != nil {
			return err
		}
		if err := s.store.bumpAgenda(ctx, tx, x.MeetingID, now); err != nil {
			return err
		}
		out = x
		return audit.Written(ctx, tx, now, audit.Change{Action: "session.cancel", Resource: "session", ID: x.ID, MeetingID: x.MeetingID,
			Before: sessionContract(prev), After: sessionContract(x)}, contracts.SessionCancelled, Source, contracts.SessionEvent{Session: sessionContract(x), Reason: reason})
	})
	return out, err
}
