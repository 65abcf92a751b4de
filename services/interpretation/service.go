package interpretation

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/audit"
	"github.com/plenary/plenary/services/platform/auth"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/outbox"
	"github.com/plenary/plenary/services/platform/problem"
)

// Service is the interpretation domain over its store and the agenda's sessions.
type Service struct {
	db        *db.DB
	store     *store
	agenda    *agenda.Service
	now       func() time.Time
	committed func()
	log       *slog.Logger
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock (tests pass a fixed one).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// WithCommitHook sets a function called after every committed write (wakes the relay).
func WithCommitHook(f func()) Option { return func(s *Service) { s.committed = f } }

// WithLogger sets the logger of background work (re-checks after session changes).
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// NewService returns the service. It registers with the agenda so that every committed
// session change refreshes the assignments' times and re-runs the checker.
func NewService(d *db.DB, ag *agenda.Service, opts ...Option) *Service {
	s := &Service{db: d, store: &store{db: d}, agenda: ag, now: time.Now, committed: func() {}, log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(s)
	}
	ag.OnSessionsChanged(s.sessionsChanged)
	ag.SetInterpretationStatus(s.agendaStatus)
	return s
}

// agendaStatus gives the agenda the latest verdict of the checker.
func (s *Service) agendaStatus(ctx context.Context, q db.Querier, meetingID string) (agenda.InterpretationStatus, bool, error) {
	r, ok, err := s.store.lastCheck(ctx, q, meetingID)
	if err != nil || !ok {
		return agenda.InterpretationStatus{}, ok, err
	}
	st := agenda.InterpretationStatus{CheckedAt: r.CheckedAt, Assignments: r.Assignments, OK: r.OK, Violations: []agenda.InterpretationProblem{}}
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
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// ---- interpreters ----

// CreateInterpreter validates and stores a new interpreter.
func (s *Service) CreateInterpreter(ctx context.Context, in InterpreterInput) (Interpreter, error) {
	now := s.clock()
	it := Interpreter{Version: 1, CreatedAt: now, UpdatedAt: now}
	it.ID = newID()
	if err := in.apply(&it, true); err != nil {
		return Interpreter{}, err
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.store.insertInterpreter(ctx, tx, it); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Action: "interpreter.create", Resource: "interpreter", ID: it.ID, After: interpreterJSON(it)})
	})
	return it, err
}

// Interpreter returns one interpreter.
func (s *Service) Interpreter(ctx context.Context, id string) (Interpreter, error) {
	return s.store.interpreter(ctx, s.db, id)
}

// Interpreters lists the pool in id order after the cursor.
func (s *Service) Interpreters(ctx context.Context, after string, limit int) ([]Interpreter, error) {
	return s.store.interpreters(ctx, s.db, after, limit)
}

// UpdateInterpreter applies a partial update if ifMatch names the current version. The
// meetings the interpreter works in are re-checked (their languages or hours may have
// changed).
func (s *Service) UpdateInterpreter(ctx context.Context, id string, ifMatch int64, in InterpreterInput) (Interpreter, error) {
	var out Interpreter
	err := s.tx(ctx, func(tx *sql.Tx) error {
		it, err := s.store.interpreter(ctx, tx, id)
		if err != nil {
			return err
		}
		if ifMatch >= 0 && ifMatch != it.Version {
			return problem.New(problem.KindPreconditionFailed, "version_mismatch",
				"the resource changed since you read it (your version %d, current %d); read it again and retry", ifMatch, it.Version).
				WithExtra("current_version", it.Version)
		}
		before := interpreterJSON(it)
		if err := in.apply(&it, false); err != nil {
			return err
		}
		it.Version++
		it.UpdatedAt = s.clock()
		out = it
		if err := s.store.updateInterpreter(ctx, tx, it); err != nil {
			return err
		}
		return audit.Record(ctx, tx, it.UpdatedAt, audit.Change{Action: "interpreter.update", Resource: "interpreter", ID: it.ID,
			Before: before, After: interpreterJSON(it)})
	})
	if err != nil {
		return out, err
	}
	s.recheckInterpreters(ctx, []string{id}, "")
	return out, nil
}

// ---- plans ----

