package interpretation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/scheduler/zone"
	"github.com/plenary/plenary/services/audit"
	"github.com/plenary/plenary/services/platform/problem"
)

// Bounds of one date-range plan. Four weeks of a busy conference centre (the allocator's
// benchmark: a thousand sessions) fit well inside them; a wider range is a request to
// narrow, not a reason to hold the database for minutes.
const (
	maxRangeDays     = 92
	maxRangeSessions = 2000
)

// RangeInput is a date range to plan: from and to are dates ("2026-12-01") or wall
// clocks ("2026-12-01T08:00", with or without an offset) in tz (UTC when empty); to is
// exclusive. Every scheduled session of every meeting starting in the range is planned.
type RangeInput struct {
	From string `json:"from"`
	To   string `json:"to"`
	TZ   string `json:"tz"`
}

// RangePlanResult is the allocator's answer for a date range: one plan per meeting, in
// the order they were planned, and totals.
type RangePlanResult struct {
	From        time.Time    `json:"from"`
	To          time.Time    `json:"to"`
	Committed   bool         `json:"committed"`
	Sessions    int          `json:"sessions"`
	Assignments int          `json:"assignments"`
	Gaps        int          `json:"gaps"`
	Meetings    []PlanResult `json:"meetings"`
}

// rangeBound reads one end of a range.
func rangeBound(field, in string, z zone.Zone) (time.Time, error) {
	bad := func(err error) error {
		return problem.Unprocessable("invalid_range", fmt.Sprintf("%s: %v", field, err),
			problem.FieldError{Field: field, Code: "invalid_date", Message: "a date (2026-12-01) or a date and time (2026-12-01T08:00)"})
	}
	if in == "" {
		return time.Time{}, problem.Unprocessable("invalid_range", field+" is required",
			problem.FieldError{Field: field, Code: "required", Message: "a date (2026-12-01) or a date and time (2026-12-01T08:00)"})
	}
	if len(in) == len("2006-01-02") {
		d, err := zone.ParseDate(in)
		if err != nil {
			return time.Time{}, bad(err)
		}
		in = d.Format("2006-01-02") + "T00:00"
	}
	w, err := zone.ParseWallClock(in)
	if err != nil {
		return time.Time{}, bad(err)
	}
	// An explicit offset names the instant whatever the zone.
	if w.HasOffset {
		return time.Date(w.Year, w.Month, w.Day, w.Hour, w.Minute, w.Second, 0, time.FixedZone("", w.Offset)).UTC(), nil
	}
	r, err := zone.Resolve(w, z, zone.FoldEarlier)
	var ze *zone.Error
	if errors.As(err, &ze) && ze.Code == zone.CodeNonexistentLocalTime {
		// A time the clocks skip (some zones change at midnight, so a date can start in
		// a gap) bounds the range at the first instant that exists after it: the jump.
		// time.Date puts a skipped time on one side of the jump or the other; the jump
		// is the nearer bound of the offset period it landed in.
		t := time.Date(w.Year, w.Month, w.Day, w.Hour, w.Minute, w.Second, 0, z.Location)
		start, end := t.ZoneBounds()
		if !end.IsZero() && (start.IsZero() || end.Sub(t) < t.Sub(start)) {
			return end.UTC(), nil
		}
		return start.UTC(), nil
	}
	if err != nil {
		return time.Time{}, bad(err)
	}
	return r.Instant, nil
}

// ParseRange checks a range input and returns its instants.
func ParseRange(in RangeInput) (from, to time.Time, err error) {
	tz := in.TZ
	if tz == "" {
		tz = "UTC"
	}
	z, err := zone.Parse(tz)
	if err != nil {
		return from, to, err
	}
	if from, err = rangeBound("from", in.From, z); err != nil {
		return from, to, err
	}
	if to, err = rangeBound("to", in.To, z); err != nil {
		return from, to, err
	}
	if !to.After(from) {
		return from, to, problem.Unprocessable("invalid_range", "to must be after from (to is exclusive)",
			problem.FieldError{Field: "to", Code: "before_from", Message: "after from"})
	}
	if to.Sub(from) > maxRangeDays*24*time.Hour {
		return from, to, problem.Unprocessable("range_too_large", fmt.Sprintf("a range plan covers at most %d days; plan it in parts", maxRangeDays),
			problem.FieldError{Field: "to", Code: "range_too_large", Message: fmt.Sprintf("at most %d days after from", maxRangeDays)})
	}
	return from, to, nil
}

