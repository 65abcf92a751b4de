package interpretation

import (
	"context"
	"database/sql"
	"slices"

	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/agenda"
)

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
