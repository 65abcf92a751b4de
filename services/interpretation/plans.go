package interpretation

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/audit"
	"github.com/plenary/plenary/services/platform/problem"
)

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
	for _, c := range x.StaffedChannels {
		sc := interp.StaffedChannel{Lang: interp.Lang(c.Language), StaffedBy: c.StaffedBy}
		for _, it := range c.Interpreters {
			sc.Interpreters = append(sc.Interpreters, interp.ChannelInterpreter{Name: it.Name, Email: it.Email})
		}
		ps.StaffedChannels = append(ps.StaffedChannels, sc)
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
// It is long because it is one snapshot, read in one order (sessions, seats, then only
// the interpreters those name when sc says so); split up, the reads would drift apart.
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
	w.input.Policy = meetingPolicy(m.InterpretationPolicy)
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
		case StateDeclined, StateExpired:
			// An offer left unanswered counts as a decline: escalating to the same
			// person again would only wait out another deadline.
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
	// Routes: how each floor language reaches each staffed booth (direct, or relay from
	// which pivot, into which language, given by whom).
	Routes []interp.Route `json:"routes"`
	// Teams: which rule of the policy sized each booth.
	Teams []interp.TeamNote `json:"teams"`
	// PassedOver: interpreters who would have been preferred but for a hard rule.
	PassedOver []interp.PassedOver `json:"passed_over"`
	Gaps       []interp.Gap        `json:"gaps"`
	Notes      []interp.Text       `json:"notes"`
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
	s.recheckAfter(ctx, meetingID)
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
		Booths: []interp.BoothNeed{}, Assignments: []PlannedAssignment{}, RelayHops: nonNil(plan.RelayHops), Routes: nonNil(plan.Routes), Teams: nonNil(plan.Teams), PassedOver: nonNil(plan.PassedOver),
		Gaps: nonNil(plan.Gaps), Notes: nonNil(plan.Notes)}
	for _, x := range w.input.Sessions {
		// The language plan: the organiser's booths and the channels others staff.
		out.Booths = append(out.Booths, interp.PlanChannels(x, w.input.Policy)...)
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
