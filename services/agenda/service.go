package agenda

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/scheduler/planner"
	"github.com/plenary/plenary/services/audit"
	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/outbox"
	"github.com/plenary/plenary/services/platform/problem"
)

// Service is the agenda's domain: it validates, applies the rules and writes each change
// with its event in one transaction.
type Service struct {
	db    *db.DB
	store *store
	now   func() time.Time
	// committed is called after each committed write, to wake the outbox relay.
	committed func()
	cache     *agendaCache
	// interpretation, when set, gives the agenda the interpretation checker's verdict.
	interpretation InterpretationStatusFunc
	// observers are told of committed changes to sessions (e.g. to re-check interpretation).
	observers []func(ctx context.Context, meetingID string)
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock (tests pass a fixed one).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithCommitHook sets a function called after every committed write.
func WithCommitHook(f func()) Option { return func(s *Service) { s.committed = f } }

// NewService returns the agenda service over d.
func NewService(d *db.DB, opts ...Option) *Service {
	s := &Service{db: d, store: &store{db: d}, now: time.Now, committed: func() {}, cache: newAgendaCache(512)}
	for _, o := range opts {
		o(s)
	}
	return s
}

// OnSessionsChanged registers f to run after a committed change to a meeting's sessions.
func (s *Service) OnSessionsChanged(f func(ctx context.Context, meetingID string)) {
	s.observers = append(s.observers, f)
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// tx runs fn in a transaction and signals the relay after a commit.
func (s *Service) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if err := s.db.Tx(ctx, fn); err != nil {
		return err
	}
	s.committed()
	return nil
}

func (s *Service) sessionsChanged(ctx context.Context, meetingID string) {
	for _, f := range s.observers {
		f(ctx, meetingID)
	}
}

// MeetingInput is what the secretariat gives to create a meeting, or (with nil fields
// meaning unchanged) to update one.
type MeetingInput struct {
	Title                contracts.Text `json:"title"`
	VenueTZ              *string        `json:"venue_tz"`
	Format               *string        `json:"format"`
	DefaultLang          *string        `json:"default_lang"`
	Platform             *string        `json:"platform"`
	InterpretationPolicy *string        `json:"interpretation_policy"`
	Public               *bool          `json:"public"`
}

func (in MeetingInput) apply(m *Meeting, creating bool) error {
	var errs []problem.FieldError
	if in.Title != nil || creating {
		errs = append(errs, ValidateText("title", in.Title, true, maxTitleLen)...)
		if in.Title != nil {
			m.Title = in.Title
		}
	}
	if in.VenueTZ != nil {
		z, err := ParseZone(*in.VenueTZ)
		if err != nil {
			errs = append(errs, zoneFieldError("venue_tz", err))
		} else {
			m.VenueTZ = z.Name
		}
	} else if creating {
		errs = append(errs, problem.FieldError{Field: "venue_tz", Code: "required", Message: "the venue's time zone, e.g. Europe/Paris"})
	}
	set := func(field string, v *string, dst *string, allowed []string, def string) {
		switch {
		case v != nil:
			errs = append(errs, oneOf(field, *v, allowed)...)
			*dst = *v
		case creating:
			*dst = def
		}
	}
	set("format", in.Format, &m.Format, Formats, "hybrid")
	set("platform", in.Platform, &m.Platform, Platforms, "none")
	set("interpretation_policy", in.InterpretationPolicy, &m.InterpretationPolicy, Policies, "aiic")
	if in.DefaultLang != nil {
		if !ValidLang(*in.DefaultLang) {
			errs = append(errs, problem.FieldError{Field: "default_lang", Code: "invalid_language", Message: "an ISO 639-1 code such as en, fr, es or ar"})
		}
		m.DefaultLang = *in.DefaultLang
	} else if creating {
		m.DefaultLang = "en"
	}
	if in.Public != nil {
		m.Public = *in.Public
	}
	return invalid(errs)
}

// CreateMeeting creates a meeting and emits meeting.created.
func (s *Service) CreateMeeting(ctx context.Context, in MeetingInput) (Meeting, error) {
	now := s.clock()
	m := Meeting{ID: newID(), Version: 1, AgendaRevision: 1, CreatedAt: now, UpdatedAt: now}
	if err := in.apply(&m, true); err != nil {
		return Meeting{}, err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.store.insertMeeting(ctx, tx, m); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Change{Action: "meeting.create", Resource: "meeting", ID: m.ID, MeetingID: m.ID, After: meetingContract(m)}); err != nil {
			return err
		}
		return outbox.Emit(ctx, tx, contracts.MeetingCreated, Source, now, contracts.MeetingEvent{Meeting: meetingContract(m)})
	})
	return m, err
}