// world is what the allocator and the checker see for one meeting.
type world struct {
	meeting  agenda.Meeting
	sessions map[string]agenda.Session
	input    interp.Input
	pool     map[string]Interpreter
	mine     []Assignment // every assignment of the meeting, any state
}

func pureSession(x agenda.Session) interp.Session {
	ps := interp.Session{ID: x.ID, MeetingID: x.MeetingID, Start: x.StartUTC, End: x.EndUTC, Cancelled: x.Status == agenda.StatusCancelled}
	for _, l := range x.Floor {
		ps.Floor = append(ps.Floor, interp.Lang(l))
	}
	for _, l := range x.Outputs {
		ps.Outputs = append(ps.Outputs, interp.Lang(l))
	}
	return ps
}

// scope narrows what load puts before the allocator: a date-range plan covers only some
// of a meeting's sessions and re-plans several meetings in one run.
type scope struct {
	// sessions are the meeting's sessions to plan; nil means all of them. The seats of
	// its other sessions bind their interpreters like any other meeting's.
	sessions map[string]bool
	// replanned are sessions, of any meeting, whose proposed seats this run replaces:
	// those seats do not bind anyone.
	replanned map[string]bool
	// earlier are the seats this run proposed in the meetings it planned before.
	earlier []interp.Commitment
	// pool, when set, is the interpreter pool read once for a run over many meetings.
	pool []Interpreter
	// assignedOnly reads only the interpreters the meeting's seats name: the checker
	// judges seats and needs no one else, and the pool may be large.
	assignedOnly bool
}

// load reads a meeting's sessions (outside any transaction: the agenda has its own),
// the pool, the meeting's assignments and everyone's commitments elsewhere around them.
func (s *Service) load(ctx context.Context, meetingID string, sc scope) (world, error) {
	w := world{sessions: map[string]agenda.Session{}, pool: map[string]Interpreter{}}
	m, err := s.agenda.Meeting(ctx, meetingID)
	if err != nil {
		return w, err
	}
	w.meeting = m
	xs, err := s.agenda.Sessions(ctx, meetingID)
	if err != nil {
		return w, err
	}
	policy, ok := interp.PolicyByName(m.InterpretationPolicy)
	if !ok {
		policy = interp.AIIC()
	}
	w.input.Policy = policy
	var from, to time.Time
	for _, x := range xs {
		w.sessions[x.ID] = x
		if sc.sessions != nil && !sc.sessions[x.ID] {
			continue
		}
		w.input.Sessions = append(w.input.Sessions, pureSession(x))
		if from.IsZero() || x.StartUTC.Before(from) {
			from = x.StartUTC
		}
		if x.EndUTC.After(to) {
			to = x.EndUTC
		}
	}
	if w.mine, err = s.store.ofMeeting(ctx, s.db, meetingID); err != nil {
		return w, err
	}
	pool := sc.pool
	switch {
	case pool != nil:
	case sc.assignedOnly:
		var ids []string
		for _, a := range w.mine {
			if !slices.Contains(ids, a.InterpreterID) {
				ids = append(ids, a.InterpreterID)
			}
		}
		if pool, err = s.store.interpretersIn(ctx, s.db, ids); err != nil {
			return w, err
		}
	default:
		if pool, err = s.store.interpreters(ctx, s.db, "", 0); err != nil {
			return w, err
		}
	}
	for _, it := range pool {
		w.pool[it.ID] = it
		w.input.Pool = append(w.input.Pool, it.Interpreter)
	}
	for _, a := range w.mine {
		if sc.sessions != nil && !sc.sessions[a.SessionID] {
			if a.Live && Active(a.State) {
				w.input.Commitments = append(w.input.Commitments, interp.Commitment{InterpreterID: a.InterpreterID, Start: a.StartUTC, End: a.EndUTC, Ref: a.ID})
			}
			continue
		}
		switch a.State {
		case StateOffered, StateAccepted:
			w.input.Kept = append(w.input.Kept, a.pure())
		case StateDeclined:
			w.input.Declined = append(w.input.Declined, interp.Declined{InterpreterID: a.InterpreterID, SessionID: a.SessionID, Booth: interp.Lang(a.Booth)})
		}
	}
	if len(w.input.Sessions) > 0 {
		// A week either side: weekly caps and rest look that far.
		others, err := s.store.commitments(ctx, s.db, meetingID, from.AddDate(0, 0, -7), to.AddDate(0, 0, 7))
		if err != nil {
			return w, err
		}
		for _, a := range others {
			if a.State == StateProposed && sc.replanned[a.SessionID] {
				continue
			}
			w.input.Commitments = append(w.input.Commitments, interp.Commitment{InterpreterID: a.InterpreterID, Start: a.StartUTC, End: a.EndUTC, Ref: a.ID})
		}
		w.input.Commitments = append(w.input.Commitments, sc.earlier...)
	}
	return w, nil
}

