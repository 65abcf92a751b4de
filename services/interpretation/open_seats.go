package interpretation

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/scheduler/interp"
	"github.com/plenary/plenary/services/agenda"
	"github.com/plenary/plenary/services/platform/outbox"
)

// The secretariat is told of seats still open a set time before a meeting's first session
// ahead (the meeting's open_seats_notice_hours, else its staffing policy's notice, 72
// hours): one notice per meeting and notice time, listing every booth of the sessions
// ahead that has fewer accepted interpreters than the policy needs, and where its seats
// stand. Nothing is sent when every seat is filled by then. A meeting without a
// secretariat address is not checked until it has one.

// NoticeOpenSeats checks the meetings whose notice time has come and emits
// interpretation.seats_open for those with open seats, each once (open_seat_notices
// records the check, filled or not). It returns how many notices it emitted. The API
// process runs it every minute with ExpireOffers; replicas may all run it.
func (s *Service) NoticeOpenSeats(ctx context.Context) (int, error) {
	now := s.clock()
	// The longest notice there can be: 14 days ahead.
	xs, err := s.agenda.SessionsStarting(ctx, now, now.Add(interp.MaxOfferTermMinutes*time.Minute+time.Minute), 10000)
	if err != nil {
		return 0, fmt.Errorf("find sessions ahead: %w", err)
	}
	first := map[string]time.Time{}
	var meetings []string
	for _, x := range xs {
		if x.Status == agenda.StatusCancelled || !x.StartUTC.After(now) {
			continue
		}
		if t, ok := first[x.MeetingID]; !ok || x.StartUTC.Before(t) {
			if !ok {
				meetings = append(meetings, x.MeetingID)
			}
			first[x.MeetingID] = x.StartUTC
		}
	}
	n := 0
	for _, id := range meetings {
		sent, err := s.noticeOpenSeats(ctx, id, first[id], now)
		if err != nil {
			return n, fmt.Errorf("open seats of meeting %s: %w", id, err)
		}
		if sent {
			n++
		}
	}
	return n, nil
}

// OpenSeatsNotice is how long before its first session ahead a meeting's secretariat is
// told of open seats: the meeting's setting, else its policy's.
func OpenSeatsNotice(m agenda.Meeting) time.Duration {
	if m.OpenSeatsNoticeHours > 0 {
		return time.Duration(m.OpenSeatsNoticeHours) * time.Hour
	}
	return meetingPolicy(m.InterpretationPolicy).OfferTerms().OpenSeatsNotice()
}

func (s *Service) noticeOpenSeats(ctx context.Context, meetingID string, firstStart, now time.Time) (bool, error) {
	m, err := s.agenda.Meeting(ctx, meetingID)
	if err != nil {
		return false, err
	}
	notice := OpenSeatsNotice(m)
	if m.SecretariatEmail == "" || now.Before(firstStart.Add(-notice)) {
		return false, nil
	}
	minutes := int(notice / time.Minute)
	var done int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM open_seat_notices WHERE meeting_id = $1 AND notice_minutes = $2`, meetingID, minutes).Scan(&done); err != nil {
		return false, fmt.Errorf("read open-seat notices: %w", err)
	}
	if done > 0 {
		return false, nil
	}
	seats, err := s.OpenSeats(ctx, m, now)
	if err != nil {
		return false, err
	}
	sent := false
	err = s.tx(ctx, func(tx *sql.Tx) error {
		sent = false
		res, err := tx.ExecContext(ctx, `INSERT INTO open_seat_notices (meeting_id, notice_minutes, first_start, open_seats, checked_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (meeting_id, notice_minutes) DO NOTHING`, meetingID, minutes, firstStart, len(seats), now)
		if err != nil {
			return fmt.Errorf("record open-seat notice: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 0 || len(seats) == 0 {
			return nil // another replica checked it; or nothing is open
		}
		sent = true
		return outbox.Emit(ctx, tx, contracts.InterpretationSeatsOpen, Source, now,
			contracts.SeatsOpenEvent{MeetingID: meetingID, NoticeMinutes: minutes, CheckedAt: now, Seats: seats})
	})
	return sent, err
}

// OpenSeats lists the booths of a meeting's sessions ahead (not cancelled) with fewer
// accepted interpreters than the policy needs, in time and booth order.
func (s *Service) OpenSeats(ctx context.Context, m agenda.Meeting, now time.Time) ([]contracts.OpenSeat, error) {
	xs, err := s.agenda.Sessions(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	as, err := s.store.ofMeeting(ctx, s.db, m.ID)
	if err != nil {
		return nil, err
	}
	deadlines, err := s.Deadlines(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	policy := meetingPolicy(m.InterpretationPolicy)
	slices.SortFunc(xs, func(a, b agenda.Session) int { return a.StartUTC.Compare(b.StartUTC) })
	out := []contracts.OpenSeat{}
	for _, x := range xs {
		if x.Status == agenda.StatusCancelled || !x.StartUTC.After(now) {
			continue
		}
		for _, need := range interp.PlanBooths(pureSession(x), policy) {
			seat := contracts.OpenSeat{SessionID: x.ID, SessionTitle: x.Title, StartUTC: x.StartUTC, EndUTC: x.EndUTC,
				Booth: string(need.Booth), Needed: need.Size}
			for _, a := range as {
				if a.SessionID != x.ID || a.Booth != string(need.Booth) {
					continue
				}
				switch a.State {
				case StateAccepted:
					seat.Accepted++
				case StateOffered:
					seat.Offered++
					if d, ok := deadlines[a.ID]; ok && (seat.NextDeadline == nil || d.Before(*seat.NextDeadline)) {
						seat.NextDeadline = &d
					}
				case StateProposed:
					seat.Proposed++
				case StateDeclined:
					seat.Declined++
				case StateExpired:
					seat.Expired++
				}
			}
			missing := seat.Needed - seat.Accepted
			if missing <= 0 {
				continue
			}
			seat.Offered, seat.Proposed = min(seat.Offered, missing), min(seat.Proposed, max(missing-seat.Offered, 0))
			seat.Unstaffed = missing - seat.Offered - seat.Proposed
			out = append(out, seat)
		}
	}
	return out, nil
}