// Meeting returns a meeting.
func (s *Service) Meeting(ctx context.Context, id string) (Meeting, error) {
	return s.store.meeting(ctx, s.db, id, false)
}

// Meetings lists meetings in creation order (UUIDv7 ids sort by time), after the cursor.
func (s *Service) Meetings(ctx context.Context, after string, limit int) ([]Meeting, error) {
	if ids, scoped := auth.MeetingScope(ctx); scoped {
		return s.scopedMeetings(ctx, ids, after, limit)
	}
	return s.store.listMeetings(ctx, after, limit)
}

// scopedMeetings lists the meetings of a token limited to a few (at most 100) meetings.
func (s *Service) scopedMeetings(ctx context.Context, ids []string, after string, limit int) ([]Meeting, error) {
	ids = slices.Sorted(slices.Values(ids))
	var out []Meeting
	for _, id := range ids {
		if id <= after || len(out) >= limit {
			continue
		}
		m, err := s.store.meeting(ctx, s.db, id, false)
		if err != nil && problem.From(err).Kind == problem.KindNotFound {
			continue // deleted since the token was made
		}
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// UpdateMeeting applies a partial update if ifMatch names the current version.
func (s *Service) UpdateMeeting(ctx context.Context, id string, ifMatch int64, in MeetingInput) (Meeting, error) {
	var out Meeting
	err := s.tx(ctx, func(tx *sql.Tx) error {
		m, err := s.store.meeting(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := checkVersion(ifMatch, m.Version); err != nil {
			return err
		}
		prev := m
		if err := in.apply(&m, false); err != nil {
			return err
		}
		m.Version++
		m.AgendaRevision++
		m.UpdatedAt = s.clock()
		if err := s.store.updateMeeting(ctx, tx, m); err != nil {
			return err
		}
		out = m
		if err := audit.Record(ctx, tx, m.UpdatedAt, audit.Change{Action: "meeting.update", Resource: "meeting", ID: m.ID, MeetingID: m.ID,
			Before: meetingContract(prev), After: meetingContract(m)}); err != nil {
			return err
		}
		return outbox.Emit(ctx, tx, contracts.MeetingUpdated, Source, m.UpdatedAt, contracts.MeetingEvent{Meeting: meetingContract(m)})
	})
	return out, err
}

// DeleteMeeting deletes a meeting with its sessions and items. Each live session is
// cancelled first (session.cancelled), so consumers stop reminding about it.
func (s *Service) DeleteMeeting(ctx context.Context, id string, ifMatch int64) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		m, err := s.store.meeting(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := checkVersion(ifMatch, m.Version); err != nil {
			return err
		}
		now := s.clock()
		sessions, err := s.store.sessionsOf(ctx, tx, id, "", 1<<30)
		if err != nil {
			return err
		}
		for _, x := range sessions {
			if x.Status == StatusCancelled {
				continue
			}
			x.Status = StatusCancelled
			x.CancelReason = "meeting deleted"
			x.Version++
			if err := outbox.Emit(ctx, tx, contracts.SessionCancelled, Source, now, contracts.SessionEvent{Session: sessionContract(x), Reason: x.CancelReason}); err != nil {
				return err
			}
		}
		if err := s.store.deleteMeeting(ctx, tx, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Change{Action: "meeting.delete", Resource: "meeting", ID: id, MeetingID: id, Before: meetingContract(m)}); err != nil {
			return err
		}
		return outbox.Emit(ctx, tx, contracts.MeetingDeleted, Source, now, contracts.MeetingEvent{Meeting: meetingContract(m)})
	})
	if err == nil {
		s.sessionsChanged(ctx, id)
	}
	return err
}

func checkVersion(want, current int64) error {
	if want >= 0 && want != current {
		return problem.New(problem.KindPreconditionFailed, "version_mismatch",
			"the resource changed since you read it (your version %d, current %d); read it again and retry", want, current).
			WithExtra("current_version", current)
	}
	return nil
}

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
}

