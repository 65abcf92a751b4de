package interpretation

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/platform/db"
	"github.com/plenary/plenary/services/platform/httpx"
	"github.com/plenary/plenary/services/platform/problem"
)

// OfferTerms are how long an interpreter has to answer an offer, and how long before the
// session every answer must be in, so that a seat left open by a decline or silence can
// still be offered to someone else.
type OfferTerms struct {
	AnswerWithin time.Duration
	MinNotice    time.Duration
}

// termsOf are the offer terms of a staffing policy (scheduler/interp: the policy's data,
// with its defaults filled in).
func termsOf(p interp.Policy) OfferTerms {
	t := p.OfferTerms()
	return OfferTerms{AnswerWithin: t.AnswerWithin(), MinNotice: t.MinNotice()}
}

// offerTerms are the terms of a meeting's policy (named aiic or un); an unknown name is
// staffed under AIIC, as the plans are.
func offerTerms(policy string) OfferTerms { return termsOf(meetingPolicy(policy)) }

// meetingPolicy is the staffing policy a meeting names; AIIC when it names none known.
func meetingPolicy(name string) interp.Policy {
	if p, ok := interp.PolicyByName(name); ok {
		return p
	}
	return interp.AIIC()
}

// DeadlineFor is the answer deadline of an offer made at now for a session starting at
// start: the requested one if given (refused when past, or later than the minimum notice
// allows), else now + AnswerWithin, never later than start - MinNotice. When the session
// is nearer than the minimum notice, the interpreter gets half the time left, at most
// AnswerWithin.
func (t OfferTerms) DeadlineFor(now, start time.Time, requested *time.Time) (time.Time, error) {
	latest := start.Add(-t.MinNotice)
	if requested != nil {
		d := requested.UTC()
		switch {
		case !d.After(now):
			return time.Time{}, problem.Unprocessable("deadline_past", fmt.Sprintf("the deadline %s has passed", d.Format(time.RFC3339)),
				problem.FieldError{Field: "deadline", Code: "deadline_past", Message: "a deadline after now"})
		case d.After(latest) && d.After(now.Add(min(t.AnswerWithin, start.Sub(now)/2))):
			return time.Time{}, problem.Unprocessable("deadline_too_late",
				fmt.Sprintf("answers must be in %s before the session; the latest deadline is %s", t.MinNotice, latest.Format(time.RFC3339)),
				problem.FieldError{Field: "deadline", Code: "deadline_too_late", Message: "at most " + latest.Format(time.RFC3339)}).
				WithExtra("latest_deadline", latest.Format(time.RFC3339))
		}
		return d, nil
	}
	d := now.Add(t.AnswerWithin)
	if d.After(latest) {
		d = latest
	}
	if !d.After(now) {
		d = now.Add(min(t.AnswerWithin, start.Sub(now)/2))
	}
	return d.Truncate(time.Second), nil
}

// OfferInput is a request to offer the proposed seats of a meeting.
type OfferInput struct {
	// Sessions limits the offers to these sessions of the meeting; all when empty.
	Sessions []string `json:"sessions"`
	// Deadline is the answer deadline of every offer; by default from the policy.
	Deadline *time.Time `json:"deadline"`
	// AutoEscalate, when set, becomes the meeting's setting: the next candidate of a
	// declined or expired offer is offered at once (true) or only proposed (false).
	AutoEscalate *bool `json:"auto_escalate"`
}

// OfferResult is what an offer request did.
type OfferResult struct {
	Offered []OfferedSeat
	// AlreadyOffered counts the seats that were offered before (offering twice offers
	// nothing twice).
	AlreadyOffered int
	AutoEscalate   bool
}

// OfferedSeat is an assignment now offered, with its deadline.
type OfferedSeat struct {
	Assignment Assignment
	Deadline   time.Time
}

