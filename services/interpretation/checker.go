package interpretation

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/platform/db"
)

// Check re-validates a meeting's active assignments with the independent checker,
// against the sessions as they are now, and stores the result.
//
// Checks of one meeting may run at once (the session-event consumer, a write's re-check,
// GET .../check, other replicas). A stored verdict is never replaced by one computed for
// an older agenda revision, and a check that raised the revision while something else
// raised it too judges again (at most three times), so the stored verdict catches up with
// the agenda instead of staying one revision behind.
func (s *Service) Check(ctx context.Context, meetingID string) (CheckResult, error) {
	for attempt := 1; ; attempt++ {
		r, again, err := s.checkOnce(ctx, meetingID)
		if err != nil || !again || attempt == 3 {
			return r, err
		}
	}
}

// checkOnce runs one check; again says the agenda moved under it while its new verdict
// was being shown, so the verdict may not be that of the current revision.
func (s *Service) checkOnce(ctx context.Context, meetingID string) (r CheckResult, again bool, err error) {
	// The revision is read before the sessions: the verdict judges that revision or a
	// later one, never an earlier one.
	rev, err := s.agenda.AgendaRevision(ctx, meetingID)
	if err != nil {
		return CheckResult{}, false, err
	}
	w, err := s.load(ctx, meetingID, scope{assignedOnly: true})
	if err != nil {
		return CheckResult{}, false, err
	}
	var active []interp.Assignment
	for _, a := range w.mine {
		if Active(a.State) {
			active = append(active, a.pure())
		}
	}
	vs := interp.Check(w.input, active)
	r = CheckResult{MeetingID: meetingID, CheckedAt: s.clock(), Assignments: len(active), OK: len(vs) == 0, Violations: nonNil(vs), Revision: rev,
		Routes: nonNil(interp.InferRoutes(w.input, active))}
	for i := range r.Routes {
		r.Routes[i].Direct = nonNil(r.Routes[i].Direct) // [] when nobody has it first-hand
	}
	prev, had, err := s.store.lastCheck(ctx, s.db, meetingID)
	if err != nil {
		return r, false, err
	}
	// The agenda shows the verdict: a new verdict is a new agenda revision, raised in one
	// transaction with the verdict stored for it, so that an agenda rendered for the new
	// revision (and cached under it) reads that verdict, never the one it replaces nor the
	// same one tagged with the revision before. The verdict the agenda shows has changed
	// too when only its revision moves (the same problems found for a later agenda): an
	// agenda cached for that revision still shows the older one, so the revision is raised
	// for it as for new problems.
	changed := !had || prev.Revision < rev || prev.Assignments != r.Assignments ||
		!sameViolations(prev.Violations, r.Violations) || !sameRoutes(prev.Routes, r.Routes)
	if !changed {
		return r, false, s.store.saveCheck(ctx, s.db, r)
	}
	raised, err := s.agenda.RaiseAgendaFrom(ctx, meetingID, rev, func(q db.Querier, now int64) error {
		shown := r
		shown.Revision = now
		return s.store.saveCheck(ctx, q, shown)
	})
	if err != nil {
		return r, false, err
	}
	if raised {
		r.Revision = rev + 1
		return r, false, nil
	}
	// The agenda moved under the check: its verdict is kept for the revision it judged
	// (never over a newer one) and the meeting is judged again for the current revision.
	return r, true, s.store.saveCheck(ctx, s.db, r)
}

// sameRoutes: the agenda shows the routes, so a change of route is a new verdict.
func sameRoutes(a, b []interp.Route) bool {
	return slices.EqualFunc(a, b, func(x, y interp.Route) bool {
		return x.SessionID == y.SessionID && x.Booth == y.Booth && x.Floor == y.Floor && x.Mode == y.Mode && x.From == y.From &&
			x.Via == y.Via && slices.Equal(x.Direct, y.Direct) && slices.Equal(x.Givers, y.Givers)
	})
}

// sameViolations compares two verdicts as they are stored (JSON), so that a verdict read
// back equals the one computed.
func sameViolations(x, y []interp.Violation) bool {
	a, err1 := json.Marshal(x)
	b, err2 := json.Marshal(y)
	return err1 == nil && err2 == nil && bytes.Equal(a, b)
}

// LastCheck is the stored result of the latest check, if any.
func (s *Service) LastCheck(ctx context.Context, meetingID string) (CheckResult, bool, error) {
	return s.store.lastCheck(ctx, s.db, meetingID)
}

// recheckInterpreters re-checks every meeting in which one of ids holds a seat; a change
// to one meeting can break another through shared interpreters.
func (s *Service) recheckInterpreters(ctx context.Context, ids []string, also string) error {
	meetings := map[string]bool{}
	if also != "" {
		meetings[also] = true
	}
	for _, id := range ids {
		as, err := s.store.queryAssignments(ctx, s.db, `interpreter_id = $1 AND `+activeIn, id)
		if err != nil {
			return fmt.Errorf("re-check the meetings of interpreter %s: %w", id, err)
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
			return fmt.Errorf("re-check meeting %s: %w", m, err)
		}
	}
	return nil
}

// recheckAfter re-checks a meeting and its neighbours after one of this service's own
// writes; the write has committed, so a failure is logged (the next change, or GET
// .../interpretation/check, judges again).
func (s *Service) recheckAfter(ctx context.Context, meetingID string) {
	as, err := s.store.ofMeeting(ctx, s.db, meetingID)
	if err == nil {
		err = s.recheckMeetingAndNeighbours(ctx, meetingID, as)
	}
	if err != nil {
		s.log.Warn("interpretation re-check failed", "meeting", meetingID, "error", err.Error())
	}
}

func (s *Service) recheckMeetingAndNeighbours(ctx context.Context, meetingID string, as []Assignment) error {
	var ids []string
	for _, a := range as {
		if Active(a.State) && !slices.Contains(ids, a.InterpreterID) {
			ids = append(ids, a.InterpreterID)
		}
	}
	return s.recheckInterpreters(ctx, ids, meetingID)
}

// Resync follows a committed change to a meeting's sessions (the re-check consumer calls
// it for session.* events): the assignments' copies of the session times are refreshed
// (a reschedule raises the sequence of offered and accepted seats; a cancellation
// frees the interpreter's time), then the meeting and every meeting sharing its
// interpreters are re-checked. A reschedule that creates a double booking is not refused
// here: the agenda has committed it, and the checker reports it. Resync reads everything
// afresh, so running it twice, or late, gives the same result.
func (s *Service) Resync(ctx context.Context, meetingID string) error {
	xs, err := s.agenda.Sessions(ctx, meetingID)
	if err != nil {
		return err
	}
	byID := map[string]agenda.Session{}
	for _, x := range xs {
		byID[x.ID] = x
	}
	var as []Assignment
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if as, err = s.store.ofMeeting(ctx, tx, meetingID); err != nil {
			return err
		}
		now := s.clock()
		for i, a := range as {
			x, ok := byID[a.SessionID]
			live := ok && x.Status != agenda.StatusCancelled
			if !ok || (x.StartUTC.Equal(a.StartUTC) && x.EndUTC.Equal(a.EndUTC) && live == a.Live) {
				continue
			}
			// The assignment's revision rises with a move of an offered or accepted seat;
			// telling the interpreter, and numbering the invite's SEQUENCE, is the
			// notifier's (it reads session.rescheduled).
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
			as[i] = a
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("refresh the assignments of meeting %s: %w", meetingID, err)
	}
	return s.recheckMeetingAndNeighbours(ctx, meetingID, as)
}