func (in SessionInput) apply(x *Session, venueTZ string, creating bool) (timesChanged bool, err error) {
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

	timing := in.Start != nil || in.End != nil || in.DurationMin != nil || in.TZ != nil
	if creating || timing {
		tzIn := x.TZInput
		if in.TZ != nil {
			tzIn = *in.TZ
		}
		if creating && in.TZ == nil {
			tzIn = venueTZ
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
		case in.Start != nil && x.EndInput == "":
			// Times were given by duration and the start moved: keep the length.
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
				return false, terr
			}
			if d := t.End.Sub(t.Start); d > maxSessionHours*time.Hour {
				errs = append(errs, problem.FieldError{Field: "end", Code: "out_of_range", Message: fmt.Sprintf("a session lasts at most %d hours", maxSessionHours)})
			}
			if len(x.Audience) > 0 {
				if _, ferr := planner.Fit(t.Start, t.End, x.Audience); ferr != nil {
					return false, fieldProblem("audience", ferr)
				}
			}
			timesChanged = !t.Start.Equal(x.StartUTC) || !t.End.Equal(x.EndUTC)
			x.StartUTC, x.EndUTC, x.TZ, x.Findings = t.Start, t.End, t.Zone, t.Findings
			x.TZInput, x.StartInput, x.EndInput = tzIn, startIn, endIn
		}
	}
	return timesChanged, invalid(errs)
}

// CreateSession schedules a session in a meeting and emits session.scheduled.
func (s *Service) CreateSession(ctx context.Context, meetingID string, in SessionInput) (Session, error) {
	var out Session
	err := s.tx(ctx, func(tx *sql.Tx) error {
		m, err := s.store.meeting(ctx, tx, meetingID, true)
		if err != nil {
			return err
		}
		now := s.clock()
		x := Session{ID: newID(), MeetingID: meetingID, Status: StatusScheduled, ScheduleVersion: 1, Version: 1, CreatedAt: now, UpdatedAt: now}
		if _, err := in.apply(&x, m.VenueTZ, true); err != nil {
			return err
		}
		if err := s.store.insertSession(ctx, tx, x); err != nil {
			return err
		}
		if err := s.store.bumpAgenda(ctx, tx, meetingID, now); err != nil {
			return err
		}
		out = x
		if err := audit.Record(ctx, tx, now, audit.Change{Action: "session.create", Resource: "session", ID: x.ID, MeetingID: meetingID, After: sessionContract(x)}); err != nil {
			return err
		}
		return outbox.Emit(ctx, tx, contracts.SessionScheduled, Source, now, contracts.SessionEvent{Session: sessionContract(x)})
	})
	if err == nil {
		s.sessionsChanged(ctx, meetingID)
	}
	return out, err
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
		x, err := s.store.session(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := checkVersion(ifMatch, x.Version); err != nil {
			return err
		}
		if x.Status == StatusCancelled {
			return problem.New(problem.KindConflict, "session_cancelled", "session %s is cancelled and can no longer change", id)
		}
		m, err := s.store.meeting(ctx, tx, x.MeetingID, false)
		if err != nil {
			return err
		}
		prev := x
		moved, err := in.apply(&x, m.VenueTZ, false)
		if err != nil {
			return err
		}
		now := s.clock()
		x.Version++
		x.UpdatedAt = now
		if moved {
			x.ScheduleVersion++
		}
		if err := s.store.updateSession(ctx, tx, x); err != nil {
			return err
		}
		if err := s.store.bumpAgenda(ctx, tx, x.MeetingID, now); err != nil {
			return err
		}
		out = x
		action := "session.update"
		if moved {
			action = "session.reschedule"
		}
		if err := audit.Record(ctx, tx, now, audit.Change{Action: action, Resource: "session", ID: x.ID, MeetingID: x.MeetingID,
			Before: sessionContract(prev), After: sessionContract(x)}); err != nil {
			return err
		}
		if moved {
			if err := outbox.Emit(ctx, tx, contracts.SessionRescheduled, Source, now, contracts.SessionRescheduledEvent{
				Session:         sessionContract(x),
				Previous:        contracts.Interval{StartUTC: prev.StartUTC, EndUTC: prev.EndUTC},
				PreviousVersion: prev.ScheduleVersion,
			}); err != nil {
				return err
			}
			return s.moveItems(ctx, tx, x, x.StartUTC.Sub(prev.StartUTC), now)
		}
		return outbox.Emit(ctx, tx, contracts.SessionUpdated, Source, now, contracts.SessionEvent{Session: sessionContract(x)})
	})
	if err == nil {
		s.sessionsChanged(ctx, out.MeetingID)
	}
	return out, err
}