// PlannedAssignment is one seat of a plan: proposed by the allocator, or kept because it
// is already offered or accepted.
type PlannedAssignment struct {
	ID            string `json:"id,omitempty"`
	SessionID     string `json:"session_id"`
	Booth         string `json:"booth"`
	InterpreterID string `json:"interpreter_id"`
	Interpreter   string `json:"interpreter_name"`
	Role          string `json:"role"`
	State         string `json:"state"`
}

// PlanResult is the answer of the allocator for a meeting.
type PlanResult struct {
	MeetingID   string              `json:"meeting_id"`
	Policy      string              `json:"policy"`
	Committed   bool                `json:"committed"`
	Booths      []interp.BoothNeed  `json:"booths"`
	Assignments []PlannedAssignment `json:"assignments"`
	RelayHops   []interp.RelayHop   `json:"relay_hops"`
	Gaps        []interp.Gap        `json:"gaps"`
	Notes       []string            `json:"notes"`
}

type seatKey struct{ session, booth, interpreter string }

// Plan runs the allocator over the meeting's live sessions. With commit, the proposal
// replaces the meeting's earlier proposed assignments (offered and accepted ones are kept).
func (s *Service) Plan(ctx context.Context, meetingID string, commit bool) (PlanResult, error) {
	w, err := s.load(ctx, meetingID, scope{})
	if err != nil {
		return PlanResult{}, err
	}
	now := s.clock()
	out, fresh := propose(w, commit, now)
	if !commit {
		return out, nil
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.store.deleteProposed(ctx, tx, meetingID); err != nil {
			return err
		}
		if err := s.claimAll(ctx, tx, fresh); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Action: "interpretation.plan", Resource: "meeting", ID: meetingID, MeetingID: meetingID,
			After: map[string]any{"proposed": len(fresh), "gaps": len(out.Gaps)}})
	})
	if err != nil {
		return PlanResult{}, err
	}
	s.recheckMeetingAndNeighbours(ctx, meetingID)
	return out, nil
}

// propose runs the allocator over a loaded world and returns the answer and the new
// proposed seats (with ids when they are to be stored).
func propose(w world, commit bool, now time.Time) (PlanResult, []Assignment) {
	plan := interp.Allocate(w.input)
	kept := map[seatKey]Assignment{}
	for _, a := range w.mine {
		if a.State == StateOffered || a.State == StateAccepted {
			kept[seatKey{a.SessionID, a.Booth, a.InterpreterID}] = a
		}
	}
	out := PlanResult{MeetingID: w.meeting.ID, Policy: w.input.Policy.Name, Committed: commit,
		Booths: []interp.BoothNeed{}, Assignments: []PlannedAssignment{}, RelayHops: nonNil(plan.RelayHops), Gaps: nonNil(plan.Gaps), Notes: nonNil(plan.Notes)}
	for _, x := range w.input.Sessions {
		out.Booths = append(out.Booths, interp.PlanBooths(x, w.input.Policy)...)
	}
	var fresh []Assignment
	for _, pa := range plan.Assignments {
		k := seatKey{pa.SessionID, string(pa.Booth), pa.InterpreterID}
		row := PlannedAssignment{SessionID: pa.SessionID, Booth: string(pa.Booth), InterpreterID: pa.InterpreterID,
			Interpreter: w.pool[pa.InterpreterID].Name, Role: string(pa.Role), State: StateProposed}
		if a, ok := kept[k]; ok {
			row.ID, row.State, row.Role = a.ID, a.State, a.Role
		} else {
			x := w.sessions[pa.SessionID]
			a := Assignment{MeetingID: w.meeting.ID, SessionID: pa.SessionID, Booth: string(pa.Booth), InterpreterID: pa.InterpreterID,
				Role: string(pa.Role), State: StateProposed, StartUTC: x.StartUTC, EndUTC: x.EndUTC, Live: true, Version: 1, CreatedAt: now, UpdatedAt: now}
			if commit {
				a.ID = newID()
				row.ID = a.ID
			}
			fresh = append(fresh, a)
		}
		out.Assignments = append(out.Assignments, row)
	}
	return out, fresh
}

