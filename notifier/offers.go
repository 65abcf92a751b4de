package notifier

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/plenary/plenary/notifier/render"
)

// Offer reminders: an interpreter who has not answered an offer is reminded before its
// answer deadline, by the meeting's rules of audience Offers (the notifier's defaults: 24
// hours before). They are planned when the offer's event arrives, with the deadline it
// carries, and cancelled by the next event of the assignment (accepted, declined,
// withdrawn, expired), by the session's cancellation, or by a change of the rules.

// reconcileOffer makes the planned offer reminders of an assignment what the rules say
// now: none unless it is offered with a deadline still ahead.
func (n *Notifier) reconcileOffer(ctx context.Context, tx *sql.Tx, a assignment, now time.Time) error {
	want := map[string]Delivery{}
	if a.State == "offered" && !a.Deadline.IsZero() && a.Email != "" {
		m, _, err := n.store.meeting(ctx, tx, a.MeetingID)
		if err != nil {
			return err
		}
		x, ok, err := n.store.session(ctx, tx, a.SessionID)
		if err != nil {
			return err
		}
		if !m.Deleted && ok && !x.cancelled() {
			rules, err := n.store.rules(ctx, tx, a.MeetingID, n.cfg.Rules)
			if err != nil {
				return err
			}
			for _, rule := range rules {
				due := a.Deadline.Add(-rule.Before)
				if rule.Audience != Offers || due.Before(now.Add(-n.cfg.Grace)) {
					continue // a reminder whose moment passed before the offer was made
				}
				key := fmt.Sprintf("offer-reminder|%s|%s|seq%d", a.ID, rule.Name, a.Sequence)
				d := n.newDelivery(render.OfferReminder, key, toAssignment+a.ID, a.MeetingID, a.SessionID, due)
				d.Rule = rule.Name
				d.Payload.Deadline = &a.Deadline
				want[key] = d
			}
		}
	}
	have, err := n.store.deliveries(ctx, tx, `recipient = $1 AND kind = $2 AND state = 'planned'`, toAssignment+a.ID, string(render.OfferReminder))
	if err != nil {
		return err
	}
	return n.replacePlanned(ctx, tx, have, want, now)
}

// reconcileOffersOf re-plans the offer reminders of a meeting's open offers (after a
// change of its rules).
func (n *Notifier) reconcileOffersOf(ctx context.Context, tx *sql.Tx, meetingID string, now time.Time) error {
	as, err := n.store.assignmentsWhere(ctx, tx, `meeting_id = $1 AND state = 'offered'`, meetingID)
	if err != nil {
		return err
	}
	for _, a := range as {
		if err := n.reconcileOffer(ctx, tx, a, now); err != nil {
			return fmt.Errorf("re-plan offer reminders of %s: %w", a.ID, err)
		}
	}
	return nil
}

// offerStillOpen says whether an offer reminder may still go out: the assignment is still
// offered, with the deadline the reminder was planned for, still ahead.
func offerStillOpen(d Delivery, a assignment, now time.Time) bool {
	dl := d.Payload.Deadline
	return a.State == "offered" && dl != nil && a.Deadline.Equal(*dl) && now.Before(*dl)
}

// isReminder says whether a kind is a reminder: missed, not sent late, once its moment
// has passed by more than the grace period (notices have the longer NoticeGrace).
func isReminder(k render.Kind) bool { return k == render.Reminder || k == render.OfferReminder }
