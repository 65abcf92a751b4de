package interpretation

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/problem"
)

// Service is the interpretation domain over its store and the agenda's sessions.
type Service struct {
	db        *db.DB
	store     *store
	agenda    Agenda
	now       func() time.Time
	committed func()
	log       *slog.Logger
}

// Agenda is what interpretation needs of the agenda service (main wires *agenda.Service):
// the meetings and sessions it staffs, and a place to show its verdict.
type Agenda interface {
	Meeting(ctx context.Context, id string) (agenda.Meeting, error)
	Session(ctx context.Context, id string) (agenda.Session, error)
	Sessions(ctx context.Context, meetingID string) ([]agenda.Session, error)
	SessionsStarting(ctx context.Context, from, to time.Time, limit int) ([]agenda.Session, error)
	AgendaRevision(ctx context.Context, meetingID string) (int64, error)
	TouchAgenda(ctx context.Context, meetingID string) (int64, error)
	SetInterpretationStatus(f agenda.InterpretationStatusFunc)
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock (tests pass a fixed one).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithCommitHook sets a function called after every committed write (wakes the relay).
func WithCommitHook(f func()) Option { return func(s *Service) { s.committed = f } }

// WithLogger sets the logger of background work (re-checks after session changes).
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// NewService returns the service. Session changes reach it as events (ConsumeSessionEvents),
// which refresh the assignments' times and re-run the checker.
func NewService(d *db.DB, ag Agenda, opts ...Option) *Service {
	s := &Service{db: d, store: &store{db: d}, agenda: ag, now: time.Now, committed: func() {}, log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(s)
	}
	ag.SetInterpretationStatus(s.agendaStatus)
	return s
}

// agendaStatus gives the agenda the latest verdict of the checker.
func (s *Service) agendaStatus(ctx context.Context, q db.Querier, meetingID string) (agenda.InterpretationStatus, bool, error) {
	r, ok, err := s.store.lastCheck(ctx, q, meetingID)
	if err != nil || !ok {
		return agenda.InterpretationStatus{}, ok, err
	}
	st := agenda.InterpretationStatus{CheckedAt: r.CheckedAt, Revision: r.Revision, Assignments: r.Assignments, OK: r.OK, Violations: []agenda.InterpretationProblem{}}
	for _, v := range r.Violations {
		st.Violations = append(st.Violations, agenda.InterpretationProblem{SessionID: v.SessionID, Booth: string(v.Booth), Rule: v.Rule, Message: v.Message})
	}
	return st, true, nil
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// maxTxAttempts bounds the retries of a transaction that lost a serialization race.
const maxTxAttempts = 60

// tx runs fn in a write transaction: SERIALIZABLE on PostgreSQL (so the read-then-insert
// of the double-booking check cannot interleave with another), retried on serialization
// failures; SQLite's single writer serialises on its own.
func (s *Service) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	var opts *sql.TxOptions
	if s.db.Dialect == db.Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelSerializable}
	}
	for attempt := 1; ; attempt++ {
		err := s.txOnce(ctx, opts, fn)
		if err == nil {
			s.committed()
			return nil
		}
		if !db.IsSerializationFailure(err) {
			return err
		}
		if attempt == maxTxAttempts {
			return problem.New(problem.KindConflict, "write_contention", "too many concurrent changes to the same interpreters; retry").WithExtra("cause", "serialization")
		}
		wait := time.Duration(rand.IntN(2+min(attempt, 20)*2)) * time.Millisecond
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

func (s *Service) txOnce(ctx context.Context, opts *sql.TxOptions, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := db.MarkCommit(ctx, tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