// claimAll claims each of the new seats of a plan, stopping at the first refusal.
func (s *Service) claimAll(ctx context.Context, tx *sql.Tx, fresh []Assignment) error {
	for _, a := range fresh {
		if err := s.claim(ctx, tx, a); err != nil {
			return err
		}
	}
	return nil
}

// claim inserts an assignment after checking, in the same transaction, that the
// interpreter holds no other active seat overlapping it.
func (s *Service) claim(ctx context.Context, tx *sql.Tx, a Assignment) error {
	clash, err := s.store.clashes(ctx, tx, a.InterpreterID, a.StartUTC, a.EndUTC, a.ID)
	if err != nil {
		return err
	}
	for _, c := range clash {
		if c.SessionID == a.SessionID {
			return problem.New(problem.KindConflict, "already_assigned", "interpreter %s already has a seat in session %s (assignment %s, %s booth)",
				a.InterpreterID, a.SessionID, c.ID, strings.ToUpper(c.Booth))
		}
	}
	if len(clash) > 0 {
		ids := make([]string, len(clash))
		for i, c := range clash {
			ids[i] = c.ID
		}
		return problem.New(problem.KindConflict, "interpreter_double_booked",
			"interpreter %s already works %s-%s UTC (assignment %s); one interpreter cannot be in two booths at once",
			a.InterpreterID, clash[0].StartUTC.Format("2006-01-02 15:04"), clash[0].EndUTC.Format("15:04"), clash[0].ID).
			WithExtra("conflicting_assignments", ids)
	}
	return s.store.insertAssignment(ctx, tx, a)
}

// ---- checker ----

// Check re-validates a meeting's active assignments with the independent checker,
// against the sessions as they are now, and stores the result.
func (s *Service) Check(ctx context.Context, meetingID string) (CheckResult, error) {
	w, err := s.load(ctx, meetingID, scope{assignedOnly: true})
	if err != nil {
		return CheckResult{}, err
	}
	var active []interp.Assignment
	for _, a := range w.mine {
		if Active(a.State) {
			active = append(active, a.pure())
		}
	}
	vs := interp.Check(w.input, active)
	r := CheckResult{MeetingID: meetingID, CheckedAt: s.clock(), Assignments: len(active), OK: len(vs) == 0, Violations: nonNil(vs)}
	prev, had, err := s.store.lastCheck(ctx, s.db, meetingID)
	if err != nil {
		return r, err
	}
	if err := s.store.saveCheck(ctx, s.db, r); err != nil {
		return r, err
	}
	// The agenda shows the verdict: a new verdict is a new agenda revision.
	if !had || prev.Assignments != r.Assignments || !slices.Equal(prev.Violations, r.Violations) {
		if err := s.agenda.TouchAgenda(ctx, meetingID); err != nil {
			return r, err
		}
	}
	return r, nil
}

// LastCheck is the stored result of the latest check, if any.
func (s *Service) LastCheck(ctx context.Context, meetingID string) (CheckResult, bool, error) {
	return s.store.lastCheck(ctx, s.db, meetingID)
}

// recheckInterpreters re-checks every meeting in which one of ids holds a seat; a change
// to one meeting can break another through shared interpreters.
func (s *Service) recheckInterpreters(ctx context.Context, ids []string, also string) {
	meetings := map[string]bool{}
	if also != "" {
		meetings[also] = true
	}
	for _, id := range ids {
		as, err := s.store.queryAssignments(ctx, s.db, `interpreter_id = $1 AND `+activeIn, id)
		if err != nil {
			s.log.Warn("interpretation re-check failed", "interpreter", id, "error", err.Error())
			continue
		}
		for _, a := range as {
			meetings[a.MeetingID] = true
		}
	}
	ms := make([]string, 0, len(meetings))
	for m := range meetings {
		ms = append(ms, m)
	}
	slices.Sort(ms)
	for _, m := range ms {
		if _, err := s.Check(ctx, m); err != nil {
			s.log.Warn("interpretation re-check failed", "meeting", m, "error", err.Error())
		}
	}
}