// CancelSession cancels a session and emits session.cancelled. Cancelling a cancelled
// session is a no-op that returns it unchanged.
func (s *Service) CancelSession(ctx context.Context, id string, ifMatch int64, reason string) (Session, error) {
	if len(reason) > maxDescLen {
		return Session{}, invalid([]problem.FieldError{{Field: "reason", Code: "too_long", Message: fmt.Sprintf("at most %d characters", maxDescLen)}})
	}
	var out Session
	changed := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		x, err := s.store.session(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if err := checkVersion(ifMatch, x.Version); err != nil {
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
		out, changed = x, true
		if err := audit.Record(ctx, tx, now, audit.Change{Action: "session.cancel", Resource: "session", ID: x.ID, MeetingID: x.MeetingID,
			Before: sessionContract(prev), After: sessionContract(x)}); err != nil {
			return err
		}
		return outbox.Emit(ctx, tx, contracts.SessionCancelled, Source, now, contracts.SessionEvent{Session: sessionContract(x), Reason: reason})
	})
	if err == nil && changed {
		s.sessionsChanged(ctx, out.MeetingID)
	}
	return out, err
}

// ItemInput is an agenda item as the secretariat gives it. Start and end are wall clock
// in the session's zone ("2026-12-08T16:45") or a time of day on the session's local
// start date ("16:45").
type ItemInput struct {
	Title    contracts.Text `json:"title"`
	Start    *string        `json:"start"`
	End      *string        `json:"end"`
	Speakers []Speaker      `json:"speakers"`
	Language *string        `json:"language"`
	Position *int           `json:"position"`
}