// Offer offers every proposed seat of the meeting (or of the named sessions) whose
// session is still ahead, each with its deadline, in one transaction: one
// assignment.offered event per seat, as a PATCH to offered emits it. Seats already offered
// are counted, not offered again.
func (s *Service) Offer(ctx context.Context, meetingID string, in OfferInput) (OfferResult, error) {
	var res OfferResult
	m, err := s.agenda.Meeting(ctx, meetingID)
	if err != nil {
		return res, err
	}
	xs, err := s.agenda.Sessions(ctx, meetingID)
	if err != nil {
		return res, err
	}
	sessions := map[string]agenda.Session{}
	for _, x := range xs {
		sessions[x.ID] = x
	}
	for i, id := range in.Sessions {
		if _, ok := sessions[id]; !ok {
			return res, problem.Unprocessable("unknown_session", fmt.Sprintf("%s is not a session of meeting %s", id, meetingID),
				problem.FieldError{Field: fmt.Sprintf("sessions/%d", i), Code: "unknown_session", Message: "not a session of this meeting"})
		}
	}
	all, err := s.store.ofMeeting(ctx, s.db, meetingID)
	if err != nil {
		return res, err
	}
	now := s.clock()
	terms := offerTerms(m.InterpretationPolicy)
	type seat struct {
		a        Assignment
		x        agenda.Session
		deadline time.Time
	}
	var seats []seat
	for _, a := range all {
		x, ok := sessions[a.SessionID]
		if !ok || (len(in.Sessions) > 0 && !slices.Contains(in.Sessions, a.SessionID)) {
			continue
		}
		if a.State == StateOffered {
			res.AlreadyOffered++
		}
		if a.State != StateProposed || !a.Live || x.Status == agenda.StatusCancelled || !x.StartUTC.After(now) {
			continue
		}
		d, err := terms.DeadlineFor(now, x.StartUTC, in.Deadline)
		if err != nil {
			return res, err
		}
		seats = append(seats, seat{a, x, d})
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res.Offered = res.Offered[:0]
		if in.AutoEscalate != nil {
			if err := s.setAutoEscalate(ctx, tx, meetingID, *in.AutoEscalate, now); err != nil {
				return err
			}
		}
		for _, st := range seats {
			a, err := s.offerTx(ctx, tx, st.a, st.x, st.deadline)
			if err != nil {
				return err
			}
			res.Offered = append(res.Offered, OfferedSeat{Assignment: a, Deadline: st.deadline})
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	if res.AutoEscalate, err = s.autoEscalate(ctx, s.db, meetingID); err != nil {
		return res, err
	}
	if len(res.Offered) > 0 {
		s.recheckAfter(ctx, meetingID)
	}
	return res, nil
}

// offerTx offers one proposed seat inside tx, with its deadline; a seat changed since it
// was read is a conflict.
func (s *Service) offerTx(ctx context.Context, tx *sql.Tx, a Assignment, x agenda.Session, deadline time.Time) (Assignment, error) {
	out, err := s.assignmentResource(x, StateOffered, &deadline).Update(ctx, tx, a.ID, a.Version, func(cur *Assignment) error {
		if err := checkTransition(cur.ID, cur.State, StateOffered); err != nil {
			return err
		}
		cur.State = StateOffered
		cur.Sequence++
		cur.UpdatedAt = s.clock()
		return nil
	})
	if pe := problem.From(err); err != nil && pe.Code == "version_mismatch" {
		return a, problem.New(problem.KindConflict, "assignment_changed", "assignment %s changed while it was being offered; offer again", a.ID)
	}
	if err != nil {
		return a, err
	}
	return out, s.saveDeadline(ctx, tx, out, deadline)
}

// saveDeadline records the answer deadline of an offer.
func (s *Service) saveDeadline(ctx context.Context, tx *sql.Tx, a Assignment, deadline time.Time) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO offer_deadlines (assignment_id, meeting_id, deadline, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (assignment_id) DO UPDATE SET deadline = excluded.deadline`, a.ID, a.MeetingID, deadline.UTC(), s.clock()); err != nil {
		return fmt.Errorf("store offer deadline: %w", err)
	}
	return nil
}

func (s *Service) setAutoEscalate(ctx context.Context, q querier, meetingID string, on bool, now time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO offer_settings (meeting_id, auto_escalate, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (meeting_id) DO UPDATE SET auto_escalate = excluded.auto_escalate, updated_at = excluded.updated_at`, meetingID, on, now)
	if err != nil {
		return fmt.Errorf("store offer settings of %s: %w", meetingID, err)
	}
	return nil
}

// autoEscalate is the meeting's setting; off until the secretariat turns it on.
func (s *Service) autoEscalate(ctx context.Context, q querier, meetingID string) (bool, error) {
	var on bool
	err := q.QueryRowContext(ctx, `SELECT auto_escalate FROM offer_settings WHERE meeting_id = $1`, meetingID).Scan(&on)
	if db.NotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read offer settings of %s: %w", meetingID, err)
	}
	return on, nil
}