func (s *Service) recheckMeetingAndNeighbours(ctx context.Context, meetingID string) {
	as, err := s.store.ofMeeting(ctx, s.db, meetingID)
	if err != nil {
		s.log.Warn("interpretation re-check failed", "meeting", meetingID, "error", err.Error())
		return
	}
	var ids []string
	for _, a := range as {
		if Active(a.State) && !slices.Contains(ids, a.InterpreterID) {
			ids = append(ids, a.InterpreterID)
		}
	}
	s.recheckInterpreters(ctx, ids, meetingID)
}

// sessionsChanged follows a committed change to a meeting's sessions: the assignments'
// copies of the session times are refreshed (a reschedule raises the invite sequence of
// offered and accepted seats; a cancellation frees the interpreter's time), then the
// meeting and every meeting sharing its interpreters are re-checked. A reschedule that
// creates a double booking is not refused here: the agenda has committed it, and the
// checker reports it.
func (s *Service) sessionsChanged(ctx context.Context, meetingID string) {
	xs, err := s.agenda.Sessions(ctx, meetingID)
	if err != nil {
		s.log.Warn("interpretation refresh failed", "meeting", meetingID, "error", err.Error())
		return
	}
	byID := map[string]agenda.Session{}
	for _, x := range xs {
		byID[x.ID] = x
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		as, err := s.store.ofMeeting(ctx, tx, meetingID)
		if err != nil {
			return err
		}
		now := s.clock()
		for _, a := range as {
			x, ok := byID[a.SessionID]
			live := ok && x.Status != agenda.StatusCancelled
			if !ok || (x.StartUTC.Equal(a.StartUTC) && x.EndUTC.Equal(a.EndUTC) && live == a.Live) {
				continue
			}
			if !x.StartUTC.Equal(a.StartUTC) || !x.EndUTC.Equal(a.EndUTC) {
				if a.State == StateOffered || a.State == StateAccepted {
					a.Sequence++
				}
			}
			a.StartUTC, a.EndUTC, a.Live = x.StartUTC, x.EndUTC, live
			a.Version++
			a.UpdatedAt = now
			if err := s.store.updateAssignment(ctx, tx, a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.log.Warn("interpretation refresh failed", "meeting", meetingID, "error", err.Error())
	}
	s.recheckMeetingAndNeighbours(ctx, meetingID)
}

// ---- assignments ----

// AssignmentInput is a manual assignment by the secretariat.
type AssignmentInput struct {
	SessionID     string `json:"session_id"`
	Booth         string `json:"booth"`
	InterpreterID string `json:"interpreter_id"`
	Role          string `json:"role"`
}

var roleFlags = []string{string(interp.RoleRetour), string(interp.RoleRelayGiver), string(interp.RoleRelayTaker)}

func validRole(r string) bool {
	if r == string(interp.RoleInterpreter) {
		return true
	}
	for _, p := range strings.Split(r, "+") {
		if !slices.Contains(roleFlags, p) {
			return false
		}
	}
	return r != ""
}

// CreateAssignment places an interpreter in a booth by hand, as proposed. The database
// refuses a second active seat of the interpreter overlapping the session (409); other
// rules are the checker's, whose result is stored right after.
func (s *Service) CreateAssignment(ctx context.Context, in AssignmentInput) (Assignment, error) {
	var errs []problem.FieldError
	if in.SessionID == "" {
		errs = append(errs, problem.FieldError{Field: "session_id", Code: "required", Message: "the session to staff"})
	}
	if in.InterpreterID == "" {
		errs = append(errs, problem.FieldError{Field: "interpreter_id", Code: "required", Message: "the interpreter to assign"})
	}
	if !interp.Lang(in.Booth).Valid() {
		errs = append(errs, problem.FieldError{Field: "booth", Code: "invalid_language", Message: "the booth's output language, an ISO 639-1 code such as fr"})
	}
	if in.Role == "" {
		in.Role = string(interp.RoleInterpreter)
	}
	if !validRole(in.Role) {
		errs = append(errs, problem.FieldError{Field: "role", Code: "invalid_role", Message: "interpreter, or retour, relay_giver and relay_taker joined with +"})
	}
	if len(errs) > 0 {
		return Assignment{}, problem.Unprocessable("validation_failed", "some fields are not valid; see errors", errs...)
	}
	x, err := s.agenda.Session(ctx, in.SessionID)
	if err != nil {
		return Assignment{}, err
	}
	if !auth.ActorFrom(ctx).CanSee(x.MeetingID) {
		return Assignment{}, problem.New(problem.KindForbidden, "meeting_out_of_scope", "this token may not change meeting %s", x.MeetingID)
	}
	if x.Status == agenda.StatusCancelled {
		return Assignment{}, problem.New(problem.KindConflict, "session_cancelled", "session %s is cancelled", x.ID)
	}
	if !slices.Contains(x.Outputs, in.Booth) {
		return Assignment{}, problem.Unprocessable(interp.RuleUnknownBooth, fmt.Sprintf("session %s offers no %s channel", x.ID, strings.ToUpper(in.Booth)),
			problem.FieldError{Field: "booth", Code: interp.RuleUnknownBooth, Message: "one of the session's output languages: " + strings.Join(x.Outputs, ", ")})
	}
	now := s.clock()
	a := Assignment{ID: newID(), MeetingID: x.MeetingID, SessionID: x.ID, Booth: in.Booth, InterpreterID: in.InterpreterID, Role: in.Role,
		State: StateProposed, StartUTC: x.StartUTC, EndUTC: x.EndUTC, Live: true, Version: 1, CreatedAt: now, UpdatedAt: now}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := s.store.interpreter(ctx, tx, in.InterpreterID); err != nil {
			return err
		}
		if err := s.claim(ctx, tx, a); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.Change{Action: "assignment.create", Resource: "assignment", ID: a.ID, MeetingID: a.MeetingID, After: assignmentJSON(a)})
	})
	if err != nil {
		return Assignment{}, err
	}
	s.recheckMeetingAndNeighbours(ctx, a.MeetingID)
	return a, nil
}