func (in ItemInput) apply(it *Item, x Session, creating bool) error {
	var errs []problem.FieldError
	if in.Title != nil || creating {
		errs = append(errs, ValidateText("title", in.Title, true, maxTitleLen)...)
		if in.Title != nil {
			it.Title = in.Title
		}
	}
	if in.Speakers != nil {
		if len(in.Speakers) > maxSpeakers {
			errs = append(errs, problem.FieldError{Field: "speakers", Code: "too_many", Message: fmt.Sprintf("at most %d speakers", maxSpeakers)})
		}
		for i, sp := range in.Speakers {
			f := fmt.Sprintf("speakers/%d", i)
			if strings.TrimSpace(sp.Name) == "" || len(sp.Name) > maxNameLen {
				errs = append(errs, problem.FieldError{Field: f + "/name", Code: "required", Message: "a name of 1 to 200 characters"})
			}
			if len(sp.Affiliation) > maxNameLen || len(sp.StakeholderGroup) > maxNameLen {
				errs = append(errs, problem.FieldError{Field: f, Code: "too_long", Message: "affiliation and stakeholder group: at most 200 characters"})
			}
			if sp.RegionalGroup != "" && !slices.Contains(RegionalGroups, sp.RegionalGroup) {
				errs = append(errs, problem.FieldError{Field: f + "/regional_group", Code: "invalid_value", Message: "one of the UN regional groups: " + strings.Join(RegionalGroups, ", ")})
			}
			if sp.Language != "" && !ValidLang(sp.Language) {
				errs = append(errs, problem.FieldError{Field: f + "/language", Code: "invalid_language", Message: "an ISO 639-1 code"})
			}
		}
		it.Speakers = in.Speakers
	} else if creating {
		it.Speakers = []Speaker{}
	}
	if in.Language != nil {
		if *in.Language != "" && !ValidLang(*in.Language) {
			errs = append(errs, problem.FieldError{Field: "language", Code: "invalid_language", Message: "an ISO 639-1 code"})
		}
		it.Language = *in.Language
	}
	if in.Position != nil {
		if *in.Position < 0 || *in.Position > 10000 {
			errs = append(errs, problem.FieldError{Field: "position", Code: "out_of_range", Message: "0 to 10000"})
		}
		it.Position = *in.Position
	}
	if len(errs) > 0 {
		return invalid(errs)
	}
	if in.Start != nil {
		t, err := ResolveItemTime(*in.Start, x)
		if err != nil {
			return fieldProblem("start", err)
		}
		it.StartUTC, it.StartInput = t, *in.Start
	}
	if in.End != nil {
		t, err := ResolveItemTime(*in.End, x)
		if err != nil {
			return fieldProblem("end", err)
		}
		it.EndUTC, it.EndInput = t, *in.End
	}
	if it.StartUTC != nil && it.EndUTC != nil && !it.EndUTC.After(*it.StartUTC) {
		return problem.Unprocessable("end_before_start", "the item must end after it starts",
			problem.FieldError{Field: "end", Code: "end_before_start", Message: "must be after start"})
	}
	for _, p := range []struct {
		f string
		t *time.Time
	}{{"start", it.StartUTC}, {"end", it.EndUTC}} {
		if p.t != nil && (p.t.Before(x.StartUTC) || p.t.After(x.EndUTC)) {
			return problem.Unprocessable("item_outside_session", fmt.Sprintf("the item's %s falls outside its session (%s to %s UTC)", p.f,
				x.StartUTC.Format("2006-01-02 15:04"), x.EndUTC.Format("15:04")),
				problem.FieldError{Field: p.f, Code: "outside_session", Message: "must be within the session"})
		}
	}
	return nil
}

// moveItems shifts a rescheduled session's timed items with it, keeping each item's
// place in the session, and emits agenda.changed when any moved.
func (s *Service) moveItems(ctx context.Context, tx *sql.Tx, x Session, delta time.Duration, now time.Time) error {
	items, err := s.store.itemsOfSession(ctx, tx, x.ID)
	if err != nil {
		return err
	}
	loc := time.UTC
	if z, err := ParseZone(x.TZ); err == nil {
		loc = z.Location
	}
	moved := false
	for _, it := range items {
		if it.StartUTC == nil && it.EndUTC == nil || delta == 0 {
			continue
		}
		if it.StartUTC != nil {
			t := it.StartUTC.Add(delta)
			it.StartUTC, it.StartInput = &t, t.In(loc).Format("2006-01-02T15:04")
		}
		if it.EndUTC != nil {
			t := it.EndUTC.Add(delta)
			it.EndUTC, it.EndInput = &t, t.In(loc).Format("2006-01-02T15:04")
		}
		it.Version++
		if err := s.store.updateItem(ctx, tx, it); err != nil {
			return err
		}
		moved = true
	}
	if !moved {
		return nil
	}
	return s.emitAgenda(ctx, tx, x, now)
}

func (s *Service) emitAgenda(ctx context.Context, tx *sql.Tx, x Session, now time.Time) error {
	items, err := s.store.itemsOfSession(ctx, tx, x.ID)
	if err != nil {
		return err
	}
	ev := contracts.AgendaChangedEvent{MeetingID: x.MeetingID, SessionID: x.ID, Items: make([]contracts.AgendaItem, 0, len(items))}
	for _, it := range items {
		ev.Items = append(ev.Items, itemContract(it))
	}
	return outbox.Emit(ctx, tx, contracts.AgendaChanged, Source, now, ev)
}

