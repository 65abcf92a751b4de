package registration

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/services/audit"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/outbox"
	"github.com/plenary/plenary/services/platform/problem"
	"github.com/plenary/plenary/services/platform/signed"
	"github.com/plenary/plenary/services/platform/versioned"
)

// Meetings is what registration needs to know of the agenda: the sessions of a meeting.
// It returns a problem.NotFound error when the meeting does not exist.
type Meetings interface {
	SessionIDs(ctx context.Context, meetingID string) ([]string, error)
	// Defaults are the meeting's language and venue zone, which an imported registrant
	// without their own takes.
	Defaults(ctx context.Context, meetingID string) (locale, tz string, err error)
	// Public reports whether the meeting is open to the public (self-registration).
	Public(ctx context.Context, meetingID string) (bool, error)
}

// Service validates registrations and writes each change with its event.
type Service struct {
	db        *db.DB
	store     *store
	meetings  Meetings
	links     signed.Links
	now       func() time.Time
	committed func()
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock (tests pass a fixed one).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithCommitHook sets a function called after every committed write (wakes the relay).
func WithCommitHook(f func()) Option { return func(s *Service) { s.committed = f } }

// NewService returns the registration service.
func NewService(d *db.DB, meetings Meetings, links signed.Links, opts ...Option) *Service {
	s := &Service{db: d, store: &store{db: d}, meetings: meetings, links: links, now: time.Now, committed: func() {}}
	for _, o := range opts {
		o(s)
	}
	return s
}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

func (s *Service) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if err := s.db.Tx(ctx, fn); err != nil {
		return err
	}
	s.committed()
	return nil
}

// Links are the signed links of one registration.
type Links struct {
	Manage      string `json:"manage"`
	Unsubscribe string `json:"unsubscribe"`
	Calendar    string `json:"calendar"`
}

// LinksOf returns the signed links of a registration, valid from now.
func (s *Service) LinksOf(id string) Links {
	now := s.clock()
	return Links{
		Manage:      s.links.Manage(id, now),
		Unsubscribe: s.links.Unsubscribe(id, now),
		Calendar:    s.links.Calendar(signed.CalendarRegistration+id, now),
	}
}

// Register creates a registration made by the secretariat, active at once, and emits
// registration.created.
func (s *Service) Register(ctx context.Context, meetingID string, in Input) (Registration, error) {
	return s.register(ctx, meetingID, in, false)
}

// SelfRegister creates a registration made by the registrant on the public page: the
// meeting must be public and take registrations, every chosen session must have a seat
// left, and the registration stays pending until its confirmation link is opened
// (Confirm), so nobody can sign up someone else. The event carries pending=true: the
// notifier sends the confirmation request and nothing else.
func (s *Service) SelfRegister(ctx context.Context, meetingID string, in Input) (Registration, error) {
	public, err := s.meetings.Public(ctx, meetingID)
	if err != nil {
		return Registration{}, err
	}
	if !public {
		return Registration{}, problem.NotFound("meeting", meetingID)
	}
	return s.register(ctx, meetingID, in, true)
}

// errClosed refuses the public form of a meeting that no longer takes registrations.
var errClosed = problem.New(problem.KindConflict, "registration_closed", "this meeting no longer takes registrations")

// seatProblem names the chosen sessions that have no seat left.
func seatProblem(full []int, chosen []string) error {
	var errs []problem.FieldError
	var ids []string
	for _, i := range full {
		ids = append(ids, chosen[i])
		errs = append(errs, problem.FieldError{Field: fieldIndex("sessions", i), Code: "session_full", Message: "this session has no seat left"})
	}
	e := problem.New(problem.KindConflict, "session_full", "a session you chose has no seat left")
	e.Fields = errs
	return e.WithExtra("full_sessions", ids)
}

// Validate checks a registration as Register would, without writing: the public form shows
// every field's error at once, its own and the service's.
func (s *Service) Validate(ctx context.Context, meetingID string, in Input) error {
	ids, err := s.meetings.SessionIDs(ctx, meetingID)
	if err != nil {
		return err
	}
	var r Registration
	return in.apply(&r, ids, true)
}