// Assignment returns one assignment.
func (s *Service) Assignment(ctx context.Context, id string) (Assignment, error) {
	return s.store.assignment(ctx, s.db, id)
}

// MeetingAssignments lists a meeting's assignments in every state.
func (s *Service) MeetingAssignments(ctx context.Context, meetingID string) ([]Assignment, error) {
	if _, err := s.agenda.Meeting(ctx, meetingID); err != nil {
		return nil, err
	}
	return s.store.ofMeeting(ctx, s.db, meetingID)
}

// TransitionResult is an assignment after a change of state and, after a decline, the
// replacement the allocator proposes for the re-opened seat (or why there is none).
type TransitionResult struct {
	Assignment   Assignment
	Replacements []Assignment
	Gaps         []interp.Gap
}

var eventOf = map[string]string{
	StateOffered:   contracts.AssignmentOffered,
	StateAccepted:  contracts.AssignmentAccepted,
	StateDeclined:  contracts.AssignmentDeclined,
	StateWithdrawn: contracts.AssignmentWithdrawn,
}

// Transition moves an assignment to state `to` (ifMatch < 0: any version) and emits its
// event in the same transaction. A decline re-opens the seat: the allocator then
// proposes a replacement, stored as proposed.
func (s *Service) Transition(ctx context.Context, id string, ifMatch int64, to string) (TransitionResult, error) {
	var res TransitionResult
	cur, err := s.store.assignment(ctx, s.db, id)
	if err != nil {
		return res, err
	}
	if err := checkTransition(id, cur.State, to); err != nil {
		return res, err
	}
	x, err := s.agenda.Session(ctx, cur.SessionID)
	if err != nil {
		return res, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		a, err := s.store.assignment(ctx, tx, id)
		if err != nil {
			return err
		}
		if ifMatch >= 0 && ifMatch != a.Version {
			return problem.New(problem.KindPreconditionFailed, "version_mismatch",
				"the assignment changed since you read it (your version %d, current %d); read it again and retry", ifMatch, a.Version).
				WithExtra("current_version", a.Version)
		}
		if err := checkTransition(id, a.State, to); err != nil {
			return err
		}
		now := s.clock()
		before := assignmentJSON(a)
		a.State = to
		a.Sequence++
		a.Version++
		a.UpdatedAt = now
		if err := s.store.updateAssignment(ctx, tx, a); err != nil {
			return err
		}
		ev, err := s.eventPayload(ctx, tx, a, x)
		if err != nil {
			return err
		}
		res.Assignment = a
		if err := audit.Record(ctx, tx, now, audit.Change{Action: "assignment." + to, Resource: "assignment", ID: a.ID, MeetingID: a.MeetingID,
			Before: before, After: assignmentJSON(a)}); err != nil {
			return err
		}
		return outbox.Emit(ctx, tx, eventOf[to], Source, now, contracts.AssignmentEvent{Assignment: ev})
	})
	if err != nil {
		return res, err
	}
	if to == StateDeclined {
		res.Replacements, res.Gaps, err = s.replace(ctx, res.Assignment)
		if err != nil {
			s.log.Warn("replacement proposal failed", "assignment", id, "error", err.Error())
		}
	}
	s.recheckMeetingAndNeighbours(ctx, res.Assignment.MeetingID)
	return res, nil
}

