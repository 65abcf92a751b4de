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
)

// Meetings is what registration needs to know of the agenda: the sessions of a meeting.
// It returns a problem.NotFound error when the meeting does not exist.
type Meetings interface {
	SessionIDs(ctx context.Context, meetingID string) ([]string, error)
	// Defaults are the meeting's language and venue zone, which an imported registrant
	// without their own takes.
	Defaults(ctx context.Context, meetingID string) (locale, tz string, err error)
}

// Service validates registrations and writes each change with its event.
type Service struct {
	db        *db.DB
	store     *store
	meetings  Meetings
	links     Linker
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
func NewService(d *db.DB, meetings Meetings, links Linker, opts ...Option) *Service {
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
		Calendar:    s.links.Calendar(CalendarRegistration+id, now),
	}
}

// Register creates a registration and emits registration.created.
func (s *Service) Register(ctx context.Context, meetingID string, in Input) (Registration, error) {
	ids, err := s.meetings.SessionIDs(ctx, meetingID)
	if err != nil {
		return Registration{}, err
	}
	now := s.clock()
	r := Registration{ID: uuid.Must(uuid.NewV7()).String(), MeetingID: meetingID, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := in.apply(&r, ids, true); err != nil {
		return Registration{}, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error { return s.writeCreated(ctx, tx, r) })
	return r, err
}

// writeCreated stores a new registration with its audit entry and event (Register, Import).
func (s *Service) writeCreated(ctx context.Context, tx *sql.Tx, r Registration) error {
	if err := s.store.insert(ctx, tx, r); err != nil {
		return err
	}
	if err := audit.Record(ctx, tx, r.CreatedAt, audit.Change{Action: "registration.create", Resource: "registration", ID: r.ID, MeetingID: r.MeetingID,
		After: contract(r)}); err != nil {
		return err
	}
	return outbox.Emit(ctx, tx, contracts.RegistrationCreated, Source, r.CreatedAt, contracts.RegistrationEvent{Registration: contract(r)})
}

// writeUpdated stores a changed registration with its audit entry and event (Update, Import).
func (s *Service) writeUpdated(ctx context.Context, tx *sql.Tx, before, r Registration) error {
	if err := s.store.update(ctx, tx, r); err != nil {
		return err
	}
	if err := audit.Record(ctx, tx, r.UpdatedAt, audit.Change{Action: "registration.update", Resource: "registration", ID: r.ID, MeetingID: r.MeetingID,
		Before: contract(before), After: contract(r)}); err != nil {
		return err
	}
	return outbox.Emit(ctx, tx, contracts.RegistrationUpdated, Source, r.UpdatedAt, contracts.RegistrationEvent{Registration: contract(r)})
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
		r, err := s.store.get(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if ifMatch >= 0 && ifMatch != r.Version {
			return problem.New(problem.KindPreconditionFailed, "version_mismatch",
				"the registration changed since you read it (your version %d, current %d); read it again and retry", ifMatch, r.Version).
				WithExtra("current_version", r.Version)
		}
		before := r
		if err := in.apply(&r, ids, false); err != nil {
			return err
		}
		if same(before, r) {
			out = r
			return nil
		}
		r.Version++
		r.UpdatedAt = s.clock()
		out = r
		return s.writeUpdated(ctx, tx, before, r)
	})
	return out, err
}

func same(a, b Registration) bool {
	return a.Name == b.Name && a.Email == b.Email && a.Locale == b.Locale && a.TZ == b.TZ &&
		slices.Equal(a.Sessions, b.Sessions) && a.ConsentReminders == b.ConsentReminders && a.Unsubscribed == b.Unsubscribed
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
	if ifMatch >= 0 && ifMatch != r.Version {
		return problem.New(problem.KindPreconditionFailed, "version_mismatch",
			"the registration changed since you read it (your version %d, current %d)", ifMatch, r.Version).
			WithExtra("current_version", r.Version)
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