func (s *Service) changeItems(ctx context.Context, sessionID string, fn func(tx *sql.Tx, x Session, now time.Time) error) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		x, err := s.store.session(ctx, tx, sessionID, true)
		if err != nil {
			return err
		}
		if x.Status == StatusCancelled {
			return problem.New(problem.KindConflict, "session_cancelled", "session %s is cancelled; its agenda can no longer change", sessionID)
		}
		now := s.clock()
		if err := fn(tx, x, now); err != nil {
			return err
		}
		if err := s.store.bumpAgenda(ctx, tx, x.MeetingID, now); err != nil {
			return err
		}
		return s.emitAgenda(ctx, tx, x, now)
	})
}

func itemContract(it Item) contracts.AgendaItem {
	sp := it.Speakers
	if sp == nil {
		sp = []Speaker{}
	}
	return contracts.AgendaItem{ID: it.ID, Position: it.Position, Title: it.Title, StartUTC: it.StartUTC, EndUTC: it.EndUTC, Speakers: sp, Language: it.Language}
}

// AddItem adds an agenda item to a session and emits agenda.changed. Without a position
// the item goes last.
func (s *Service) AddItem(ctx context.Context, sessionID string, in ItemInput) (Item, error) {
	var out Item
	err := s.changeItems(ctx, sessionID, func(tx *sql.Tx, x Session, now time.Time) error {
		it := Item{ID: newID(), SessionID: sessionID, Version: 1}
		if in.Position == nil {
			items, err := s.store.itemsOfSession(ctx, tx, sessionID)
			if err != nil {
				return err
			}
			if len(items) > 0 {
				it.Position = items[len(items)-1].Position + 1
			}
		}
		if err := in.apply(&it, x, true); err != nil {
			return err
		}
		out = it
		if err := audit.Record(ctx, tx, now, audit.Change{Action: "agenda_item.create", Resource: "agenda_item", ID: it.ID, MeetingID: x.MeetingID, After: itemContract(it)}); err != nil {
			return err
		}
		return s.store.insertItem(ctx, tx, it)
	})
	return out, err
}

// Item returns an agenda item.
func (s *Service) Item(ctx context.Context, id string) (Item, error) {
	return s.store.item(ctx, s.db, id)
}

// UpdateItem changes an agenda item if ifMatch names its current version.
func (s *Service) UpdateItem(ctx context.Context, id string, ifMatch int64, in ItemInput) (Item, error) {
	cur, err := s.store.item(ctx, s.db, id)
	if err != nil {
		return Item{}, err
	}
	var out Item
	err = s.changeItems(ctx, cur.SessionID, func(tx *sql.Tx, x Session, now time.Time) error {
		it, err := s.store.item(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkVersion(ifMatch, it.Version); err != nil {
			return err
		}
		prev := it
		if err := in.apply(&it, x, false); err != nil {
			return err
		}
		it.Version++
		out = it
		if err := audit.Record(ctx, tx, now, audit.Change{Action: "agenda_item.update", Resource: "agenda_item", ID: it.ID, MeetingID: x.MeetingID,
			Before: itemContract(prev), After: itemContract(it)}); err != nil {
			return err
		}
		return s.store.updateItem(ctx, tx, it)
	})
	return out, err
}

// DeleteItem removes an agenda item.
func (s *Service) DeleteItem(ctx context.Context, id string, ifMatch int64) error {
	cur, err := s.store.item(ctx, s.db, id)
	if err != nil {
		return err
	}
	return s.changeItems(ctx, cur.SessionID, func(tx *sql.Tx, x Session, now time.Time) error {
		it, err := s.store.item(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkVersion(ifMatch, it.Version); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.Change{Action: "agenda_item.delete", Resource: "agenda_item", ID: it.ID, MeetingID: x.MeetingID, Before: itemContract(it)}); err != nil {
			return err
		}
		return s.store.deleteItem(ctx, tx, id)
	})
}

// Items lists a session's agenda items.
func (s *Service) Items(ctx context.Context, sessionID string) ([]Item, error) {
	if _, err := s.store.session(ctx, s.db, sessionID, false); err != nil {
		return nil, err
	}
	return s.store.itemsOfSession(ctx, s.db, sessionID)
}