// replace asks the allocator to fill the seat a decline re-opened, keeping every other
// active seat of the meeting, and stores what it proposes for that booth.
func (s *Service) replace(ctx context.Context, declined Assignment) ([]Assignment, []interp.Gap, error) {
	w, err := s.load(ctx, declined.MeetingID, scope{})
	if err != nil {
		return nil, nil, err
	}
	in := w.input
	in.Kept = nil
	taken := map[seatKey]bool{}
	for _, a := range w.mine {
		if Active(a.State) && a.Live {
			in.Kept = append(in.Kept, a.pure())
			taken[seatKey{a.SessionID, a.Booth, a.InterpreterID}] = true
		}
	}
	plan := interp.Allocate(in)
	x := w.sessions[declined.SessionID]
	now := s.clock()
	var fresh []Assignment
	for _, pa := range plan.Assignments {
		k := seatKey{pa.SessionID, string(pa.Booth), pa.InterpreterID}
		if taken[k] || pa.SessionID != declined.SessionID || string(pa.Booth) != declined.Booth {
			continue
		}
		fresh = append(fresh, Assignment{ID: newID(), MeetingID: declined.MeetingID, SessionID: pa.SessionID, Booth: string(pa.Booth),
			InterpreterID: pa.InterpreterID, Role: string(pa.Role), State: StateProposed, StartUTC: x.StartUTC, EndUTC: x.EndUTC,
			Live: true, Version: 1, CreatedAt: now, UpdatedAt: now})
	}
	var gaps []interp.Gap
	for _, g := range plan.Gaps {
		if g.SessionID == declined.SessionID && string(g.Booth) == declined.Booth {
			gaps = append(gaps, g)
		}
	}
	if len(fresh) == 0 {
		return nil, gaps, nil
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.claimAll(ctx, tx, fresh); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, gaps, err
	}
	return fresh, gaps, nil
}