// Deadlines are the answer deadlines of a meeting's offers, by assignment id.
func (s *Service) Deadlines(ctx context.Context, meetingID string) (map[string]time.Time, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT assignment_id, deadline FROM offer_deadlines WHERE meeting_id = $1`, meetingID)
	if err != nil {
		return nil, fmt.Errorf("read offer deadlines of %s: %w", meetingID, err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var id string
		var d time.Time
		if err := rows.Scan(&id, &d); err != nil {
			return nil, fmt.Errorf("read offer deadlines of %s: %w", meetingID, err)
		}
		out[id] = d.UTC()
	}
	return out, rows.Err()
}

// escalate fills the seat a decline or an expiry re-opened: the allocator proposes the
// next candidate and, when the meeting auto-escalates, the proposal is offered at once
// with a fresh deadline.
func (s *Service) escalate(ctx context.Context, open Assignment) ([]Assignment, []interp.Gap, error) {
	fresh, gaps, err := s.replace(ctx, open)
	if err != nil || len(fresh) == 0 {
		return fresh, gaps, err
	}
	on, err := s.autoEscalate(ctx, s.db, open.MeetingID)
	if err != nil || !on {
		return fresh, gaps, err
	}
	m, err := s.agenda.Meeting(ctx, open.MeetingID)
	if err != nil {
		return fresh, gaps, err
	}
	x, err := s.agenda.Session(ctx, open.SessionID)
	if err != nil {
		return fresh, gaps, err
	}
	now := s.clock()
	d, err := offerTerms(m.InterpretationPolicy).DeadlineFor(now, x.StartUTC, nil)
	if err != nil || !x.StartUTC.After(now) {
		return fresh, gaps, err
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for i, a := range fresh {
			offered, err := s.offerTx(ctx, tx, a, x, d)
			if err != nil {
				return err
			}
			fresh[i] = offered
		}
		return nil
	})
	return fresh, gaps, err
}

// ExpireOffers expires every offer whose deadline has passed, each in its own
// transaction with its assignment.expired event, and escalates its seat. It returns how
// many expired. The API process runs it every minute; a missed minute only delays it.
func (s *Service) ExpireOffers(ctx context.Context) (int, error) {
	now := s.clock()
	rows, err := s.db.QueryContext(ctx, `SELECT a.id FROM offer_deadlines d JOIN assignments a ON a.id = d.assignment_id
		WHERE a.state = $1 AND d.deadline <= $2 ORDER BY d.deadline, a.id LIMIT 500`, StateOffered, now)
	if err != nil {
		return 0, fmt.Errorf("find expired offers: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("find expired offers: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Close(); err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		res, err := s.Transition(ctx, id, -1, StateExpired)
		if pe := problem.From(err); err != nil && pe.Code == "invalid_transition" {
			continue // answered meanwhile
		}
		if err != nil {
			return n, fmt.Errorf("expire offer %s: %w", id, err)
		}
		_ = res
		n++
	}
	return n, nil
}

// OfferedJSON is an offered seat in the API: the assignment and its answer deadline.
type OfferedJSON struct {
	AssignmentJSON
	Deadline time.Time `json:"deadline"`
}

// OffersJSON is the answer of POST /v1/meetings/{id}/interpretation/offers.
type OffersJSON struct {
	Offered        []OfferedJSON `json:"offered"`
	AlreadyOffered int           `json:"already_offered"`
	AutoEscalate   bool          `json:"auto_escalate"`
}

func (h *Handlers) offer(c *gin.Context) {
	var in OfferInput
	if c.Request.ContentLength != 0 {
		if err := httpx.Bind(c, &in); err != nil {
			httpx.Fail(c, err)
			return
		}
	}
	res, err := h.svc.Offer(c, c.Param("id"), in)
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	names, err := h.svc.interpreterNames(c, res.assignments())
	if err != nil {
		httpx.Fail(c, err)
		return
	}
	out := OffersJSON{Offered: []OfferedJSON{}, AlreadyOffered: res.AlreadyOffered, AutoEscalate: res.AutoEscalate}
	for _, o := range res.Offered {
		j := assignmentJSON(o.Assignment)
		j.InterpreterName = names[o.Assignment.InterpreterID]
		out.Offered = append(out.Offered, OfferedJSON{AssignmentJSON: j, Deadline: o.Deadline})
	}
	httpx.JSON(c, http.StatusOK, out)
}

func (r OfferResult) assignments() []Assignment {
	out := make([]Assignment, len(r.Offered))
	for i, o := range r.Offered {
		out[i] = o.Assignment
	}
	return out
}

// interpreterNames are the names of the interpreters of some assignments, by id: an
// assignment list a secretariat reads names people, not ids.
func (s *Service) interpreterNames(ctx context.Context, as []Assignment) (map[string]string, error) {
	ids := make([]string, 0, len(as))
	for _, a := range as {
		ids = append(ids, a.InterpreterID)
	}
	slices.Sort(ids)
	its, err := s.store.interpretersIn(ctx, s.db, slices.Compact(ids))
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(its))
	for _, it := range its {
		out[it.ID] = it.Name
	}
	return out, nil
}
