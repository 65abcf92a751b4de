package interpretation

import (
	"context"
	"database/sql"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/audit"
	"github.com/plenary/plenary/services/platform/versioned"
)

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
	StateExpired:   contracts.AssignmentExpired,
}

// Transition moves an assignment to state `to` (ifMatch < 0: any version) and emits its
// event in the same transaction. A decline or an expiry re-opens the seat: the allocator
// then proposes a replacement, stored as proposed, and offered at once when the meeting
// auto-escalates.
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
	var deadline time.Time
	if to == StateOffered {
		// An offer made one by one has the answer deadline of the policy, like the offers
		// of POST .../interpretation/offers.
		m, err := s.agenda.Meeting(ctx, cur.MeetingID)
		if err != nil {
			return res, err
		}
		if deadline, err = offerTerms(m.InterpretationPolicy).DeadlineFor(s.clock(), x.StartUTC, nil); err != nil {
			return res, err
		}
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		var dl *time.Time
		if to == StateOffered {
			dl = &deadline
		}
		res.Assignment, err = s.assignmentResource(x, to, dl).Update(ctx, tx, id, ifMatch, func(a *Assignment) error {
			if err := checkTransition(id, a.State, to); err != nil {
				return err
			}
			a.State = to
			a.Sequence++
			a.UpdatedAt = s.clock()
			return nil
		})
		if err == nil && to == StateOffered {
			err = s.saveDeadline(ctx, tx, res.Assignment, deadline)
		}
		return err
	})
	if err != nil {
		return res, err
	}
	if to == StateDeclined || to == StateExpired {
		res.Replacements, res.Gaps, err = s.escalate(ctx, res.Assignment)
		if err != nil {
			s.log.Warn("replacement proposal failed", "assignment", id, "error", err.Error())
		}
	}
	s.recheckAfter(ctx, res.Assignment.MeetingID)
	return res, nil
}

// assignmentResource is a change of an assignment's state to `to`: written, in the
// trail, and its event (assignment.offered, ...) carrying what the notifier needs;
// deadline is the answer deadline an offer's event carries (nil otherwise).
func (s *Service) assignmentResource(x agenda.Session, to string, deadline *time.Time) versioned.Resource[Assignment] {
	return versioned.Resource[Assignment]{
		Name: "assignment",
		Get: func(ctx context.Context, tx *sql.Tx, id string) (Assignment, error) {
			return s.store.assignment(ctx, tx, id)
		},
		Version: func(a *Assignment) *int64 { return &a.Version },
		Put:     func(ctx context.Context, tx *sql.Tx, a Assignment) error { return s.store.updateAssignment(ctx, tx, a) },
		Record: func(ctx context.Context, tx *sql.Tx, before, a Assignment) error {
			ev, err := s.eventPayload(ctx, tx, a, x)
			if err != nil {
				return err
			}
			ev.Deadline = deadline
			return audit.Written(ctx, tx, a.UpdatedAt, audit.Change{Action: "assignment." + to, Resource: "assignment", ID: a.ID, MeetingID: a.MeetingID,
				Before: assignmentJSON(before), After: assignmentJSON(a)}, eventOf[to], Source, contracts.AssignmentEvent{Assignment: ev})
		},
	}
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
		team = append(team, contracts.TeamMember{InterpreterID: mate.ID, Name: mate.Name, Role: m.Role})
	}
	return contracts.Assignment{
		ID: a.ID, MeetingID: a.MeetingID, SessionID: a.SessionID, Booth: a.Booth, Role: a.Role, State: a.State, Sequence: a.Sequence,
		Interpreter: contracts.Interpreter{ID: it.ID, Name: it.Name, Email: it.Email, Locale: it.Locale, TZ: it.TZ},
		Team:        team,
		Session: contracts.Session{ID: x.ID, MeetingID: x.MeetingID, Title: x.Title, StartUTC: x.StartUTC, EndUTC: x.EndUTC, TZ: x.TZ,
			FloorLanguages: nonNil(x.Floor), OutputLanguages: nonNil(x.Outputs), Audience: nonNil(x.Audience), StaffedChannels: staffedContract(x.StaffedChannels), Status: x.Status,
			ScheduleVersion: x.ScheduleVersion, Version: x.Version},
	}, nil
}

// staffedContract is a session's staffed channels as events carry them (lists never null).
func staffedContract(cs []agenda.StaffedChannel) []contracts.StaffedChannel {
	out := make([]contracts.StaffedChannel, len(cs))
	for i, c := range cs {
		out[i] = c
		out[i].Interpreters = nonNil(c.Interpreters)
	}
	return out
}