// eventPayload is what the notifier needs to write to the interpreter: contact, locale
// and zone, the colleagues in the booth, and the session.
func (s *Service) eventPayload(ctx context.Context, q querier, a Assignment, x agenda.Session) (contracts.Assignment, error) {
	it, err := s.store.interpreter(ctx, q, a.InterpreterID)
	if err != nil {
		return contracts.Assignment{}, err
	}
	team := []contracts.TeamMember{}
	mates, err := s.store.ofSession(ctx, q, a.SessionID)
	if err != nil {
		return contracts.Assignment{}, err
	}
	for _, m := range mates {
		if m.Booth != a.Booth || m.ID == a.ID {
			continue
		}
		mate, err := s.store.interpreter(ctx, q, m.InterpreterID)
		if err != nil {
			return contracts.Assignment{}, err
		}
		team = append(team, contracts.TeamMember{Name: mate.Name, Role: m.Role})
	}
	return contracts.Assignment{
		ID: a.ID, MeetingID: a.MeetingID, SessionID: a.SessionID, Booth: a.Booth, Role: a.Role, State: a.State, Sequence: a.Sequence,
		Interpreter: contracts.Interpreter{ID: it.ID, Name: it.Name, Email: it.Email, Locale: it.Locale, TZ: it.TZ},
		Team:        team,
		Session: contracts.Session{ID: x.ID, MeetingID: x.MeetingID, Title: x.Title, StartUTC: x.StartUTC, EndUTC: x.EndUTC, TZ: x.TZ,
			FloorLanguages: nonNil(x.Floor), OutputLanguages: nonNil(x.Outputs), Audience: nonNil(x.Audience), Status: x.Status,
			ScheduleVersion: x.ScheduleVersion, Version: x.Version},
	}, nil
}

// ---- exports ----

// Export renders a session's active team in the shape the platform's API takes.
//
// states narrows the seats exported (e.g. only "accepted" once offers are answered); all
// active seats, proposed, offered and accepted, when none are given.
func (s *Service) Export(ctx context.Context, sessionID, platform string, states ...string) (any, error) {
	if platform != "zoom" && platform != "webex" {
		return nil, problem.Invalid("invalid_platform", "platform must be zoom or webex",
			problem.FieldError{Field: "platform", Code: "invalid_platform", Message: "zoom or webex"})
	}
	for _, st := range states {
		if !Active(st) {
			return nil, problem.Invalid("invalid_states", fmt.Sprintf("states lists %q; it takes proposed, offered and accepted, comma-separated", st),
				problem.FieldError{Field: "states", Code: "invalid_state", Message: "proposed, offered or accepted"})
		}
	}
	x, err := s.agenda.Session(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	as, err := s.store.ofSession(ctx, s.db, sessionID)
	if err != nil {
		return nil, err
	}
	var pure []interp.Assignment
	var pool []interp.Interpreter
	seen := map[string]bool{}
	for _, a := range as {
		if len(states) > 0 && !slices.Contains(states, a.State) {
			continue
		}
		pure = append(pure, a.pure())
		if seen[a.InterpreterID] {
			continue
		}
		seen[a.InterpreterID] = true
		it, err := s.store.interpreter(ctx, s.db, a.InterpreterID)
		if err != nil {
			return nil, err
		}
		pool = append(pool, it.Interpreter)
	}
	if platform == "zoom" {
		zs, err := interp.ZoomInterpreters(pureSession(x), pure, pool)
		if err != nil {
			return nil, err
		}
		return ZoomExport{Settings: ZoomSettings{LanguageInterpretation: ZoomInterpretation{Enable: true, Interpreters: nonNil(zs)}}}, nil
	}
	ws, err := interp.WebexInterpreters(pureSession(x), pure, pool)
	if err != nil {
		return nil, err
	}
	return WebexExport{SimultaneousInterpretation: WebexInterpretation{Enabled: true, Interpreters: nonNil(ws)}}, nil
}

// ZoomExport is the part of a Zoom meeting update (PATCH /meetings/{id}) that sets the
// interpreters.
type ZoomExport struct {
	Settings ZoomSettings `json:"settings"`
}

// ZoomSettings holds Zoom's language_interpretation setting.
type ZoomSettings struct {
	LanguageInterpretation ZoomInterpretation `json:"language_interpretation"`
}

// ZoomInterpretation is Zoom's language interpretation setting.
type ZoomInterpretation struct {
	Enable       bool                     `json:"enable"`
	Interpreters []interp.ZoomInterpreter `json:"interpreters"`
}

// WebexExport is the part of a Webex meeting (PUT /meetings/{id}) that sets the
// simultaneous interpretation.
type WebexExport struct {
	SimultaneousInterpretation WebexInterpretation `json:"simultaneousInterpretation"`
}

// WebexInterpretation is Webex's simultaneous interpretation setting.
type WebexInterpretation struct {
	Enabled      bool                      `json:"enabled"`
	Interpreters []interp.WebexInterpreter `json:"interpreters"`
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