func (s *Service) register(ctx context.Context, meetingID string, in Input, self bool) (Registration, error) {
	ids, err := s.meetings.SessionIDs(ctx, meetingID)
	if err != nil {
		return Registration{}, err
	}
	now := s.clock()
	r := Registration{ID: uuid.Must(uuid.NewV7()).String(), MeetingID: meetingID, Version: 1, CreatedAt: now, UpdatedAt: now, Pending: self}
	if err := in.apply(&r, ids, true); err != nil {
		return Registration{}, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if self {
			if err := s.checkRoom(ctx, tx, r, ids); err != nil {
				return err
			}
		}
		return s.writeCreated(ctx, tx, r)
	})
	return r, err
}

// writeCreated stores a new registration with its audit entry and event (Register, Import).
func (s *Service) writeCreated(ctx context.Context, tx *sql.Tx, r Registration) error {
	if err := s.store.insert(ctx, tx, r); err != nil {
		return err
	}
	return audit.Written(ctx, tx, r.CreatedAt, audit.Change{Action: "registration.create", Resource: "registration", ID: r.ID, MeetingID: r.MeetingID,
		After: contract(r)}, contracts.RegistrationCreated, Source, contracts.RegistrationEvent{Registration: contract(r)})
}

// resource is the update of a registration: written, in the trail, registration.updated.
// A change that changes nothing the registrant sees is neither.
func (s *Service) resource() versioned.Resource[Registration] {
	return versioned.Resource[Registration]{
		Name: "registration",
		Get: func(ctx context.Context, tx *sql.Tx, id string) (Registration, error) {
			return s.store.get(ctx, tx, id, true)
		},
		Version: func(r *Registration) *int64 { return &r.Version },
		Put:     func(ctx context.Context, tx *sql.Tx, r Registration) error { return s.store.update(ctx, tx, r) },
		Record: func(ctx context.Context, tx *sql.Tx, before, r Registration) error {
			return audit.Written(ctx, tx, r.UpdatedAt, audit.Change{Action: "registration.update", Resource: "registration", ID: r.ID, MeetingID: r.MeetingID,
				Before: contract(before), After: contract(r)}, contracts.RegistrationUpdated, Source, contracts.RegistrationEvent{Registration: contract(r)})
		},
		Same: same,
	}
}

// writeUpdated stores a changed registration with its audit entry and event (Import,
// which checks versions row by row itself).
func (s *Service) writeUpdated(ctx context.Context, tx *sql.Tx, before, r Registration) error {
	res := s.resource()
	if err := res.Put(ctx, tx, r); err != nil {
		return err
	}
	return res.Record(ctx, tx, before, r)
}

// checkRoom refuses a self-registration when the meeting is closed or a chosen session
// is full. The settings row is locked (PostgreSQL) so that two last-seat registrations
// do not both pass; SQLite's one writer serializes them anyway.
func (s *Service) checkRoom(ctx context.Context, tx *sql.Tx, r Registration, meetingSessions []string) error {
	st, err := s.store.settings(ctx, tx, r.MeetingID, true)
	if err != nil {
		return err
	}
	if st.Closed {
		return errClosed
	}
	if len(st.Seats) == 0 {
		return nil
	}
	taken, err := s.store.seatsTaken(ctx, tx, r.MeetingID, meetingSessions)
	if err != nil {
		return err
	}
	chosen := r.Sessions
	if len(chosen) == 0 {
		chosen = meetingSessions
	}
	var full []int
	for i, id := range chosen {
		if limit, ok := st.Seats[id]; ok && taken[id] >= limit {
			full = append(full, i)
		}
	}
	if len(full) > 0 {
		return seatProblem(full, chosen)
	}
	return nil
}

// Availability is what the public page shows of a meeting's registration: whether it is
// closed and, per capped session, the seats left.
type Availability struct {
	Closed bool
	// SeatsLeft holds capped sessions only.
	SeatsLeft map[string]int
}