// PlanRange runs the allocator over every scheduled session of every meeting that starts
// in [from, to). Meetings are planned one after another, in the order of their first
// session in the range (ties by that session's id), each under its own policy; each sees the seats the
// earlier ones were given, so nobody is booked twice across meetings. Seats of sessions
// outside the range stay as they are and bind their interpreters. With commit, the
// proposals replace the proposed seats of the sessions in the range, all in one
// transaction: either the whole range is stored or none of it.
func (s *Service) PlanRange(ctx context.Context, from, to time.Time, commit bool) (RangePlanResult, error) {
	out := RangePlanResult{From: from.UTC(), To: to.UTC(), Committed: commit, Meetings: []PlanResult{}}
	xs, err := s.agenda.SessionsStarting(ctx, from, to, maxRangeSessions+1)
	if err != nil {
		return out, err
	}
	if len(xs) > maxRangeSessions {
		return out, problem.Unprocessable("range_too_large", fmt.Sprintf("more than %d sessions start in this range; plan it in parts", maxRangeSessions))
	}
	out.Sessions = len(xs)
	sc := scope{replanned: map[string]bool{}}
	inRange := map[string]map[string]bool{}
	var order []string // meetings by their first session in the range (xs is in time order)
	for _, x := range xs {
		sc.replanned[x.ID] = true
		if inRange[x.MeetingID] == nil {
			inRange[x.MeetingID] = map[string]bool{}
			order = append(order, x.MeetingID)
		}
		inRange[x.MeetingID][x.ID] = true
	}
	if sc.pool, err = s.store.interpreters(ctx, s.db, "", 0); err != nil {
		return out, err
	}
	now := s.clock()
	var fresh []Assignment
	var proposedIn []int // new seats of each meeting, in order
	for _, m := range order {
		sc.sessions = inRange[m]
		w, err := s.load(ctx, m, sc)
		if err != nil {
			return out, err
		}
		res, proposed := propose(w, commit, now)
		out.Meetings = append(out.Meetings, res)
		proposedIn = append(proposedIn, len(proposed))
		out.Assignments += len(res.Assignments)
		out.Gaps += len(res.Gaps)
		fresh = append(fresh, proposed...)
		for i, a := range proposed {
			ref := a.ID
			if ref == "" {
				ref = fmt.Sprintf("proposed in this plan (%s, %d)", m, i)
			}
			sc.earlier = append(sc.earlier, interp.Commitment{InterpreterID: a.InterpreterID, Start: a.StartUTC, End: a.EndUTC, Ref: ref})
		}
	}
	if !commit || len(xs) == 0 {
		return out, nil
	}
	sessionIDs := make([]string, 0, len(xs))
	for _, x := range xs {
		sessionIDs = append(sessionIDs, x.ID)
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.store.deleteProposedOf(ctx, tx, sessionIDs); err != nil {
			return err
		}
		if err := s.claimAll(ctx, tx, fresh); err != nil {
			return err
		}
		for i, m := range order {
			err := audit.Record(ctx, tx, now, audit.Change{Action: "interpretation.plan", Resource: "meeting", ID: m, MeetingID: m,
				After: map[string]any{"proposed": proposedIn[i], "gaps": len(out.Meetings[i].Gaps), "from": out.From, "to": out.To}})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return RangePlanResult{}, err
	}
	for _, m := range order {
		s.recheckAfter(ctx, m)
	}
	return out, nil
}
