package notifier

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/plenary/plenary/contracts"
	"github.com/plenary/plenary/notifier/mail"
	"github.com/plenary/plenary/notifier/render"
)

// The secretariat's notice of seats still open: interpretation decides when it is due and
// what is open (interpretation.seats_open, once per meeting and notice time); the notifier
// sends it to the meeting's secretariat address, in the meeting's language and the
// venue's zone. Its key makes it one email per meeting and notice time, whatever the
// event's deliveries.

func (n *Notifier) applySeatsOpen(ctx context.Context, tx *sql.Tx, ev contracts.Event, at, now time.Time) error {
	var p contracts.SeatsOpenEvent
	if err := decode(ev, &p); err != nil {
		return err
	}
	if len(p.Seats) == 0 {
		return nil
	}
	d := n.newDelivery(render.OpenSeats, fmt.Sprintf("open-seats|%s|%dm", p.MeetingID, p.NoticeMinutes), toSecretariat+p.MeetingID, p.MeetingID, "", at)
	d.Payload.Seats = p.Seats
	return n.store.insert(ctx, tx, d, now)
}

// secretariatInput is the notice for a meeting's secretariat; skipped when the meeting
// is gone or names no address.
func secretariatInput(d Delivery, m meeting, in render.Input, check bool) (render.Input, mail.Address, *mail.Calendar, string, error) {
	if m.ID == "" || m.SecretariatEmail == "" || (check && m.Deleted) {
		return in, mail.Address{}, nil, "", errSkip
	}
	in.Locale, in.Zone = m.DefaultLang, location(m.VenueTZ)
	for _, s := range d.Payload.Seats {
		st := render.OpenSeat{SessionTitle: s.SessionTitle, Session: render.Interval{Start: s.StartUTC, End: s.EndUTC}, Booth: s.Booth,
			Needed: s.Needed, Accepted: s.Accepted, Offered: s.Offered, Proposed: s.Proposed, Unstaffed: s.Unstaffed, Lapsed: s.Declined + s.Expired}
		if s.NextDeadline != nil {
			st.NextDeadline = *s.NextDeadline
		}
		in.OpenSeats = append(in.OpenSeats, st)
	}
	return in, mail.Address{Email: m.SecretariatEmail}, nil, "", nil
}