// Availability returns the registration state of a meeting for its public page.
func (s *Service) Availability(ctx context.Context, meetingID string) (Availability, error) {
	st, err := s.store.settings(ctx, s.db, meetingID, false)
	if err != nil {
		return Availability{}, err
	}
	out := Availability{Closed: st.Closed, SeatsLeft: map[string]int{}}
	if len(st.Seats) == 0 {
		return out, nil
	}
	ids, err := s.meetings.SessionIDs(ctx, meetingID)
	if err != nil {
		return Availability{}, err
	}
	taken, err := s.store.seatsTaken(ctx, s.db, meetingID, ids)
	if err != nil {
		return Availability{}, err
	}
	for id, limit := range st.Seats {
		out.SeatsLeft[id] = max(limit-taken[id], 0)
	}
	return out, nil
}

// Settings returns a meeting's registration settings.
func (s *Service) Settings(ctx context.Context, meetingID string) (Settings, error) {
	if _, err := s.meetings.SessionIDs(ctx, meetingID); err != nil {
		return Settings{}, err
	}
	return s.store.settings(ctx, s.db, meetingID, false)
}

// SettingsInput is a change of the registration settings; nil fields stay.
type SettingsInput struct {
	Closed *bool           `json:"closed"`
	Seats  *map[string]int `json:"seats"`
}

// PutSettings changes a meeting's registration settings: close or reopen the public form,
// cap the seats of sessions (0 or absent: no cap).
func (s *Service) PutSettings(ctx context.Context, meetingID string, in SettingsInput) (Settings, error) {
	ids, err := s.meetings.SessionIDs(ctx, meetingID)
	if err != nil {
		return Settings{}, err
	}
	var out Settings
	err = s.tx(ctx, func(tx *sql.Tx) error {
		st, err := s.store.settings(ctx, tx, meetingID, true)
		if err != nil {
			return err
		}
		before := st
		if in.Closed != nil {
			st.Closed = *in.Closed
		}
		if in.Seats != nil {
			var errs []problem.FieldError
			seats := map[string]int{}
			for id, n := range *in.Seats {
				switch {
				case !slices.Contains(ids, id):
					errs = append(errs, problem.FieldError{Field: "seats/" + id, Code: "unknown_session", Message: "not a session of this meeting"})
				case n < 0 || n > 1_000_000:
					errs = append(errs, problem.FieldError{Field: "seats/" + id, Code: "invalid_seats", Message: "0 (no cap) to 1000000 seats"})
				case n > 0:
					seats[id] = n
				}
			}
			if len(errs) > 0 {
				return problem.Unprocessable("validation_failed", "some fields are not valid; see errors", errs...)
			}
			st.Seats = seats
		}
		st.Version++
		now := s.clock()
		if err := s.store.putSettings(ctx, tx, st, now); err != nil {
			return err
		}
		out = st
		return audit.Record(ctx, tx, now, audit.Change{Action: "registration.settings", Resource: "meeting", ID: meetingID, MeetingID: meetingID,
			Before: before, After: st})
	})
	return out, err
}

// Confirm makes a pending self-registration active: its owner opened the confirmation
// link. It emits registration.updated with pending=false (the notifier then sends the
// confirmation and plans reminders). Confirming twice changes nothing.
func (s *Service) Confirm(ctx context.Context, id string) (Registration, bool, error) {
	var out Registration
	changed := false
	err := s.tx(ctx, func(tx *sql.Tx) error {
		r, err := s.store.get(ctx, tx, id, true)
		if err != nil {
			return err
		}
		out = r
		if !r.Pending {
			return nil
		}
		before := r
		r.Pending, r.Version, r.UpdatedAt = false, r.Version+1, s.clock()
		if err := s.store.update(ctx, tx, r); err != nil {
			return err
		}
		out, changed = r, true
		return audit.Written(ctx, tx, r.UpdatedAt, audit.Change{Action: "registration.confirm", Resource: "registration", ID: r.ID, MeetingID: r.MeetingID,
			Before: contract(before), After: contract(r)}, contracts.RegistrationUpdated, Source, contracts.RegistrationEvent{Registration: contract(r)})
	})
	return out, changed, err
}

