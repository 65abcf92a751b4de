package interpretation

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/plenary/plenary/scheduler/interp"
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
	// recheckHold delays every re-check round, its events held unacknowledged (fault
	// injection: a process killed in that window must lose no re-check).
	recheckHold time.Duration
}

// Agenda is what interpretation needs of the agenda service (main wires *agenda.Service):
// the meetings and sessions it staffs, and a place to show its verdict.
type Agenda interface {
	Meeting(ctx context.Context, id string) (agenda.Meeting, error)
	Session(ctx context.Context, id string) (agenda.Session, error)
	Sessions(ctx context.Context, meetingID string) ([]agenda.Session, error)
	SessionsStarting(ctx context.Context, from, to time.Time, limit int) ([]agenda.Session, error)
	AgendaRevision(ctx context.Context, meetingID string) (int64, error)
	RaiseAgendaFrom(ctx context.Context, meetingID string, rev int64, with func(q db.Querier, rev int64) error) (bool, error)
	SetInterpretationStatus(f agenda.InterpretationStatusFunc)
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock (tests pass a fixed one).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithCommitHook sets a function called after every committed write (wakes the relay).
func WithCommitHook(f func()) Option { return func(s *Service) { s.committed = f } }

// WithRecheckHold makes the re-check consumer hold each round of events, unacknowledged,
// for d before it re-checks: a window in which the fault suite kills the process to show
// that the re-check is not lost. Zero (the default) holds nothing.
func WithRecheckHold(d time.Duration) Option { return func(s *Service) { s.recheckHold = d } }

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
func (s *Service) agendaStatus(ctx context.Context, q db.Querier, meetingID, lang string) (agenda.InterpretationStatus, bool, error) {
	r, ok, err := s.store.lastCheck(ctx, q, meetingID)
	if err != nil || !ok {
		return agenda.InterpretationStatus{}, ok, err
	}
	st := agenda.InterpretationStatus{CheckedAt: r.CheckedAt, Revision: r.Revision, Assignments: r.Assignments, OK: r.OK, Violations: []agenda.InterpretationProblem{}}
	readerOf(lang).violations(r.Violations)
	for _, v := range r.Violations {
		p := agenda.InterpretationProblem{SessionID: v.SessionID, Booth: string(v.Booth), Rule: v.Rule, Code: v.Code, Message: v.Message}
		if v.Code != "" {
			args := v.Args
			p.Args = &args
		}
		st.Violations = append(st.Violations, p)
	}
	// The routes name interpreters by id; the agenda shows their names too, read now (a
	// renamed or erased interpreter shows as the pool has them).
	var ids []string
	for _, rt := range r.Routes {
		for _, id := range slices.Concat(rt.Direct, rt.Givers) {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	names := map[string]string{}
	if len(ids) > 0 {
		people, err := s.store.interpretersIn(ctx, q, ids)
		if err != nil {
			return st, false, err
		}
		for _, it := range people {
			names[it.ID] = it.Name
		}
	}
	who := func(ids []string) []agenda.InterpreterRef {
		out := make([]agenda.InterpreterRef, 0, len(ids))
		for _, id := range ids {
			out = append(out, agenda.InterpreterRef{ID: id, Name: names[id]})
		}
		return out
	}
	for _, rt := range r.Routes {
		ar := agenda.InterpretationRoute{SessionID: rt.SessionID, Booth: string(rt.Booth), Floor: string(rt.Floor), Mode: rt.Mode,
			Direct: who(rt.Direct), From: string(rt.From), Via: string(rt.Via)}
		if rt.Mode == interp.RouteRelay {
			ar.Givers = who(rt.Givers)
		}
		st.Routes = append(st.Routes, ar)
	}
	return st, true, nil
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// tx runs fn in the platform's serializable write transaction (so the read-then-insert
// of the double-booking check cannot interleave with another) and wakes the relay after
// the commit.
func (s *Service) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	err := s.db.SerializableTx(ctx, fn)
	if errors.Is(err, db.ErrContention) {
		return problem.New(problem.KindConflict, "write_contention", "too many concurrent changes to the same interpreters; retry").WithExtra("cause", "serialization")
	}
	if err != nil {
		return err
	}
	s.committed()
	return nil
}