// Authorize checks that token is a valid Registration link for id.
func (s *Service) Authorize(token, id string) error {
	return checkToken(s.links.Keys, token, signed.Registration, id, s.clock())
}

func checkToken(keys *signed.Keys, token string, p signed.Purpose, id string, now time.Time) error {
	if token == "" {
		return problem.New(problem.KindUnauthorized, "token_required", "this link needs its token (?token=...)")
	}
	subject, err := keys.Verify(token, p, now)
	switch {
	case errors.Is(err, signed.ErrExpired):
		return problem.New(problem.KindGone, "link_expired", "this link has expired")
	case err != nil:
		return problem.New(problem.KindForbidden, "link_invalid", "this link is not valid")
	case id != "" && subject != id:
		return problem.New(problem.KindForbidden, "link_invalid", "this link is not valid for this registration")
	}
	return nil
}

// Get returns a registration.
func (s *Service) Get(ctx context.Context, id string) (Registration, error) {
	return s.store.get(ctx, s.db, id, false)
}

// Update applies a partial change if ifMatch names the current version (-1: any).
func (s *Service) Update(ctx context.Context, id string, ifMatch int64, in Input) (Registration, error) {
	// The meeting's sessions are read before the transaction: on SQLite the one
	// connection is held by the transaction.
	var ids []string
	if in.Sessions != nil {
		r, err := s.store.get(ctx, s.db, id, false)
		if err != nil {
			return Registration{}, err
		}
		if ids, err = s.meetings.SessionIDs(ctx, r.MeetingID); err != nil {
			return Registration{}, err
		}
	}
	var out Registration
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = s.resource().Update(ctx, tx, id, ifMatch, func(r *Registration) error {
			if err := in.apply(r, ids, false); err != nil {
				return err
			}
			r.UpdatedAt = s.clock()
			return nil
		})
		return err
	})
	return out, err
}

func same(a, b Registration) bool {
	return a.Name == b.Name && a.Email == b.Email && a.Locale == b.Locale && a.TZ == b.TZ &&
		slices.Equal(a.Sessions, b.Sessions) && a.ConsentReminders == b.ConsentReminders && a.Unsubscribed == b.Unsubscribed &&
		a.Pending == b.Pending
}

// Delete removes a registration and emits registration.deleted.
func (s *Service) Delete(ctx context.Context, id string, ifMatch int64) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return s.delete(ctx, tx, id, ifMatch) })
}

func (s *Service) delete(ctx context.Context, tx *sql.Tx, id string, ifMatch int64) error {
	r, err := s.store.get(ctx, tx, id, true)
	if err != nil {
		return err
	}
	if err := versioned.Check("registration", ifMatch, r.Version); err != nil {
		return err
	}
	if err := s.store.delete(ctx, tx, id); err != nil {
		return err
	}
	if err := audit.Record(ctx, tx, s.clock(), audit.Change{Action: "registration.delete", Resource: "registration", ID: r.ID, MeetingID: r.MeetingID,
		Before: contract(r)}); err != nil {
		return err
	}
	r.Version++
	return outbox.Emit(ctx, tx, contracts.RegistrationDeleted, Source, s.clock(), contracts.RegistrationEvent{Registration: contract(r)})
}

// Unsubscribe stops all email for the registration the token names. It is idempotent:
// a second call changes nothing and emits nothing.
func (s *Service) Unsubscribe(ctx context.Context, token string) (Registration, error) {
	id, err := s.links.Keys.Verify(token, signed.Unsubscribe, s.clock())
	if err != nil {
		if cerr := checkToken(s.links.Keys, token, signed.Unsubscribe, "", s.clock()); cerr != nil {
			return Registration{}, cerr
		}
		return Registration{}, fmt.Errorf("verify unsubscribe link: %w", err)
	}
	yes := true
	return s.Update(ctx, id, -1, Input{Unsubscribed: &yes})
}
